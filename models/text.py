"""Vietnamese text: normalisation, search and sort keys, dates, money, numbers, and
the control-character policy for everything typed, imported or shown.

Every message a user can see is Vietnamese and fits on one line; any piece of the
user's input echoed in a message goes through `visible()` first, so an error message
can never carry a raw escape sequence to the terminal.
"""
from __future__ import annotations

import calendar
import datetime as dt
import operator
import re
import unicodedata
from decimal import Decimal

from models.errors import ThiduaError


class TextError(ThiduaError, ValueError):
    """A value the user typed or imported cannot be accepted; `str(e)` says why."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def _fail(field: str | None, subject: str, predicate: str) -> TextError:
    """'<subject> <predicate>', naming the field instead of the generic subject."""
    who = f'Trường "{field}"' if field else subject
    return TextError(f"{who} {predicate}", field)


def _fail_sentence(field: str | None, sentence: str) -> TextError:
    """For sentences whose subject is the value itself ("Ngày 31/02/2024 ...")."""
    if field:
        sentence = f'Trường "{field}": {sentence[0].lower()}{sentence[1:]}'
    return TextError(sentence, field)


def _echo(s: str, limit: int = 40) -> str:
    shown = visible(s.strip())
    if len(shown) > limit:
        shown = shown[:limit] + "…"
    return f'"{shown}"'


# --- Normalisation and search -------------------------------------------------------

def nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


def _is_mark(ch: str) -> bool:
    return unicodedata.category(ch) == "Mn"


def fold(s: str) -> str:
    """Search key: "Nguyễn  VĂN an" -> "nguyen van an"; "d" finds "đ"."""
    decomposed = unicodedata.normalize("NFD", nfc(s).casefold())
    # Stored text never holds control characters, and PostgreSQL refuses a NUL in
    # any query: in a key they only separate words.
    bare = "".join(" " if unicodedata.category(ch) in ("Cc", "Cf") else ch
                   for ch in decomposed if not _is_mark(ch)).replace("đ", "d")
    return " ".join(bare.split())


def ascii_fold_for_banner(s: str) -> str:
    """"Hòa Phong" -> "Hoa Phong" for pyfiglet, whose fonts only cover printable ASCII;
    anything still outside that range becomes "?" rather than vanishing silently."""
    decomposed = unicodedata.normalize("NFKD", s.replace("đ", "d").replace("Đ", "D"))
    return "".join(
        ch if " " <= ch <= "~" else "?" for ch in decomposed if not _is_mark(ch)
    )


# --- Sort key -----------------------------------------------------------------------
#
# The key is built only from [0-9a-z]. On such strings byte order (SQLite BINARY,
# PostgreSQL COLLATE "C") and locale collations (checked: ICU root, en-US, vi-VN) agree, so
# ORDER BY stays right even on a PostgreSQL database created with a locale collation,
# where punctuation would be ignored. It is opaque, one character per letter so it
# fits the indexed column.
#
# Layout: primary "0" secondary.
#   primary   = the words (given name, middle names..., family name) joined by "1",
#               each letter one symbol in Vietnamese alphabet order, "2".."y";
#               "z" escapes digits ("z0".."z9") and any other character ("zz" + 6 hex),
#               so they sort after letters.
#   secondary = per word, in the same order, its tone(s) joined by "0":
#               "1" no tone, "2".."6" huyền hỏi ngã sắc nặng, "7" + 6 hex for any other
#               combining mark.
# "0" and "1" are lower than every symbol that can follow them, so a name that is a
# word-prefix of another sorts first, and tones only decide between names whose
# letters are all equal.

_LEVEL_SEP = "0"
_WORD_SEP = "1"
_SYMBOLS = "23456789abcdefghijklmnopqrstuvwxy"
_ALPHABET = ["a", "ă", "â", "b", "c", "d", "đ", "e", "ê", "f", "g", "h", "i", "j", "k",
             "l", "m", "n", "o", "ô", "ơ", "p", "q", "r", "s", "t", "u", "ư", "v", "w",
             "x", "y", "z"]
_LETTER_CODE = dict(zip(_ALPHABET, _SYMBOLS, strict=True))
_ESCAPE = "z"
_OTHER = "zz"

_BREVE, _CIRCUMFLEX, _HORN = "\u0306", "\u0302", "\u031b"
_MODIFIED = {("a", _BREVE): "ă", ("a", _CIRCUMFLEX): "â", ("e", _CIRCUMFLEX): "ê",
             ("o", _CIRCUMFLEX): "ô", ("o", _HORN): "ơ", ("u", _HORN): "ư"}
# huyền, hỏi, ngã, sắc, nặng: the order Vietnamese dictionaries use.
_TONE_CODE = {"\u0300": "2", "\u0309": "3", "\u0303": "4", "\u0301": "5", "\u0323": "6"}
_NO_TONE = "1"
_OTHER_MARK = "7"


def _clusters(word: str):
    """Split a decomposed word into (base, [marks]); leading stray marks get base ""."""
    base, marks = "", []
    for ch in word:
        if _is_mark(ch):
            marks.append(ch)
            continue
        if base or marks:
            yield base, marks
        base, marks = ch, []
    if base or marks:
        yield base, marks


def _encode_word(word: str) -> tuple[str, str]:
    primary, secondary = [], []
    for base, marks in _clusters(word):
        letter = base
        for mark in marks:
            if (base, mark) in _MODIFIED and letter == base:
                letter = _MODIFIED[base, mark]
            elif mark in _TONE_CODE:
                secondary.append(_TONE_CODE[mark])
            else:
                secondary.append(f"{_OTHER_MARK}{ord(mark):06x}")
        if letter in _LETTER_CODE:
            primary.append(_LETTER_CODE[letter])
        elif "0" <= letter <= "9":
            primary.append(_ESCAPE + letter)
        elif letter:
            primary.append(f"{_OTHER}{ord(letter):06x}")
    return "".join(primary), "".join(secondary) or _NO_TONE


SORT_KEY_MAX_LEN = 400


# The search_key columns hold 200 characters; folding can lengthen a name ("ß" -> "ss").
SEARCH_KEY_MAX_LEN = 200


# One cap for every search typed: each distinct word nests one more AND (a pasted paragraph
# overflowed SQLite's parser, "parser stack overflow"), and no name is longer than a
# search key (a 100,000-character word made "LIKE or GLOB pattern too complex").
MAX_SEARCH_WORDS = 12


def search_words(query: str, folded: bool = True) -> list[str]:
    """The words of a typed filter that a search uses: distinct, at most
    MAX_SEARCH_WORDS of them, each cut to SEARCH_KEY_MAX_LEN characters; a lone
    surrogate (which no driver can send) becomes U+FFFD, which matches nothing."""
    query = query.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
    words = (fold(query) if folded else query).split()
    return [w[:SEARCH_KEY_MAX_LEN] for w in dict.fromkeys(words)][:MAX_SEARCH_WORDS]


def search_key(s: str) -> str:
    """The stored search key of a name: `fold`, capped to fit its column on every backend
    (a name of 150 "ß" folds to 300 letters, which PostgreSQL refused)."""
    return fold(s)[:SEARCH_KEY_MAX_LEN]


def sort_key(full_name: str) -> str:
    """ASCII key ordering full names the Vietnamese way: given name, middle names, family
    name; letters by the Vietnamese alphabet, then tones; case and NFC/NFD-insensitive.

    Capped at SORT_KEY_MAX_LEN so it always fits its indexed column; only names whose
    first few hundred letters agree can tie because of the cap.
    """
    words = unicodedata.normalize("NFD", nfc(full_name).casefold()).split()
    if len(words) > 1:
        words = [words[-1], *words[1:-1], words[0]]
    encoded = [_encode_word(word) for word in words]
    primary = _WORD_SEP.join(p for p, _ in encoded)
    secondary = _LEVEL_SEP.join(s for _, s in encoded)
    return f"{primary}{_LEVEL_SEP}{secondary}"[:SORT_KEY_MAX_LEN]


# --- Dates --------------------------------------------------------------------------

MIN_YEAR, MAX_YEAR = 1900, 2100
_DATE_RE = re.compile(r"([0-9]{1,2})([/.-])([0-9]{1,2})\2([0-9]{4})")


def parse_date(s: str, field: str | None = None) -> dt.date:
    """dd/mm/yyyy, also d/m/yyyy, dd-mm-yyyy and dd.mm.yyyy."""
    s = (s or "").strip()
    if not s:
        raise _fail(field, "Ngày", "không được để trống")
    match = _DATE_RE.fullmatch(s)
    if not match:
        raise _fail(field, "Ngày", "phải có dạng dd/mm/yyyy, ví dụ 05/02/2026")
    day, month, year = int(match[1]), int(match[3]), int(match[4])
    typed = f"Ngày {day:02d}/{month:02d}/{year:04d}"
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise _fail_sentence(
            field, f"{typed} không hợp lệ: năm phải từ {MIN_YEAR} đến {MAX_YEAR}")
    if not 1 <= month <= 12:
        raise _fail_sentence(field, f"{typed} không có thật: tháng phải từ 1 đến 12")
    days_in_month = calendar.monthrange(year, month)[1]
    if day < 1:
        raise _fail_sentence(field, f"{typed} không có thật: ngày phải từ 1 trở lên")
    if day > days_in_month:
        raise _fail_sentence(
            field, f"{typed} không có thật: tháng {month} năm {year} "
                   f"chỉ có {days_in_month} ngày")
    return dt.date(year, month, day)


def format_date(d: dt.date) -> str:
    return f"{d.day:02d}/{d.month:02d}/{d.year:04d}"


def format_long_date(d: dt.date, place: str) -> str:
    """"Hòa Phong, ngày 05 tháng 02 năm 2026". Decree 30/2020 (Appendix I) pads days
    below 10 and months 1 and 2 only, so no digit can be added in front later;
    months 3 to 12 are written plain: "ngày 05 tháng 8 năm 2023"."""
    month = f"{d.month:02d}" if d.month < 3 else str(d.month)
    return f"{nfc(place.strip())}, ngày {d.day:02d} tháng {month} năm {d.year}"


# --- Money and numbers --------------------------------------------------------------

def format_vnd(amount: int) -> str:
    """1880000 -> "1.880.000 đ". Only whole đồng: a float here is a caller's bug."""
    amount = operator.index(amount)
    sign = "-" if amount < 0 else ""
    return f"{sign}{abs(amount):,} đ".replace(",", ".")


