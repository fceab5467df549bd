"""Who is acting, and what their roles let them do.

Every operation takes an `Actor` and checks it here, so a screen that forgets
to hide a button still cannot change what the user may not change.
"""
from __future__ import annotations

from dataclasses import dataclass

from models.errors import PermissionDenied
from models.registry.tables import ROLES, User, UserUnit


@dataclass(frozen=True)
class Actor:
    login: str
    display_name: str
    roles: frozenset[str]
    unit_ids: frozenset[int] = frozenset()
    user_id: int | None = None
    person_id: int | None = None   # the person the account is, when it names one

    def has(self, *roles: str) -> bool:
        return bool(self.roles & set(roles))

    @property
    def is_admin(self) -> bool:
        return "admin" in self.roles


# The command line run by the server's administrator, and the demo builder.
SYSTEM = Actor(login="system", display_name="Hệ thống", roles=frozenset({"admin"}))


def actor_for(user: User) -> Actor:
    units = frozenset(link.unit_id for link in
                      UserUnit.select(UserUnit.unit).where(UserUnit.user == user))
    return Actor(login=user.login, display_name=user.display_name, roles=user.role_set,
                 unit_ids=units, user_id=user.id, person_id=user.person_id)


def require(actor: Actor, *roles: str, action: str) -> None:
    if not actor.has(*roles):
        names = ", ".join(ROLES[r] for r in roles)
        raise PermissionDenied(f"Bạn không có quyền {action} (cần vai trò: {names}).")


UNIT_EDITORS = ("admin", "unit_officer")


def edits_units(actor: Actor) -> bool:
    """Whether the actor edits the records of some unit (its people, households, head):
    screens offer the edit keys on that, and each operation then checks the unit."""
    return actor.has(*UNIT_EDITORS)


def may_edit_unit(actor: Actor, unit_id: int | None) -> bool:
    """Office staff edit every unit; a unit officer only the units assigned to them."""
    if actor.is_admin:
        return True
    return actor.has("unit_officer") and unit_id is not None and unit_id in actor.unit_ids


def require_unit(actor: Actor, unit_id: int | None, *, action: str) -> None:
    if not may_edit_unit(actor, unit_id):
        raise PermissionDenied(f"Bạn không có quyền {action} của đơn vị này.")


# Everyone but a unit officer follows the whole commune; a unit officer, their own units.
SEE_ALL_UNITS = ("admin", "chairman", "finance", "council_member", "council_secretary", "viewer")


def sees_all_units(actor: Actor) -> bool:
    return actor.has(*SEE_ALL_UNITS)
