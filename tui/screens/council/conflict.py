"""Recording a conflict of interest on a name of the agenda (X on the console):
a member declares their own; the chair or the secretary records one for any
member. The member then does not vote on that name, and their ballot says why."""
from __future__ import annotations

from models.council import conflicts, members
from tui.widgets.form import Field, FormScreen, FormSpec


def conflict_form(app, session, nomination_id: int, name: str, own) -> FormScreen:
    """`own`: the actor's own membership, or None when they record for a member
    (they run the session)."""
    actor, cfg = app.actor, app.cfg
    fields = [Field("reason", "Lý do", required=True,
                    placeholder="vd: là con của người được đề nghị")]
    if own is None:
        serving = tuple((str(m.id), members.member_name(m))
                        for m in members.members(session.held_on))
        fields.insert(0, Field("member", "Thành viên", required=True, choices=serving))

    def save(values):
        member_id = own.id if own is not None else int(values["member"])
        return conflicts.declare(actor, cfg, session.id, nomination_id, member_id,
                                 values["reason"])

    title = ("Khai xung đột lợi ích" if own is not None else "Ghi xung đột lợi ích") + \
        f": {name}"
    return FormScreen(FormSpec(title, fields, {}, save))


def describe(session_id: int, nomination_id: int) -> str:
    """The conflicts recorded on one name, for the console's panel."""
    found = [f"{members.member_name(c.member)} ({c.reason})"
             for c in conflicts.of_session(session_id) if c.nomination_id == nomination_id]
    return ("Không biểu quyết vì xung đột lợi ích: " + "; ".join(found)) if found else ""
