"""Importing and exporting discipline, investigations, inspections and complaints: a row
names a person or a unit, the kind, the form of a discipline, from and to dates, the
paper and a note. A row is the subject's record of that kind from that day: a file
imported again updates the record (its end date, form, paper) instead of adding it twice.
"""
from __future__ import annotations

import datetime as dt

from models.awards import discipline
from models.awards.tables import DISCIPLINE_FORMS, PersonFlag
from models.io import subjects
from models.io.plan import Column, RowPlan, cell_date, cell_str, each_row, first_seen
from models.io.reader import Table
from models.io.writer import Sheet

KINDS = ("person", "unit")
COLUMNS = [
    *subjects.columns(*KINDS),
    Column("kind", "Loại", ("loại vụ việc",), True,
           hint="Kỷ luật, Điều tra, Thanh tra hoặc Khiếu nại, tố cáo", width=18),
    Column("form", "Hình thức", ("hình thức kỷ luật",),
           hint="với kỷ luật: " + ", ".join(DISCIPLINE_FORMS.values()), width=16),
    Column("starts_on", "Từ ngày", ("ngày bắt đầu",), True, hint="dd/mm/yyyy", type="date",
           width=12),
    Column("ends_on", "Đến ngày", ("ngày kết thúc", "ngày giải quyết xong"),
           hint="để trống khi chưa kết thúc", type="date", width=12),
    Column("document", "Văn bản", ("số văn bản", "quyết định"), width=24),
    Column("note", "Ghi chú", width=30),
]
EXAMPLE = {"full_name": "Nguyễn Văn An", "birth_date": dt.date(1980, 2, 1),
           "citizen_id": "054080001234", "kind": discipline.KIND_NAMES["discipline"],
           "form": DISCIPLINE_FORMS["reprimand"], "starts_on": dt.date(2025, 3, 1),
           "ends_on": dt.date(2026, 3, 1), "document": "12/QĐ-UBND", "note": ""}
COMPARED = ("form", "ends_on", "document", "note")


def plan_rows(table: Table, columns: dict[str, int], cfg) -> list[RowPlan]:
    finder, seen = subjects.Finder(), {}
    stored = {(*subjects.subject_of(f), f.kind, f.starts_on): f for f in PersonFlag.select()}
    out = []
    for p, cell in each_row(table, columns, "full_name"):
        subject = finder.row_subject(p, cell, KINDS)
        kind = p.check(discipline.kind_code, cell_str(cell("kind")))
        form = p.check(discipline.form_code, cell_str(cell("form")))
        starts = p.check(cell_date, cell("starts_on"), "Từ ngày")
        if not cell_str(cell("starts_on")):
            p.errors.append("thiếu ngày bắt đầu (Từ ngày)")
        p.values = {"subject": subject, "kind": kind, "form": form, "starts_on": starts,
                    "ends_on": p.check(cell_date, cell("ends_on"), "Đến ngày"),
                    "document": cell_str(cell("document")), "note": cell_str(cell("note"))}
        if subject is not None and kind is not None and starts is not None:
            key = (subject.kind, subject.id, kind, starts)
            first_seen(seen, key, p, "cùng đối tượng, cùng loại, cùng ngày bắt đầu")
            if key in stored:
                p.match(stored[key], COMPARED)
        out.append(p)
    return out


def write_row(actor, cfg, row: RowPlan):
    values, subject = subjects.split(row)
    if row.action == "update":
        version = discipline.get(row.target_id).version
        return discipline.update(actor, row.target_id, version, **values)
    return discipline.record(actor, **values, **subject)


def sheet() -> Sheet:
    cells = subjects.Cells()
    rows = [{**cells.of(person_id=f.person_id, unit_id=f.unit_id),
             "kind": discipline.KIND_NAMES[f.kind], "form": DISCIPLINE_FORMS.get(f.form, ""),
             "starts_on": f.starts_on, "ends_on": f.ends_on, "document": f.document,
             "note": f.note}
            for f in PersonFlag.select().order_by(PersonFlag.starts_on.desc(), PersonFlag.id)]
    return Sheet.of("Kỷ luật, khiếu nại", COLUMNS, rows)
