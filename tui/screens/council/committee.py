"""The session's vote-counting committee (ban kiểm phiếu): the chair or the secretary
ticks, among the members present, the ones who count the secret and paper ballots;
the tally minutes name them (models/council/committee.py)."""
from __future__ import annotations

from models.council import committee, members, sessions
from tui.widgets.browse import TickScreen
from tui.widgets.lazylist import ListSource, Row


class CommitteeScreen(TickScreen):
    """Space ticks a member present, Ctrl+S saves the committee."""

    tables = ("attendance", "counting_member", "council_member")

    def __init__(self, session_id: int) -> None:
        super().__init__({m.id for m in committee.of_session(session_id)})
        self.session_id = session_id

    def make_source(self):
        return ListSource((("", 3), ("Thành viên có mặt", 0), ("Chức danh", 24)), lambda: [
            Row(m.id, (self.mark(m.id), members.member_name(m), members.role_name(m)))
            for m in sessions.present_members(self.session_id)])

    def heading_text(self) -> str:
        most = self.app.cfg.council.committee_max
        return f"Ban kiểm phiếu: đã chọn {len(self.ticked)} (từ 1 đến {most} thành viên có mặt)"

    def detail(self, row: Row) -> str:
        return ("Space hoặc Enter: chọn/bỏ · Ctrl+S: lưu · Esc: về. Ban kiểm phiếu kiểm các "
                "phiếu kín và phiếu giấy; biên bản kiểm phiếu ghi tên.")

    def save(self) -> None:
        committee.record(self.app.actor, self.app.cfg, self.session_id, sorted(self.ticked))
