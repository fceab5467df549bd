"""Importing and exporting initiatives and applied research: a row is one initiative,
its authors in one cell ("Name (CCCD or birth date); Name ..."), each found as a
person is. A row is the initiative of that title (accent-blind; the decision number
tells apart two of one title): a file imported again updates instead of adding twice.
"""
from __future__ import annotations

import datetime as dt

from models import text
from models.awards import initiatives
from models.awards.tables import INITIATIVE_KINDS, Initiative, InitiativeAuthor
from models.io import subjects
from models.io.plan import Column, RowPlan, cell_date, cell_str, each_row, first_seen
from models.io.reader import Table
from models.io.writer import Sheet

COLUMNS = [
    Column("title", "Tên sáng kiến", ("tên sáng kiến, đề tài", "tên đề tài", "sáng kiến"), True,
           width=40),
    Column("kind", "Loại", ("loại sáng kiến",), hint="Sáng kiến (mặc định) hoặc Đề tài "
           "nghiên cứu", width=14),
    Column("authors", "Tác giả", ("các tác giả", "đồng tác giả"), True,
           hint="một hay nhiều người, cách nhau bằng “;”, mỗi người “Họ tên (số CCCD hoặc "
                "ngày sinh)”", width=40),
    Column("recognised_by", "Cơ quan công nhận", ("nơi công nhận",), width=24),
    Column("decision_ref", "Số quyết định", ("số quyết định công nhận",), width=16),
    Column("recognised_on", "Ngày công nhận", ("ngày quyết định",), hint="dd/mm/yyyy",
           type="date", width=12),
    Column("scope", "Phạm vi ảnh hưởng", ("phạm vi",), width=20),
]
EXAMPLE = {"title": "Số hóa hồ sơ một cửa", "kind": INITIATIVE_KINDS["initiative"],
           "authors": "Nguyễn Văn An (054080001234); Trần Thị Bình (12/03/1985)",
           "recognised_by": "Hội đồng sáng kiến xã", "decision_ref": "45/QĐ-UBND",
           "recognised_on": dt.date(2025, 10, 20), "scope": "Cấp xã"}
COMPARED = ("title", "kind", "recognised_by", "decision_ref", "recognised_on", "scope")


def _authors_of() -> dict[int, list[int]]:
    found: dict[int, list[int]] = {}
    for initiative_id, person_id in (InitiativeAuthor.select(InitiativeAuthor.initiative,
                                                             InitiativeAuthor.person)
                                     .order_by(InitiativeAuthor.id).tuples()):
        found.setdefault(initiative_id, []).append(person_id)
    return found


def _match(stored: list[Initiative], decision_ref: str) -> Initiative | None:
    if len(stored) > 1:
        stored = [i for i in stored if i.decision_ref == decision_ref]
    return stored[0] if len(stored) == 1 else None


def plan_rows(table: Table, columns: dict[str, int], cfg) -> list[RowPlan]:
    finder, seen, authors_of = subjects.Finder(), {}, _authors_of()
    by_title: dict[str, list[Initiative]] = {}
    for row in Initiative.select():
        by_title.setdefault(text.fold(row.title), []).append(row)
    out = []
    for p, cell in each_row(table, columns, "title"):
        title = cell_str(cell("title"))
        authors = p.check(finder.authors, cell_str(cell("authors")))
        p.values = {"title": title,
                    "kind": p.check(initiatives.kind_code, cell_str(cell("kind")) or "initiative"),
                    "author_ids": [a.id for a in authors or ()],
                    "recognised_by": cell_str(cell("recognised_by")),
                    "decision_ref": cell_str(cell("decision_ref")),
                    "recognised_on": p.check(cell_date, cell("recognised_on"), "Ngày công nhận"),
                    "scope": cell_str(cell("scope"))}
        if title:
            first_seen(seen, (text.fold(title), p.values["decision_ref"]), p,
                       "cùng tên sáng kiến, cùng số quyết định")
            found = _match(by_title.get(text.fold(title), []), p.values["decision_ref"])
            if found is not None:
                p.match(found, COMPARED, authors_of.get(found.id, []) == p.values["author_ids"])
        out.append(p)
    return out


def write_row(actor, cfg, row: RowPlan):
    if row.action == "update":
        version = initiatives.get(row.target_id).version
        return initiatives.update(actor, row.target_id, version, **row.values)
    return initiatives.create(actor, **row.values)


def sheet() -> Sheet:
    cells, authors_of = subjects.Cells(), _authors_of()
    rows = [{**{k: getattr(i, k) for k in COMPARED}, "kind": INITIATIVE_KINDS[i.kind],
             "authors": "; ".join(cells.author(a) for a in authors_of.get(i.id, []))}
            for i in Initiative.select().order_by(Initiative.recognised_on.desc(nulls="LAST"),
                                                  Initiative.id)]
    return Sheet.of("Sáng kiến, đề tài", COLUMNS, rows)
