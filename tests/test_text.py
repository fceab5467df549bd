import ast
import datetime as dt
import random
import re
import sys
import unicodedata
from decimal import Decimal
from pathlib import Path

import pytest
from ui_helpers import HOSTILE_FILE, hostile_inputs

from models import text
from models.text import (SORT_KEY_MAX_LEN, TextError, ascii_fold_for_banner, clean_text,
                         find_forbidden, fold, format_date, format_long_date, format_vnd, nfc,
                         parse_date, parse_number, parse_vnd, sort_key, visible)

HOSTILE = hostile_inputs()
# The team's list beside the clone (CI puts ../shared there); tests/data keeps a copy.
SHARED_HOSTILE = Path(__file__).resolve().parents[2] / "shared" / "hostile-inputs.txt"

FORBIDDEN_SAMPLES = (
    [chr(c) for c in range(0x20)] + ["\x7f"] + [chr(c) for c in range(0x80, 0xA0)]
    + ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068",
       "\u2069", "\u200e", "\u200f", "\u061c"]
)


def nfd(s):
    return unicodedata.normalize("NFD", s)


def has_forbidden(s, multiline=False):
    return bool(find_forbidden(s, multiline=multiline))


def message(excinfo):
    return str(excinfo.value)


# --- hostile inputs ---------------------------------------------------------------

def test_hostile_list_is_the_shared_one():
    assert SHARED_HOSTILE.exists(), f"{SHARED_HOSTILE} is missing: ../shared must sit beside the clone"
    assert HOSTILE_FILE.read_bytes() == SHARED_HOSTILE.read_bytes()


@pytest.mark.parametrize("multiline", [False, True])
@pytest.mark.parametrize("value", HOSTILE)
def test_clean_text_accepts_unchanged_or_refuses_clearly(value, multiline):
    try:
        cleaned = clean_text(value, "Họ và tên", multiline=multiline)
    except TextError as e:
        assert str(e).startswith('Trường "Họ và tên" ')
        assert "\n" not in str(e)
        assert not has_forbidden(str(e))
        assert e.field == "Họ và tên"
    else:
        assert cleaned == nfc(value).strip()
        assert not has_forbidden(cleaned, multiline=multiline)


@pytest.mark.parametrize("value", HOSTILE)
def test_clean_text_with_limits_never_raises_anything_else(value):
    try:
        clean_text(value, "Ghi chú", required=True, max_len=100)
    except TextError as e:
        assert "\n" not in str(e)


@pytest.mark.parametrize("value", HOSTILE)
def test_visible_leaves_no_forbidden_character(value):
    shown = visible(value)
    assert not has_forbidden(shown)
    assert visible(shown) == shown


@pytest.mark.parametrize("value", HOSTILE)
def test_every_function_survives_hostile_input(value):
    assert re.fullmatch(r"[0-9a-z]*", sort_key(value))
    assert fold(fold(value)) == fold(value)
    assert ascii_fold_for_banner(value).isascii()
    for parse in (parse_date, parse_vnd, parse_number):
        try:
            parse(value)
        except TextError as e:
            assert not has_forbidden(str(e))


@pytest.mark.parametrize("value", [
    "[bold red]Nguyễn Văn A[/]", "[@click=app.quit]Bấm vào đây[/]", "\\[escaped]",
    "Robert'); DROP TABLE person;--", "%s %d {0} {name}",
    "Zero\u200bwidth\u200djoiner", "Emoji \U0001f468\u200d\U0001f469\u200d\U0001f467 家族",
])
def test_markup_and_zero_width_text_is_kept_literally(value):
    assert clean_text(value, "Ghi chú") == value
    assert visible(value) == value


def test_decomposed_name_is_stored_nfc_and_found():
    decomposed = "Nguye\u0302\u0303n Va\u0306n An"
    assert nfc(decomposed) == "Nguyễn Văn An"
    assert fold(decomposed) == "nguyen van an"
    assert clean_text(decomposed, "Họ và tên") == "Nguyễn Văn An"
    assert sort_key(decomposed) == sort_key("Nguyễn Văn An")


# --- TextError ----------------------------------------------------------------------

def test_text_error_is_a_value_error_with_field():
    e = TextError("Ngày không được để trống", "Ngày sinh")
    assert isinstance(e, ValueError)
    assert str(e) == "Ngày không được để trống"
    assert e.field == "Ngày sinh"
    assert TextError("x").field is None


