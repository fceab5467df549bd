"""What every import kind shares: finding the columns by their Vietnamese headers
(with or without accents), reading a cell as text or a date, and the plan an
import shows before it writes, with each row's action and errors.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Callable, Iterator

from models import fields, text
from models.errors import RuleError, ThiduaError
from models.io.reader import Table

MAX_ERRORS_SHOWN = 200


@dataclass(frozen=True)
class Column:
    name: str
    header: str                       # what export writes
    aliases: tuple[str, ...] = ()     # other headers accepted on import
    required: bool = False


def _header_key(value) -> str:
    return " ".join(text.fold(str(value or "")).replace("*", " ").replace(":", " ").split())


def map_columns(spec: list[Column], headers: list[str]) -> tuple[dict[str, int], list[str]]:
    """Field -> column index, and the headers nothing uses; missing or doubled
    columns are refused with the headers the file should have."""
    by_key = {}
    for col in spec:
        for alias in (col.header, *col.aliases):
            by_key.setdefault(_header_key(alias), col.name)
    found: dict[str, int] = {}
    ignored = []
    for index, header in enumerate(headers):
        key = _header_key(header)
        name = by_key.get(key)
        if name is None:
            if key:
                ignored.append(text.visible(str(header)))
            continue
        if name in found:
            raise RuleError(f"Cột “{text.visible(str(header))}” lặp lại (cột {index + 1}).")
        found[name] = index
    missing = [c.header for c in spec if c.required and c.name not in found]
    if missing:
        expected = ", ".join(c.header + ("*" if c.required else "") for c in spec)
        raise RuleError(f"Thiếu cột: {', '.join(missing)}. Dòng tiêu đề cần có các cột: "
                        f"{expected} (* là bắt buộc).")
    return found, ignored


def cell_text(value) -> str:
    """A cell as the text the user sees in Excel."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dt.datetime, dt.date)):
        return text.format_date(value)
    return str(value)


def cell_date(value, label: str) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return fields.optional_date(cell_text(value), label)


ACTIONS = {"insert": "Thêm", "update": "Cập nhật", "same": "Không đổi", "error": "Lỗi"}


@dataclass
class RowPlan:
    row_no: int
    label: str
    action: str = "insert"          # a key of ACTIONS
    target_id: int | None = None
    values: dict = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    def check(self, parse, *args, **options):
        """`parse(*args, **options)`, or None with its refusal noted as this row's error."""
        try:
            return parse(*args, **options)
        except (ThiduaError, ValueError) as exc:
            self.errors.append(str(exc))
            return None


@dataclass
class ImportPlan:
    kind: str
    file_name: str
    table: Table
    columns: dict[str, int]
    ignored: list[str]
    rows: list[RowPlan]

    @property
    def errors(self) -> list[tuple[int, str]]:
        return [(r.row_no, e) for r in self.rows for e in r.errors]

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows if r.action == action)

    def summary(self) -> str:
        parts = [f"{len(self.rows)} dòng", f"thêm {self.count('insert')}",
                 f"cập nhật {self.count('update')}", f"không đổi {self.count('same')}"]
        bad = len(self.errors)
        parts.append(f"{bad} lỗi" if bad else "không có lỗi")
        if self.table.encoding:
            parts.append(f"bảng mã {self.table.encoding}")
        return ", ".join(parts)

    def error_lines(self, limit: int = MAX_ERRORS_SHOWN) -> list[str]:
        lines = [f"Dòng {n}: {e}" for n, e in self.errors[:limit]]
        if len(self.errors) > limit:
            lines.append(f"... và {len(self.errors) - limit} lỗi khác.")
        return lines


def each_row(table: Table, columns: dict[str, int],
             label: str) -> Iterator[tuple[RowPlan, Callable[[str], object]]]:
    """Each row's plan, labelled with its `label` cell, and a reader of the row's cells
    by field name (None for a column the file lacks)."""
    for row_no, row in table.rows:
        def cell(name: str, row=row):
            index = columns.get(name)
            if index is None or index >= len(row):
                return None
            return row[index]
        yield RowPlan(row_no, text.visible(cell_text(cell(label)))), cell