_GROUP_SEPS = ". ,\u00a0\u202f"
_VND_RE = re.compile(
    r"([-+]?)\s*([0-9]+|[0-9]{1,3}(?:([" + _GROUP_SEPS + r"])[0-9]{3})(?:\3[0-9]{3})*)"
    r"\s*(?:đ|₫|vnđ|vnd|đồng|dong)?",
    re.IGNORECASE)


def parse_vnd(s: str, field: str | None = None) -> int:
    """Whole đồng from "1.880.000", "1880000", "1.880.000 đ", "1 880 000" and also
    "1,880,000" as Excel writes it in an English locale: a separator must be followed
    by exactly three digits, so "1,5" or "1.88" are refused, never misread."""
    text = nfc((s or "").strip())
    if not text:
        raise _fail(field, "Số tiền", "không được để trống")
    match = _VND_RE.fullmatch(text)
    if not match:
        raise _fail(field, "Số tiền",
                    f"phải là số nguyên đồng, ví dụ 1.880.000 (đã nhập {_echo(text)})")
    digits = re.sub(r"[^0-9]", "", match[2])
    return -int(digits) if match[1] == "-" else int(digits)


_NUMBER_RE = re.compile(r"([-+]?)([0-9]+)(?:[.,]([0-9]+))?")


