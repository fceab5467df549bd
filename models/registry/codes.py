"""Short codes of units and households ("DV001", "HO00001") for the rows entered
without one: every unit and household has a code to be found by in a spreadsheet."""
from __future__ import annotations

from models.registry.tables import Household, Unit

PREFIXES = {Unit: ("DV", 3), Household: ("HO", 5)}


def made_for(model, row_id: int) -> str:
    """The code a row of `model` (Unit or Household) gets from its id, skipping any
    an officer already gave to another row."""
    prefix, width = PREFIXES[model]
    code, n = f"{prefix}{row_id:0{width}d}", 1
    while model.select().where(model.code == code).exists():
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