# --- nfc and fold -------------------------------------------------------------------

def test_nfc_composes():
    assert nfc("a\u0300") == "à"
    assert nfc("Nguyễn") == "Nguyễn"


@pytest.mark.parametrize("raw, folded", [
    ("Nguyễn Văn An", "nguyen van an"),
    ("NGUYỄN VĂN AN", "nguyen van an"),
    (nfd("Nguyễn Văn An"), "nguyen van an"),
    ("Đặng Thị Đào", "dang thi dao"),
    ("  Trần \t Thị\n\nBình  ", "tran thi binh"),
    ("Ưng Hoàng Phúc", "ung hoang phuc"),
    ("Ơn Ấy Ộ Ử", "on ay o u"),
    ("", ""),
    ("   ", ""),
    ("Hòa Phong", "hoa phong"),
    ("Hoà Phong", "hoa phong"),
])
def test_fold(raw, folded):
    assert fold(raw) == folded


def test_fold_lets_d_find_dj():
    assert "d" in fold("Đ") and fold("đường") == "duong"


# --- sort_key -----------------------------------------------------------------------

def sorted_names(names):
    return sorted(names, key=sort_key)


def test_given_names_in_vietnamese_alphabet_order():
    expected = ["An", "Ánh", "Bình", "Chi", "Dũng", "Đạt", "Giang"]
    assert sorted_names(reversed(expected)) == expected


def test_modified_vowels_are_letters_of_their_own():
    assert sorted_names(["Ấn", "Ân", "Án", "An"]) == ["An", "Án", "Ân", "Ấn"]
    assert sorted_names(["Ơn", "Ôn", "On"]) == ["On", "Ôn", "Ơn"]
    assert sorted_names(["Ưng", "Ung", "Vinh"]) == ["Ung", "Ưng", "Vinh"]
    assert sorted_names(["Ê", "E", "Đ", "D"]) == ["D", "Đ", "E", "Ê"]
    assert sorted_names(["Bá", "Ăn", "Ăng", "Ân"]) == ["Ăn", "Ăng", "Ân", "Bá"]


def test_non_vietnamese_latin_letters_fall_in_place():
    assert sorted_names(["G", "F", "Ê"]) == ["Ê", "F", "G"]
    assert sorted_names(["K", "J", "I"]) == ["I", "J", "K"]
    assert sorted_names(["X", "W", "V"]) == ["V", "W", "X"]
    assert sorted_names(["Z", "Y"]) == ["Y", "Z"]


def test_tones_order_names_that_differ_only_in_tone():
    expected = ["Ma", "Mà", "Mả", "Mã", "Má", "Mạ"]
    assert sorted_names(reversed(expected)) == expected


def test_names_differing_only_in_tone_are_adjacent():
    names = ["Lê Văn Hoai", "Lê Văn Hóa", "Lê Văn Hoa", "Lê Văn Họa", "Lê Văn Hòa",
             "Lê Văn Hỏa", "Lê Văn Hõa", "Lê Văn Hoan"]
    assert sorted_names(names) == [
        "Lê Văn Hoa", "Lê Văn Hòa", "Lê Văn Hỏa", "Lê Văn Hõa", "Lê Văn Hóa",
        "Lê Văn Họa", "Lê Văn Hoai", "Lê Văn Hoan"]


def test_given_name_decides_first():
    assert sort_key("Nguyễn Văn An") < sort_key("Trần Thị Bình")
    assert sort_key("Trần An") < sort_key("Lê Anh")
    assert sort_key("Vũ Văn Yên") > sort_key("Bùi Thị Xuân")


def test_same_given_name_then_middle_then_family():
    assert sort_key("Lê An") < sort_key("Nguyễn An")
    assert sort_key("Lê Thị An") < sort_key("Nguyễn Văn An")
    assert sort_key("Lê Văn An") < sort_key("Nguyễn Văn An")


def test_letters_of_every_word_outrank_tones():
    # Hoa < Hòa by tone, but the middle name is compared before any tone.
    assert sort_key("Lương Văn Hoa") > sort_key("Trịnh Thị Hòa")


def test_fewer_words_first_when_a_prefix():
    assert sort_key("An") < sort_key("Bình An")
    assert sort_key("Bình An") < sort_key("Anh")


def test_old_and_new_tone_placement_sort_equal():
    assert sort_key("Hoà") == sort_key("Hòa")
    assert sort_key("Thuý") == sort_key("Thúy")


