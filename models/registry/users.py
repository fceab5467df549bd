"""Accounts: who may sign in, with which roles and which units, and the person each
account is (a council member's recusal and "not one's own nomination" read it)."""
from __future__ import annotations

import re
from dataclasses import dataclass

from models import fields, text
from models.errors import NotFound, PermissionDenied, RuleError
from models.registry import people
from models.registry.access import Actor, actor_for, require
from models.registry.tables import ROLES, Person, Unit, User, UserUnit
from models.store import changelog, records
from models.store.tables import database

LOGIN = re.compile(r"[a-z][a-z0-9._-]{1,31}")
WHAT = "người dùng"
MANAGERS = ("admin",)  # add accounts, change their roles, units and person, lock them


def can_manage(actor: Actor) -> bool:
    return actor.has(*MANAGERS)


def _roles(roles) -> str:
    chosen = [r.strip() for r in (roles.split(",") if isinstance(roles, str) else roles)]
    chosen = [r for r in chosen if r]
    if not chosen:
        raise RuleError("Người dùng phải có ít nhất một vai trò.")
    for role in chosen:
        fields.choice(role, ROLES, "Vai trò")
    return ",".join(sorted(set(chosen)))


def _person(person_id: int | None, user_id: int | None) -> int | None:
    """The person an account is: one account each, or recusal would miss the other."""
    if person_id is None:
        return None
    person = records.get(Person, person_id, "người")
    other = User.get_or_none((User.person == person_id) & (User.id != (user_id or 0)))
    if other is not None:
        raise RuleError(f"{text.visible(person.full_name)} đã gắn với tài khoản {other.login}.")
    return person_id


def _link_units(actor: Actor, user_id: int, unit_ids) -> None:
    """Replace the units the account may edit, logged as one change."""
    wanted = sorted(set(unit_ids))
    for unit_id in wanted:
        records.get(Unit, unit_id, "đơn vị")
    before = unit_ids_of(user_id)
    if before == wanted:
        return
    UserUnit.delete().where(UserUnit.user == user_id).execute()
    UserUnit.insert_many([(user_id, unit_id) for unit_id in wanted],
                         fields=[UserUnit.user, UserUnit.unit]).execute()
    changelog.record(actor.login, "user_unit", user_id, "update",
                     before={"units": before}, after={"units": wanted})


def add_user(actor: Actor, login: str, display_name: str, roles, unit_ids=(),
             person_id: int | None = None) -> User:
    require(actor, *MANAGERS, action="thêm người dùng")
    login = (login or "").strip()
    if not LOGIN.fullmatch(login):
        raise RuleError("Tên đăng nhập gồm 2-32 ký tự: chữ thường không dấu, số, dấu chấm, "
                        "gạch ngang hoặc gạch dưới, bắt đầu bằng chữ.")
    values = {"login": login, "display_name": fields.name(display_name, "Tên hiển thị"),
              "roles": _roles(roles)}
    with database.atomic():
        if User.get_or_none(User.login == login) is not None:
            raise RuleError(f"Tên đăng nhập {login} đã có người dùng.")
        user = records.insert(actor, User, person=_person(person_id, None), **values)
        _link_units(actor, user.id, unit_ids)
    return user


def update_user(actor: Actor, user_id: int, version: int, display_name: str,
                person_id: int | None) -> User:
    """The account's name and the person it is (None: no one)."""
    require(actor, *MANAGERS, action="sửa người dùng")
    name = fields.name(display_name, "Tên hiển thị")
    with database.atomic():
        return records.update(actor, User, user_id, version, WHAT, display_name=name,
                              person=_person(person_id, user_id))


def _other_active_admin(user: User) -> bool:
    return User.select().where((User.active == True) & (User.roles.contains("admin"))  # noqa: E712
                               & (User.id != user.id)).exists()


LAST_ADMIN = ("Đây là quản trị viên cuối cùng còn hoạt động; thêm người khác trước, "
              "để không ai bị khóa ngoài hệ thống.")


def set_roles(actor: Actor, user_id: int, version: int, roles) -> User:
    require(actor, *MANAGERS, action="đổi vai trò người dùng")
    chosen = _roles(roles)
    with database.atomic():
        user = get(user_id)
        if "admin" in user.role_set and "admin" not in chosen.split(","):
            if user.login == actor.login:
                raise RuleError("Không thể tự bỏ vai trò quản trị của chính mình.")
            if user.active and not _other_active_admin(user):
                raise RuleError(LAST_ADMIN)
        return records.update(actor, User, user_id, version, WHAT, roles=chosen)


