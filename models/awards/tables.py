"""The tables of nominations, decisions, award money and recognition (DOMAIN.md
steps 5, 6, 8 and 9). Operations live in nominations.py, eligibility.py,
decisions.py, fund.py and recognition.py.

A nomination's subject is exactly one of person, unit (a collective or a
village) or household, named by `subject_kind`: "individual", "collective",
"household" or "village", as the configuration's `subjects` spell it.
"""
from __future__ import annotations

import peewee as pw

from models.cycle.tables import Campaign
from models.registry.tables import Household, Person, Unit
from models.store.tables import BaseModel, Versioned, utcnow


class Initiative(Versioned):
    """A recognised initiative (sáng kiến) or an accepted research project (đề tài): one of
    the ways to Chiến sĩ thi đua cơ sở. Its authors are InitiativeAuthor rows."""
    title = pw.CharField(max_length=400)
    authors = pw.TextField(default="")
    decision_ref = pw.CharField(max_length=120, default="")
    recognised_on = pw.DateField(null=True)
    scope = pw.CharField(max_length=120, default="")
    kind = pw.CharField(max_length=12, default="initiative")   # INITIATIVE_KINDS
    recognised_by = pw.CharField(max_length=200, default="")


class InitiativeAuthor(BaseModel):
    initiative = pw.ForeignKeyField(Initiative, backref="author_links", on_delete="CASCADE")
    person = pw.ForeignKeyField(Person, backref="initiative_links", on_delete="CASCADE")

    class Meta:
        indexes = ((("initiative", "person"), True),)


class TitleAward(Versioned):
    """Title history: who held which title in which year, by which decision."""
    title_code = pw.CharField(max_length=20, index=True)
    year = pw.IntegerField(index=True)
    person = pw.ForeignKeyField(Person, null=True, backref="awards", on_delete="RESTRICT")
    unit = pw.ForeignKeyField(Unit, null=True, backref="awards", on_delete="RESTRICT")
    household = pw.ForeignKeyField(Household, null=True, backref="awards", on_delete="RESTRICT")
    decision_ref = pw.CharField(max_length=120, default="")
    decided_on = pw.DateField(null=True)
    note = pw.TextField(default="")
    level = pw.CharField(max_length=12, default="commune")      # AWARD_LEVELS: who decided
    title_name = pw.CharField(max_length=300, default="")       # a form the configuration lacks
    # The decision (Decision.id) that revoked it (Luật 2022, chapter VII): the row stays in
    # the history, marked, and the rules skip it. An id, not a foreign key: this table is
    # created by migration 1, before the decision table exists.
    revoked_by = pw.IntegerField(null=True)

    @classmethod
    def standing(cls, *fields) -> pw.ModelSelect:
        """The awards the rules read: not revoked (Luật 2022, chapter VII: a revoked
        award no longer counts for later titles). Add conditions with .where()."""
        return cls.select(*fields).where(cls.revoked_by.is_null())


SUBJECT_KINDS = {"individual": "Cá nhân", "collective": "Tập thể",
                 "household": "Hộ gia đình", "village": "Thôn"}

STATES = {
    "draft": "Nháp",
    "submitted": "Đã gửi",
    "checked": "Đã kiểm tra",
    "posted": "Đang công khai",
    "at_council": "Chờ Hội đồng",
    "passed": "Hội đồng thông qua",
    "failed": "Không thông qua",
    "decided": "Đã có quyết định",
    "proposed": "Đã trình tỉnh",
    "revoked": "Bị hủy bỏ khen thưởng",
    "returned": "Trả lại",
    "withdrawn": "Rút đề nghị",
}

# Yearly assessment of a cán bộ (đánh giá, xếp loại): the LĐTT task criterion.
RATINGS = {"excellent": "Hoàn thành xuất sắc nhiệm vụ", "good": "Hoàn thành tốt nhiệm vụ",
           "completed": "Hoàn thành nhiệm vụ", "not_completed": "Không hoàn thành nhiệm vụ"}

FLAG_KINDS = {"discipline": "Bị kỷ luật", "investigation": "Đang bị điều tra",
              "inspection": "Đang bị thanh tra",
              "complaint": "Có khiếu nại, tố cáo chưa giải quyết xong"}
# The forms of discipline, lightest first: a rule may name the lightest that bars it.
DISCIPLINE_FORMS = {"reprimand": "Khiển trách", "warning": "Cảnh cáo",
                    "salary_cut": "Hạ bậc lương", "demotion": "Giáng chức",
                    "dismissal": "Cách chức", "discharge": "Buộc thôi việc"}