@pytest.mark.parametrize("variant", [
    "nguyễn văn an", "NGUYỄN VĂN AN", nfd("Nguyễn Văn An"), "  Nguyễn   Văn\tAn  ",
    nfd("NGUYỄN văn An"),
])
def test_sort_key_ignores_case_form_and_spacing(variant):
    assert sort_key(variant) == sort_key("Nguyễn Văn An")


def test_digits_after_letters_and_other_characters_after_digits():
    assert sort_key("Yến") < sort_key("Z") < sort_key("0") < sort_key("9") < sort_key("家")
    assert sort_key("An") < sort_key("An2") < sort_key("An-")


def test_real_names_shuffled_sort_in_expected_order():
    expected = [
        "Lê Thị An", "Trần An", "Nguyễn Văn An", "Phạm Thị Ánh", "Hoàng Văn Ân",
        "Đỗ Thị Bích", "Nguyễn Thanh Bình", "Trần Thị Bình", "Vũ Minh Châu", "Lê Thị Chi",
        "Bùi Văn Dũng", "Ngô Tiến Đạt", "Đinh Thị Giang", "Nguyễn Thị Hà", "Phan Văn Hải",
        "Trịnh Thị Hoa", "Lương Văn Hòa", "Đoàn Văn Khánh", "Mai Thị Lan", "Hồ Văn Long",
        "Dương Văn Nam", "Cao Thị Ngọc", "Tạ Thị Oanh", "Trương Văn Ơn", "Kiều Thị Uyên",
        "Vương Văn Ưng", "Lâm Thị Xuân", "Quách Thị Yến",
    ]
    for seed in range(5):
        shuffled = expected[:]
        random.Random(seed).shuffle(shuffled)
        assert sorted_names(shuffled) == expected
        assert sorted_names([nfd(n).upper() for n in shuffled]) == [
            nfd(n).upper() for n in expected]


def test_sort_key_is_plain_ascii_alphanumeric():
    for name in ["Nguyễn Văn An", "Đặng Thị Ưng", "H'Hen Niê", "Nguyễn Văn An 2", "家族",
                 "Ü\u0301ber", "\u0301", "Emoji 👨‍👩‍👧"]:
        key = sort_key(name)
        assert re.fullmatch(r"[0-9a-z]+", key), (name, key)


def test_byte_order_of_keys_matches_string_order():
    names = ["Chi", "An", "Ánh", "Đạt", "Dũng"]
    by_str = sorted(names, key=sort_key)
    by_bytes = sorted(names, key=lambda n: sort_key(n).encode("ascii"))
    assert by_str == by_bytes


def test_sort_key_is_capped_for_the_column():
    assert len(sort_key("Rất dài " * 200)) == SORT_KEY_MAX_LEN
    assert len(sort_key("Nguyễn Văn An")) < 40


def test_sort_key_of_empty_name():
    assert sort_key("") == sort_key("   ") < sort_key("A")


def test_unknown_marks_are_deterministic_tie_breakers():
    assert sort_key("Ü") != sort_key("U")
    assert sort_key("U") < sort_key("Ü") < sort_key("Ư")


# --- dates --------------------------------------------------------------------------

@pytest.mark.parametrize("raw, expected", [
    ("05/02/2026", dt.date(2026, 2, 5)),
    ("5/2/2026", dt.date(2026, 2, 5)),
    ("05-02-2026", dt.date(2026, 2, 5)),
    ("05.02.2026", dt.date(2026, 2, 5)),
    ("  29/02/2024 ", dt.date(2024, 2, 29)),
    ("31/12/2100", dt.date(2100, 12, 31)),
    ("01/01/1900", dt.date(1900, 1, 1)),
])
def test_parse_date_accepts(raw, expected):
    assert parse_date(raw) == expected


@pytest.mark.parametrize("raw", ["", "   "])
def test_parse_date_empty(raw):
    with pytest.raises(TextError) as excinfo:
        parse_date(raw)
    assert message(excinfo) == "Ngày không được để trống"
    assert excinfo.value.field is None


def test_parse_date_empty_names_the_field():
    with pytest.raises(TextError) as excinfo:
        parse_date("", "Ngày sinh")
    assert message(excinfo) == 'Trường "Ngày sinh" không được để trống'
    assert excinfo.value.field == "Ngày sinh"


