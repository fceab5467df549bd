"""F9: look anyone up and read their award history (journey 9).

Type a name without accents; people, households and units that match are
listed, and the highlighted one's titles over the years fill the tall panel
below. Enter shows the whole history when it does not fit.
"""
from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Label, Static

from models import text
from models.awards import history
from tui.widgets.browse import BrowseScreen
from tui.widgets.lazylist import Row, fit

DETAIL_LINES = 9  # the panel's height below its rule; the list keeps 11 rows at 80x24


@dataclass(frozen=True)
class LookupRow(Row):
    kind: str = "person"


class LookupSource:
    columns = (("Loại", 6), ("Tên", 0), ("Thông tin", 28))

    def count(self, query: str) -> int:
        return history.count(query)

    def rows(self, query: str, offset: int, limit: int) -> list[Row]:
        return [LookupRow(m.id, (history.KINDS[m.kind], m.name, m.about), kind=m.kind)
                for m in history.find(query, offset, limit)]


def award_line(row: history.AwardRow, width: int = 76) -> str:
    """"2024  Lao động tiên tiến            Số 112/QĐ-UBND       20/12/2024"."""
    ref = row.decision_ref or "—"
    ref = ref if ref.startswith(("Số", "số")) else f"Số {ref}" if row.decision_ref else ref
    date = row.date_text or "—"
    name_width = max(10, width - 6 - 23 - 10)
    return f"{row.year:<4}  {fit(row.title_name, name_width)} {fit(ref, 22)} {date}"


def heading_line(row: LookupRow) -> str:
    kind, name, about = row.cells
    return f"{kind}: {name}" + (f" ({about})" if about else "")


def history_lines(row: LookupRow, titles) -> list[str]:
    awards = history.history_of(row.kind, row.id, titles)
    if not awards:
        return ["Chưa có danh hiệu hay hình thức khen thưởng nào được ghi nhận."]
    years = sorted({a.year for a in awards})
    span = f"{years[0]}" if len(years) == 1 else f"{years[0]}-{years[-1]}"
    return [f"{len(awards)} lần khen thưởng, {span}:"] + [award_line(a) for a in awards]


class HistoryScreen(ModalScreen):
    """The whole history of one person, household or unit, scrollable."""

    BINDINGS = [Binding("escape,enter", "dismiss", "Đóng", id="history.close"),
                Binding("down", "scroll('down')", "Xuống", show=False),
                Binding("up", "scroll('up')", "Lên", show=False),
                Binding("pagedown", "scroll('page_down')", "Trang sau", show=False),
                Binding("pageup", "scroll('page_up')", "Trang trước", show=False)]
    DEFAULT_CSS = """
    HistoryScreen { align: center middle; }
    HistoryScreen > VerticalScroll { width: 80; height: 22; border: solid $primary;
                                     background: $panel; padding: 0 1; }
    App.-ascii HistoryScreen > VerticalScroll { border: ascii $primary; }
    """

    def __init__(self, heading: str, lines: list[str]) -> None:
        super().__init__()
        self.heading = heading
        self.lines = lines

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Label(Text(text.visible(self.heading), style="bold"))
            yield Static(Text("\n".join(text.visible(line) for line in self.lines)),
                         markup=False)
        yield Footer()

    def action_scroll(self, how: str) -> None:
        getattr(self.query_one(VerticalScroll), f"scroll_{how}")(animate=False)


class LookupScreen(BrowseScreen):
    heading = "Tra cứu"
    tables = ("person", "household", "unit", "title_award")
    DEFAULT_CSS = """
    LookupScreen #detail { height: 10; }
    """

    def make_source(self):
        return LookupSource()

    def detail(self, row: Row) -> str:
        assert isinstance(row, LookupRow)
        lines = history_lines(row, self.app.cfg.titles)
        if len(lines) > DETAIL_LINES - 1:
            more = len(lines) - (DETAIL_LINES - 2)
            lines = lines[:DETAIL_LINES - 2] + [f"… còn {more} dòng nữa: Enter để xem hết."]
        return "\n".join(text.visible(line) for line in [heading_line(row)] + lines)

    def open_row(self, row: Row) -> None:
        assert isinstance(row, LookupRow)
        self.app.push_screen(HistoryScreen(heading_line(row),
                                           history_lines(row, self.app.cfg.titles)))
