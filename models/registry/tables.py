"""The registry's tables: the commune profile, units, households, people, user
accounts and the units an account may edit (DOMAIN.md)."""
from __future__ import annotations

import peewee as pw

from models.store.tables import BaseModel, Versioned, utcnow

UNIT_KINDS = {
    "department": "Bộ phận chuyên môn",
    "village": "Thôn",
    "cooperative": "Hợp tác xã",
    "enterprise": "Doanh nghiệp",
    "front": "Mặt trận Tổ quốc",
    "association": "Hội, đoàn thể",
    "other": "Khác",
}
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


class Commune(Versioned):
    """The commune profile: one row, written by `thidua init` or the demo."""
    name = pw.CharField(max_length=120)
    place_name = pw.CharField(max_length=120)
    province = pw.CharField(max_length=120, default="")
    chairman = pw.CharField(max_length=120, default="")
    created_at = pw.DateTimeField(default=utcnow)


class Unit(Versioned):
    # A short code officers write in their spreadsheets ("T01"); given or made on creation.
    code = pw.CharField(max_length=20, null=True, unique=True)
    name = pw.CharField(max_length=200)
    search_key = pw.CharField(max_length=200, index=True)
    kind = pw.CharField(max_length=20, choices=list(UNIT_KINDS.items()))
    parent = pw.ForeignKeyField("self", null=True, backref="children", on_delete="RESTRICT")
    head = pw.DeferredForeignKey("Person", null=True, on_delete="SET NULL")
    active = pw.BooleanField(default=True)
    note = pw.TextField(default="")


class Household(Versioned):
    # The household's code (mã hộ): a head's name alone does not tell households apart.
    code = pw.CharField(max_length=20, null=True, unique=True)
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
