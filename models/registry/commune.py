"""The commune profile and the first administrator: what `thidua init` creates."""
from __future__ import annotations

from models import fields
from models.errors import RuleError
from models.registry import users
from models.registry.access import SYSTEM, Actor, require
from models.registry.tables import Commune, User
from models.store import records
from models.store.migrations import CORE_TABLES
from models.store.tables import database


def profile() -> Commune | None:
    return Commune.select().order_by(Commune.id).first()


def is_empty() -> bool:
    """Nothing of any commune is stored yet (a new file, an empty server database)."""
    return profile() is None and not any(m.select().exists() for m in CORE_TABLES)


def _values(name: str, place_name: str, province: str, chairman: str) -> dict:
    return {"name": fields.name(name, "Tên xã", max_len=120),
            "place_name": fields.name(place_name, "Địa danh", max_len=120),
            "province": fields.optional_text(province, "Tỉnh", max_len=120),
            "chairman": fields.optional_text(chairman, "Chủ tịch", max_len=120)}


def initialise(name: str, place_name: str, province: str, chairman: str,
               admin_login: str, admin_name: str) -> User:
    """Create the profile and the first administrator in an empty database."""
    with database.atomic():
        if profile() is not None or User.select().exists():
            raise RuleError("Cơ sở dữ liệu này đã được khởi tạo; không làm lại để khỏi mất dữ liệu.")
        records.insert(SYSTEM, Commune, **_values(name, place_name, province, chairman))
        return users.add_user(SYSTEM, admin_login, admin_name, ["admin"])


EDITORS = ("admin",)  # the Office keeps the profile: a new chairman, a merged commune's name


def can_edit_profile(actor: Actor) -> bool:
    return actor.has(*EDITORS)


def update_profile(actor: Actor, version: int, name: str, place_name: str, province: str,
                   chairman: str) -> Commune:
    require(actor, *EDITORS, action="sửa thông tin xã")
    current = profile()
    if current is None:
        raise RuleError("Chưa khởi tạo thông tin xã: chạy “thidua init”.")
    return records.update(actor, Commune, current.id, version, "thông tin xã",
                          **_values(name, place_name, province, chairman))
