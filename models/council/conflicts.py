"""Conflicts of interest on a nomination (a relative of the nominee, a business
partner...): declared by the member, or recorded by whoever runs the session.
A member with a conflict does not vote on that name, as the nominee and the
head of the nominated unit do not (sessions.recusal_reason); the recusal, with
its reason, is fixed when a ballot listing the name opens."""
from __future__ import annotations

from models import text
from models.awards import nominations
from models.council import members, sessions
from models.council.tables import Ballot, BallotItem, Conflict
from models.errors import PermissionDenied, RuleError
from models.registry.access import Actor
from models.store import records
from models.store.tables import database

WHAT = "xung đột lợi ích"


def may_declare(actor: Actor, session_id: int, member_id: int) -> bool:
    """Whether the actor records a conflict for this member: their own, or any
    member's when they run the session."""
    if members.can_run(actor):
        return True
    mine = members.member_of(actor, sessions.get_session(session_id).held_on)
    return mine is not None and mine.id == member_id


def why(conflict_reason: str) -> str:
    """The recusal's reason as a ballot paper shows it."""
    return f"có xung đột lợi ích: {conflict_reason}"


def declare(actor: Actor, cfg, session_id: int, nomination_id: int, member_id: int,
            reason: str) -> Conflict:
    """Record that `member_id` does not vote on `nomination_id` in the session."""
    del cfg  # the signature every council operation has; no rule number applies here
    if not may_declare(actor, session_id, member_id):
        raise PermissionDenied("Chỉ thành viên tự khai, hoặc Chủ tịch, Thư ký Hội đồng ghi "
                               "xung đột lợi ích.")
    clean = text.clean_text(reason, "Lý do", required=True, max_len=150)
    session = sessions.get_session(session_id)
    member = members.get(member_id)
    if member not in members.members(session.held_on):
        raise RuleError(f"{text.visible(members.member_name(member))} không trong nhiệm kỳ "
                        "Hội đồng vào ngày họp.")
    nom = nominations.get(nomination_id)
    if nom.id not in {n.id for n in sessions.agenda(session_id)}:
        raise RuleError(f"Đề nghị số {nom.id} không có trong chương trình phiên họp.")
    with database.atomic():
        if BallotItem.select().join(Ballot).where(
                (Ballot.session == session_id) & (Ballot.state == "open")
                & (BallotItem.nomination == nomination_id)).exists():
            raise RuleError("Đề nghị này đang trên phiếu đang mở: ghi xung đột lợi ích trước "
                            "khi mở phiếu.")
        if Conflict.select().where((Conflict.session == session_id)
                                   & (Conflict.nomination == nomination_id)
                                   & (Conflict.member == member_id)).exists():
            raise RuleError("Xung đột lợi ích này đã được ghi.")
        return records.insert(actor, Conflict, session=session_id, nomination=nomination_id,
                              member=member_id, reason=clean, recorded_by=actor.login)


def of_session(session_id: int) -> list[Conflict]:
    """The session's conflicts, in the order they were recorded."""
    return list(Conflict.select().where(Conflict.session == session_id).order_by(Conflict.id))


def reasons(session_id: int) -> dict[tuple[int, int], str]:
    """(nomination id, member id) -> the recusal's reason, for every conflict."""
    return {(c.nomination_id, c.member_id): why(c.reason) for c in of_session(session_id)}
