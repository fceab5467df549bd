"""The nominations the council passed and no decision lists yet: tick, Ctrl+S puts them
on the draft decision."""
from __future__ import annotations

from models.awards import decisions
from tui.screens.nominations.ticks import NominationTicks
from tui.widgets.lazylist import Row


class PassedScreen(NominationTicks):
    def __init__(self, decision_id: int) -> None:
        super().__init__()
        self.decision_id = decision_id

    def offered(self):
        return decisions.passed_undecided()

    def heading_text(self) -> str:
        return f"Đề nghị đã được Hội đồng thông qua: đã chọn {len(self.ticked)}"

    def detail(self, row: Row) -> str:
        return "Space: chọn/bỏ · Ctrl+A: chọn hết · Ctrl+S: đưa vào quyết định"

    def save(self) -> None:
        decisions.add_nominations(self.app.actor, self.app.cfg, self.decision_id,
                                  sorted(self.ticked))
