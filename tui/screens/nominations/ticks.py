"""A tick list of nominations, by title: those to post, those to put on a decision."""
from __future__ import annotations

from models.awards import history, nominations
from models.awards.tables import Nomination
from tui.widgets.browse import TickScreen
from tui.widgets.lazylist import ListSource, Row


class NominationTicks(TickScreen):
    """Subclasses give `offered()`, the nominations to tick, and as every TickScreen
    `heading_text()` and `save()`."""

    tables = ("nomination",)

    def __init__(self) -> None:
        super().__init__(set())

    def make_source(self):
        return ListSource((("", 3), ("Đối tượng", 0), ("Danh hiệu", 26), ("Năm", 4)),
                          self._rows)

    def offered(self) -> list[Nomination]:
        raise NotImplementedError

    def _rows(self) -> list[Row]:
        titles = self.app.cfg.titles
        return [Row(n.id, (self.mark(n.id), nominations.subject_label(n),
                           history.title_name(titles, n.title_code), str(n.year)))
                for n in self.offered()]