def _show_number(x) -> str:
    return str(x).replace(".", ",")


def parse_number(s: str, field: str | None = None, minimum=None, maximum=None,
                 allow_decimal: bool = False) -> int | Decimal:
    """An int, or with allow_decimal a Decimal (exact, for coefficients such as 0,3);
    the decimal mark may be a Vietnamese comma or a dot. Thousands separators are not
    accepted: "1.000" would be ambiguous."""
    text = (s or "").strip()
    if not text:
        raise _fail(field, "Giá trị", "không được để trống")
    typed = f"(đã nhập {_echo(text)})"
    match = _NUMBER_RE.fullmatch(text)
    if not match:
        kind = "số, ví dụ 12 hoặc 0,5" if allow_decimal else "số nguyên, ví dụ 12"
        raise _fail(field, "Giá trị", f"phải là {kind} {typed}")
    sign, whole, fraction = match.groups()
    if fraction is not None and not allow_decimal:
        raise _fail(field, "Giá trị",
                    f"phải là số nguyên, không có phần thập phân {typed}")
    if allow_decimal:
        value = Decimal(f"{sign}{whole}.{fraction or '0'}")
    else:
        value = int(f"{sign}{whole}")
    too_small = minimum is not None and value < minimum
    too_big = maximum is not None and value > maximum
    if too_small or too_big:
        if minimum is not None and maximum is not None:
            bounds = f"phải từ {_show_number(minimum)} đến {_show_number(maximum)}"
        elif too_small:
            bounds = f"phải từ {_show_number(minimum)} trở lên"
        else:
            bounds = f"không được lớn hơn {_show_number(maximum)}"
        raise _fail(field, "Giá trị", f"{bounds} {typed}")
    return value


