"""A session's vote-counting committee (ban kiểm phiếu): members present, chosen by
whoever runs the session, 1 to `[council] committee_max` of them. It counts the secret
and paper ballots, so the tally minutes of those name it and are not issued without it.

Changeable until the first ballot of the session closes: from then on the committee
has counted, and the minutes already issued name it. A session whose committee was
never recorded may still record it once, so that its tally minutes can be issued.
"""
from __future__ import annotations

from models import text
from models.council import ballots, members, sessions
from models.council.tables import Ballot, CouncilMember, CountingMember
from models.errors import RuleError
from models.registry.access import Actor, require
from models.store import records
from models.store.tables import database

WHAT = "thành viên Ban kiểm phiếu"
COUNTED = ("secret", "paper")   # the ballot kinds whose votes the committee counts


def of_session(session_id: int) -> list[CouncilMember]:
    """The committee, in the order `members.members` lists the council."""
    chosen = {c.member_id for c in CountingMember.select(CountingMember.member)
              .where(CountingMember.session == session_id)}
    held_on = sessions.get_session(session_id).held_on
    return [m for m in members.members(held_on) if m.id in chosen]


def may_record(actor: Actor) -> bool:
    """Whether the actor chooses the committee: the chair, the secretary, the Office."""
    return members.can_run(actor)


def why_fixed(session_id: int) -> str:
    """Why the committee can no longer change ("" while it can)."""
    closed = (Ballot.select(Ballot.id).where((Ballot.session == session_id)
                                             & (Ballot.state == "closed"))
              .order_by(Ballot.closed_at, Ballot.id).first())
    if closed is None or not CountingMember.select().where(
            CountingMember.session == session_id).exists():
        return ""
    return (f"Ban kiểm phiếu đã kiểm phiếu số {closed.id} (đã kết thúc): không thay đổi "
            "được nữa.")


def record(actor: Actor, cfg, session_id: int, member_ids: list[int]) -> list[CouncilMember]:
    """Make the committee exactly `member_ids`, members present at the session."""
    require(actor, *members.RUN, action="ghi Ban kiểm phiếu")
    most = cfg.council.committee_max
    chosen = set(member_ids)
    if not 1 <= len(chosen) <= most:
        raise RuleError(f"Ban kiểm phiếu có từ 1 đến {most} thành viên (đã chọn {len(chosen)}).")
    absent = sorted(chosen - {m.id for m in sessions.present_members(session_id)})
    if absent:
        raise RuleError(f"{text.visible(members.member_name(members.get(absent[0])))} không "
                        "có mặt ở phiên họp: Ban kiểm phiếu chọn trong các thành viên có mặt.")
    with database.atomic():
        fixed = why_fixed(session_id)
        if fixed:
            raise RuleError(fixed)
        for row in CountingMember.select().where(CountingMember.session == session_id):
            if row.member_id not in chosen:
                records.delete(actor, CountingMember, row.id, row.version, WHAT)
            chosen.discard(row.member_id)
        for member_id in sorted(chosen):
            records.insert(actor, CountingMember, session=session_id, member=member_id)
    return of_session(session_id)


def why_no_tally(ballot: Ballot) -> str:
    """Why the tally minutes of `ballot` cannot be issued yet ("" when they can)."""
    if ballot.state != "closed":
        return "Phiếu chưa kết thúc: chưa lập biên bản kiểm phiếu được."
    if ballot.kind in COUNTED and not CountingMember.select().where(
            CountingMember.session == ballot.session_id).exists():
        return (f"Phiếu số {ballot.id} ({ballots.kind_name(ballot)}) do Ban kiểm phiếu kiểm: "
                "ghi Ban kiểm phiếu của phiên họp (phím B trên màn hình F7) rồi lập biên bản "
                "kiểm phiếu.")
    return ""
