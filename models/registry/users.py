"""Accounts: who may sign in, with which roles and which units."""
from __future__ import annotations

import re

from models import fields, text
from models.errors import NotFound, PermissionDenied, RuleError
from models.registry.access import Actor, actor_for, require
from models.registry.tables import ROLES, Unit, User, UserUnit
from models.store import records
from models.store.tables import database

LOGIN = re.compile(r"[a-z][a-z0-9._-]{1,31}")
WHAT = "người dùng"


def _roles(roles) -> str:
    chosen = [r.strip() for r in (roles.split(",") if isinstance(roles, str) else roles)]
    chosen = [r for r in chosen if r]
    if not chosen:
        raise RuleError("Người dùng phải có ít nhất một vai trò.")
    for role in chosen:
        fields.choice(role, ROLES, "Vai trò")
    return ",".join(sorted(set(chosen)))


def add_user(actor: Actor, login: str, display_name: str, roles, unit_ids=(),
             person_id: int | None = None) -> User:
    require(actor, "admin", action="thêm người dùng")
    login = (login or "").strip()
    if not LOGIN.fullmatch(login):
        raise RuleError("Tên đăng nhập gồm 2-32 ký tự: chữ thường không dấu, số, dấu chấm, "
                        "gạch ngang hoặc gạch dưới, bắt đầu bằng chữ.")
    values = {"login": login, "display_name": fields.name(display_name, "Tên hiển thị"),
              "roles": _roles(roles), "person": person_id}
    with database.atomic():
        if User.get_or_none(User.login == login) is not None:
            raise RuleError(f"Tên đăng nhập {login} đã có người dùng.")
        user = records.insert(actor, User, **values)
        for unit_id in unit_ids:
            records.get(Unit, unit_id, "đơn vị")
            UserUnit.create(user=user, unit=unit_id)
    return user


def find(login: str) -> User:
    user = User.get_or_none(User.login == login)
    if user is None:
        raise NotFound(f"Không có người dùng “{text.visible(login)}”.")
    return user


def sign_in(login: str) -> Actor:
    """The actor for a login at the start of a session; a disabled user is refused."""
    user = find(login)
    if not user.active:
        raise PermissionDenied(f"Tài khoản {login} đã bị khóa.")
    return actor_for(user)


def set_active(actor: Actor, login: str, active: bool) -> User:
    require(actor, "admin", action="khóa hay mở tài khoản")
    user = find(login)
    if not active and user.login == actor.login:
        raise RuleError("Không thể tự khóa tài khoản của chính mình.")
    if not active and "admin" in user.role_set and not User.select().where(
            (User.active == True) & (User.roles.contains("admin"))  # noqa: E712
            & (User.id != user.id)).exists():
        raise RuleError("Đây là quản trị viên cuối cùng còn hoạt động; thêm người khác "
                        "trước khi khóa, để không ai bị khóa ngoài hệ thống.")
    return records.update(actor, User, user.id, user.version, WHAT, active=active)


def all_users() -> list[User]:
    return list(User.select().order_by(User.login))


def unit_names(user: User) -> list[str]:
    return [link.unit.name for link in
            UserUnit.select(UserUnit, Unit).join(Unit).where(UserUnit.user == user)
            .order_by(Unit.search_key)]
