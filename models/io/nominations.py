"""Importing a unit's nomination list (villages send theirs as Excel): a row names the
proposing unit, the person, household or unit nominated, the title, the year and the
achievements. Every row is made as a nomination made on screen is (nominations.create),
then sent to the Office, and checked with the same rules (eligibility.evaluate); the
preview says per row whether the standards are met, and which dossier papers are still
to come (a list sent in Excel carries none, so they do not fail a row).

A row is the subject's nomination for that title and year: imported again, a draft or
returned nomination takes the new achievements and is sent again; one further on is
left as it is.
"""
from __future__ import annotations

from models import fields, text
from models.awards import eligibility, nominations, past_awards
from models.awards.tables import Nomination
from models.errors import RuleError
from models.io import subjects
from models.io.plan import Column, ImportPlan, RowPlan, cell_str, cell_text, each_row, first_seen
from models.io.reader import Table

KINDS = ("person", "household", "unit")
COLUMNS = [
    Column("proposing_unit", "Đơn vị đề nghị", ("đơn vị gửi",),
           hint="mã hoặc tên; để trống: đơn vị của người, thôn của hộ", width=24),
    *subjects.columns(*KINDS),
    Column("title", "Danh hiệu", ("danh hiệu đề nghị", "hình thức khen thưởng"), True,
           hint="tên hoặc mã danh hiệu (LDTT, CSTDCS...)", width=26),
    Column("year", "Năm", required=True, hint="ví dụ 2025", type="number", width=6),
    Column("summary", "Thành tích", ("tóm tắt thành tích",), width=50),
]
EXAMPLE = {"proposing_unit": "Văn phòng", "full_name": "Nguyễn Văn An", "birth_date": None,
           "citizen_id": "054080001234", "title": "Lao động tiên tiến", "year": 2025,
           "summary": "Hoàn thành tốt nhiệm vụ được giao"}
SENT = "Nhập từ danh sách đề nghị của đơn vị"


def _title(cfg, value: str) -> tuple[str, str]:
    code, name = past_awards.title_of(cfg, value)
    if not code:
        names = ", ".join(t.name for t in cfg.titles.values())
        raise RuleError(f"không có danh hiệu “{text.visible(name)}”; chọn một trong: {names}")
    return code, name


def _stored() -> dict[tuple, Nomination]:
    return {(*subjects.subject_of(n), n.title_code, n.year): n for n in
            Nomination.select().where(Nomination.state != "withdrawn").order_by(Nomination.id)}


def _match(p: RowPlan, found: Nomination, unit: subjects.Subject | None) -> None:
    p.target_id = found.id
    if unit is not None and found.proposing_unit_id != unit.id:
        p.errors.append(f"đã có đề nghị số {found.id} do đơn vị khác gửi")
    elif found.summary == p.values["summary"]:
        p.action = "same"
    elif found.state in nominations.EDITABLE:
        p.action = "update"
    else:
        p.errors.append(f"đã có đề nghị số {found.id} đang “"
                        f"{nominations.state_name(found.state)}”: không sửa thành tích được")


def plan_rows(table: Table, columns: dict[str, int], cfg) -> list[RowPlan]:
    finder, stored, seen = subjects.Finder(), _stored(), {}
    out = []
    for p, cell in each_row(table, columns, "full_name"):
        subject = finder.row_subject(p, cell, KINDS)
        title = p.check(_title, cfg, cell_str(cell("title")))
        year = p.check(fields.year, cell_text(cell("year")))
        unit_cell = cell_str(cell("proposing_unit"))
        unit = p.check(finder.unit_named, unit_cell) if unit_cell else None
        if title is not None:
            p.label = f"{p.label} · {text.visible(title[1])}"
        p.values = {"subject": subject, "title_code": title and title[0], "year": year,
                    "summary": cell_str(cell("summary")),
                    "proposing_unit_id": unit and unit.id}
        if subject is not None and title is not None and year is not None:
            key = (subject.kind, subject.id, title[0], year)
            first_seen(seen, key, p, "cùng đối tượng, danh hiệu và năm")
            if key in stored:
                _match(p, stored[key], unit)
        out.append(p)
    return out


def write_row(actor, cfg, row: RowPlan) -> Nomination:
    v = row.values
    if row.action == "update":
        nom = nominations.get(row.target_id)
        nominations.update(actor, nom.id, nom.version, summary=v["summary"],
                           campaign_id=nom.campaign_id)
    else:
        subject = v["subject"]
        nom = nominations.create(
            actor, cfg, subject_id=subject.id, title_code=v["title_code"], year=v["year"],
            subject_kind=nominations.subject_kind_for(cfg, subject.kind, subject.id,
                                                      v["title_code"]),
            summary=v["summary"], proposing_unit_id=v["proposing_unit_id"])
    return nominations.submit(actor, nom.id, reason=SENT)


def verdict(cfg, nom: Nomination) -> str:
    """Whether the nomination meets the standards, each failed rule in words, then the
    dossier papers not yet received."""
    check = eligibility.evaluate(cfg, nom)
    failed = [r.explanation.rstrip(".") for r in check.failed if r.rule != "dossier"]
    words = "chưa đủ điều kiện: " + "; ".join(failed) if failed else "đủ điều kiện"
    missing = [item.label for item in nominations.dossier(nom.id) if not item.received]
    if missing:
        words += "; hồ sơ còn thiếu: " + ", ".join(missing)
    return text.visible(words)


def review(plan: ImportPlan, written: dict[int, Nomination]) -> None:
    """Each row's verdict, read with every row of the file made (an LĐTT row counts
    for the CSTĐCS row of the same person)."""
    for row in plan.rows:
        made = written.get(row.row_no)
        nom_id = made.id if made is not None else row.target_id
        if not row.errors and nom_id is not None:
            row.verdict = verdict(plan.cfg, nominations.get(nom_id))