INITIATIVE_KINDS = {"initiative": "Sáng kiến", "research": "Đề tài nghiên cứu"}
AWARD_LEVELS = {"commune": "Cấp xã", "district": "Cấp huyện", "province": "Cấp tỉnh",
                "central": "Trung ương"}

DOC_TYPES = {"QĐ": "Quyết định", "TTr": "Tờ trình", "BB": "Biên bản", "BC": "Báo cáo",
             "KH": "Kế hoạch", "TB": "Thông báo"}

FUND_KINDS = {"allocation": "Trích lập đầu năm", "donation": "Đóng góp, tài trợ",
              "adjustment": "Điều chỉnh", "spending": "Chi khác (in, khung, hiện vật)",
              "recovery": "Thu hồi tiền thưởng"}
# The kinds of FUND_KINDS that take money out of the fund (payouts of decisions are
# the decisions' awards); every other kind brings money in.
FUND_OUTGOING = ("spending",)

RECOGNITION_KINDS = {"good_deed": "Người tốt, việc tốt", "model": "Điển hình tiên tiến"}


class NominationBatch(Versioned):
    """One proposal listing many subjects at once (Gia đình văn hóa of the commune)."""
    title_code = pw.CharField(max_length=20)
    year = pw.IntegerField(index=True)
    name = pw.CharField(max_length=300)
    proposing_unit = pw.ForeignKeyField(Unit, null=True, on_delete="RESTRICT")
    created_by = pw.CharField(max_length=64)
    created_at = pw.DateTimeField(default=utcnow)


class Posting(Versioned):
    """A public posting (niêm yết công khai) of nominees for comment."""
    title = pw.CharField(max_length=300)
    starts_on = pw.DateField()
    ends_on = pw.DateField()          # the last day of the comment period
    place = pw.CharField(max_length=300, default="")
    created_by = pw.CharField(max_length=64)


class Nomination(Versioned):
    subject_kind = pw.CharField(max_length=12, index=True)
    person = pw.ForeignKeyField(Person, null=True, backref="nominations", on_delete="RESTRICT")
    unit = pw.ForeignKeyField(Unit, null=True, backref="nominations", on_delete="RESTRICT")
    household = pw.ForeignKeyField(Household, null=True, backref="nominations",
                                   on_delete="RESTRICT")
    title_code = pw.CharField(max_length=20, index=True)
    campaign = pw.ForeignKeyField(Campaign, null=True, on_delete="RESTRICT")
    year = pw.IntegerField(index=True)
    summary = pw.TextField(default="")
    proposing_unit = pw.ForeignKeyField(Unit, null=True, backref="proposals",
                                        on_delete="RESTRICT")
    proposed_by = pw.CharField(max_length=64)
    state = pw.CharField(max_length=12, index=True, default="draft")
    ad_hoc = pw.BooleanField(default=False)
    eligible = pw.BooleanField(null=True)      # the last check's result; None = not checked
    check_notes = pw.TextField(default="")     # the last check, one rule a line
    initiative = pw.ForeignKeyField(Initiative, null=True, on_delete="SET NULL")
    batch = pw.ForeignKeyField(NominationBatch, null=True, backref="nominations",
                               on_delete="RESTRICT")
    posting = pw.ForeignKeyField(Posting, null=True, backref="nominations", on_delete="SET NULL")
    created_at = pw.DateTimeField(default=utcnow)


class NominationEvent(BaseModel):
    """Every change of state: who, when, why."""
    nomination = pw.ForeignKeyField(Nomination, backref="events", on_delete="CASCADE")
    from_state = pw.CharField(max_length=12, default="")
    to_state = pw.CharField(max_length=12)
    at = pw.DateTimeField(default=utcnow)
    login = pw.CharField(max_length=64)
    reason = pw.TextField(default="")


class DossierItem(Versioned):
    """One document of the dossier checklist, of a nomination or of a batch."""
    nomination = pw.ForeignKeyField(Nomination, null=True, backref="dossier",
                                    on_delete="CASCADE")
    batch = pw.ForeignKeyField(NominationBatch, null=True, backref="dossier",
                               on_delete="CASCADE")
    position = pw.IntegerField()
    label = pw.CharField(max_length=300)
    received = pw.BooleanField(default=False)
    received_on = pw.DateField(null=True)


class PostingComment(Versioned):
    posting = pw.ForeignKeyField(Posting, backref="comments", on_delete="CASCADE")
    nomination = pw.ForeignKeyField(Nomination, null=True, on_delete="SET NULL")
    received_on = pw.DateField()
    author = pw.CharField(max_length=200, default="")
    text = pw.TextField()
    recorded_by = pw.CharField(max_length=64)


