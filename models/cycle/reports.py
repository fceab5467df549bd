"""Unit reports (sơ kết 6 tháng, tổng kết năm, per campaign): deadlines, the
draft -> submitted -> accepted/returned cycle, sections, key figures, and the
Office's dashboard of who has reported and who is late.

A unit officer writes only their own unit's reports and only until the Office
accepts them; the Office accepts or returns them with a reason.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import peewee as pw

from models import fields, text
from models.cycle.tables import (DEADLINE_KINDS, REPORT_KINDS, REPORT_STATES, Campaign,
                                 CampaignUnit, ContentArea, Registration, Report, ReportDeadline,
                                 ReportFigure, ReportScore, ReportSection, StateChange)
from models.cycle.workflow import Step, Workflow
from models.errors import RuleError
from models.registry.access import Actor, require, require_unit
from models.registry.tables import Unit
from models.store import changelog, records
from models.store.tables import database

REPORT = "báo cáo"
SECTION = "phần báo cáo"
FIGURE = "số liệu"
REVIEWERS = ("admin", "chairman", "council_member", "council_secretary")
OFFICE = ("admin",)  # sets the deadlines; accepts or returns what the units send

# Dashboard statuses, in the order the Office needs to see them: missing first.
STATUS_WORDS = {
    "late": "QUÁ HẠN",          # not submitted and the deadline has passed
    "returned": "TRẢ LẠI",
    "not_started": "CHƯA LÀM",
    "draft": "Nháp",
    "submitted": "Đã gửi",
    "accepted": "Đã nhận",
    "approved": "Đã duyệt",
}
STATUS_RANK = {k: i for i, k in enumerate(STATUS_WORDS)}
DONE = {"submitted", "accepted", "approved"}


# -- who may do what to a report ------------------------------------------------------------

UNTIL_ACCEPTED = frozenset({"draft", "submitted", "returned"})
SENT = frozenset({"submitted", "accepted"})
FLOW = Workflow(REPORT_STATES, {
    "edit": Step(UNTIL_ACCEPTED, "sửa báo cáo",
                 "Báo cáo đã được Văn phòng nhận; không sửa được nữa."),
    "assess": Step(UNTIL_ACCEPTED, "tự chấm điểm",
                   "Báo cáo đã được Văn phòng nhận; không sửa điểm tự chấm được nữa."),
    "submit": Step(frozenset({"draft", "returned"}), "gửi báo cáo",
                   "Báo cáo đang ở trạng thái “{state}”; chỉ gửi được bản nháp hoặc bản bị "
                   "trả lại."),
    "accept": Step(frozenset({"submitted"}), "nhận báo cáo", "Chỉ nhận được báo cáo đã gửi.",
                   OFFICE),
    "return": Step(SENT, "trả lại báo cáo", "Chỉ trả lại được báo cáo đã gửi hoặc đã nhận.",
                   OFFICE),
    "review": Step(SENT, "thẩm định điểm", "Chỉ thẩm định điểm của báo cáo đã gửi.", REVIEWERS),
})


def allowed_actions(actor: Actor, report: Report) -> frozenset[str]:
    """What `actor` may do to `report` now: "edit" (its sections and figures), "assess"
    (its own points), "submit", "accept", "return" (with a reason), "review" (points)."""
    return FLOW.allowed(actor, report)


def require_action(actor: Actor, report: Report, action: str) -> None:
    """Refuse `action` on `report`, saying why, unless `allowed_actions` has it."""
    if action not in allowed_actions(actor, report):
        FLOW.refuse(actor, report, action)


# -- deadlines -----------------------------------------------------------------------------

def deadline(cfg, campaign: Campaign, kind: str) -> dt.date:
    """The campaign's own deadline for `kind`, else the config's [deadlines] in the
    campaign's year; a periodic or thematic campaign's report is due when it ends."""
    override = ReportDeadline.get_or_none((ReportDeadline.campaign == campaign.id)
                                          & (ReportDeadline.kind == kind))
    if override is not None:
        return override.due_on
    if kind == "campaign":
        return campaign.ends_on
    return cfg.deadlines.on(kind, campaign.year)


YEAR_PERIODS = ("registration", "six_month", "yearly")  # a yearly movement's, in order


def current_period(cfg, campaign: Campaign, today: dt.date) -> str:
    """The period a report dashboard opens on. For a yearly movement, the one whose
    deadline (the campaign's own, else the config's) is nearest to today: registration
    early in the year, the 6-month report mid-year, the yearly report at year end, each
    staying current a while past its deadline, when the late units are chased; on a
    tie, the one still to come. A periodic or thematic campaign has its one report."""
    if campaign.kind != "yearly":
        return "campaign"
    return min(YEAR_PERIODS, key=lambda kind: (abs((deadline(cfg, campaign, kind) - today).days),
                                               -YEAR_PERIODS.index(kind)))


def can_set_deadline(actor: Actor) -> bool:
    return actor.has(*OFFICE)


def set_deadline(actor: Actor, campaign_id: int, kind: str, due_on) -> ReportDeadline:
    """Set (or with an empty date, remove) a campaign's own deadline."""
    require(actor, *OFFICE, action="đặt thời hạn")
    fields.choice(kind, DEADLINE_KINDS, "Loại thời hạn")
    due = fields.optional_date(due_on, "Thời hạn")
    with database.atomic():
        records.get(Campaign, campaign_id, "phong trào")
        row = ReportDeadline.get_or_none((ReportDeadline.campaign == campaign_id)
                                         & (ReportDeadline.kind == kind))
        if due is None:
            if row is not None:
                changelog.record(actor.login, "report_deadline", row.id, "delete",
                                 before=changelog.snapshot(row))
                row.delete_instance()
            return None
        if row is None:
            return records.insert(actor, ReportDeadline, campaign=campaign_id, kind=kind,
                                  due_on=due)
        return records.update(actor, ReportDeadline, row.id, row.version, "thời hạn",
                              due_on=due)


