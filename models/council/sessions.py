"""The council (Hội đồng Thi đua - Khen thưởng): its members and their terms,
its sessions with their agenda, attendance, written opinions and quorum.
Ballots are in ballots.py, the minutes in minutes.py.

Who may do what: the Office (admin) keeps the list of members; the chairman,
the council's secretary and the Office run a session (the Office prepares the
council's meetings); attendance and written opinions are the secretary's (or
the Office's). Roles are the users' roles (models/registry/tables.py ROLES): they are
what `nominations.record_council_result` checks too.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from models import fields, text
from models.awards import nominations
from models.awards.tables import Nomination
from models.council.tables import (ATTENDANCE, CHOICES, COUNCIL_ROLES, AgendaItem, Attendance,
                                   CouncilMember, CouncilSession, WrittenOpinion)
from models.errors import NotFound, RuleError
from models.registry.access import Actor, require
from models.registry.tables import Household, Person, Unit, User
from models.store import records
from models.store.tables import database

RUN = ("admin", "chairman", "council_secretary")
SECRETARY = ("admin", "council_secretary")
MEMBER = "thành viên Hội đồng"
SESSION = "phiên họp Hội đồng"


# --- members ------------------------------------------------------------------------------

def add_member(actor: Actor, login: str, role: str, term_from, term_to=None,
               position: int = 0) -> CouncilMember:
    require(actor, "admin", action="cập nhật thành viên Hội đồng")
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
    require(actor, "admin", action="cập nhật thành viên Hội đồng")
    member = records.get(CouncilMember, member_id, MEMBER)
    ends = fields.required_date(term_to, "Nhiệm kỳ đến")
    if ends < member.term_from:
        raise RuleError("Nhiệm kỳ kết thúc trước khi bắt đầu.")
    return records.update(actor, CouncilMember, member_id, version, MEMBER, term_to=ends)


def _overlaps(member: CouncilMember, starts: dt.date, ends: dt.date | None) -> bool:
    return (member.term_to is None or member.term_to >= starts) and \
        (ends is None or ends >= member.term_from)


def members(on: dt.date) -> list[CouncilMember]:
    """The members serving on `on`, chair first, then in the list's order."""
    rank = {role: i for i, role in enumerate(COUNCIL_ROLES)}
    rows = (CouncilMember.select(CouncilMember, User).join(User)
            .where((CouncilMember.term_from <= on)
                   & (CouncilMember.term_to.is_null() | (CouncilMember.term_to >= on))))
    return sorted(rows, key=lambda m: (rank.get(m.role, 9), m.position, m.id))


def serving(member: CouncilMember, on: dt.date) -> bool:
    return member.term_from <= on and (member.term_to is None or member.term_to >= on)


def roster(on: dt.date) -> list[CouncilMember]:
    """Every appointment: those serving on `on` first, as `members` orders them,
    then the others, the latest term first."""
    now = members(on)
    ids = {m.id for m in now}
    rest = (CouncilMember.select(CouncilMember, User).join(User)
            .order_by(CouncilMember.term_from.desc(), CouncilMember.id))
    return now + [m for m in rest if m.id not in ids]


def member_of(actor: Actor, on: dt.date) -> CouncilMember | None:
    if actor.user_id is None:
        return None
    return (CouncilMember.select(CouncilMember, User).join(User)
            .where((CouncilMember.user == actor.user_id) & (CouncilMember.term_from <= on)
                   & (CouncilMember.term_to.is_null() | (CouncilMember.term_to >= on)))
            .first())


def member_name(member: CouncilMember) -> str:
    return member.user.display_name


def role_name(member: CouncilMember) -> str:
    return COUNCIL_ROLES.get(member.role, member.role)


def can_run(actor: Actor) -> bool:
    return actor.has(*RUN)


# --- sessions and agenda --------------------------------------------------------------------

def get_session(session_id: int) -> CouncilSession:
    return records.get(CouncilSession, session_id, SESSION)