class EligibilityOverride(BaseModel):
    """The Office lets a failed rule pass, for a recorded reason."""
    nomination = pw.ForeignKeyField(Nomination, backref="overrides", on_delete="CASCADE")
    rule = pw.CharField(max_length=40)
    reason = pw.TextField()
    login = pw.CharField(max_length=64)
    at = pw.DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("nomination", "rule"), True),)


class MemberRating(Versioned):
    """The yearly assessment of a person (đánh giá, xếp loại)."""
    person = pw.ForeignKeyField(Person, backref="ratings", on_delete="CASCADE")
    year = pw.IntegerField()
    rating = pw.CharField(max_length=16)

    class Meta:
        indexes = ((("person", "year"), True),)


class UnitRating(Versioned):
    """The yearly assessment of a collective (its own xếp loại, beside its members')."""
    unit = pw.ForeignKeyField(Unit, backref="ratings", on_delete="CASCADE")
    year = pw.IntegerField()
    rating = pw.CharField(max_length=16)

    class Meta:
        indexes = ((("unit", "year"), True),)


class PersonFlag(Versioned):
    """Discipline, investigation or a pending complaint: blocks awards while it lasts."""
    person = pw.ForeignKeyField(Person, null=True, backref="flags", on_delete="CASCADE")
    unit = pw.ForeignKeyField(Unit, null=True, backref="flags", on_delete="CASCADE")
    kind = pw.CharField(max_length=16)
    starts_on = pw.DateField()
    ends_on = pw.DateField(null=True)   # resolved or served; None = still open
    note = pw.TextField(default="")
    form = pw.CharField(max_length=16, default="")      # DISCIPLINE_FORMS, for a discipline
    document = pw.CharField(max_length=200, default="")  # the decision or paper behind it


class HouseholdReview(BaseModel):
    """The village's yearly review of a household for Gia đình văn hóa: one key each."""
    household = pw.ForeignKeyField(Household, on_delete="CASCADE")
    village = pw.ForeignKeyField(Unit, on_delete="CASCADE")
    year = pw.IntegerField()
    marked = pw.BooleanField(default=True)
    reviewed_on = pw.DateField()
    login = pw.CharField(max_length=64)

    class Meta:
        indexes = ((("year", "household"), True), (("year", "village"), False))


class DocumentNumber(BaseModel):
    """The register of numbers: unique per year, document type and issuer
    ("Số: 05/QĐ-UBND", the council's own "Số: 02/BB-HĐTĐKT")."""
    year = pw.IntegerField()
    doc_type = pw.CharField(max_length=8)
    issuer = pw.CharField(max_length=20)
    number = pw.IntegerField()
    what = pw.CharField(max_length=300, default="")
    at = pw.DateTimeField(default=utcnow)
    login = pw.CharField(max_length=64)

    class Meta:
        indexes = ((("year", "doc_type", "issuer", "number"), True),)


class Decision(Versioned):
    title = pw.CharField(max_length=400)
    decided_on = pw.DateField()
    signer = pw.CharField(max_length=200, default="")
    doc_type = pw.CharField(max_length=8, default="QĐ")
    issuer = pw.CharField(max_length=20, default="UBND")
    number = pw.IntegerField(null=True)       # given when issued
    issued = pw.BooleanField(default=False)
    issued_at = pw.DateTimeField(null=True)
    issued_by = pw.CharField(max_length=64, default="")
    amends = pw.ForeignKeyField("self", null=True, backref="amendments", on_delete="RESTRICT")
    note = pw.TextField(default="")
    created_by = pw.CharField(max_length=64)
    fund_before = pw.BigIntegerField(null=True)   # the year's fund balance when it was issued


class DecisionAward(BaseModel):
    """One award of a decision; `revokes` marks an amending decision's withdrawal
    of an earlier award (its amount is then the money recovered, negative)."""
    decision = pw.ForeignKeyField(Decision, backref="awards", on_delete="CASCADE")
    nomination = pw.ForeignKeyField(Nomination, null=True, on_delete="SET NULL")
    title_code = pw.CharField(max_length=20)
    subject_kind = pw.CharField(max_length=12)
    person = pw.ForeignKeyField(Person, null=True, on_delete="RESTRICT")
    unit = pw.ForeignKeyField(Unit, null=True, on_delete="RESTRICT")
    household = pw.ForeignKeyField(Household, null=True, on_delete="RESTRICT")
    year = pw.IntegerField()
    amount = pw.IntegerField(default=0)
    revokes = pw.ForeignKeyField("self", null=True, on_delete="RESTRICT")
    money_note = pw.CharField(max_length=300, default="")  # why less than the title's amount

    class Meta:
        indexes = ((("decision", "nomination"), False),)


