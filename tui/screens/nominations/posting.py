"""The Office posts the checked, eligible nominations as one list for public comment
(journey 4)."""
from __future__ import annotations

from models import text
from models.awards import nominations
from tui.screens.nominations.ticks import NominationTicks
from tui.widgets.lazylist import Row


class PostListScreen(NominationTicks):
    """Tick the nominations and post them from today, for the configured number of days."""

    def offered(self):
        return nominations.ready_to_post()

    def heading_text(self) -> str:
        return f"Niêm yết công khai: đã chọn {len(self.ticked)} đề nghị đủ điều kiện"

    def detail(self, row: Row) -> str:
        days = self.app.cfg.posting.days
        return (f"Space: chọn/bỏ · Ctrl+A: chọn hết · Ctrl+S: niêm yết {days} ngày từ "
                f"{text.format_date(self.app.today)}")

    def save(self) -> None:
        nominations.post(self.app.actor, self.app.cfg, sorted(self.ticked), self.app.today)
