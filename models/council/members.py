"""The council's members and their terms, and who runs the council.

The Office (admin) keeps the list of members; the chairman, the council's
secretary and the Office run a session (the Office prepares the council's
meetings); attendance, written opinions and paper counts are the secretary's (or
the Office's). Roles are the users' roles (models/registry/tables.py ROLES): they
are what `nominations.record_council_result` checks too.
"""
from __future__ import annotations

import datetime as dt

from models import fields, text
from models.council.tables import COUNCIL_ROLES, CouncilMember
from models.errors import NotFound, RuleError
from models.registry import users
from models.registry.access import Actor, require
from models.registry.tables import User
from models.store import records
from models.store.tables import database

KEEP = ("admin",)
RUN = ("admin", "chairman", "council_secretary")
SECRETARY = ("admin", "council_secretary")
MEMBER = "thành viên Hội đồng"
TERM_STATES = {"upcoming": "sắp tới", "serving": "đang giữ", "ended": "đã hết"}


def can_keep(actor: Actor) -> bool:
    """Whether the actor appoints members and ends their terms."""
    return actor.has(*KEEP)


def can_run(actor: Actor) -> bool:
    """Whether the actor runs a session: agenda, ballots, results, minutes."""
    return actor.has(*RUN)


def add_member(actor: Actor, login: str, role: str, term_from, term_to=None,
               position: int = 0) -> CouncilMember:
    require(actor, *KEEP, action="cập nhật thành viên Hội đồng")
    user = User.get_or_none(User.login == (login or "").strip())
    if user is None:
        raise NotFound(f"Không có người dùng “{text.visible(login or '')}”.")
    starts = fields.required_date(term_from, "Nhiệm kỳ từ")
    ends = fields.optional_date(term_to, "Nhiệm kỳ đến")
    if ends is not None and ends < starts:
        raise RuleError("Nhiệm kỳ kết thúc trước khi bắt đầu.")
    role = fields.choice(role, COUNCIL_ROLES, "Chức danh trong Hội đồng")
    with database.atomic():
        for other in CouncilMember.select().where(CouncilMember.user == user.id):
            if _overlaps(other, starts, ends):
                raise RuleError(f"{text.visible(user.display_name)} đã là thành viên Hội đồng "
                                "trong nhiệm kỳ này.")
        return records.insert(actor, CouncilMember, user=user.id, role=role, term_from=starts,
                              term_to=ends, position=position)


def end_term(actor: Actor, member_id: int, version: int, term_to) -> CouncilMember:
    require(actor, *KEEP, action="cập nhật thành viên Hội đồng")
    member = get(member_id)
    ends = fields.required_date(term_to, "Nhiệm kỳ đến")
    if ends < member.term_from:
        raise RuleError("Nhiệm kỳ kết thúc trước khi bắt đầu.")
    return records.update(actor, CouncilMember, member_id, version, MEMBER, term_to=ends)


def _overlaps(member: CouncilMember, starts: dt.date, ends: dt.date | None) -> bool:
    return (member.term_to is None or member.term_to >= starts) and \
        (ends is None or ends >= member.term_from)


def get(member_id: int) -> CouncilMember:
    return records.get(CouncilMember, member_id, MEMBER)


def serving_on(on: dt.date):
    """The condition on `CouncilMember` of a term that includes `on`."""
    return (CouncilMember.term_from <= on) & (CouncilMember.term_to.is_null()
                                              | (CouncilMember.term_to >= on))


def members(on: dt.date) -> list[CouncilMember]:
    """The members serving on `on`, chair first, then in the list's order."""
    rank = {role: i for i, role in enumerate(COUNCIL_ROLES)}
    rows = CouncilMember.select(CouncilMember, User).join(User).where(serving_on(on))
    return sorted(rows, key=lambda m: (rank.get(m.role, 9), m.position, m.id))


def serving(member: CouncilMember, on: dt.date) -> bool:
    return member.term_from <= on and (member.term_to is None or member.term_to >= on)


def term_state(member: CouncilMember, on: dt.date) -> str:
    """upcoming | serving | ended (TERM_STATES) on `on`."""
    if member.term_from > on:
        return "upcoming"
    return "serving" if serving(member, on) else "ended"


def roster(on: dt.date) -> list[CouncilMember]:
    """Every appointment: those serving on `on` first, as `members` orders them,
    then the others, the latest term first."""
    now = members(on)
    ids = {m.id for m in now}
    rest = (CouncilMember.select(CouncilMember, User).join(User)
            .order_by(CouncilMember.term_from.desc(), CouncilMember.id))
    return now + [m for m in rest if m.id not in ids]


def appointable(on: dt.date) -> list[User]:
    """The active users who may be appointed on `on`: those not serving then."""
    taken = {m.user_id for m in members(on)}
    return [u for u in users.all_users() if u.active and u.id not in taken]


def member_of(actor: Actor, on: dt.date) -> CouncilMember | None:
    if actor.user_id is None:
        return None
    return (CouncilMember.select(CouncilMember, User).join(User)
            .where((CouncilMember.user == actor.user_id) & serving_on(on)).first())


def member_name(member: CouncilMember) -> str:
    return member.user.display_name


def role_name(member: CouncilMember) -> str:
    return COUNCIL_ROLES.get(member.role, member.role)
