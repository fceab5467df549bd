"""The council's sessions: their agenda, attendance, written opinions of absent
members, quorum and recusal. Members and who runs a session are in members.py,
ballots in ballots.py, the minutes in minutes.py.
"""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from models import fields, text
from models.awards import nominations
from models.awards.tables import Nomination
from models.council import lists, members
from models.council.tables import (ATTENDANCE, CHOICES, AgendaItem, Attendance, CouncilMember,
                                   CouncilSession, WrittenOpinion)
from models.errors import RuleError
from models.registry.access import Actor, require
from models.registry.tables import Unit
from models.store import changelog, records
from models.store.tables import database

SESSION = "phiên họp Hội đồng"


# --- sessions and agenda --------------------------------------------------------------------

def get_session(session_id: int) -> CouncilSession:
    return records.get(CouncilSession, session_id, SESSION)


def create_session(actor: Actor, held_on, place: str = "", starts_at: str = "",
                   agenda: list[int] | None = None) -> CouncilSession:
    """A session; its agenda is `agenda`, or every nomination now at the council."""
    require(actor, *members.RUN, action="tạo phiên họp Hội đồng")
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
    when none are named; a household list comes as its villages' lines). Returns
    how many."""
    require(actor, *members.RUN, action="lập chương trình phiên họp")
    get_session(session_id)
    if nomination_ids is None:
        nomination_ids = ([n.id for n in nominations.at_council() if n.batch_id is None]
                          + lists.waiting())
    with database.atomic():
        have = {a.nomination_id
                for a in AgendaItem.select().where(AgendaItem.session == session_id)}
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


# --- attendance, written opinions, quorum ----------------------------------------------------

def set_attendance(actor: Actor, session_id: int, member_id: int, status: str) -> Attendance:
    require(actor, *members.SECRETARY, action="điểm danh thành viên Hội đồng")
    status = fields.choice(status, ATTENDANCE, "Điểm danh")
    session = get_session(session_id)
    member = members.get(member_id)
    if member not in members.members(session.held_on):
        raise RuleError(f"{text.visible(members.member_name(member))} không trong nhiệm kỳ "
                        "Hội đồng vào ngày họp.")
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


def roll_call(session_id: int) -> list[tuple[CouncilMember, str]]:
    """(member, present | absent | written | "" not marked yet) for each member
    serving on the session's day, as `members.members` orders them."""
    session = get_session(session_id)
    marks = attendance(session_id)
    return [(m, marks.get(m.id, "")) for m in members.members(session.held_on)]


def present_members(session_id: int) -> list[CouncilMember]:
    return [m for m, mark in roll_call(session_id) if mark == "present"]


def is_present(session_id: int, member_id: int) -> bool:
    """Whether the member is marked present: only they vote on the session's ballots."""
    return Attendance.select().where(
        (Attendance.session == session_id) & (Attendance.member == member_id)
        & (Attendance.status == "present")).exists()


def gives_written_opinion(session_id: int, member_id: int) -> bool:
    """Whether the member is marked absent with a written opinion, the only
    members whose opinion the secretary enters."""
    return attendance(session_id).get(member_id) == "written"


def set_written_opinions(actor: Actor, session_id: int, member_id: int,
                         choices: dict[int, str]) -> int:
    """An absent member's written opinion (ý kiến bằng văn bản), name by name, as
    the secretary received it on paper. Counted where the title's rule says so."""
    require(actor, *members.SECRETARY, action="ghi ý kiến bằng văn bản")
    if not gives_written_opinion(session_id, member_id):
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
                changelog.record(actor.login, "written_opinion", row.id, "update",
                                 before={"choice": row.choice}, after={"choice": choice})
    return len(choices)


def written_opinions(session_id: int, nomination_id: int | None = None) -> list[WrittenOpinion]:
    query = WrittenOpinion.select().where(WrittenOpinion.session == session_id)
    if nomination_id is not None:
        query = query.where(WrittenOpinion.nomination == nomination_id)
    return list(query.order_by(WrittenOpinion.id))


def written_choices(session_id: int, member_id: int) -> dict[int, str]:
    """nomination id -> choice: what the secretary entered of one member's written opinion."""
    return {w.nomination_id: w.choice for w in written_opinions(session_id)
            if w.member_id == member_id}


@dataclass(frozen=True)
class Quorum:
    members: int
    present: int
    needed: int      # the smallest number present that makes the quorum
    met: bool

    def text(self) -> str:
        state = "đủ số" if self.met else f"chưa đủ số (cần {self.needed})"
        return f"Có mặt {self.present}/{self.members} · {state}"



def quorum(cfg, session_id: int, title_code: str | None = None) -> Quorum:
    """The quorum of the session by the title's rule (the titles' default rule,
    "title", when none is named)."""
    session = get_session(session_id)
    rule = cfg.voting_rule(title_code) if title_code else cfg.voting["title"]
    serving = [row[0] for row in CouncilMember.select(CouncilMember.id)
               .where(members.serving_on(session.held_on)).tuples()]
    marks = attendance(session_id)
    total = len(serving)
    present = sum(1 for m in serving if marks.get(m) == "present")
    return Quorum(total, present, math.ceil(rule.quorum * total),
                  rule.quorum_met(present, total))


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
