"""Turning what a person typed into stored values, with Vietnamese messages.

Forms, imports and the command line all go through these, so a value is
checked the same way wherever it comes from.
"""
from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from models import text
from models.errors import RuleError


def name(value: str, label: str, *, max_len: int = 200) -> str:
    return text.clean_text(value, label, required=True, max_len=max_len)


def optional_text(value: str | None, label: str, *, max_len: int = 300,
                  multiline: bool = False) -> str:
    return text.clean_text(value or "", label, max_len=max_len, multiline=multiline)


def optional_date(value, label: str) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    if not str(value).strip():
        return None
    return text.parse_date(str(value), label)


def required_date(value, label: str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    return text.parse_date(str(value or ""), label)


def choice(value: str, allowed: dict[str, str], label: str) -> str:
    if value in allowed:
        return value
    names = ", ".join(f"{k} ({v})" if k else v for k, v in allowed.items())
    raise RuleError(f"{label} “{text.visible(str(value))}” không hợp lệ; chọn một trong: {names}.")


def code_or_name(value, allowed: dict[str, str], label: str,
                 aliases: dict[str, str] | None = None) -> str:
    """The code of `allowed` that `value` names: the code itself, or its Vietnamese name
    (or one of `aliases`, name -> code) typed in any case with accents optional, as
    officers write them in spreadsheets and on the command line."""
    raw = str(value or "").strip()
    if raw in allowed:
        return raw
    folded = text.fold(raw)
    names = {text.fold(code): code for code in allowed}
    names.update({text.fold(name): code for code, name in allowed.items()})
    names.update({text.fold(name): code for name, code in (aliases or {}).items()})
    if folded and folded in names:
        return names[folded]
    listed = "; ".join(allowed.values())
    raise RuleError(f"{label} “{text.visible(raw)}” không hợp lệ; chọn một trong: {listed}.")


CITIZEN_ID = re.compile(r"[0-9]{9}|[0-9]{12}")  # not \d: it matches "１２３" too


def citizen_id(value: str | None) -> str | None:
    value = (value or "").strip()
    if not value:
        return None
    if not CITIZEN_ID.fullmatch(value):
        raise RuleError("Số định danh (CCCD/CMND) phải gồm 12 (hoặc 9) chữ số.")
    return value


def points(value, label: str) -> Decimal:
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        raise RuleError(f"{label} phải là một số, ví dụ 10 hoặc 2,5.") from None
    if not number.is_finite() or number <= 0 or number > 10000:
        raise RuleError(f"{label} phải lớn hơn 0 và không quá 10.000.")
    return number.quantize(Decimal("0.01"))


def year(value, label: str = "Năm") -> int:
    try:
        number = int(str(value).strip())
    except ValueError:
        raise RuleError(f"{label} phải là số năm, ví dụ 2026.") from None
    if not 1945 <= number <= 2100:
        raise RuleError(f"{label} phải trong khoảng 1945 đến 2100.")
    return number
