"""The building blocks of the table-driven schema: value kinds, checks and nodes.

``schema.py`` describes every key with these; the loader walks the merged TOML
through them.  A failure raises ``Invalid(path, problem)``; the loader turns it
into a ``ConfigError`` naming the file the offending key came from.
"""

from __future__ import annotations

import datetime as _dt
import difflib
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from .model import freeze

KeyPath = tuple[str | int, ...]  # ("voting", "title", "quorum"), ("base_salary", 0, "amount")


class Invalid(Exception):
    """A value at ``path`` is wrong; ``problem`` says why, in Vietnamese."""

    def __init__(self, path: KeyPath, problem: str) -> None:
        super().__init__(path, problem)
        self.path = path
        self.problem = problem


class Problem(Exception):
    """Raised by a kind's converter; the walker adds the path."""


# --- showing values in messages ---------------------------------------------

_TYPE_NAMES = [  # order matters: bool before int, datetime before date
    (bool, "giá trị logic"), (int, "số nguyên"), (float, "số thực"), (str, "chuỗi"),
    (list, "mảng"), (dict, "bảng"), (_dt.datetime, "ngày giờ"), (_dt.date, "ngày"),
    (_dt.time, "giờ"),
]


def type_name(value: Any) -> str:
    for typ, name in _TYPE_NAMES:
        if isinstance(value, typ):
            return name
    return type(value).__name__


