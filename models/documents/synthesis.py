"""The Office's synthesis report (báo cáo tổng hợp) of the units' reports, as the Office
kept it (models/cycle/synthesis.py: assembled, then edited): the commune's report for
the period, its part headings in bold, signed for the committee."""
from __future__ import annotations

import re
from pathlib import Path

from models import text
from models.cycle import campaigns
from models.cycle.tables import REPORT_KINDS, Synthesis
from models.documents import builder
from models.errors import NotFound, RuleError
from models.store import audit

KIND = "synthesis"
NUMBER = "Số:       /BC-UBND"   # given by the commune's register when signed
PART = re.compile(r"^[IVX]+\. ")


def find(value: str, year: int) -> int:
    """The kept synthesis of campaign `value` ("3", or "3:yearly" for a period of
    models.cycle.tables.REPORT_KINDS; without one, the latest kept); `year` unused."""
    number, _, period = (value or "").strip().partition(":")
    if not number.isdigit() or (period and period not in REPORT_KINDS):
        raise RuleError(f"“{text.visible(value)}” không phải số phong trào (màn hình F4), "
                        f"có thể kèm kỳ: {', '.join(REPORT_KINDS)} (ví dụ 3:yearly).")
    query = Synthesis.select(Synthesis.id).where(Synthesis.campaign == int(number))
    if period:
        query = query.where(Synthesis.kind == period)
    found = query.order_by(Synthesis.updated_at.desc()).scalar()
    if found is None:
        raise NotFound(f"Phong trào số {number} chưa có báo cáo tổng hợp đã lưu.")
    return found


def build(cfg, synthesis_id: int) -> builder.Document:
    kept = Synthesis.get_by_id(synthesis_id)
    campaign = campaigns.get(kept.campaign_id)
    doc = builder.Document(cfg)
    doc.heading(NUMBER, audit.local_time(kept.updated_at).date())
    doc.title("Báo cáo", f"{REPORT_KINDS[kept.kind]} {campaign.name}")
    doc.grounds(KIND)
    for line in kept.body.split("\n"):
        if PART.match(line.strip()):
            doc.line(line.strip(), bold=True, align="left", before=6, after=3)
        elif line.strip():
            doc.text(line.strip(), after=3)
    doc.sign(builder.signature(cfg), KIND)
    return doc


def write_docx(cfg, synthesis_id: int, path: Path) -> Path:
    return build(cfg, synthesis_id).save(path)
