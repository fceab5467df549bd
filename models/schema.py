"""The tables of the core domain (DOMAIN.md). Operations live in their own modules.

Every editable table carries `version`: a save names the version it read, so
two officers editing the same record never silently overwrite each other.
"""
from __future__ import annotations

import datetime as dt

import peewee as pw

database = pw.DatabaseProxy()

UNIT_KINDS = {
    "department": "Bộ phận chuyên môn",
    "village": "Thôn",
    "cooperative": "Hợp tác xã",
    "enterprise": "Doanh nghiệp",
    "front": "Mặt trận Tổ quốc",
    "association": "Hội, đoàn thể",
    "other": "Khác",
}
CAMPAIGN_KINDS = {"yearly": "Phong trào năm", "periodic": "Theo đợt", "thematic": "Chuyên đề"}
GENDERS = {"M": "Nam", "F": "Nữ", "": "Không rõ"}
ROLES = {
    "admin": "Văn phòng (quản trị)",
    "chairman": "Chủ tịch",
    "finance": "Tài chính - Kế toán",
    "unit_officer": "Cán bộ phụ trách đơn vị",
    "council_member": "Thành viên Hội đồng",
    "council_secretary": "Thư ký Hội đồng",
    "viewer": "Chỉ xem",
}


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


class BaseModel(pw.Model):
    class Meta:
        database = database
        legacy_table_names = False


class Versioned(BaseModel):
    version = pw.IntegerField(default=1)


class Commune(Versioned):
    """The commune profile: one row, written by `thidua init` or the demo."""
    name = pw.CharField(max_length=120)
    place_name = pw.CharField(max_length=120)
    province = pw.CharField(max_length=120, default="")
    chairman = pw.CharField(max_length=120, default="")
    created_at = pw.DateTimeField(default=utcnow)


class Unit(Versioned):
    name = pw.CharField(max_length=200)
    search_key = pw.CharField(max_length=200, index=True)
    kind = pw.CharField(max_length=20, choices=list(UNIT_KINDS.items()))
    parent = pw.ForeignKeyField("self", null=True, backref="children", on_delete="RESTRICT")
    head = pw.DeferredForeignKey("Person", null=True, on_delete="SET NULL")
    active = pw.BooleanField(default=True)
    note = pw.TextField(default="")


class Household(Versioned):
    head_name = pw.CharField(max_length=200)
    search_key = pw.CharField(max_length=200, index=True)
    sort_key = pw.CharField(max_length=400, index=True)
    village = pw.ForeignKeyField(Unit, backref="households", on_delete="RESTRICT")
    address = pw.CharField(max_length=300, default="")


class Person(Versioned):
    full_name = pw.CharField(max_length=200)
    search_key = pw.CharField(max_length=200, index=True)
    sort_key = pw.CharField(max_length=400, index=True)
    birth_date = pw.DateField(null=True)
    gender = pw.CharField(max_length=1, default="", choices=list(GENDERS.items()))
    citizen_id = pw.CharField(max_length=12, null=True, unique=True)
    unit = pw.ForeignKeyField(Unit, null=True, backref="members", on_delete="SET NULL")
    position = pw.CharField(max_length=200, default="")
    household = pw.ForeignKeyField(Household, null=True, backref="people", on_delete="SET NULL")
    recruited_on = pw.DateField(null=True)
    active = pw.BooleanField(default=True)


class User(Versioned):
    login = pw.CharField(max_length=64, unique=True)
    display_name = pw.CharField(max_length=200)
    roles = pw.CharField(max_length=200, default="")  # comma-separated keys of ROLES
    person = pw.ForeignKeyField(Person, null=True, on_delete="SET NULL")
    active = pw.BooleanField(default=True)
    created_at = pw.DateTimeField(default=utcnow)

    @property
    def role_set(self) -> frozenset[str]:
        return frozenset(r for r in self.roles.split(",") if r)


class UserUnit(BaseModel):
    """The units a unit officer may edit."""
    user = pw.ForeignKeyField(User, backref="unit_links", on_delete="CASCADE")
    unit = pw.ForeignKeyField(Unit, on_delete="CASCADE")

    class Meta:
        indexes = ((("user", "unit"), True),)


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


class Initiative(Versioned):
    """A recognised initiative (sáng kiến) or applied project: the CSTĐCS prerequisite."""
    title = pw.CharField(max_length=400)
    authors = pw.TextField(default="")
    decision_ref = pw.CharField(max_length=120, default="")
    recognised_on = pw.DateField(null=True)
    scope = pw.CharField(max_length=120, default="")


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


class ChangeLog(BaseModel):
    """Every change, in the transaction that made it: the audit trail and the
    feed other sessions poll (by id) to refresh what they show."""
    at = pw.DateTimeField(default=utcnow)
    login = pw.CharField(max_length=64)
    table_name = pw.CharField(max_length=64)
    row_id = pw.IntegerField(null=True)
    action = pw.CharField(max_length=10)
    before = pw.TextField(default="")
    after = pw.TextField(default="")
    prev_hash = pw.CharField(max_length=64)
    hash = pw.CharField(max_length=64)


CORE_TABLES = [Commune, Unit, Household, Person, User, UserUnit, Campaign, CampaignUnit,
               ContentArea, Criterion, Initiative, InitiativeAuthor, TitleAward, ChangeLog]


class OnlineSession(BaseModel):
    """A running app session: who, since when, on which screen. A row whose
    heartbeat is old belongs to a session that died (kill -9, power cut)."""
    login = pw.CharField(max_length=64, index=True)
    pid = pw.IntegerField()
    origin = pw.CharField(max_length=120, default="")
    started_at = pw.DateTimeField(default=utcnow)
    last_seen = pw.DateTimeField(default=utcnow, index=True)
    screen = pw.CharField(max_length=64, default="")
