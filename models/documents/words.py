"""Money in words, as a decision's list ends: "Bằng chữ: Một triệu tám trăm tám mươi
nghìn đồng" (1.880.000 đ)."""
from __future__ import annotations

DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
SCALES = ("", "nghìn", "triệu")
BILLION = 10 ** 9


def _units(tens: int, unit: int) -> str:
    """The last digit of a group: "mốt" after twenty and above, "lăm" after ten."""
    if unit == 1 and tens > 1:
        return "mốt"
    if unit == 5 and tens > 0:
        return "lăm"
    return DIGITS[unit]


def _group(n: int, full: bool) -> list[str]:
    """Words of 0 < n < 1000; `full`: a group after a higher one, so "không trăm" and
    "linh" are said (1.005 = "một nghìn không trăm linh năm")."""
    hundreds, tens, unit = n // 100, n // 10 % 10, n % 10
    words = []
    if hundreds or full:
        words += [DIGITS[hundreds], "trăm"]
    if tens == 0 and unit and words:
        words.append("linh")
    elif tens == 1:
        words.append("mười")
    elif tens > 1:
        words += [DIGITS[tens], "mươi"]
    if unit:
        words.append(_units(tens, unit))
    return words


def _below_billion(n: int, full: bool) -> list[str]:
    groups = [n // 10 ** 6, n // 1000 % 1000, n % 1000]
    words: list[str] = []
    for scale, group in zip(reversed(SCALES), groups):
        if group:
            words += _group(group, full or bool(words))
            if scale:
                words.append(scale)
    return words


def _words(n: int, full: bool = False) -> list[str]:
    if n >= BILLION:
        head, rest = divmod(n, BILLION)
        return _words(head, full) + ["tỷ"] + (_below_billion(rest, True) if rest else [])
    return _below_billion(n, full)


def number_words(n: int) -> str:
    """1880000 -> "một triệu tám trăm tám mươi nghìn"; 0 -> "không"."""
    if n < 0:
        return "âm " + number_words(-n)
    return " ".join(_words(n)) or DIGITS[0]


def vnd_words(amount: int) -> str:
    """1880000 -> "Một triệu tám trăm tám mươi nghìn đồng"."""
    spoken = number_words(amount) + " đồng"
    return spoken[0].upper() + spoken[1:]
