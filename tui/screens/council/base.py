"""What the member's ballot (ballot.py) and the session's console (console.py)
share: the session's heading, its quorum and the progress of its open ballots
over a list and a detail panel, followed live as votes come in.

While a secret ballot is open only "5/7 đã bỏ phiếu" is shown, never a running
tally (models/council/ballots.py returns nothing more).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.widgets import Footer, Label, Static

from models import text
from models.council import ballots, members, sessions
from models.council.tables import CHOICES, CouncilSession
from models.errors import NotFound, ThiduaError
from tui.live import DataChanged
from tui.widgets.lazylist import LazyList, ListSource, Row, fit
from tui.widgets.screen import BaseScreen

TABLES = ("ballot", "ballot_item", "attendance", "council_session", "agenda_item",
          "council_member", "nomination", "written_opinion", "recusal")
CHOICE_KEYS = {"1": "agree", "2": "disagree", "3": "abstain"}


def choice_label(choice: str | None) -> str:
    if choice is None:
        return "(chưa chọn)"
    number = {v: k for k, v in CHOICE_KEYS.items()}[choice]
    return f"[{number}] {CHOICES[choice]}"


@dataclass(frozen=True)
class VoteRow(Row):
    kind: str = "item"          # console: item | agenda; ballot: vote | recused
    ballot_id: int = 0
    nomination_id: int = 0
    note: str = ""


@dataclass
class Voter:
    """What this session keeps of its own voting, in memory only, from one ballot
    screen to the next: the receipts of votes it may still change, and the
    ballots put aside for now (Esc on a ballot), and the ballots it was told it
    does not vote in (told once)."""
    receipts: dict[int, ballots.Receipt] = field(default_factory=dict)
    skipped: set[int] = field(default_factory=set)
    told: set[int] = field(default_factory=set)


class CouncilView(BaseScreen):
    """Subclasses give COLUMNS, `rows()`, `detail(row)` and may take over to
    another screen as the session changes (`hand_over`)."""

    DEFAULT_CSS = """
    CouncilView #heading { height: 1; text-style: bold; padding: 0 1; }
    CouncilView #status { height: 2; padding: 0 1; text-style: bold; }
    CouncilView #detail { height: 4; border-top: solid $primary; padding: 0 1; }
    App.-ascii CouncilView #detail { border-top: ascii $primary; }
    """
    COLUMNS: tuple[tuple[str, int], ...] = ()
    LIST = LazyList
    status_note = ""  # after the quorum on the status line

    def __init__(self) -> None:
        super().__init__()
        self.session: CouncilSession | None = None
        self._head = self._quorum = ""
        self._open: list[tuple] = []       # (id, kind, kind name, titles) of each open ballot
        self._progress: dict[int, str] = {}

    # -- layout -----------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Label("", id="heading")
        yield Static("", id="status", markup=False)
        self.list = self.LIST(ListSource(self.COLUMNS, self.rows), ascii_mark=self.app.ascii,
                              id="rows", empty_text="Chưa có đề nghị nào trong phiên họp.")
        yield self.list
        yield Static("", id="detail", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_all()
        self.call_after_refresh(self.list.focus)

    @property
    def actor(self):
        return self.app.actor

    @property
    def manager(self) -> bool:
        return members.can_run(self.actor)

    def rows(self) -> list[Row]:
        raise NotImplementedError

    def detail(self, row: Row | None) -> str:
        raise NotImplementedError

    def hand_over(self) -> bool:
        """Whether another screen takes over from this one now that `self.session`
        has been read again (then nothing here is redrawn)."""
        return False

    # -- refreshing -----------------------------------------------------------------
    def refresh_all(self) -> None:
        if not self.is_current:
            return  # read again when shown (on_screen_resume)
        try:
            self.session = sessions.current_session()
            if self.hand_over():
                return
            self.refresh_bindings()
            self._heading()
            self.list.reload()
        except NotFound as exc:
            # A record read a moment ago went away (another session, a restore): the
            # screen says so and keeps what it showed; the next change reads again.
            self.refuse(exc, "warning")
        self.show_detail(self.list.current)

    def _heading(self) -> None:
        """The heading and the status lines; remembers what the light refresh
        (a vote elsewhere) needs to redraw them without reading the rest."""
        session = self.session
        if session is None:
            self._head, self._quorum = "Hội đồng Thi đua - Khen thưởng", (
                "Chưa có phiên họp nào." + (" Phím N: tạo phiên họp · H: thành viên Hội đồng."
                                            if self.manager else ""))
            self._open = []
        else:
            # Its number is what `thidua export minutes N` takes.
            self._head = (f"Hội đồng TĐKT · Phiên họp số {session.id} · "
                          f"{text.format_date(session.held_on)}"
                          + (f" {session.starts_at}" if session.starts_at else "")
                          + (f" · {session.place}" if session.place else ""))
            self._quorum = sessions.quorum(self.app.cfg, session.id).text()
            self._open = [(b.id, b.kind, ballots.kind_name(b),
                           ", ".join(ballots.title_codes(b.id)))
                          for b in ballots.open_ballots(session.id)]
        self._progress = {bid: ballots.progress_text(bid)
                          for bid, kind, _n, _t in self._open if kind != "paper"}
        self._draw_heading()

    def _draw_heading(self) -> None:
        lines = [self._quorum + self.status_note]
        for bid, kind, name, title in self._open:
            what = "chờ nhập kết quả kiểm phiếu" if kind == "paper" else self._progress[bid]
            lines.append(f"Phiếu số {bid} ({name}, {title}): {what}")
        status = "\n".join(lines[:1] + [" · ".join(lines[1:])] if len(lines) > 1 else lines)
        width = max(10, self.app.size.width - 2)
        self.query_one("#heading", Label).update(Text(fit(self._head, width).rstrip()))
        self.query_one("#status", Static).update(Text(text.visible(status, multiline=True)))

    def _refresh_progress(self) -> None:
        """Votes were cast elsewhere: only the counts "n/m đã bỏ phiếu" change.
        One count per open ballot instead of a full reload, so thirty sessions
        following a vote stay light on a small server."""
        try:
            progress = {bid: ballots.progress_text(bid) for bid in self._progress}
        except NotFound:
            self.refresh_all()  # a ballot went away: read everything again
            return
        if progress == self._progress:
            return
        self._progress = progress
        self._draw_heading()
        self.progress_changed()

    def progress_changed(self) -> None:
        """`self._progress` has new counts, already in the status lines."""

    @on(LazyList.Highlighted)
    def _highlighted(self, event: LazyList.Highlighted) -> None:
        self.show_detail(event.row)

    def show_detail(self, row: Row | None) -> None:
        try:
            body = self.detail(row)
        except ThiduaError as exc:
            body = str(exc)
        self.query_one("#detail", Static).update(Text(text.visible(body, multiline=True)))

    def all_rows(self) -> list[Row]:
        return [self.list.row_at(i) for i in range(self.list.total)]

    # -- live ------------------------------------------------------------------------
    def on_data_changed(self, message: DataChanged) -> None:
        if not self.is_current:
            return  # read again when shown
        relevant = [c for c in message.changes if c.table in TABLES]
        if not relevant:
            return
        if all(c.table == "ballot" and c.row_id in self._progress for c in relevant):
            self._refresh_progress()
        else:
            self.refresh_all()

    def on_screen_resume(self) -> None:
        self.refresh_all()