def create_session(actor: Actor, held_on, place: str = "", starts_at: str = "",
                   agenda: list[int] | None = None) -> CouncilSession:
    """A session; its agenda is `agenda`, or every nomination now at the council."""
    require(actor, *RUN, action="tạo phiên họp Hội đồng")
    day = fields.required_date(held_on, "Ngày họp")
    clock = _clock(starts_at)
    with database.atomic():
        session = records.insert(actor, CouncilSession, held_on=day, starts_at=clock,
                                 place=fields.optional_text(place, "Địa điểm"), year=day.year,
                                 created_by=actor.login)
        add_to_agenda(actor, session.id, agenda)
    return session


def _clock(value: str) -> str:
    value = (value or "").strip().replace("h", ":").replace(".", ":")
    if not value:
        return ""
    try:
        hour, minute = (value.split(":") + ["0"])[:2]
        moment = dt.time(int(hour), int(minute or 0))
    except ValueError:
        raise RuleError("Giờ họp viết dạng 08:00.") from None
    return moment.strftime("%H:%M")


def add_to_agenda(actor: Actor, session_id: int, nomination_ids: list[int] | None = None) -> int:
    """Put nominations at the council stage on the session's agenda (all of them
    when none are named; batch members stay with their batch). Returns how many."""
    require(actor, *RUN, action="lập chương trình phiên họp")
    get_session(session_id)
    if nomination_ids is None:
        nomination_ids = [n.id for n in nominations.at_council() if n.batch_id is None]
    with database.atomic():
        have = {a.nomination_id for a in AgendaItem.select().where(AgendaItem.session == session_id)}
        position = len(have)
        added = 0
        for nomination_id in nomination_ids:
            nom = nominations.get(nomination_id)
            if nom.id in have:
                continue
            if nom.state != "at_council":
                raise RuleError(f"Đề nghị số {nom.id} không chờ Hội đồng (đang "
                                f"“{nominations.state_name(nom.state)}”).")
            position += 1
            records.insert(actor, AgendaItem, session=session_id, nomination=nom.id,
                           position=position)
            have.add(nom.id)
            added += 1
    return added


def agenda(session_id: int) -> list[Nomination]:
    return list(Nomination.select().join(AgendaItem, on=(AgendaItem.nomination == Nomination.id))
                .where(AgendaItem.session == session_id).order_by(AgendaItem.position))


def current_session() -> CouncilSession | None:
    """The session being held: the latest one."""
    return CouncilSession.select().order_by(CouncilSession.held_on.desc(),
                                            CouncilSession.id.desc()).first()


def sessions() -> list[CouncilSession]:
    return list(CouncilSession.select().order_by(CouncilSession.held_on.desc(),
                                                 CouncilSession.id.desc()))


def subject_name(nom: Nomination) -> str:
    if nom.person_id:
        return Person.get_by_id(nom.person_id).full_name
    if nom.unit_id:
        return Unit.get_by_id(nom.unit_id).name
    if nom.household_id:
        return "Hộ " + Household.get_by_id(nom.household_id).head_name
    return f"Đề nghị số {nom.id}"


# --- attendance, written opinions, quorum ----------------------------------------------------

def set_attendance(actor: Actor, session_id: int, member_id: int, status: str) -> Attendance:
    require(actor, *SECRETARY, action="điểm danh thành viên Hội đồng")
    status = fields.choice(status, ATTENDANCE, "Điểm danh")
    session = get_session(session_id)
    member = records.get(CouncilMember, member_id, MEMBER)
    if member not in members(session.held_on):
        raise RuleError(f"{text.visible(member_name(member))} không trong nhiệm kỳ Hội đồng "
                        "vào ngày họp.")
    with database.atomic():
        row = Attendance.get_or_none((Attendance.session == session_id)
                                     & (Attendance.member == member_id))
        if row is None:
            return records.insert(actor, Attendance, session=session_id, member=member_id,
                                  status=status)
        if row.status == status:
            return row
        return records.update(actor, Attendance, row.id, row.version, "điểm danh",
                              status=status)


def attendance(session_id: int) -> dict[int, str]:
    """member id -> present | absent | written (members not marked are absent)."""
    return {a.member_id: a.status for a in
            Attendance.select().where(Attendance.session == session_id)}


