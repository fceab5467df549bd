"""On an amending decision: tick the awards of the amended one to withdraw."""
from __future__ import annotations

from models.awards import decisions, history, nominations
from tui.widgets.browse import TickScreen
from tui.widgets.lazylist import ListSource, Row


class RevokeScreen(TickScreen):
    tables = ("decision_award",)

    def __init__(self, decision_id: int, amended_id: int) -> None:
        super().__init__(set())
        self.decision_id = decision_id
        self.amended_id = amended_id

    def make_source(self):
        return ListSource((("", 3), ("Họ tên / đơn vị", 0), ("Danh hiệu", 26)), self._rows)

    def _rows(self) -> list[Row]:
        titles = self.app.cfg.titles
        return [Row(a.id, (self.mark(a.id), nominations.subject_label(a),
                           history.title_name(titles, a.title_code)))
                for a in decisions.granted(self.amended_id)]

    def heading_text(self) -> str:
        ref = decisions.reference(decisions.get(self.amended_id))
        return f"Bãi bỏ khen thưởng của {ref}: đã chọn {len(self.ticked)} (Esc: không bãi bỏ)"

    def detail(self, row: Row) -> str:
        return "Space: chọn/bỏ · Ctrl+S: bãi bỏ các dòng đã chọn · Esc: bỏ qua"

    def save(self) -> None:
        for award_id in sorted(self.ticked):
            decisions.revoke_award(self.app.actor, self.decision_id, award_id)
