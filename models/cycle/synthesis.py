"""The Office's synthesis (báo cáo tổng hợp) for a period, assembled from the
accepted unit reports: per content area each unit's section under its name, the
totals of the key figures, the ranking, and the units late or missing. The Office
edits the text before exporting it (models/documents/synthesis.py)."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from models import fields, text
from models.cycle import campaigns, reports, scoring
from models.cycle.tables import (REPORT_KINDS, Campaign, Report, ReportFigure, ReportSection,
                                 Synthesis)
from models.registry.access import Actor, require
from models.registry.tables import UNIT_KINDS, Unit
from models.store import records
from models.store.tables import database

WHAT = "báo cáo tổng hợp"
WRITERS = ("admin",)


def can_write(actor: Actor) -> bool:
    return actor.has(*WRITERS)


def figure_totals(campaign_id: int, kind: str) -> list[tuple[str, str, Decimal, int]]:
    """(label, measure, total, units) over accepted reports, labels matched without
    accents or case; in the order they first appear."""
    totals: dict[tuple[str, str], list] = {}
    query = (ReportFigure.select(ReportFigure, Report).join(Report)
             .where((Report.campaign == campaign_id) & (Report.kind == kind)
                    & (Report.status == "accepted")).order_by(ReportFigure.id))
    for f in query:
        key = (f.label_key, text.fold(f.measure))
        entry = totals.setdefault(key, [f.label, f.measure, Decimal(0), set()])
        entry[2] += Decimal(f.value)
        entry[3].add(f.report.unit_id)
    return [(label, measure, total, len(units)) for label, measure, total, units in
            totals.values()]


def _number(value: Decimal) -> str:
    whole = value.quantize(Decimal(1))
    if whole == value:
        return f"{int(whole):,}".replace(",", ".")
    return scoring.show(value)


def assemble(cfg, campaign_id: int, kind: str, today: dt.date) -> str:
    """The synthesis text, freshly built from the reports."""
    fields.choice(kind, REPORT_KINDS, "Kỳ báo cáo")
    campaign = records.get(Campaign, campaign_id, "phong trào")
    accepted = {r.unit_id: r for r in Report.select(Report, Unit).join(Unit)
                .where((Report.campaign == campaign_id) & (Report.kind == kind)
                       & (Report.status == "accepted"))}
    ordered = sorted(accepted.values(), key=lambda r: (text.fold(r.unit.name), r.unit_id))
    body = {(s.report_id, s.area_id): s.body for s in ReportSection.select()
            .where(ReportSection.report.in_([r.id for r in ordered]))} if ordered else {}
    lines = [f"BÁO CÁO {REPORT_KINDS[kind].upper()}", campaign.name,
             f"(Tổng hợp từ {len(ordered)} báo cáo đã nhận, ngày {text.format_date(today)})", ""]
    lines.append("I. KẾT QUẢ THỰC HIỆN CÁC NỘI DUNG THI ĐUA")
    for i, area in enumerate(campaigns.areas(campaign_id), 1):
        lines.append(f"{i}. {area.title}")
        written = [(r.unit.name, body.get((r.id, area.id), "").strip()) for r in ordered]
        written = [(name, b) for name, b in written if b]
        if not written:
            lines.append("   (chưa có đơn vị nào báo cáo nội dung này)")
        for name, b in written:
            lines.append(f"   - {name}: {b}")
    lines += ["", "II. SỐ LIỆU CHỦ YẾU"]
    totals = figure_totals(campaign_id, kind)
    if not totals:
        lines.append("   (không có số liệu)")
    for label, measure, total, units in totals:
        unit_word = f" {measure}" if measure else ""
        lines.append(f"   - {label}: {_number(total)}{unit_word} ({units} đơn vị)")
    lines += ["", "III. XẾP HẠNG ĐƠN VỊ"]
    rank = scoring.ranking(campaign_id, kind)
    if not rank:
        lines.append("   (chưa có điểm)")
    current = None
    for row in rank:
        if row.unit_kind != current:
            current = row.unit_kind
            lines.append(f"   {UNIT_KINDS.get(current, current)}:")
        lines.append(f"     {row.rank}. {row.unit_name}: {scoring.show(row.score)} điểm")
    lines += ["", "IV. ĐƠN VỊ NỘP MUỘN HOẶC CHƯA NỘP"]
    late = [r for r in reports.dashboard(cfg, campaign_id, kind, today) if r.late or r.missing]
    if not late:
        lines.append("   (không có)")
    for row in late:
        extra = f", muộn {row.days_late} ngày" if row.days_late else ""
        lines.append(f"   - {row.unit_name}: {row.word}{extra}")
    return "\n".join(lines)


def current(campaign_id: int, kind: str) -> Synthesis | None:
    return Synthesis.get_or_none((Synthesis.campaign == campaign_id) & (Synthesis.kind == kind))


def save(actor: Actor, campaign_id: int, kind: str, body: str,
         version: int | None) -> Synthesis:
    """Keep the Office's edited text (version None: the first save)."""
    require(actor, *WRITERS, action="soạn báo cáo tổng hợp")
    fields.choice(kind, REPORT_KINDS, "Kỳ báo cáo")
    clean = fields.optional_text(body, "Báo cáo tổng hợp", max_len=500_000, multiline=True)
    with database.atomic():
        records.get(Campaign, campaign_id, "phong trào")
        row = current(campaign_id, kind)
        if row is None:
            return records.insert(actor, Synthesis, campaign=campaign_id, kind=kind, body=clean)
        return records.update(actor, Synthesis, row.id, row.version if version is None
                              else version, WHAT, body=clean, updated_at=dt.datetime.now())