def present_members(session_id: int) -> list[CouncilMember]:
    session = get_session(session_id)
    marks = attendance(session_id)
    return [m for m in members(session.held_on) if marks.get(m.id) == "present"]


def set_written_opinions(actor: Actor, session_id: int, member_id: int,
                         choices: dict[int, str]) -> int:
    """An absent member's written opinion (ý kiến bằng văn bản), name by name, as
    the secretary received it on paper. Counted where the title's rule says so."""
    require(actor, *SECRETARY, action="ghi ý kiến bằng văn bản")
    if attendance(session_id).get(member_id) != "written":
        raise RuleError("Chỉ ghi ý kiến bằng văn bản cho thành viên vắng mặt có ý kiến "
                        "bằng văn bản (điểm danh trước).")
    on_agenda = {n.id for n in agenda(session_id)}
    with database.atomic():
        for nomination_id, choice in choices.items():
            fields.choice(choice, CHOICES, "Ý kiến")
            if nomination_id not in on_agenda:
                raise RuleError(f"Đề nghị số {nomination_id} không có trong phiên họp.")
            row = WrittenOpinion.get_or_none(
                (WrittenOpinion.session == session_id) & (WrittenOpinion.member == member_id)
                & (WrittenOpinion.nomination == nomination_id))
            if row is None:
                records.insert(actor, WrittenOpinion, session=session_id, member=member_id,
                               nomination=nomination_id, choice=choice)
            elif row.choice != choice:
                WrittenOpinion.update(choice=choice).where(WrittenOpinion.id == row.id).execute()
                from models.store import changelog
                changelog.record(actor.login, "written_opinion", row.id, "update",
                                 before={"choice": row.choice}, after={"choice": choice})
    return len(choices)


def written_opinions(session_id: int, nomination_id: int | None = None) -> list[WrittenOpinion]:
    query = WrittenOpinion.select().where(WrittenOpinion.session == session_id)
    if nomination_id is not None:
        query = query.where(WrittenOpinion.nomination == nomination_id)
    return list(query.order_by(WrittenOpinion.id))


@dataclass(frozen=True)
class Quorum:
    members: int
    present: int
    needed: int      # the smallest number present that makes the quorum
    met: bool
    override: str    # the recorded reason when the session goes on without it

    def text(self) -> str:
        state = "đủ số" if self.met else f"chưa đủ số (cần {self.needed})"
        return f"Có mặt {self.present}/{self.members} · {state}"


def quorum(cfg, session_id: int, title_code: str | None = None) -> Quorum:
    """The quorum of the session by the title's rule (the titles' default rule,
    "title", when none is named)."""
    import math

    session = get_session(session_id)
    rule = cfg.voting_rule(title_code) if title_code else cfg.voting["title"]
    on = session.held_on
    serving = [row[0] for row in CouncilMember.select(CouncilMember.id).where(
        (CouncilMember.term_from <= on)
        & (CouncilMember.term_to.is_null() | (CouncilMember.term_to >= on))).tuples()]
    marks = attendance(session_id)
    total = len(serving)
    present = sum(1 for m in serving if marks.get(m) == "present")
    return Quorum(total, present, math.ceil(rule.quorum * total),
                  rule.quorum_met(present, total), session.quorum_override)


def override_quorum(actor: Actor, session_id: int, version: int, reason: str) -> CouncilSession:
    """Let ballots open without quorum, for a recorded reason."""
    require(actor, "chairman", "admin", action="cho họp khi chưa đủ số thành viên")
    clean = text.clean_text(reason, "Lý do", required=True, max_len=1000, multiline=True)
    return records.update(actor, CouncilSession, session_id, version, SESSION,
                          quorum_override=clean)


def recusal_reason(member: CouncilMember, nom: Nomination) -> str:
    """Why `member` does not vote on `nom` ("" when they do)."""
    person_id = member.user.person_id
    if person_id is None:
        return ""
    if nom.person_id == person_id:
        return "là người được đề nghị"
    if nom.unit_id:
        unit = Unit.get_by_id(nom.unit_id)
        if unit.head_id == person_id:
            return "là người đứng đầu đơn vị được đề nghị"
    return ""
