"""The secretary's roll call of a session: each member present, absent, or
absent with a written opinion (entered on opinions.py)."""
from __future__ import annotations

from textual.binding import Binding

from models.council import members, sessions
from models.council.tables import ATTENDANCE
from models.errors import ThiduaError
from tui.screens.council.opinions import WrittenOpinionScreen
from tui.widgets.browse import ListOnlyScreen
from tui.widgets.lazylist import ListSource, Row


class AttendanceScreen(ListOnlyScreen):
    """The secretary marks each member: 1 present, 2 absent, 3 absent with a
    written opinion (then Y to enter it). Saved at once."""

    tables = ("attendance", "council_member", "written_opinion")
    BINDINGS = [
        Binding("1", "mark('present')", "Có mặt", id="attendance.present"),
        Binding("2", "mark('absent')", "Vắng", id="attendance.absent"),
        Binding("3", "mark('written')", "Vắng, có văn bản", id="attendance.written"),
        Binding("y", "written", "Ý kiến văn bản", id="attendance.opinion"),
    ]

    def __init__(self, session_id: int) -> None:
        super().__init__()
        self.session_id = session_id

    def can_create(self) -> bool:
        return False

    def make_source(self):
        return ListSource((("Thành viên", 0), ("Chức danh", 22), ("Điểm danh", 18)), self._rows)

    def _rows(self) -> list[Row]:
        return [Row(m.id, (members.member_name(m), members.role_name(m),
                           ATTENDANCE.get(mark, "(chưa điểm danh)")))
                for m, mark in sessions.roll_call(self.session_id)]

    def on_mount(self) -> None:
        self._title()

    def _title(self) -> None:
        q = sessions.quorum(self.app.cfg, self.session_id)
        self.set_heading(f"Điểm danh · {q.text()}")

    def refresh_rows(self) -> None:
        super().refresh_rows()
        self._title()

    def detail(self, row: Row) -> str:
        return "1: có mặt · 2: vắng · 3: vắng, có ý kiến bằng văn bản · Y: nhập ý kiến · Esc: về"

    def action_mark(self, status: str) -> None:
        row = self.list.current
        if row is None:
            return
        try:
            sessions.set_attendance(self.app.actor, self.session_id, row.id, status)
        except ThiduaError as exc:
            self.refuse(exc)
            return
        self.refresh_rows()
        self.list.action_move(1)

    def action_written(self) -> None:
        row = self.list.current
        if row is None:
            return
        if not sessions.gives_written_opinion(self.session_id, row.id):
            self.notify("Đánh dấu 3 (vắng, có ý kiến bằng văn bản) trước.", markup=False)
            return
        self.app.push_screen(WrittenOpinionScreen(self.session_id, row.id))
