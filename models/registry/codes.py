"""Short codes of units and households ("DV001", "HO00001") for the rows entered
without one: every unit and household has a code to be found by in a spreadsheet."""
from __future__ import annotations

from models import fields, text
from models.errors import RuleError
from models.registry.tables import Household, Unit

PREFIXES = {Unit: ("DV", 3), Household: ("HO", 5)}


def made_for(model, row_id: int) -> str:
    """The code a row of `model` (Unit or Household) gets from its id, skipping any
    an officer already gave to another row (the row's own code is its to keep)."""
    prefix, width = PREFIXES[model]
    code, n = f"{prefix}{row_id:0{width}d}", 1
    while model.select().where((model.code == code) & (model.id != row_id)).exists():
        code, n = f"{prefix}{row_id:0{width}d}-{n}", n + 1
    return code


def next_for(model) -> str:
    """The code for a row about to be written (in the writing transaction)."""
    last = model.select(model.id).order_by(model.id.desc()).scalar() or 0
    return made_for(model, last + 1)


def fill_missing(model) -> None:
    """Codes for every row of `model` written without one (a bulk load, an upgrade)."""
    for (row_id,) in model.select(model.id).where(model.code.is_null()).tuples():
        model.update(code=made_for(model, row_id)).where(model.id == row_id).execute()


MAX_LEN = 20
LABELS = {Unit: "Mã đơn vị", Household: "Mã hộ"}


def typed(model, value: str | None) -> str:
    """A code as an officer typed it: trimmed, at most 20 characters, one word (it is
    written in spreadsheets and on the command line); "" when left blank."""
    label = LABELS[model]
    code = fields.optional_text(value, label, max_len=MAX_LEN)
    if any(ch.isspace() for ch in code):
        raise RuleError(f"{label} không được có dấu cách (ví dụ: {PREFIXES[model][0]}001).")
    return code


def _holder(row) -> str:
    return f"đơn vị “{row.name}”" if isinstance(row, Unit) else f"hộ “{row.head_name}”"


def given_or_made(model, value: str | None, row_id: int | None = None) -> str:
    """The code to store (in the writing transaction): the one typed, when no other row
    has it, else one made from the row's id (the next id for a new row)."""
    code = typed(model, value)
    if not code:
        return next_for(model) if row_id is None else made_for(model, row_id)
    other = model.get_or_none((model.code == code) & (model.id != (row_id or 0)))
    if other is not None:
        raise RuleError(f"{LABELS[model]} {text.visible(code)} đã dùng cho "
                        f"{text.visible(_holder(other))}; chọn mã khác.")
    return code
