"""Importing and exporting yearly ratings (xếp loại): a row names a person, or a collective
by its unit, a year and a rating (its name, short name, abbreviation or code). A row is
the subject's rating of that year: a file imported again changes only what changed.
"""
from __future__ import annotations

import datetime as dt

from models import fields
from models.awards import ratings
from models.awards.tables import RATINGS, MemberRating, UnitRating
from models.io import subjects
from models.io.plan import Column, RowPlan, cell_text, each_row, first_seen
from models.io.reader import Table
from models.io.writer import Sheet
from models.registry.tables import Person, Unit

KINDS = ("person", "unit")
COLUMNS = [
    *subjects.columns(*KINDS),
    Column("year", "Năm", required=True, hint="ví dụ 2025", type="number", width=6),
    Column("rating", "Xếp loại", ("xếp loại chất lượng", "kết quả xếp loại"), True,
           hint="Hoàn thành xuất sắc nhiệm vụ, Hoàn thành tốt nhiệm vụ, Hoàn thành nhiệm "
                "vụ hoặc Không hoàn thành nhiệm vụ (hay viết tắt HTXSNV, HTTNV...)", width=30),
]
EXAMPLE = {"full_name": "Nguyễn Văn An", "birth_date": dt.date(1980, 2, 1),
           "citizen_id": "054080001234", "year": 2025, "rating": RATINGS["good"]}


def _stored() -> dict[tuple, str]:
    found = {("person", r.person_id, r.year): r.rating for r in
             MemberRating.select(MemberRating.person, MemberRating.year, MemberRating.rating)}
    found.update({("unit", r.unit_id, r.year): r.rating for r in
                  UnitRating.select(UnitRating.unit, UnitRating.year, UnitRating.rating)})
    return found


def plan_rows(table: Table, columns: dict[str, int], cfg) -> list[RowPlan]:
    finder, stored, seen = subjects.Finder(), _stored(), {}
    out = []
    for p, cell in each_row(table, columns, "full_name"):
        subject = finder.row_subject(p, cell, KINDS)
        year = p.check(fields.year, cell_text(cell("year")))
        rating = p.check(ratings.rating_code, cell_text(cell("rating")))
        if subject is not None and year is not None:
            key = (subject.kind, subject.id, year)
            first_seen(seen, key, p, "cùng người hoặc đơn vị, cùng năm")
            if key in stored:
                p.action = "same" if stored[key] == rating else "update"
        p.values = {"subject": subject, "year": year, "rating": rating}
        out.append(p)
    return out


def write_row(actor, cfg, row: RowPlan):
    v = row.values
    put = ratings.set_person_rating if v["subject"].kind == "person" else ratings.set_unit_rating
    return put(actor, v["subject"].id, v["year"], v["rating"])


def sheet() -> Sheet:
    cells = subjects.Cells()
    rows = [{**cells.of(person_id=r.person_id), "year": r.year, "rating": RATINGS[r.rating]}
            for r in MemberRating.select(MemberRating, Person).join(Person)
            .order_by(MemberRating.year.desc(), Person.sort_key, Person.id)]
    rows += [{**cells.of(unit_id=r.unit_id), "year": r.year, "rating": RATINGS[r.rating]}
             for r in UnitRating.select(UnitRating, Unit).join(Unit)
             .order_by(UnitRating.year.desc(), Unit.search_key, Unit.id)]
    return Sheet.of("Xếp loại", COLUMNS, rows)
