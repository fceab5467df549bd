"""An absent member's written opinion (ý kiến bằng văn bản), entered by the
secretary name by name as received on paper."""
from __future__ import annotations

from textual.binding import Binding

from models.council import namesakes, sessions
from models.errors import ThiduaError
from tui.screens.council.base import choice_label
from tui.widgets.browse import ListOnlyScreen
from tui.widgets.lazylist import ListSource, Row


class WrittenOpinionScreen(ListOnlyScreen):
    """An absent member's written opinion, name by name, as received on paper."""

    tables = ("written_opinion",)
    BINDINGS = [
        Binding("1", "choose('agree')", "Đồng ý", id="written.agree"),
        Binding("2", "choose('disagree')", "Không đồng ý", id="written.disagree"),
        Binding("3", "choose('abstain')", "Không biểu quyết", id="written.abstain"),
        Binding("ctrl+s", "save", "Lưu", id="written.save"),
    ]

    def __init__(self, session_id: int, member_id: int) -> None:
        super().__init__()
        self.session_id, self.member_id = session_id, member_id
        self.choices = sessions.written_choices(session_id, member_id)

    def can_create(self) -> bool:
        return False

    def make_source(self):
        return ListSource((("Người được đề nghị", 0), ("Ý kiến", 24)), self._rows)

    def _rows(self) -> list[Row]:
        agenda = sessions.agenda(self.session_id)
        labels = namesakes.names(agenda).labels
        return [Row(n.id, (labels[n.id], choice_label(self.choices.get(n.id))))
                for n in agenda]

    def on_mount(self) -> None:
        self.set_heading("Ý kiến bằng văn bản của thành viên vắng mặt")

    def detail(self, row: Row) -> str:
        return "1: đồng ý · 2: không đồng ý · 3: không biểu quyết · Ctrl+S: lưu · Esc: về"

    def action_choose(self, choice: str) -> None:
        row = self.list.current
        if row is not None:
            self.choices[row.id] = choice
            self.list.reload()
            self.list.action_move(1)

    def action_save(self) -> None:
        try:
            sessions.set_written_opinions(self.app.actor, self.session_id, self.member_id,
                                          self.choices)
        except ThiduaError as exc:
            self.refuse(exc)
            return
        self.notify("Đã lưu ý kiến bằng văn bản.", markup=False)
        self.app.pop_screen()