class FundEntry(Versioned):
    """Money into the emulation-commendation fund of a year (payouts are the
    issued decisions' awards)."""
    year = pw.IntegerField(index=True)
    kind = pw.CharField(max_length=12)
    amount = pw.BigIntegerField()
    entered_on = pw.DateField()
    source = pw.CharField(max_length=300, default="")
    note = pw.TextField(default="")
    login = pw.CharField(max_length=64)


class Recognition(Versioned):
    """A "người tốt, việc tốt" or "điển hình tiên tiến" record."""
    kind = pw.CharField(max_length=12)
    person = pw.ForeignKeyField(Person, null=True, on_delete="SET NULL")
    unit = pw.ForeignKeyField(Unit, null=True, on_delete="SET NULL")
    household = pw.ForeignKeyField(Household, null=True, on_delete="SET NULL")
    name = pw.CharField(max_length=200)
    happened_on = pw.DateField()
    year = pw.IntegerField(index=True)
    description = pw.TextField()
    nomination = pw.ForeignKeyField(Nomination, null=True, on_delete="SET NULL")
    recorded_by = pw.CharField(max_length=64)


AWARD_TABLES = [NominationBatch, Posting, Nomination, NominationEvent, DossierItem,
                PostingComment, EligibilityOverride, MemberRating, PersonFlag, HouseholdReview,
                DocumentNumber, Decision, DecisionAward, FundEntry, Recognition]


class InitiativeUse(BaseModel):
    """The nomination an initiative was counted for: one achievement, one award."""
    initiative = pw.ForeignKeyField(Initiative, backref="uses", on_delete="CASCADE")
    nomination = pw.ForeignKeyField(Nomination, backref="initiatives_used",
                                    on_delete="CASCADE")

    class Meta:
        indexes = ((("initiative", "nomination"), True),)


# Migration 7: the facts eligibility reads that officers enter and import.
FACT_TABLES = [UnitRating, InitiativeUse]


class FundBudget(Versioned):
    """A year's recurrent spending (chi thường xuyên), and the most the year's allocation
    to the fund may be, fixed from the configuration's fraction when it was entered."""
    year = pw.IntegerField(unique=True)
    recurrent_spending = pw.BigIntegerField()
    allocation_limit = pw.BigIntegerField()
    login = pw.CharField(max_length=64)


# Migration 8: the year's recurrent spending, beside the columns of the money fixed at issue.
MONEY_TABLES = [FundBudget]


class LateVillageReview(Versioned):
    """The Office's one answer for a village whose Gia đình văn hóa review came after
    the deadline: accepted or refused for all its households, with the reason."""
    village = pw.ForeignKeyField(Unit, on_delete="CASCADE")
    year = pw.IntegerField()
    accepted = pw.BooleanField()
    reason = pw.TextField()
    login = pw.CharField(max_length=64)

    class Meta:
        indexes = ((("year", "village"), True),)


# Migration 10: the Office's answer to a village's late review.
LATE_REVIEW_TABLES = [LateVillageReview]


PROPOSAL_STATES = {"draft": "Dự thảo", "submitted": "Đã trình tỉnh",
                   "decided": "Tỉnh đã quyết định"}


class Proposal(Versioned):
    """A proposal to the province (Tờ trình, "Số: 03/TTr-UBND") for titles the commune
    does not decide, and the province's decision once it arrives."""
    title = pw.CharField(max_length=400)
    proposed_on = pw.DateField()
    signer = pw.CharField(max_length=200, default="")
    note = pw.TextField(default="")
    state = pw.CharField(max_length=12, default="draft")   # PROPOSAL_STATES
    number = pw.IntegerField(null=True)                     # given when submitted
    submitted_by = pw.CharField(max_length=64, default="")
    province_ref = pw.CharField(max_length=120, default="")  # the province's decision
    province_on = pw.DateField(null=True)
    province_body = pw.CharField(max_length=200, default="")
    province_amount = pw.BigIntegerField(default=0)  # per award, paid by the province
    created_by = pw.CharField(max_length=64)


class ProposalItem(BaseModel):
    """One nomination of a proposal: a nomination goes up in one proposal only."""
    proposal = pw.ForeignKeyField(Proposal, backref="items", on_delete="CASCADE")
    nomination = pw.ForeignKeyField(Nomination, unique=True, on_delete="RESTRICT")


# Migration 9: proposals to the province (revocation adds TitleAward.revoked_by).
PROPOSAL_TABLES = [Proposal, ProposalItem]
