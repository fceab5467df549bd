"""The list of a member's ballot: the cursor rests only on names the member votes
on. A recused name (and the line under it saying why) is passed over, so a
digit typed ahead always lands on a name it can choose for: on a plain list,
"1 1 1" from the top of a paper whose second name is recused would spend the
second key on that row and shift every later choice by one.
"""
from __future__ import annotations

from rich.segment import Segment
from textual.strip import Strip

from tui.widgets.lazylist import LazyList, Row, fit

VOTABLE = "vote"
NOTE = "note"  # a whole-width line under a recused name: why the member does not vote


class VoteList(LazyList):
    def votable(self, index: int) -> bool:
        row = self.row_at(index)
        return row is not None and getattr(row, "kind", "") == VOTABLE

    def _nearest(self, index: int, step: int) -> int | None:
        while 0 <= index < self.total:
            if self.votable(index):
                return index
            index += step
        return None

    def _set_cursor(self, index: int) -> None:
        # Toward where the key moves, else back: Down on the last votable name stays
        # there instead of resting on a recused one below it.
        index = max(0, min(index, self.total - 1))
        step = 1 if index >= self.cursor else -1
        found = self._nearest(index, step)
        if found is None:
            found = self._nearest(index, -step)
        if found is not None:
            super()._set_cursor(found)

    def reload(self, query: str | None = None) -> None:
        super().reload(query)
        # The first name the member may vote on, whatever row 0 holds.
        if self.total and not self.votable(self.cursor):
            self._set_cursor(self.cursor)

    def render_line(self, y: int) -> Strip:
        row = self.row_at(self.scroll_offset.y + y - 1) if y else None
        if row is None or getattr(row, "kind", "") != NOTE:
            return super().render_line(y)
        width = self.scrollable_content_region.width
        return Strip([Segment(fit(row.cells[0], width), self.rich_style)])

    def votable_rows(self) -> list[Row]:
        return [self.row_at(i) for i in range(self.total) if self.votable(i)]