def set_units(actor: Actor, user_id: int, unit_ids) -> None:
    """The units a unit officer may edit, replaced as a whole (a tick list on screen)."""
    require(actor, *MANAGERS, action="chọn đơn vị cho người dùng")
    with database.atomic():
        get(user_id)
        _link_units(actor, user_id, unit_ids)


def find(login: str) -> User:
    user = User.get_or_none(User.login == login)
    if user is None:
        raise NotFound(f"Không có người dùng “{text.visible(login)}”.")
    return user


def get(user_id: int) -> User:
    return records.get(User, user_id, WHAT)


def sign_in(login: str) -> Actor:
    """The actor for a login at the start of a session; a disabled user is refused."""
    user = find(login)
    if not user.active:
        raise PermissionDenied(f"Tài khoản {login} đã bị khóa.")
    return actor_for(user)


def set_active(actor: Actor, login: str, active: bool) -> User:
    require(actor, *MANAGERS, action="khóa hay mở tài khoản")
    user = find(login)
    if not active and user.login == actor.login:
        raise RuleError("Không thể tự khóa tài khoản của chính mình.")
    if not active and "admin" in user.role_set and not _other_active_admin(user):
        raise RuleError(LAST_ADMIN)
    return records.update(actor, User, user.id, user.version, WHAT, active=active)


def all_users() -> list[User]:
    return list(User.select().order_by(User.login))


def unit_ids_of(user_id: int) -> list[int]:
    return sorted(link.unit_id for link in
                  UserUnit.select(UserUnit.unit).where(UserUnit.user == user_id))


def _units_of(user_ids) -> dict[int, list[Unit]]:
    """User id -> the units linked to it, in name order (one query)."""
    found: dict[int, list[Unit]] = {}
    for link in (UserUnit.select(UserUnit, Unit).join(Unit)
                 .where(UserUnit.user.in_(list(user_ids))).order_by(Unit.search_key)):
        found.setdefault(link.user_id, []).append(link.unit)
    return found


def unit_names(user: User) -> list[str]:
    return [unit.name for unit in _units_of([user.id]).get(user.id, [])]


# --- The person an account is -----------------------------------------------------------

def find_person(value: str) -> Person:
    """The person typed as `--person` or in the Users form: a citizen id (CCCD), a
    record number, or "Họ và tên, dd/mm/yyyy" (accents and case optional)."""
    typed = text.nfc(value or "").strip()
    if "," not in typed:
        if typed.isdigit():
            return people.by_number(typed)
        raise RuleError("Ghi số CCCD, mã số của người, hoặc “Họ và tên, dd/mm/yyyy”.")
    name, _, born = typed.rpartition(",")
    birth_date = text.parse_date(born.strip(), "Ngày sinh")
    key = text.fold(name)
    found = list(Person.select().where((Person.search_key == key)
                                       & (Person.birth_date == birth_date)).limit(3))
    shown = f"{text.visible(name.strip())}, sinh {text.format_date(birth_date)}"
    if not found:
        raise NotFound(f"Không có ai tên {shown}.")
    if len(found) > 1:
        raise RuleError(f"Có nhiều người tên {shown}; ghi số CCCD hoặc mã số của người.")
    return found[0]


def person_reference(person: Person | None) -> str:
    """How `find_person` finds this person again: their CCCD, else name and birth date,
    else their record number."""
    if person is None:
        return ""
    if person.citizen_id:
        return person.citizen_id
    if person.birth_date:
        return f"{person.full_name}, {text.format_date(person.birth_date)}"
    return str(person.id)


# --- The Users screen -------------------------------------------------------------------

@dataclass(frozen=True)
class Account:
    """One line of the Users list."""
    user: User
    units: list[Unit]
    person_name: str          # "" when the account names no one

    @property
    def role_names(self) -> list[str]:
        return [ROLES[r] for r in sorted(self.user.role_set) if r in ROLES]

    @property
    def unit_codes(self) -> list[str]:
        return [u.code or u.name for u in self.units]


def _accounts(rows: list[User]) -> list[Account]:
    """The accounts of `rows`, their units and people read in two queries."""
    units_of = _units_of(u.id for u in rows)
    person_ids = sorted({u.person_id for u in rows if u.person_id})
    names = {p.id: p.full_name for p in
             Person.select(Person.id, Person.full_name).where(Person.id.in_(person_ids))}
    return [Account(u, units_of.get(u.id, []), names.get(u.person_id, "")) for u in rows]


def account(user_id: int) -> Account:
    return _accounts([get(user_id)])[0]


def accounts(query: str = "") -> list[Account]:
    """Every account whose login, name or person matches `query` (accents optional),
    by login."""
    found = _accounts(all_users())
    wanted = text.fold(query)
    return [a for a in found
            if wanted in text.fold(f"{a.user.login} {a.user.display_name} {a.person_name}")]