def days_late(due: dt.date, submitted_on: dt.date | None, today: dt.date) -> int:
    """Days past the deadline: until the submission, or until today while missing."""
    end = submitted_on or today
    return max(0, (end - due).days)


# -- state changes (shared with registration.py) ----------------------------------------------

def transition(actor: Actor, model, row, entity: str, what: str, version: int, new_state: str,
               reason: str = "", **extra):
    """Move `row` to `new_state`, logging who, when and why."""
    updated = records.update(actor, model, row.id, version, what, status=new_state, **extra)
    StateChange.create(entity=entity, row_id=row.id, from_state=row.status, to_state=new_state,
                       login=actor.login, reason=reason)
    return updated


def history(entity: str, row_id: int) -> list[StateChange]:
    """Every state `row_id` of `entity` ("report", "registration") has been in, oldest
    first: who moved it, when, and the reason given."""
    return list(StateChange.select().where((StateChange.entity == entity)
                                           & (StateChange.row_id == row_id))
                .order_by(StateChange.id))


def reason_text(reason: str) -> str:
    return fields.name(reason, "Lý do", max_len=2000)


# -- reports ---------------------------------------------------------------------------------

def _check_taking_part(campaign_id: int, unit_id: int) -> None:
    if not CampaignUnit.select().where((CampaignUnit.campaign == campaign_id)
                                       & (CampaignUnit.unit == unit_id)).exists():
        raise RuleError("Đơn vị này không tham gia phong trào này.")


def get(report_id: int) -> Report:
    return records.get(Report, report_id, REPORT)


def get_figure(figure_id: int) -> ReportFigure:
    return records.get(ReportFigure, figure_id, FIGURE)


def find(campaign_id: int, unit_id: int, kind: str) -> Report | None:
    return Report.get_or_none((Report.campaign == campaign_id) & (Report.unit == unit_id)
                              & (Report.kind == kind))


def find_or_start(actor: Actor, campaign_id: int, unit_id: int, kind: str) -> Report | None:
    """The unit's report for the period. The unit's own officer's first look starts
    it as a draft; anyone else only finds what the unit has started."""
    found = find(campaign_id, unit_id, kind)
    if found is None and unit_id in actor.unit_ids:
        return open_report(actor, campaign_id, unit_id, kind)
    return found


