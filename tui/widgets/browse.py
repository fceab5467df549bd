"""The shapes of the list screens: a filter line over the list and a detail
panel (BrowseScreen); the list alone (ListOnlyScreen); one record's rows under
its heading (RecordScreen); a list to tick (TickScreen).

Typing goes to the filter; arrows and Page keys move the list meanwhile, so a
name is found and opened without leaving the home row of the keyboard.
"""
from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Footer, Label, Static

from models.errors import ThiduaError
from tui.live import DataChanged
from tui.widgets.field import LineInput
from tui.widgets.form import Confirm
from tui.widgets.lazylist import LazyList, Row, RowSource, fit
from tui.widgets.screen import BaseScreen


class BrowseScreen(BaseScreen):
    """Subclasses give `heading`, `tables` (what to refresh on), `make_source()`,
    `detail(row)` and, when the user may, `open_row(row)` and `new_row()`."""

    heading = ""
    tables: tuple[str, ...] = ()  # "*": any change at all
    filter_hint = "gõ tên, không cần dấu"
    stale = False  # changed elsewhere while this screen was not showing
    # Rows are units, by id (tui/screens/sections.py says which sections): the
    # list opens on the signed-in officer's own unit rather than the commune's first.
    opens_on_own_unit = False
    _detail_shown: str | None = None
    _detail_row: Row | None = None  # the row the detail panel was read for
    DEFAULT_CSS = """
    BrowseScreen #top { height: 1; }
    BrowseScreen #heading { width: auto; text-style: bold; padding: 0 1; }
    BrowseScreen #filter-label { width: auto; }
    BrowseScreen #detail { height: 3; border-top: solid $primary; padding: 0 1; }
    App.-ascii BrowseScreen #detail { border-top: ascii $primary; }
    """
    BINDINGS = [
        Binding("down", "list('move', 1)", "Xuống", show=False),
        Binding("up", "list('move', -1)", "Lên", show=False),
        Binding("pagedown", "list('page', 1)", "Trang sau", show=False),
        Binding("pageup", "list('page', -1)", "Trang trước", show=False),
        Binding("ctrl+n", "new_row", "Thêm", id="browse.new"),
        Binding("escape", "back", "Xóa lọc/Về", id="browse.back"),
    ]

    def compose(self) -> ComposeResult:
        with Horizontal(id="top"):
            yield Label(Text(self.heading), id="heading")
            yield Label("Tìm:", id="filter-label")
            yield LineInput(id="filter", placeholder=self.filter_hint)
        self.list = LazyList(self.make_source(), ascii_mark=self.app.ascii, id="rows")
        yield self.list
        yield Static("", id="detail", markup=False)
        yield Footer()

    def make_source(self) -> RowSource:
        raise NotImplementedError

    def detail(self, row: Row) -> str:
        return ""

    def can_edit(self) -> bool:
        return False

    def can_create(self) -> bool:
        return self.can_edit()

    def open_row(self, row: Row) -> None:
        """Enter on a row: open its form or detail screen."""

    def new_row(self) -> None:
        """Ctrl+N: a form for a new record."""

    # -- wiring -------------------------------------------------------------
    def on_mount(self) -> None:
        self.query_one("#filter", LineInput).focus()
        if self.opens_on_own_unit and self.app.actor.unit_ids:
            self.list.go_to(self.app.actor.unit_ids)

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "new_row":
            return self.can_create()
        return True

    def action_list(self, how: str, step: int) -> None:
        getattr(self.list, f"action_{how}")(step)

    def action_new_row(self) -> None:
        self.new_row()

    def action_back(self) -> None:
        box = self.query_one("#filter", LineInput)
        if box.value:
            box.value = ""
        else:
            self.app.switch_mode("home")

    @on(LineInput.Changed, "#filter")
    def _filter(self, event: LineInput.Changed) -> None:
        self.list.reload(event.value)

    @on(LineInput.Submitted, "#filter")
    def _submit(self) -> None:
        self.list.action_choose()

    @on(LazyList.Highlighted)
    def _highlighted(self, event: LazyList.Highlighted) -> None:
        # A filter key that leaves the same row first need not read its detail again;
        # another session's change reads it afresh (refresh_rows).
        if event.row != self._detail_row:
            self.show_detail(event.row)

    @on(LazyList.Chosen)
    def _chosen(self, event: LazyList.Chosen) -> None:
        self.open_row(event.row)

    def show_detail(self, row: Row | None) -> None:
        self._detail_row = row
        try:
            body = self.detail(row) if row is not None else ""
        except ThiduaError as exc:
            body = str(exc)
        if body != self._detail_shown:  # unchanged text is not sent again
            self._detail_shown = body
            # Three lines, whatever the text: no layout of the screen for it.
            self.query_one("#detail", Static).update(Text(body, no_wrap=False), layout=False)

    def refresh_rows(self) -> None:
        self.list.reload()
        self.show_detail(self.list.current)

    def on_data_changed(self, message: DataChanged) -> None:
        if "*" in self.tables or any(message.touches(t) for t in self.tables):
            if self.is_current:
                self.refresh_rows()
            else:  # under a form or another section: catch up when shown again
                self.stale = True

    def on_screen_resume(self) -> None:
        if self.stale:
            self.stale = False
            self.refresh_rows()

    def edited(self, record) -> None:
        """After a form closes: show the saved record at once (no need to wait a poll)."""
        if record is not None:
            self.refresh_rows()


