"""Importing past awards and exporting the award history: a row names a person, a
household or a unit, the title or form (a title of the configuration by name or code,
or any other form's name), the year, the decision's number and date and the level that
decided. A row is the subject's award of that title, year and decision number: a file
imported again updates its date and level instead of adding it twice. The history
thidua's own decisions wrote exports too, and imports back as unchanged.
"""
from __future__ import annotations

import datetime as dt

from models import fields, text
from models.awards import past_awards
from models.awards.tables import AWARD_LEVELS, TitleAward
from models.io import subjects
from models.io.plan import Column, RowPlan, cell_date, cell_str, cell_text, each_row, first_seen
from models.io.reader import Table
from models.io.writer import Sheet

KINDS = ("person", "household", "unit")
COLUMNS = [
    *subjects.columns(*KINDS),
    Column("title", "Danh hiệu, hình thức", ("danh hiệu / hình thức", "danh hiệu", "hình thức",
                                             "hình thức khen thưởng"), True,
           hint="tên hoặc mã danh hiệu (LDTT, CSTDCS...) hay tên hình thức khác", width=30),
    Column("year", "Năm", required=True, hint="ví dụ 2019", type="number", width=6),
    Column("decision_ref", "Số quyết định", width=16),
    Column("decided_on", "Ngày quyết định", hint="dd/mm/yyyy", type="date", width=12),
    Column("level", "Cấp quyết định", ("cấp khen", "cấp"),
           hint=", ".join(AWARD_LEVELS.values()) + " (mặc định: cấp xã)", width=14),
]
EXAMPLE = {"full_name": "Nguyễn Văn An", "birth_date": dt.date(1980, 2, 1),
           "citizen_id": "054080001234", "title": "Lao động tiên tiến", "year": 2019,
           "decision_ref": "98/QĐ-UBND", "decided_on": dt.date(2019, 12, 20),
           "level": AWARD_LEVELS["commune"]}


def _key(kind: str, row_id: int, code: str, name: str, year: int, ref: str) -> tuple:
    return kind, row_id, code, "" if code else text.fold(name), year, ref


def _stored() -> dict[tuple, TitleAward]:
    return {_key(*subjects.subject_of(a), a.title_code, a.title_name, a.year,
                 a.decision_ref): a for a in TitleAward.select()}


def plan_rows(table: Table, columns: dict[str, int], cfg) -> list[RowPlan]:
    finder, stored, seen = subjects.Finder(), _stored(), {}
    out = []
    for p, cell in each_row(table, columns, "full_name"):
        subject = finder.row_subject(p, cell, KINDS)
        title = p.check(past_awards.title_of, cfg, cell_str(cell("title")))
        p.values = {"subject": subject, "title": cell_str(cell("title")),
                    "year": p.check(fields.year, cell_text(cell("year"))),
                    "decision_ref": cell_str(cell("decision_ref")),
                    "decided_on": p.check(cell_date, cell("decided_on"), "Ngày quyết định"),
                    "level": p.check(past_awards.level_code, cell_str(cell("level")))}
        if title is not None:
            p.label = f"{p.label} · {text.visible(title[1])}"
        if subject is not None and title is not None and p.values["year"] is not None:
            key = _key(subject.kind, subject.id, *title, p.values["year"],
                       p.values["decision_ref"])
            first_seen(seen, key, p, "cùng đối tượng, danh hiệu, năm và số quyết định")
            if key in stored:
                p.match(stored[key], ("decided_on", "level"))
        out.append(p)
    return out


def write_row(actor, cfg, row: RowPlan):
    values, subject = subjects.split(row)
    if row.action == "update":
        award = past_awards.editable(actor, row.target_id)
        return past_awards.update(actor, cfg, award.id, award.version, **values)
    return past_awards.add(actor, cfg, **values, **subject)


def sheet(cfg) -> Sheet:
    cells = subjects.Cells()
    rows = [{**cells.of(a.person_id, a.household_id, a.unit_id),
             "title": cfg.titles[a.title_code].name if a.title_code in cfg.titles
             else a.title_name or a.title_code,
             "year": a.year, "decision_ref": a.decision_ref, "decided_on": a.decided_on,
             "level": AWARD_LEVELS.get(a.level, a.level)}
            for a in TitleAward.select().order_by(TitleAward.year.desc(), TitleAward.title_code,
                                                  TitleAward.id)]
    return Sheet.of("Khen thưởng", COLUMNS, rows)