def open_report(actor: Actor, campaign_id: int, unit_id: int, kind: str) -> Report:
    """The unit's report for the period, started as a draft when there is none yet."""
    fields.choice(kind, REPORT_KINDS, "Kỳ báo cáo")
    require_unit(actor, unit_id, action="lập báo cáo")
    with database.atomic():
        records.get(Campaign, campaign_id, "phong trào")
        records.get(Unit, unit_id, "đơn vị")
        existing = find(campaign_id, unit_id, kind)
        if existing is not None:
            return existing
        _check_taking_part(campaign_id, unit_id)
        report = records.insert(actor, Report, campaign=campaign_id, unit=unit_id, kind=kind)
        StateChange.create(entity="report", row_id=report.id, from_state="", to_state="draft",
                           login=actor.login)
        return report


def _editable(actor: Actor, report_id: int) -> Report:
    report = get(report_id)
    require_action(actor, report, "edit")
    return report


def write_section(actor: Actor, report_id: int, area_id: int, body: str,
                  version: int | None = None) -> ReportSection:
    """The report's text for a content area (version: of the section, when it exists)."""
    clean = fields.optional_text(body, "Nội dung báo cáo", max_len=20000, multiline=True)
    with database.atomic():
        report = _editable(actor, report_id)
        area = records.get(ContentArea, area_id, "nội dung thi đua")
        if area.campaign_id != report.campaign_id:
            raise RuleError("Nội dung thi đua này không thuộc phong trào của báo cáo.")
        row = ReportSection.get_or_none((ReportSection.report == report_id)
                                        & (ReportSection.area == area_id))
        if row is None:
            return records.insert(actor, ReportSection, report=report_id, area=area_id,
                                  body=clean)
        return records.update(actor, ReportSection, row.id,
                              row.version if version is None else version, SECTION, body=clean)


def _figure_values(label: str, value, measure: str) -> dict:
    clean = fields.name(label, "Chỉ số", max_len=200)
    if isinstance(value, (int, Decimal)):
        number = Decimal(value)
    else:
        number = text.parse_number(str(value), "Giá trị", minimum=Decimal("-1e13"),
                                   maximum=Decimal("1e13"), allow_decimal=True)
    return {"label": clean, "label_key": text.fold(clean), "value": Decimal(number),
            "measure": fields.optional_text(measure, "Đơn vị tính", max_len=40)}


def add_figure(actor: Actor, report_id: int, label: str, value, measure: str = "") -> ReportFigure:
    values = _figure_values(label, value, measure)
    with database.atomic():
        _editable(actor, report_id)
        return records.insert(actor, ReportFigure, report=report_id, **values)


def update_figure(actor: Actor, figure_id: int, version: int, label: str, value,
                  measure: str = "") -> ReportFigure:
    values = _figure_values(label, value, measure)
    with database.atomic():
        figure = get_figure(figure_id)
        _editable(actor, figure.report_id)
        return records.update(actor, ReportFigure, figure_id, version, FIGURE, **values)


def remove_figure(actor: Actor, figure_id: int) -> None:
    with database.atomic():
        figure = get_figure(figure_id)
        _editable(actor, figure.report_id)
        changelog.record(actor.login, "report_figure", figure_id, "delete",
                         before=changelog.snapshot(figure))
        figure.delete_instance()


def submit(actor: Actor, report_id: int, version: int, today: dt.date) -> Report:
    with database.atomic():
        report = get(report_id)
        require_action(actor, report, "submit")
        return transition(actor, Report, report, "report", REPORT, version, "submitted",
                          submitted_on=today, return_reason="")


def accept(actor: Actor, report_id: int, version: int) -> Report:
    with database.atomic():
        report = get(report_id)
        require_action(actor, report, "accept")
        return transition(actor, Report, report, "report", REPORT, version, "accepted")


def return_report(actor: Actor, report_id: int, version: int, reason: str) -> Report:
    with database.atomic():
        report = get(report_id)
        require_action(actor, report, "return")
        why = reason_text(reason)
        return transition(actor, Report, report, "report", REPORT, version, "returned", why,
                          return_reason=why)