@pytest.mark.parametrize("raw", [
    "2024-13-01", "2026-02-05", "05/02/26", "05/02-2026", "5 tháng 2", "05/02/2026x",
    "١٥/٠٢/٢٠٢٦", "05//02/2026", "005/02/2026", "\x1b[2J",
])
def test_parse_date_wrong_shape(raw):
    with pytest.raises(TextError) as excinfo:
        parse_date(raw)
    assert message(excinfo) == "Ngày phải có dạng dd/mm/yyyy, ví dụ 05/02/2026"


def test_parse_date_wrong_shape_names_the_field():
    with pytest.raises(TextError) as excinfo:
        parse_date("hôm qua", "Ngày quyết định")
    assert message(excinfo) == (
        'Trường "Ngày quyết định" phải có dạng dd/mm/yyyy, ví dụ 05/02/2026')


@pytest.mark.parametrize("raw, expected", [
    ("31/02/2024", "Ngày 31/02/2024 không có thật: tháng 2 năm 2024 chỉ có 29 ngày"),
    ("29/2/2023", "Ngày 29/02/2023 không có thật: tháng 2 năm 2023 chỉ có 28 ngày"),
    ("31-04-2025", "Ngày 31/04/2025 không có thật: tháng 4 năm 2025 chỉ có 30 ngày"),
    ("01/13/2024", "Ngày 01/13/2024 không có thật: tháng phải từ 1 đến 12"),
    ("01/00/2024", "Ngày 01/00/2024 không có thật: tháng phải từ 1 đến 12"),
    ("00/01/2024", "Ngày 00/01/2024 không có thật: ngày phải từ 1 trở lên"),
    ("01/01/1899", "Ngày 01/01/1899 không hợp lệ: năm phải từ 1900 đến 2100"),
    ("01/01/2101", "Ngày 01/01/2101 không hợp lệ: năm phải từ 1900 đến 2100"),
])
def test_parse_date_impossible(raw, expected):
    with pytest.raises(TextError) as excinfo:
        parse_date(raw)
    assert message(excinfo) == expected


def test_parse_date_impossible_names_the_field():
    with pytest.raises(TextError) as excinfo:
        parse_date("31/02/2024", "Ngày sinh")
    assert message(excinfo) == (
        'Trường "Ngày sinh": ngày 31/02/2024 không có thật: '
        "tháng 2 năm 2024 chỉ có 29 ngày")


@pytest.mark.parametrize("d, expected", [
    (dt.date(2026, 2, 5), "05/02/2026"),
    (dt.date(2024, 12, 20), "20/12/2024"),
    (dt.datetime(2023, 7, 1, 8, 30), "01/07/2023"),
])
def test_format_date(d, expected):
    assert format_date(d) == expected


def test_format_date_round_trips():
    d = dt.date(2025, 9, 2)
    assert parse_date(format_date(d)) == d


@pytest.mark.parametrize("d, expected", [
    (dt.date(2026, 2, 5), "Hòa Phong, ngày 05 tháng 02 năm 2026"),
    (dt.date(2026, 1, 15), "Hòa Phong, ngày 15 tháng 01 năm 2026"),
    (dt.date(2023, 8, 5), "Hòa Phong, ngày 05 tháng 8 năm 2023"),
    (dt.date(2024, 12, 20), "Hòa Phong, ngày 20 tháng 12 năm 2024"),
    (dt.date(2024, 3, 9), "Hòa Phong, ngày 09 tháng 3 năm 2024"),
])
def test_format_long_date_follows_decree_30(d, expected):
    assert format_long_date(d, "Hòa Phong") == expected


def test_format_long_date_normalises_place():
    assert format_long_date(dt.date(2026, 2, 5), nfd(" Hòa Phong ")).startswith(
        "Hòa Phong, ngày")


# --- money --------------------------------------------------------------------------

@pytest.mark.parametrize("amount, expected", [
    (1_880_000, "1.880.000 đ"),
    (710_000, "710.000 đ"),
    (2_340_000, "2.340.000 đ"),
    (0, "0 đ"),
    (999, "999 đ"),
    (1000, "1.000 đ"),
    (-702_000, "-702.000 đ"),
    (1_234_567_890, "1.234.567.890 đ"),
])
def test_format_vnd(amount, expected):
    assert format_vnd(amount) == expected


@pytest.mark.parametrize("amount", [702000.0, Decimal("702000"), "702000"])
def test_format_vnd_refuses_non_integers(amount):
    with pytest.raises(TypeError):
        format_vnd(amount)


