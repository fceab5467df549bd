"""The council's members and their terms, kept by the Office: who sits on the
council, with which title, from when to when. Attendance, quorum and ballots
take the members serving on a session's date from there."""
from __future__ import annotations

from textual.binding import Binding

from models import text
from models.council import members
from models.council.tables import COUNCIL_ROLES
from tui.widgets.browse import ListOnlyScreen
from tui.widgets.form import Field, FormScreen, FormSpec
from tui.widgets.lazylist import ListSource, Row


class CouncilMembersScreen(ListOnlyScreen):
    """Serving members first (chair first), then past terms, latest first.
    Ctrl+N appoints a member; Enter ends a member's term."""

    tables = ("council_member", "user")
    BINDINGS = [Binding("ctrl+n", "new_row", "Thêm thành viên", id="members.new")]

    def make_source(self):
        def rows() -> list[Row]:
            today = self.app.today
            return [Row(m.id, (members.member_name(m), members.role_name(m),
                               text.format_date(m.term_from),
                               text.format_date(m.term_to) if m.term_to else "",
                               members.TERM_STATES[members.term_state(m, today)]))
                    for m in members.roster(today)]
        return ListSource((("Thành viên", 0), ("Chức danh", 22), ("Từ", 10), ("Đến", 10),
                           ("", 8)), rows)

    def on_mount(self) -> None:
        self.set_heading("Thành viên Hội đồng Thi đua - Khen thưởng")

    def can_edit(self) -> bool:
        return members.can_keep(self.app.actor)

    def detail(self, row: Row) -> str:
        member = members.get(row.id)
        keys = "Enter: kết thúc nhiệm kỳ · Ctrl+N: thêm" if self.can_edit() else ""
        return f"Tài khoản: {text.visible(member.user.login)}\n{keys}"

    def new_row(self) -> None:
        actor = self.app.actor
        people = tuple((u.login, f"{u.display_name} ({u.login})")
                       for u in members.appointable(self.app.today))

        def save(values):
            return members.add_member(actor, values["login"], values["role"],
                                      values["term_from"], values["term_to"] or None)
        self.app.push_screen(FormScreen(FormSpec("Thêm thành viên Hội đồng", [
            Field("login", "Người dùng", required=True, choices=people),
            Field("role", "Chức danh", required=True, choices=tuple(COUNCIL_ROLES.items())),
            Field("term_from", "Nhiệm kỳ từ", required=True, placeholder="dd/mm/yyyy"),
            Field("term_to", "Nhiệm kỳ đến", placeholder="dd/mm/yyyy, để trống nếu chưa rõ")],
            {"role": "member", "term_from": text.format_date(self.app.today)}, save)),
            self.edited)

    def open_row(self, row: Row) -> None:
        if not self.can_edit():
            return
        actor, today = self.app.actor, self.app.today
        member = members.get(row.id)

        def values() -> dict[str, str]:
            now = members.get(member.id)
            return {"term_to": text.format_date(now.term_to or today),
                    "_version": str(now.version)}

        def save(entered):
            return members.end_term(actor, member.id, int(entered["_version"]),
                                    entered["term_to"])
        self.app.push_screen(FormScreen(FormSpec(
            f"Kết thúc nhiệm kỳ: {members.member_name(member)}", [
                Field("term_to", "Nhiệm kỳ đến", required=True, placeholder="dd/mm/yyyy")],
            values(), save, reload=values, watch=("council_member", member.id))),
            self.edited)
