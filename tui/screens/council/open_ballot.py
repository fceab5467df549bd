"""Opening a ballot: the chair ticks the names still waiting for a vote (of one
title or several: one paper for the agenda, each name decided by its own
title's rule) and opens them on screen or on paper."""
from __future__ import annotations

from textual.binding import Binding

from models.council import ballots, namesakes, sessions
from models.errors import QuorumNotMet, ThiduaError
from tui.widgets.browse import TickScreen
from tui.widgets.form import Field, FormScreen, FormSpec
from tui.widgets.lazylist import ListSource, Row


class OpenBallotScreen(TickScreen):
    """Tick the names of one ballot, Ctrl+S opens it; G switches to
    a paper ballot whose counts the secretary enters."""

    tables = ("nomination", "agenda_item", "ballot")
    BINDINGS = [Binding("g", "paper", "Phiếu giấy/trên máy", id="open.paper")]

    def __init__(self, session_id: int) -> None:
        super().__init__(set())
        self.session_id = session_id
        self.paper = False

    def make_source(self):
        return ListSource((("", 3), ("Người được đề nghị", 0), ("Danh hiệu", 26)), self._rows)

    def _rows(self) -> list[Row]:
        titles = self.app.cfg.titles
        ready = ballots.ready(self.session_id)
        labels = namesakes.names(ready, sessions.agenda(self.session_id)).labels
        return [Row(n.id, (self.mark(n.id), labels[n.id],
                           titles[n.title_code].name if n.title_code in titles
                           else n.title_code))
                for n in ready]

    def heading_text(self) -> str:
        how = "phiếu giấy" if self.paper else "bỏ phiếu trên máy"
        return f"Mở phiếu: đã chọn {len(self.ticked)} tên · {how} (G: đổi)"

    def detail(self, row: Row) -> str:
        return ("Space: chọn/bỏ · Ctrl+A: chọn hết · G: phiếu giấy/trên máy · Ctrl+S: mở phiếu."
                " Mỗi tên theo quy chế của danh hiệu mình.")

    def action_paper(self) -> None:
        self.paper = not self.paper
        self._changed()

    def save(self) -> None:
        self._open("")

    def _open(self, reason: str) -> None:
        ballots.open_ballot(self.app.actor, self.app.cfg, self.session_id, sorted(self.ticked),
                            paper=self.paper, quorum_reason=reason)

    def action_save(self) -> None:
        try:
            self.save()
        except QuorumNotMet as exc:  # the chair may go on, saying why
            self._ask_reason(str(exc))
            return
        except ThiduaError as exc:
            self.refuse(exc)
            return
        self._opened("Đã mở phiếu.")

    def _opened(self, message: str) -> None:
        self.saved = set(self.ticked)
        self.notify(message, markup=False)
        self.app.pop_screen()

    def _ask_reason(self, problem: str) -> None:
        def save(values):
            self._open(values["reason"])
            return True

        def done(opened) -> None:
            if opened:
                self._opened("Đã mở phiếu (ghi lý do chưa đủ số).")

        self.app.push_screen(FormScreen(FormSpec(problem[:70], [
            Field("reason", "Lý do vẫn mở phiếu", required=True)], {}, save)), done)