@pytest.mark.parametrize("raw, expected", [
    ("1.880.000", 1_880_000),
    ("1880000", 1_880_000),
    ("1.880.000 đ", 1_880_000),
    ("1.880.000đ", 1_880_000),
    ("1 880 000", 1_880_000),
    ("1\u00a0880\u00a0000 ₫", 1_880_000),
    ("1,880,000", 1_880_000),
    ("1.880.000 VNĐ", 1_880_000),
    ("1880000 vnd", 1_880_000),
    ("500.000 đồng", 500_000),
    ("  710.000  ", 710_000),
    ("0", 0),
    ("-702.000 đ", -702_000),
    ("1.000", 1000),
])
def test_parse_vnd_accepts(raw, expected):
    assert parse_vnd(raw) == expected


@pytest.mark.parametrize("amount", [0, 5, 1_880_000, -702_000, 10**12])
def test_vnd_round_trips(amount):
    assert parse_vnd(format_vnd(amount)) == amount


@pytest.mark.parametrize("raw", [
    "1.88", "1,5", "1.880.000,50", "1.880,000", "1.880 000", "abc", "1tr", "đ", "1.880.00",
    "12.34.567", "--5", "1e6", "١٢٣",
])
def test_parse_vnd_refuses(raw):
    with pytest.raises(TextError) as excinfo:
        parse_vnd(raw)
    assert message(excinfo) == (
        f'Số tiền phải là số nguyên đồng, ví dụ 1.880.000 (đã nhập "{raw}")')


def test_parse_vnd_empty_and_field():
    with pytest.raises(TextError) as excinfo:
        parse_vnd("  ")
    assert message(excinfo) == "Số tiền không được để trống"
    with pytest.raises(TextError) as excinfo:
        parse_vnd("abc", "Mức thưởng")
    assert message(excinfo) == (
        'Trường "Mức thưởng" phải là số nguyên đồng, ví dụ 1.880.000 (đã nhập "abc")')
    assert excinfo.value.field == "Mức thưởng"


def test_parse_vnd_echo_is_visible_and_short():
    with pytest.raises(TextError) as excinfo:
        parse_vnd("\x1b]0;x\x07" + "9" * 100)
    shown = message(excinfo)
    assert "\x1b" not in shown and "␛" in shown
    assert shown.endswith('…")')


# --- numbers ------------------------------------------------------------------------

@pytest.mark.parametrize("raw, kwargs, expected", [
    ("12", {}, 12),
    ("-3", {}, -3),
    ("+7", {}, 7),
    (" 0 ", {}, 0),
    ("0,3", {"allow_decimal": True}, Decimal("0.3")),
    ("0.3", {"allow_decimal": True}, Decimal("0.3")),
    ("1,5", {"allow_decimal": True}, Decimal("1.5")),
    ("2", {"allow_decimal": True}, Decimal("2")),
    ("10", {"minimum": 0, "maximum": 10}, 10),
    ("0", {"minimum": 0, "maximum": 10}, 0),
    ("0,7", {"allow_decimal": True, "minimum": Decimal("0.5")}, Decimal("0.7")),
])
def test_parse_number_accepts(raw, kwargs, expected):
    value = parse_number(raw, **kwargs)
    assert value == expected
    assert type(value) is type(expected)


