"""The shape of every list screen: a filter line, the list, a detail panel.

Typing goes to the filter; arrows and Page keys move the list meanwhile, so a
name is found and opened without leaving the home row of the keyboard.
"""
from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Footer, Label, Static

from models.errors import ThiduaError
from tui.live import DataChanged
from tui.widgets.field import LineInput
from tui.widgets.lazylist import LazyList, Row, RowSource


class BrowseScreen(Screen):
    """Subclasses give `heading`, `tables` (what to refresh on), `make_source()`,
    `detail(row)` and, when the user may, `open_row(row)` and `new_row()`."""

    heading = ""
    tables: tuple[str, ...] = ()  # "*": any change at all
    filter_hint = "gõ tên, không cần dấu"
    stale = False  # changed elsewhere while this screen was not showing
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
        self.show_detail(event.row)

    @on(LazyList.Chosen)
    def _chosen(self, event: LazyList.Chosen) -> None:
        self.open_row(event.row)

    def show_detail(self, row: Row | None) -> None:
        try:
            body = self.detail(row) if row is not None else ""
        except ThiduaError as exc:
            body = str(exc)
        self.query_one("#detail", Static).update(Text(body, no_wrap=False))

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