def sections(report_id: int) -> dict[int, ReportSection]:
    return {s.area_id: s for s in ReportSection.select().where(ReportSection.report == report_id)}


def figures(report_id: int) -> list[ReportFigure]:
    return list(ReportFigure.select().where(ReportFigure.report == report_id)
                .order_by(ReportFigure.id))


# -- the dashboard ---------------------------------------------------------------------------

@dataclass(frozen=True)
class DashboardRow:
    unit_id: int
    unit_name: str
    unit_kind: str
    status: str              # a key of STATUS_WORDS
    state: str               # the stored state, "" when nothing was started
    late: bool               # missing past the deadline, or submitted after it
    days_late: int
    score: Decimal | None    # reviewed where reviewed, else self-assessed
    record_id: int | None    # the report (or registration)
    return_reason: str = ""  # why the Office returned it (cleared when sent again)

    @property
    def word(self) -> str:
        word = STATUS_WORDS[self.status]
        if self.late and self.status != "late":
            word += " (muộn)"
        return word

    @property
    def missing(self) -> bool:
        return self.status not in DONE


def _status(state: str | None, late_now: bool) -> str:
    if state in DONE:
        return state
    if late_now:
        return "late"
    return state or "not_started"


def dashboard(cfg, campaign_id: int, kind: str, today: dt.date,
              unit_kind: str | None = None, unit_ids=None) -> list[DashboardRow]:
    """Every unit taking part with its status for the period (`kind` may be
    "registration"): missing and late units first, then by name."""
    fields.choice(kind, DEADLINE_KINDS, "Kỳ báo cáo")
    campaign = records.get(Campaign, campaign_id, "phong trào")
    due = deadline(cfg, campaign, kind)
    query = (Unit.select(Unit.id, Unit.name, Unit.kind, Unit.search_key)
             .join(CampaignUnit, on=(CampaignUnit.unit == Unit.id))
             .where(CampaignUnit.campaign == campaign_id))
    if unit_kind:
        query = query.where(Unit.kind == unit_kind)
    if unit_ids is not None:
        query = query.where(Unit.id.in_(list(unit_ids)))
    if kind == "registration":
        found = {r.unit_id: r for r in Registration.select(
            Registration.id, Registration.unit, Registration.status, Registration.submitted_on,
            Registration.return_reason).where(Registration.campaign == campaign_id)}
        scores: dict[int, Decimal] = {}
    else:
        found = {r.unit_id: r for r in Report.select(
            Report.id, Report.unit, Report.status, Report.submitted_on, Report.return_reason)
            .where((Report.campaign == campaign_id) & (Report.kind == kind))}
        scores = report_scores([r.id for r in found.values()])
    rows = []
    for unit in query:
        record = found.get(unit.id)
        state = record.status if record else ""
        submitted = record.submitted_on if record and state in DONE else None
        late_now = today > due and state not in DONE
        late = late_now or (submitted is not None and submitted > due)
        rows.append(DashboardRow(
            unit.id, unit.name, unit.kind, _status(state, late_now), state, late,
            days_late(due, submitted, today) if late else 0,
            scores.get(record.id) if record else None, record.id if record else None,
            record.return_reason if record else ""))
    rows.sort(key=lambda r: (STATUS_RANK[r.status], -r.days_late, text.fold(r.unit_name),
                             r.unit_id))
    return rows


def report_scores(report_ids: list[int]) -> dict[int, Decimal]:
    """Each report's total: per criterion the reviewed points where set, else its own."""
    if not report_ids:
        return {}
    points = pw.fn.COALESCE(ReportScore.reviewed_points, ReportScore.self_points, 0)
    out: dict[int, Decimal] = {}
    for rid, total in (ReportScore.select(ReportScore.report, pw.fn.SUM(points))
                       .where(ReportScore.report.in_(report_ids))
                       .group_by(ReportScore.report).tuples()):
        out[rid] = Decimal(str(total)).quantize(Decimal("0.01"))
    return out


def summary(rows: list[DashboardRow]) -> dict[str, int]:
    """Counts for the headline: how many late, not started, in draft, done."""
    out = {k: 0 for k in STATUS_WORDS}
    for row in rows:
        out[row.status] += 1
    return out