def show(value: Any) -> str:
    """A value as the user wrote it in TOML, on one short line."""
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, str):
        # Control characters would break the one-line message or the terminal.
        text = '"' + "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in value) + '"'
    elif isinstance(value, Fraction):
        text = _show_fraction(value)
    elif isinstance(value, (list, tuple)):
        text = "[" + ", ".join(show(v) for v in value) + "]"
    elif isinstance(value, dict):
        text = "{...}"
    elif isinstance(value, _dt.date):
        text = value.isoformat()
    else:
        text = str(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _show_fraction(value: Fraction) -> str:
    den = value.denominator
    while den % 2 == 0:
        den //= 2
    while den % 5 == 0:
        den //= 5
    if den != 1:  # no finite decimal: 2/3
        return f'"{value.numerator}/{value.denominator}"'
    text = str(Decimal(value.numerator) / Decimal(value.denominator))
    return text


# --- kinds: the TOML type a key holds, converted to the Python value --------

@dataclass(frozen=True)
class Kind:
    describe: str  # Vietnamese, for "phải là ..."
    convert: Callable[[Any], Any]


def _expect(value: Any, ok: bool, describe: str, hint: str = "") -> None:
    if not ok:
        raise Problem(f"phải là {describe}, không phải {type_name(value)} {show(value)}{hint}")


def _str(v: Any) -> str:
    _expect(v, isinstance(v, str), "chuỗi (trong ngoặc kép)")
    return v


def _bool(v: Any) -> bool:
    _expect(v, isinstance(v, bool), "true hoặc false")
    return v


def _int(v: Any) -> int:
    # bool is an int in Python but never in a config: `days = true` is a mistake.
    _expect(v, isinstance(v, int) and not isinstance(v, bool), "số nguyên")
    return v


def _exact(v: Any) -> Fraction:
    """A number read exactly: 0.7 becomes 7/10; "2/3" is allowed as a string."""
    if isinstance(v, float):
        if not math.isfinite(v):
            raise Problem(f"giá trị {v} phải là một số hữu hạn")
        return Fraction(repr(v))  # repr is the shortest decimal that reads back as v
    if isinstance(v, int) and not isinstance(v, bool):
        return Fraction(v)
    if isinstance(v, str):
        try:
            return Fraction(v.strip())
        except (ValueError, ZeroDivisionError):
            raise Problem(f'chuỗi {show(v)} không phải là số hay phân số như "2/3"') from None
    _expect(v, False, 'số (như 0.7) hoặc phân số trong ngoặc kép (như "2/3")')
    raise AssertionError  # unreachable


def _date(v: Any) -> _dt.date:
    if isinstance(v, _dt.datetime):
        raise Problem(f"chỉ ghi ngày, không ghi giờ: {show(v)}")
    hint = ""
    if isinstance(v, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", v.strip()):
        hint = f" (viết không có ngoặc kép: {v.strip()})"
    _expect(v, isinstance(v, _dt.date), "ngày dạng 2024-07-01", hint)
    return v


_DAY_MONTH = re.compile(r"(\d{1,2})/(\d{1,2})")


def _day_month(v: Any) -> tuple[int, int]:
    _expect(v, isinstance(v, str), 'ngày trong năm dạng "dd/mm"')
    m = _DAY_MONTH.fullmatch(v.strip())
    if not m:
        raise Problem(f'giá trị {show(v)} không phải ngày dạng "dd/mm" (ví dụ "31/03")')
    day, month = int(m[1]), int(m[2])
    if (day, month) == (29, 2):
        # A yearly deadline must exist every year.
        raise Problem('ngày 29/02 không có trong mọi năm, hãy chọn ngày khác')
    try:
        _dt.date(2001, month, day)
    except ValueError:
        raise Problem(f"ngày {show(v)} không có thật") from None
    return (day, month)


STR = Kind("chuỗi", _str)
BOOL = Kind("true hoặc false", _bool)
INT = Kind("số nguyên", _int)
EXACT = Kind("số", _exact)
DATE = Kind("ngày", _date)
DAY_MONTH = Kind('ngày dạng "dd/mm"', _day_month)


def list_of(kind: Kind) -> Kind:
    def convert(v: Any) -> tuple:
        _expect(v, isinstance(v, list), f"mảng các {kind.describe}")
        out = []
        for i, item in enumerate(v, 1):
            try:
                out.append(kind.convert(item))
            except Problem as e:
                raise Problem(f"phần tử thứ {i}: {e}") from None
        return tuple(out)
    return Kind(f"mảng các {kind.describe}", convert)


# --- checks: a value of the right type that is still impossible ------------
# Each returns None when fine, else the problem in Vietnamese.

Check = Callable[[Any], "str | None"]


def _num(x: Any) -> str:
    return show(Fraction(x)) if isinstance(x, (int, Fraction)) else str(x)


def nonempty(v: str) -> str | None:
    return None if v.strip() else "không được để trống"


def one_of(*choices: str) -> Check:
    allowed = ", ".join(f'"{c}"' for c in choices)

    def check(v: str) -> str | None:
        return None if v in choices else f"giá trị {show(v)} không hợp lệ; chỉ được là: {allowed}"
    return check


def between(lo: Any, hi: Any) -> Check:
    def check(v: Any) -> str | None:
        if lo <= v <= hi:
            return None
        return f"giá trị {show(v)} phải nằm trong khoảng {_num(lo)} đến {_num(hi)}"
    return check


def above(lo: Any) -> Check:
    def check(v: Any) -> str | None:
        return None if v > lo else f"giá trị {show(v)} phải lớn hơn {_num(lo)}"
    return check


def not_negative(v: Any) -> str | None:
    return None if v >= 0 else f"giá trị {show(v)} không được là số âm"


def matches(pattern: str, describe: str) -> Check:
    rx = re.compile(pattern)

    def check(v: str) -> str | None:
        return None if rx.fullmatch(v) else f"giá trị {show(v)} không hợp lệ: {describe}"
    return check


def each(inner: Check) -> Check:
    """Apply a check to every element of an array."""
    def check(items: tuple) -> str | None:
        for i, item in enumerate(items, 1):
            problem = inner(item)
            if problem:
                return f"phần tử thứ {i}: {problem}"
        return None
    return check


def distinct(items: tuple) -> str | None:
    seen = set()
    for item in items:
        if item in seen:
            return f"phần tử {show(item)} bị lặp lại"
        seen.add(item)
    return None


def nonempty_list(items: tuple) -> str | None:
    return None if items else "mảng không được để trống"


# --- nodes: the shape of the document ---------------------------------------

REQUIRED: Any = object()  # marker: the key must be present after merging


def _at(path: KeyPath, name: str | int) -> KeyPath:
    return (*path, name)


@dataclass(frozen=True)
class Field:
    """A leaf key.  ``default`` is a raw TOML value (converted like a real one);
    ``None`` as default means "absent" and stays None."""

    kind: Kind
    checks: tuple[Check, ...] = ()
    default: Any = REQUIRED

    def convert(self, raw: Any, path: KeyPath) -> Any:
        try:
            value = self.kind.convert(raw)
        except Problem as e:
            raise Invalid(path, str(e)) from None
        for check in self.checks:
            problem = check(value)
            if problem:
                raise Invalid(path, problem)
        return value


@dataclass(frozen=True)
class Table:
    """A TOML table with fixed keys, built into ``cls`` (a dict when None)."""

    fields: Mapping[str, Any]  # name -> Field | Table | MapOf | ArrayOf
    cls: type | None = None
    default: Any = REQUIRED
    validators: tuple[Callable[[Any, KeyPath], None], ...] = ()  # may raise Invalid

    def convert(self, raw: Any, path: KeyPath, extra: Mapping[str, Any] = {}) -> Any:
        if not isinstance(raw, dict):
            raise Invalid(path, f"phải là một bảng, không phải {type_name(raw)} {show(raw)}")
        for key in raw:
            if key not in self.fields:
                raise Invalid(_at(path, key), _unknown_key(key, self.fields))
        out: dict[str, Any] = dict(extra)
        for name, node in self.fields.items():
            out[name] = convert_child(node, raw, name, path)
        built = self.cls(**out) if self.cls else out
        for validate in self.validators:
            validate(built, path)
        return built


@dataclass(frozen=True)
class MapOf:
    """A table whose keys the user chooses (title codes, key bindings); values
    all follow ``value``.  With ``key_field`` the key is passed to the value's
    dataclass under that name.  The result is a read-only mapping in file order."""

    value: Any
    key_checks: tuple[Check, ...] = ()
    key_field: str | None = None
    default: Any = REQUIRED

    def convert(self, raw: Any, path: KeyPath) -> Mapping[str, Any]:
        if not isinstance(raw, dict):
            raise Invalid(path, f"phải là một bảng, không phải {type_name(raw)} {show(raw)}")
        out = {}
        for key, item in raw.items():
            for check in self.key_checks:
                problem = check(key)
                if problem:
                    raise Invalid(_at(path, key), "tên" + problem.removeprefix("giá trị"))
            if self.key_field:
                out[key] = self.value.convert(item, _at(path, key), {self.key_field: key})
            else:
                out[key] = self.value.convert(item, _at(path, key))
        return freeze(out)


@dataclass(frozen=True)
class ArrayOf:
    """An array of tables ([[name]] in TOML), converted to a tuple."""

    item: Table
    validators: tuple[Callable[[tuple, KeyPath], None], ...] = ()  # may raise Invalid
    default: Any = REQUIRED

    def convert(self, raw: Any, path: KeyPath) -> tuple:
        if not isinstance(raw, list):
            raise Invalid(path, f"phải là mảng các bảng [[...]], không phải {type_name(raw)} {show(raw)}")
        items = tuple(self.item.convert(entry, _at(path, i)) for i, entry in enumerate(raw))
        for validate in self.validators:
            validate(items, path)
        return items


def convert_child(node: Any, table: dict, name: str, path: KeyPath) -> Any:
    """Convert ``table[name]``, or fall back to the node's default."""
    if name in table:
        return node.convert(table[name], _at(path, name))
    if node.default is REQUIRED:
        raise Invalid(_at(path, name), "thiếu khóa bắt buộc")
    if node.default is None:
        return None
    return node.convert(node.default, _at(path, name))


def _unknown_key(key: str, known: Mapping[str, Any]) -> str:
    problem = "khóa không được hỗ trợ"
    close = difflib.get_close_matches(key, list(known), n=1)
    if close:
        problem += f' (có phải "{close[0]}"?)'
    return problem