@pytest.mark.parametrize("raw, kwargs, expected", [
    ("", {}, "Giá trị không được để trống"),
    ("abc", {}, 'Giá trị phải là số nguyên, ví dụ 12 (đã nhập "abc")'),
    ("abc", {"allow_decimal": True},
     'Giá trị phải là số, ví dụ 12 hoặc 0,5 (đã nhập "abc")'),
    ("1,5", {}, 'Giá trị phải là số nguyên, không có phần thập phân (đã nhập "1,5")'),
    ("1.000", {}, 'Giá trị phải là số nguyên, không có phần thập phân (đã nhập "1.000")'),
    ("1.000,5", {"allow_decimal": True},
     'Giá trị phải là số, ví dụ 12 hoặc 0,5 (đã nhập "1.000,5")'),
    (",5", {"allow_decimal": True},
     'Giá trị phải là số, ví dụ 12 hoặc 0,5 (đã nhập ",5")'),
    ("1e3", {}, 'Giá trị phải là số nguyên, ví dụ 12 (đã nhập "1e3")'),
    ("1_000", {}, 'Giá trị phải là số nguyên, ví dụ 12 (đã nhập "1_000")'),
    ("١٢", {}, 'Giá trị phải là số nguyên, ví dụ 12 (đã nhập "١٢")'),
    ("11", {"minimum": 0, "maximum": 10}, 'Giá trị phải từ 0 đến 10 (đã nhập "11")'),
    ("-1", {"minimum": 0}, 'Giá trị phải từ 0 trở lên (đã nhập "-1")'),
    ("101", {"maximum": 100}, 'Giá trị không được lớn hơn 100 (đã nhập "101")'),
    ("0,2", {"allow_decimal": True, "minimum": Decimal("0.3")},
     'Giá trị phải từ 0,3 trở lên (đã nhập "0,2")'),
    ("1,6", {"allow_decimal": True, "maximum": 1.5},
     'Giá trị không được lớn hơn 1,5 (đã nhập "1,6")'),
])
def test_parse_number_refuses(raw, kwargs, expected):
    with pytest.raises(TextError) as excinfo:
        parse_number(raw, **kwargs)
    assert message(excinfo) == expected


def test_parse_number_names_the_field():
    with pytest.raises(TextError) as excinfo:
        parse_number("11", "Điểm tự chấm", minimum=0, maximum=10)
    assert message(excinfo) == 'Trường "Điểm tự chấm" phải từ 0 đến 10 (đã nhập "11")'
    assert excinfo.value.field == "Điểm tự chấm"
    with pytest.raises(TextError) as excinfo:
        parse_number(" ", "Số thành viên")
    assert message(excinfo) == 'Trường "Số thành viên" không được để trống'


# --- control characters -------------------------------------------------------------

@pytest.mark.parametrize("ch", FORBIDDEN_SAMPLES)
def test_every_forbidden_character_is_found_and_made_visible(ch):
    s = f"a{ch}b"
    assert [i for i, _ in find_forbidden(s)] == [1]
    shown = visible(s)
    assert ch not in shown and shown[0] == "a" and shown[-1] == "b"
    assert not has_forbidden(shown)


@pytest.mark.parametrize("s", [
    "Nguyễn Văn An", "Zero\u200bwidth\u200cnon\u200djoiner", "👨\u200d👩\u200d👧",
    "\u00a0nbsp\u00a0", "\u00a0\u00ff\u0100", "\u2028", "\u202f", "\u2065\u206a",
])
def test_allowed_characters_are_not_forbidden(s):
    assert find_forbidden(s) == []
    assert visible(s) == s


@pytest.mark.parametrize("s, expected", [
    ("\x1bX", [(0, "ESC")]),
    ("a\tb\nc\rd", [(1, "TAB"), (3, "LF"), (5, "CR")]),
    ("\x00\x07\x7f", [(0, "NUL"), (1, "BEL"), (2, "DEL")]),
    ("x\x85\x9b", [(1, "U+0085"), (2, "U+009B")]),
    ("\u202eabc\u2066\u200f\u061c", [(0, "RLO"), (4, "LRI"), (5, "RLM"), (6, "ALM")]),
])
def test_find_forbidden_names(s, expected):
    assert find_forbidden(s) == expected


def test_find_forbidden_multiline_allows_newline_and_tab_only():
    assert find_forbidden("a\nb\tc", multiline=True) == []
    assert find_forbidden("a\rb\x0bc", multiline=True) == [(1, "CR"), (3, "VT")]


@pytest.mark.parametrize("s, expected", [
    ("\x1b[2J", "\u241b[2J"),
    ("\x00", "\u2400"),
    ("a\tb", "a\u2409b"),
    ("line\nnext", "line\u240anext"),
    ("\x7f", "\u2421"),
    ("\x9b", "<U+009B>"),
    ("\u202eevil", "<U+202E>evil"),
    ("\u200e\u061c", "<U+200E><U+061C>"),
])
def test_visible_symbols(s, expected):
    assert visible(s) == expected


def test_visible_multiline_keeps_newlines_and_tabs():
    assert visible("a\n\tb\x1b", multiline=True) == "a\n\tb\u241b"


def test_clean_text_refuses_escape_naming_field_and_position():
    with pytest.raises(TextError) as excinfo:
        clean_text("\x1b[2JNguyễn", "Họ và tên")
    assert message(excinfo) == (
        'Trường "Họ và tên" chứa ký tự điều khiển không được phép (ESC, vị trí 1)')
    assert excinfo.value.field == "Họ và tên"


