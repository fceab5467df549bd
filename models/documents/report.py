"""A unit's report (báo cáo sơ kết, tổng kết) to the commune: the unit at the top left,
its text under each content area of the campaign, its key figures in a table, signed by
the head of the unit."""
from __future__ import annotations

from pathlib import Path

from models import text
from models.cycle import campaigns, reports, scoring
from models.cycle.tables import REPORT_KINDS
from models.documents import builder
from models.errors import RuleError
from models.registry.tables import Person, Unit

KIND = "report"
NUMBER = "Số:       /BC"   # the unit's own register
FIGURE_COLUMNS = [("TT", 1.0, "center"), ("Chỉ số", 9.0, "left"), ("Giá trị", 3.0, "right"),
                  ("Đơn vị tính", 3.5, "left")]
NOT_WRITTEN = "(Đơn vị chưa báo cáo nội dung này.)"


def find(value: str, year: int) -> int:
    """The report numbered `value` (its number on the F5 screen); `year` unused."""
    if not (value or "").strip().isdigit():
        raise RuleError(f"Số báo cáo “{text.visible(value)}” phải là một số (xem màn hình F5).")
    return reports.get(int(value)).id


def build(cfg, report_id: int) -> builder.Document:
    r = reports.get(report_id)
    unit = Unit.get_by_id(r.unit_id)
    campaign = campaigns.get(r.campaign_id)
    head = Person.get_or_none(Person.id == unit.head_id) if unit.head_id else None
    doc = builder.Document(cfg)
    doc.heading(NUMBER, r.submitted_on, body=[f"UBND XÃ {cfg.commune.name}".upper(),
                                             unit.name.upper()])
    doc.title("Báo cáo", f"{REPORT_KINDS[r.kind]} {campaign.name}")
    doc.line(f"Kính gửi: Ủy ban nhân dân xã {cfg.commune.name}", after=12)
    doc.line("I. KẾT QUẢ THỰC HIỆN CÁC NỘI DUNG THI ĐUA", bold=True, align="left", after=3)
    written = reports.sections(r.id)
    for i, area in enumerate(campaigns.areas(campaign.id), 1):
        doc.text(area.title, lead=f"{i}. ", after=3)
        section = written.get(area.id)
        for line in (section.body.split("\n") if section and section.body.strip()
                     else [NOT_WRITTEN]):
            if line.strip():
                doc.text(line.strip(), after=3)
    doc.line("II. SỐ LIỆU CHỦ YẾU", bold=True, align="left", before=6, after=3)
    doc.table(FIGURE_COLUMNS, ([n, f.label, scoring.show(f.value), f.measure]
                               for n, f in enumerate(reports.figures(r.id), 1)))
    doc.sign(builder.Signature("THỦ TRƯỞNG ĐƠN VỊ", "(Ký, ghi rõ họ tên)",
                               head.full_name if head else ""), recipients=False)
    return doc


def write_docx(cfg, report_id: int, path: Path) -> Path:
    return build(cfg, report_id).save(path)
