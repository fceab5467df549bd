"""Writing one exported sheet to .xlsx: Vietnamese headers, dates as dates, money and
numbers as numbers, text always as text, and the file replaced only when complete.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from models import text
from models.errors import StoreError

_ILLEGAL = re.compile(r"[\000-\010\013\014\016-\037]")
DATE_FORMAT = "DD/MM/YYYY"
MONEY_FORMAT = "#,##0"


@dataclass(frozen=True)
class Sheet:
    title: str
    headers: list[tuple[str, str, int]]   # (header, type: text|date|number|money, width)
    rows: list[list]

    @classmethod
    def of(cls, title: str, columns, rows: list[dict]) -> "Sheet":
        """A sheet with an import kind's columns (models/io/plan.Column), each row a dict
        by column name: what is exported so imports back."""
        return cls(title, [(c.header, c.type, c.width) for c in columns],
                   [[row.get(c.name) for c in columns] for row in rows])


def write_xlsx(path: Path, sheet: Sheet) -> Path:
    """One sheet, Vietnamese headers, dates as dates, money and numbers as numbers.
    Text is always text: "=..." from a user never becomes a formula."""
    import openpyxl
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = openpyxl.Workbook(write_only=True)
    ws = book.create_sheet(sheet.title[:31])
    for i, (_, _, width) in enumerate(sheet.headers, 1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"
    bold = Font(bold=True)
    heading = []
    for header, _, _ in sheet.headers:
        cell = WriteOnlyCell(ws, value=header)
        cell.font = bold
        heading.append(cell)
    ws.append(heading)
    kinds = [kind for _, kind, _ in sheet.headers]
    for values in sheet.rows:
        out = []
        for value, kind in zip(values, kinds):
            if value is None or value == "":
                out.append(None)
                continue
            if kind == "text":
                cell = WriteOnlyCell(ws, value=_ILLEGAL.sub(
                    lambda m: text.visible(m.group()), str(value)))
                cell.data_type = "s"
            elif kind == "date":
                cell = WriteOnlyCell(ws, value=value)
                cell.number_format = DATE_FORMAT
            elif kind == "money":
                cell = WriteOnlyCell(ws, value=int(value))
                cell.number_format = MONEY_FORMAT
            else:
                number = float(value) if isinstance(value, Decimal) else value
                cell = WriteOnlyCell(ws, value=number)
            out.append(cell)
        ws.append(out)
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    try:
        book.save(str(tmp))
        tmp.replace(path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise StoreError(f"Không ghi được {path}: {exc.strerror or exc}.") from None
    return path