class ListOnlyScreen(BrowseScreen):
    """A BrowseScreen without the filter line: the list has the focus, so plain
    keys (Space) and Ctrl+letters reach the screen, and Esc goes back."""

    DEFAULT_CSS = """
    ListOnlyScreen #filter-label, ListOnlyScreen #filter { display: none; }
    ListOnlyScreen #heading { width: 1fr; }
    """

    BINDINGS = [Binding("escape", "back", "Về", id="list.back")]

    def on_mount(self) -> None:
        # Textual runs every class's on_mount, BrowseScreen's (focus the filter)
        # after this one: take the focus once they all have run.
        self.call_after_refresh(self.list.focus)

    def set_heading(self, value: str) -> None:
        width = max(10, self.app.size.width - 2)
        self.query_one("#heading", Label).update(Text(fit(value, width).rstrip()))

    def action_back(self) -> None:
        self.app.pop_screen()


class RecordScreen(ListOnlyScreen):
    """One record's own screen: a heading about it over its rows. Subclasses give
    `show_heading()`; both are redrawn when a form or tick list it opened closes."""

    def on_mount(self) -> None:
        self.show_heading()

    def on_screen_resume(self) -> None:
        if self.query("#detail"):  # not on the first showing, before the widgets exist
            self.refresh_rows()

    def show_heading(self) -> None:
        raise NotImplementedError


class TickScreen(ListOnlyScreen):
    """A list of rows that Space or Enter ticks; Ctrl+S saves, Esc asks before
    losing ticks. Subclasses give `heading_text()` and `save()`."""

    BINDINGS = [
        Binding("space", "toggle", "Chọn/bỏ", id="tick.toggle"),
        Binding("ctrl+a", "toggle_all", "Chọn hết/bỏ hết", id="tick.all"),
        Binding("ctrl+s", "save", "Lưu", id="tick.save"),
    ]

    def __init__(self, ticked: set[int]) -> None:
        super().__init__()
        self.ticked = set(ticked)
        self.saved = set(ticked)

    def can_create(self) -> bool:
        return False

    def mark(self, row_id: int) -> str:
        return "[x]" if row_id in self.ticked else "[ ]"

    def on_mount(self) -> None:
        self.set_heading(self.heading_text())

    def _changed(self) -> None:
        self.list.reload()
        self.set_heading(self.heading_text())

    def open_row(self, row: Row) -> None:
        self.action_toggle()

    def action_toggle(self) -> None:
        row = self.list.current
        if row is not None:
            self.ticked ^= {row.id}
            self._changed()

    def action_toggle_all(self) -> None:
        every = {self.list.row_at(i).id for i in range(self.list.total)}
        self.ticked = set() if every <= self.ticked else every
        self._changed()

    def action_save(self) -> None:
        try:
            self.save()
        except ThiduaError as exc:
            self.refuse(exc)
            return
        self.saved = set(self.ticked)
        self.notify("Đã lưu.", markup=False)
        self.app.pop_screen()

    def action_back(self) -> None:
        if self.ticked == self.saved:
            self.app.pop_screen()
            return
        self.app.push_screen(Confirm("Bỏ các thay đổi chưa lưu?"),
                             lambda yes: self.app.pop_screen() if yes else None)
