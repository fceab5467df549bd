"""What every import kind shares: finding the columns by their Vietnamese headers
(with or without accents), reading a cell as text, a date or a citizen ID, and the
plan an import shows before it writes, with each row's action and errors.

The kinds that write one row at a time through the operations of models/ (ratings,
initiatives, discipline, past awards, nominations) are rehearsed: every row is
written in a transaction that is then rolled back, so the preview refuses a row
with the very message the operation would give, and nothing stays written.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Callable, Iterator

from models import fields, text
from models.errors import RuleError, ThiduaError
from models.io.reader import Table
from models.store.tables import database

MAX_ERRORS_SHOWN = 200


@dataclass(frozen=True)
class Column:
    name: str
    header: str                       # what export writes
    aliases: tuple[str, ...] = ()     # other headers accepted on import
    required: bool = False
    hint: str = ""                    # what to write, for `thidua import KIND --help`
    type: str = "text"                # as the writer writes it: text, date or number
    width: int = 16


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


def cell_str(value) -> str:
    """A cell as text to compare with what is stored (NFC, trimmed); the operation the
    row is written through checks it further."""
    return text.nfc(cell_text(value)).strip()


def cell_date(value, label: str) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return fields.optional_date(cell_text(value), label)


def cell_citizen_id(value) -> str | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        # Excel turned the number into a number and dropped its leading zero.
        digits = str(int(value))
        if len(digits) in (8, 11):
            digits = "0" + digits
        return fields.citizen_id(digits)
    return fields.citizen_id(cell_text(value))


def first_seen(seen: dict, key, p: "RowPlan", what: str) -> None:
    """Refuse a row repeating an earlier row's `key`, saying what the two share."""
    if key in seen:
        p.errors.append(f"trùng với dòng {seen[key]} ({what})")
    seen.setdefault(key, p.row_no)


ACTIONS = {"insert": "Thêm", "update": "Cập nhật", "same": "Không đổi", "error": "Lỗi"}


@dataclass
class RowPlan:
    row_no: int
    label: str
    action: str = "insert"          # a key of ACTIONS
    target_id: int | None = None
    values: dict = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    verdict: str = ""               # a nomination's eligibility, in words

    def match(self, found, compared: tuple[str, ...], same: bool = True) -> None:
        """The row is the stored record `found`: unchanged when its `compared` fields
        (and `same`, whatever else the kind compares) agree with the row's values."""
        self.target_id = found.id
        agree = same and all(getattr(found, k) == self.values[k] for k in compared)
        self.action = "same" if agree else "update"

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
    cfg: object = None

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

    def verdict_lines(self) -> list[str]:
        return [f"Dòng {r.row_no}: {r.label}: {r.verdict}" for r in self.rows if r.verdict]


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


class _RolledBack(Exception):
    """Raised to leave a rehearsal: everything it wrote is undone."""


def write_rows(actor, plan: ImportPlan, write_row, *, keep_going: bool = False
               ) -> dict[int, object]:
    """Each row to insert or update through `write_row(actor, cfg, row)`, in the caller's
    transaction, each in a savepoint of its own; returns what each wrote, by row number.
    A refusal names its row, or with `keep_going` is noted on the row instead."""
    written = {}
    for row in plan.rows:
        if row.action not in ("insert", "update"):
            continue
        try:
            with database.atomic():
                written[row.row_no] = write_row(actor, plan.cfg, row)
        except ThiduaError as exc:
            if not keep_going:
                raise type(exc)(f"Chưa ghi gì: dòng {row.row_no}: {exc}") from None
            row.errors.append(str(exc))
            row.action = "error"
    return written


def rehearse(actor, plan: ImportPlan, write_row, review=None) -> None:
    """Write every row as the import would, note each refusal on its row, let `review`
    read the result (`review(plan, written)`), then undo it all."""
    try:
        with database.atomic():
            written = write_rows(actor, plan, write_row, keep_going=True)
            if review is not None:
                review(plan, written)
            raise _RolledBack
    except _RolledBack:
        pass