def test_clean_text_positions_count_from_what_was_typed():
    with pytest.raises(TextError) as excinfo:
        clean_text("  ab\x07", "Ghi chú")
    assert message(excinfo).endswith("(BEL, vị trí 5)")


def test_clean_text_lists_at_most_three_forbidden_characters():
    with pytest.raises(TextError) as excinfo:
        clean_text("\x1b]52;c;x\x07\u202e\x00\x00", "Ghi chú")
    assert message(excinfo) == (
        'Trường "Ghi chú" chứa ký tự điều khiển không được phép '
        "(ESC, vị trí 1; BEL, vị trí 9; RLO, vị trí 10 và 2 ký tự khác)")


@pytest.mark.parametrize("value", ["Tab\there", "một\nhai", "một\r\nhai", "a\rb"])
def test_clean_text_single_line_refuses_line_breaks_and_tabs(value):
    with pytest.raises(TextError):
        clean_text(value, "Họ và tên")


@pytest.mark.parametrize("value, expected", [
    ("một\r\nhai\r\n", "một\nhai"),
    ("một\rhai", "một\nhai"),
    ("\n  Cột 1\tCột 2\n\n", "Cột 1\tCột 2"),
    ("dòng 1\n\ndòng 3", "dòng 1\n\ndòng 3"),
])
def test_clean_text_multiline(value, expected):
    assert clean_text(value, "Ghi chú", multiline=True) == expected


def test_clean_text_multiline_still_refuses_escape():
    with pytest.raises(TextError) as excinfo:
        clean_text("dòng 1\n\x1b[31mđỏ", "Ghi chú", multiline=True)
    assert "(ESC, vị trí 8)" in message(excinfo)


@pytest.mark.parametrize("value, expected", [
    ("  Nguyễn Văn An  ", "Nguyễn Văn An"),
    (nfd("Trần Thị Bình"), "Trần Thị Bình"),
    ("Tên\n", "Tên"),
    ("", ""),
    (None, ""),
    ("Emoji 👨‍👩‍👧", "Emoji 👨‍👩‍👧"),
])
def test_clean_text_normalises(value, expected):
    assert clean_text(value, "Họ và tên") == expected


@pytest.mark.parametrize("value", ["", "   ", "\n\t", None])
def test_clean_text_required(value):
    with pytest.raises(TextError) as excinfo:
        clean_text(value, "Họ và tên", required=True)
    assert message(excinfo) == 'Trường "Họ và tên" không được để trống'


def test_clean_text_max_len_counts_characters_after_nfc_and_strip():
    assert clean_text(" " + nfd("Nguyễn") + " ", "Họ", max_len=6) == "Nguyễn"
    with pytest.raises(TextError) as excinfo:
        clean_text("Rất dài " * 200, "Họ và tên", max_len=200)
    assert message(excinfo) == 'Trường "Họ và tên" dài quá 200 ký tự (hiện có 1599 ký tự)'


def test_clean_text_reports_control_characters_before_length():
    with pytest.raises(TextError) as excinfo:
        clean_text("\x1b" * 500, "Họ và tên", max_len=10)
    assert "ký tự điều khiển" in message(excinfo)


# --- banner -------------------------------------------------------------------------

@pytest.mark.parametrize("raw, expected", [
    ("Hòa Phong", "Hoa Phong"),
    ("ĐẢNG BỘ XÃ", "DANG BO XA"),
    ("Đường đi", "Duong di"),
    (nfd("Thi đua Khen thưởng"), "Thi dua Khen thuong"),
    ("Ưu tiên Ơn", "Uu tien On"),
    ("Ｔhi", "Thi"),
    ("Xã 家 – 2026", "Xa ? ? 2026"),
    ("\x1b[2J", "?[2J"),
    ("", ""),
])
def test_ascii_fold_for_banner(raw, expected):
    assert ascii_fold_for_banner(raw) == expected


def test_module_uses_only_the_standard_library():
    tree = ast.parse(Path(text.__file__).read_text(encoding="utf-8"))
    imported = {alias.name.split(".")[0] for node in ast.walk(tree)
                if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    # models.errors only: a refused value is a ThiduaError like every other refusal.
    assert imported <= set(sys.stdlib_module_names) | {"__future__", "models.errors"}