# --- Control characters -------------------------------------------------------------
#
# Forbidden: C0 (TAB and LF allowed only in multi-line text), DEL, C1, and the bidi
# controls, which can reorder what an officer sees on screen or in a printed list.
# Zero-width space/joiners stay allowed: emoji ZWJ sequences are legitimate text.

_C0_NAMES = ("NUL SOH STX ETX EOT ENQ ACK BEL BS TAB LF VT FF CR SO SI DLE DC1 DC2 DC3 "
             "DC4 NAK SYN ETB CAN EM SUB ESC FS GS RS US").split()
_BIDI_NAMES = {0x061C: "ALM", 0x200E: "LRM", 0x200F: "RLM", 0x202A: "LRE",
               0x202B: "RLE", 0x202C: "PDF", 0x202D: "LRO", 0x202E: "RLO",
               0x2066: "LRI", 0x2067: "RLI", 0x2068: "FSI", 0x2069: "PDI"}
_MULTILINE_ALLOWED = "\n\t"


def _forbidden_name(ch: str, multiline: bool) -> str | None:
    code = ord(ch)
    if code < 0x20:
        return None if multiline and ch in _MULTILINE_ALLOWED else _C0_NAMES[code]
    if code == 0x7F:
        return "DEL"
    if 0x80 <= code <= 0x9F:
        return f"U+{code:04X}"
    return _BIDI_NAMES.get(code)


def find_forbidden(s: str, *, multiline: bool = False) -> list[tuple[int, str]]:
    """(0-based index, name) of each forbidden character, e.g. [(0, "ESC")]."""
    found = []
    for i, ch in enumerate(s):
        name = _forbidden_name(ch, multiline)
        if name is not None:
            found.append((i, name))
    return found


def _picture(ch: str) -> str:
    code = ord(ch)
    if code < 0x20:
        return chr(0x2400 + code)
    if code == 0x7F:
        return "\u2421"
    return f"<U+{code:04X}>"


def visible(s: str, *, multiline: bool = False) -> str:
    """For display of any stored or imported string: forbidden characters become
    visible symbols (ESC -> "␛", RLO -> "<U+202E>"); clean text is unchanged."""
    return "".join(_picture(ch) if _forbidden_name(ch, multiline) else ch for ch in s)


_SHOWN_FORBIDDEN = 3


def clean_text(s: str, field: str, *, required: bool = False, max_len: int | None = None,
               multiline: bool = False) -> str:
    """The stored form of a typed or imported value: NFC, trimmed, free of control
    characters (refused, not dropped, so nothing changes without the user knowing)."""
    text = nfc(s or "")
    if multiline:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    stripped = text.strip()
    lead = len(text) - len(text.lstrip())
    bad = find_forbidden(stripped, multiline=multiline)
    if bad:
        where = "; ".join(f"{name}, vị trí {i + lead + 1}"
                          for i, name in bad[:_SHOWN_FORBIDDEN])
        if len(bad) > _SHOWN_FORBIDDEN:
            where += f" và {len(bad) - _SHOWN_FORBIDDEN} ký tự khác"
        raise _fail(field, "Nội dung", f"chứa ký tự điều khiển không được phép ({where})")
    if required and not stripped:
        raise _fail(field, "Nội dung", "không được để trống")
    if max_len is not None and len(stripped) > max_len:
        raise _fail(field, "Nội dung",
                    f"dài quá {max_len} ký tự (hiện có {len(stripped)} ký tự)")
    return stripped
