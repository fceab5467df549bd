"""Scoring units: self-assessed points per criterion (never above its maximum),
the points reviewed by the Office or the council with a reason for each change,
totals, and the ranking of units by kind (it feeds the collective titles)."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from models import text
from models.cycle.reports import REPORT, reason_text, report_scores, require_action
from models.cycle.tables import ContentArea, Criterion, Report, ReportScore
from models.errors import RuleError
from models.registry.access import Actor
from models.registry.tables import UNIT_KINDS, Unit
from models.store import records
from models.store.tables import database

SCORE = "điểm tiêu chí"
CENT = Decimal("0.01")


def parse_points(value, maximum: Decimal, label: str = "Điểm") -> Decimal:
    """0 <= points <= the criterion's maximum, at most two decimals ("7,5" or 7.5)."""
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        raise RuleError(f"{label} phải là một số, ví dụ 8 hoặc 7,5.") from None
    if not number.is_finite():
        raise RuleError(f"{label} phải là một số, ví dụ 8 hoặc 7,5.")
    if number < 0:
        raise RuleError(f"{label} không được âm.")
    maximum = Decimal(maximum)
    if number > maximum:
        raise RuleError(f"{label} {show(number)} vượt quá điểm tối đa {show(maximum)} "
                        "của tiêu chí.")
    if number != number.quantize(CENT):
        raise RuleError(f"{label} chỉ có tối đa hai chữ số thập phân.")
    return number.quantize(CENT)


def show(value: Decimal | None) -> str:
    """10.00 -> "10", 7.50 -> "7,5"; None -> ""."""
    if value is None:
        return ""
    shown = format(Decimal(value).normalize(), "f")
    return shown.replace(".", ",")


def _criterion_for(report: Report, criterion_id: int) -> Criterion:
    crit = records.get(Criterion, criterion_id, "tiêu chí")
    if crit.area.campaign_id != report.campaign_id:
        raise RuleError("Tiêu chí này không thuộc phong trào của báo cáo.")
    return crit


def _row(report_id: int, criterion_id: int) -> ReportScore | None:
    return ReportScore.get_or_none((ReportScore.report == report_id)
                                   & (ReportScore.criterion == criterion_id))


def self_assess(actor: Actor, report_id: int, criterion_id: int, points) -> ReportScore:
    """The unit's own points for a criterion; empty clears them."""
    with database.atomic():
        report = records.get(Report, report_id, REPORT)
        require_action(actor, report, "assess")
        crit = _criterion_for(report, criterion_id)
        value = None if str(points).strip() == "" else parse_points(points, crit.max_points)
        row = _row(report_id, criterion_id)
        if row is None:
            return records.insert(actor, ReportScore, report=report_id, criterion=criterion_id,
                                  self_points=value)
        return records.update(actor, ReportScore, row.id, row.version, SCORE, self_points=value)


def review(actor: Actor, report_id: int, criterion_id: int, points, reason: str) -> ReportScore:
    """The Office's or the council's points, with the reason; empty points clear the
    review (the unit's own points count again)."""
    with database.atomic():
        report = records.get(Report, report_id, REPORT)
        require_action(actor, report, "review")
        crit = _criterion_for(report, criterion_id)
        row = _row(report_id, criterion_id)
        if str(points).strip() == "":
            if row is None:
                return None
            return records.update(actor, ReportScore, row.id, row.version, SCORE,
                                  reviewed_points=None, review_reason="", reviewed_by="")
        value = parse_points(points, crit.max_points)
        own = row.self_points if row is not None else None
        why = reason_text(reason) if (reason or "").strip() or value != own else ""
        if row is None:
            return records.insert(actor, ReportScore, report=report_id, criterion=criterion_id,
                                  reviewed_points=value, review_reason=why,
                                  reviewed_by=actor.login)
        return records.update(actor, ReportScore, row.id, row.version, SCORE,
                              reviewed_points=value, review_reason=why,
                              reviewed_by=actor.login)


@dataclass(frozen=True)
class ScoreLine:
    criterion_id: int
    area_position: int
    position: int
    text: str
    max_points: Decimal
    self_points: Decimal | None
    reviewed_points: Decimal | None
    reason: str
    reviewed_by: str

    @property
    def counted(self) -> Decimal:
        if self.reviewed_points is not None:
            return self.reviewed_points
        return self.self_points or Decimal(0)


def criteria_of(campaign_id: int) -> list[Criterion]:
    """The campaign's criteria with their content areas, in the order of the score sheet."""
    return list(Criterion.select(Criterion, ContentArea).join(ContentArea)
                .where(ContentArea.campaign == campaign_id)
                .order_by(ContentArea.position, Criterion.position))


def sheet(report_id: int) -> list[ScoreLine]:
    """Every criterion of the report's campaign with the points given so far."""
    report = records.get(Report, report_id, REPORT)
    given = {s.criterion_id: s for s in ReportScore.select()
             .where(ReportScore.report == report_id)}
    out = []
    for crit in criteria_of(report.campaign_id):
        s = given.get(crit.id)
        out.append(ScoreLine(crit.id, crit.area.position, crit.position, crit.text,
                             Decimal(crit.max_points),
                             s.self_points if s else None, s.reviewed_points if s else None,
                             s.review_reason if s else "", s.reviewed_by if s else ""))
    return out


@dataclass(frozen=True)
class Totals:
    maximum: Decimal
    self_total: Decimal
    counted: Decimal


def totals(lines: list[ScoreLine]) -> Totals:
    return Totals(sum((l.max_points for l in lines), Decimal(0)),
                  sum((l.self_points or Decimal(0) for l in lines), Decimal(0)),
                  sum((l.counted for l in lines), Decimal(0)))


@dataclass(frozen=True)
class RankRow:
    rank: int
    unit_id: int
    unit_name: str
    unit_kind: str
    score: Decimal
    status: str


def ranking(campaign_id: int, kind: str, unit_kind: str | None = None) -> list[RankRow]:
    """Units by kind (villages against villages), highest score first; equal scores
    share a rank (1, 1, 3). Only reports sent to the Office count."""
    reports = list(Report.select(Report, Unit).join(Unit)
                   .where((Report.campaign == campaign_id) & (Report.kind == kind)
                          & (Report.status.in_(["submitted", "accepted"]))))
    if unit_kind:
        reports = [r for r in reports if r.unit.kind == unit_kind]
    scores = report_scores([r.id for r in reports])
    order = {k: i for i, k in enumerate(UNIT_KINDS)}
    rows = sorted(((r, scores.get(r.id, Decimal(0))) for r in reports),
                  key=lambda pair: (order.get(pair[0].unit.kind, 99), -pair[1],
                                    text.fold(pair[0].unit.name), pair[0].unit_id))
    out: list[RankRow] = []
    for i, (report, score) in enumerate(rows):
        prev = out[-1] if out else None
        if prev is not None and prev.unit_kind == report.unit.kind:
            position = prev.rank if prev.score == score else \
                1 + sum(1 for o in out if o.unit_kind == report.unit.kind)
        else:
            position = 1
        out.append(RankRow(position, report.unit_id, report.unit.name, report.unit.kind,
                           score, report.status))
    return out
