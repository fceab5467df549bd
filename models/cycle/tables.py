"""The tables of registration, unit reports, scoring and the Office's synthesis
(DOMAIN.md, yearly cycle steps 3-4). Operations live in registration.py,
reports.py, scoring.py and synthesis.py.

States move draft -> submitted -> approved/accepted or returned; each move is a
`StateChange` row (who, when, why) beside the change-log entry.
"""
from __future__ import annotations

import peewee as pw

from models.registry.tables import Person, Unit
from models.store.tables import BaseModel, Versioned, utcnow

# Report periods; "registration" shares the deadline machinery.
CAMPAIGN_KINDS = {"yearly": "Phong trào năm", "periodic": "Theo đợt", "thematic": "Chuyên đề"}


class Campaign(Versioned):
    name = pw.CharField(max_length=300)
    kind = pw.CharField(max_length=10, choices=list(CAMPAIGN_KINDS.items()))
    year = pw.IntegerField(index=True)
    theme = pw.TextField(default="")
    starts_on = pw.DateField()
    ends_on = pw.DateField()
    parent = pw.ForeignKeyField("self", null=True, backref="sub_campaigns", on_delete="RESTRICT")


class CampaignUnit(BaseModel):
    campaign = pw.ForeignKeyField(Campaign, backref="unit_links", on_delete="CASCADE")
    unit = pw.ForeignKeyField(Unit, on_delete="RESTRICT")

    class Meta:
        indexes = ((("campaign", "unit"), True),)


class ContentArea(Versioned):
    campaign = pw.ForeignKeyField(Campaign, backref="areas", on_delete="CASCADE")
    position = pw.IntegerField()
    title = pw.TextField()


class Criterion(Versioned):
    area = pw.ForeignKeyField(ContentArea, backref="criteria", on_delete="CASCADE")
    position = pw.IntegerField()
    text = pw.TextField()
    max_points = pw.DecimalField(max_digits=7, decimal_places=2)


REPORT_KINDS = {"six_month": "Sơ kết 6 tháng", "yearly": "Tổng kết năm",
                "campaign": "Theo đợt/chuyên đề"}
DEADLINE_KINDS = {"registration": "Đăng ký thi đua", **REPORT_KINDS}
REGISTRATION_STATES = {"draft": "Nháp", "submitted": "Đã gửi", "approved": "Đã duyệt",
                       "returned": "Trả lại"}
REPORT_STATES = {"draft": "Nháp", "submitted": "Đã gửi", "accepted": "Đã nhận",
                 "returned": "Trả lại"}


class ReportDeadline(Versioned):
    """A campaign's own deadline for one kind, overriding [deadlines] of the config."""
    campaign = pw.ForeignKeyField(Campaign, backref="deadlines", on_delete="CASCADE")
    kind = pw.CharField(max_length=20, choices=list(DEADLINE_KINDS.items()))
    due_on = pw.DateField(verbose_name="hạn")

    class Meta:
        indexes = ((("campaign", "kind"), True),)


class Registration(Versioned):
    """A unit's registration (đăng ký thi đua) for a campaign."""
    campaign = pw.ForeignKeyField(Campaign, backref="registrations", on_delete="CASCADE")
    unit = pw.ForeignKeyField(Unit, backref="registrations", on_delete="RESTRICT")
    targets = pw.TextField(default="", verbose_name="chỉ tiêu")
    collective_title = pw.CharField(max_length=20, default="",
                                    verbose_name="danh hiệu tập thể")
    status = pw.CharField(max_length=12, default="draft", verbose_name="trạng thái")
    submitted_on = pw.DateField(null=True, verbose_name="ngày gửi")
    return_reason = pw.TextField(default="", verbose_name="lý do trả lại")
    created_at = pw.DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("campaign", "unit"), True),)


class RegistrationTitle(BaseModel):
    """An individual title a member aims for in the unit's registration."""
    registration = pw.ForeignKeyField(Registration, backref="titles", on_delete="CASCADE")
    person = pw.ForeignKeyField(Person, on_delete="CASCADE")
    title_code = pw.CharField(max_length=20)

    class Meta:
        indexes = ((("registration", "person", "title_code"), True),)


class Report(Versioned):
    """A unit's report for a period of a campaign."""
    campaign = pw.ForeignKeyField(Campaign, backref="reports", on_delete="CASCADE")
    unit = pw.ForeignKeyField(Unit, backref="reports", on_delete="RESTRICT")
    kind = pw.CharField(max_length=12, choices=list(REPORT_KINDS.items()), verbose_name="kỳ")
    status = pw.CharField(max_length=12, default="draft", verbose_name="trạng thái")
    submitted_on = pw.DateField(null=True, verbose_name="ngày gửi")
    return_reason = pw.TextField(default="", verbose_name="lý do trả lại")
    created_at = pw.DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("campaign", "unit", "kind"), True),)


class ReportSection(Versioned):
    """The report's text for one content area."""
    report = pw.ForeignKeyField(Report, backref="sections", on_delete="CASCADE")
    area = pw.ForeignKeyField(ContentArea, on_delete="CASCADE")
    body = pw.TextField(default="", verbose_name="nội dung báo cáo")

    class Meta:
        indexes = ((("report", "area"), True),)


class ReportFigure(Versioned):
    """A key figure (số liệu chủ yếu): a label, a number and what it counts."""
    report = pw.ForeignKeyField(Report, backref="figures", on_delete="CASCADE")
    label = pw.CharField(max_length=200, verbose_name="chỉ số")
    label_key = pw.CharField(max_length=200, index=True)  # folded: totals across units
    value = pw.DecimalField(max_digits=16, decimal_places=2, verbose_name="giá trị")
    measure = pw.CharField(max_length=40, default="", verbose_name="đơn vị tính")


class ReportScore(Versioned):
    """Points for one criterion: the unit's own, and the reviewed ones with the reason."""
    report = pw.ForeignKeyField(Report, backref="scores", on_delete="CASCADE")
    criterion = pw.ForeignKeyField(Criterion, on_delete="CASCADE")
    self_points = pw.DecimalField(max_digits=7, decimal_places=2, null=True,
                                  verbose_name="điểm tự chấm")
    reviewed_points = pw.DecimalField(max_digits=7, decimal_places=2, null=True,
                                      verbose_name="điểm thẩm định")
    review_reason = pw.TextField(default="", verbose_name="lý do điều chỉnh")
    reviewed_by = pw.CharField(max_length=64, default="")

    class Meta:
        indexes = ((("report", "criterion"), True),)


class StateChange(BaseModel):
    """The history of a registration's or report's state: who, when, why."""
    entity = pw.CharField(max_length=20)  # "registration" | "report"
    row_id = pw.IntegerField()
    from_state = pw.CharField(max_length=12)
    to_state = pw.CharField(max_length=12)
    login = pw.CharField(max_length=64)
    at = pw.DateTimeField(default=utcnow)
    reason = pw.TextField(default="")

    class Meta:
        indexes = ((("entity", "row_id"), False),)


class Synthesis(Versioned):
    """The Office's commune report for a period: assembled, then edited before export."""
    campaign = pw.ForeignKeyField(Campaign, on_delete="CASCADE")
    kind = pw.CharField(max_length=12, choices=list(REPORT_KINDS.items()))
    body = pw.TextField(default="", verbose_name="nội dung tổng hợp")
    updated_at = pw.DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("campaign", "kind"), True),)


REPORT_TABLES = [ReportDeadline, Registration, RegistrationTitle, Report, ReportSection,
                 ReportFigure, ReportScore, StateChange, Synthesis]


def create(database: pw.Database) -> None:
    """Migration 3 (models/store/migrations.py)."""
    database.create_tables(REPORT_TABLES)
