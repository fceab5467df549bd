"""F9: look anyone up and read their award history (journey 9).

Type a name without accents; people, households and units that match are
listed, and the highlighted one's titles over the years fill the tall panel
below. Enter shows the whole history when it does not fit.
"""
from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Label, Static

from models import text
from models.awards import history, past_awards
from models.awards.tables import TitleAward
from models.errors import ThiduaError
from tui.screens.past_award import past_award_form
from tui.widgets.browse import BrowseScreen
from tui.widgets.form import Confirm
from tui.widgets.lazylist import LazyList, ListSource, Row, fit, layout

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


LEVEL_SHORT = {"commune": "Xã", "district": "Huyện", "province": "Tỉnh", "central": "TW"}
REVOKED_MARK = "(đã hủy bỏ)"  # a revoked award stays in the history, marked (Luật 2022, ch. VII)


def award_cells(row: history.AwardRow) -> tuple[str, ...]:
    """Year, title or form, decision, date, deciding level: a line of the history."""
    ref = row.decision_ref or "—"
    ref = ref if ref.startswith(("Số", "số")) else f"Số {ref}" if row.decision_ref else ref
    name = f"{row.title_name} {REVOKED_MARK}" if row.revoked else row.title_name
    return (str(row.year), name, ref, row.date_text or "—", LEVEL_SHORT.get(row.level, row.level))


AWARD_COLUMNS = (("Năm", 5), ("Danh hiệu, hình thức", 0), ("Số quyết định", 18),
                 ("Ngày QĐ", 10), ("Cấp", 5))


def award_line(row: history.AwardRow, width: int = 76) -> str:
    """"2024  Lao động tiên tiến       Số 112/QĐ-UBND     20/12/2024 Xã"."""
    return layout(AWARD_COLUMNS, award_cells(row), width).rstrip()


def heading_line(row: LookupRow) -> str:
    kind, name, about = row.cells
    return f"{kind}: {name}" + (f" ({about})" if about else "")


def summary_line(awards: list[history.AwardRow]) -> str:
    if not awards:
        return "Chưa có danh hiệu hay hình thức khen thưởng nào được ghi nhận."
    years = sorted({a.year for a in awards})
    span = f"{years[0]}" if len(years) == 1 else f"{years[0]}-{years[-1]}"
    revoked = sum(1 for a in awards if a.revoked)
    marked = f" ({revoked} đã hủy bỏ)" if revoked else ""
    return f"{len(awards)} lần khen thưởng{marked}, {span}:"


def award_lines(row: history.AwardRow, width: int = 76) -> list[str]:
    """The award's line and, when revoked, the revoking decision on one line below it
    (cut to the width, so that the panel's line count holds)."""
    line = award_line(row, width)
    return [line, fit("      " + row.revoked, width).rstrip()] if row.revoked else [line]


def history_lines(row: LookupRow, titles) -> list[str]:
    awards = history.history_of(row.kind, row.id, titles)
    return [summary_line(awards)] + [line for a in awards for line in award_lines(a)]


class HistoryScreen(ModalScreen):
    """The whole history of one person, household or unit. The Office adds an award
    made before thidua here, and corrects or removes one (Enter, Ctrl+D); thidua's
    own decisions are changed by an amending decision instead."""

    BINDINGS = [Binding("escape", "dismiss", "Đóng", id="history.close"),
                Binding("ctrl+n", "add", "Thêm khen thưởng cũ", id="history.add"),
                Binding("ctrl+d", "remove", "Xóa", id="history.remove")]
    DEFAULT_CSS = """
    HistoryScreen { align: center middle; }
    HistoryScreen > Vertical { width: 80; height: 22; border: solid $primary;
                               background: $panel; padding: 0 1; }
    App.-ascii HistoryScreen > Vertical { border: ascii $primary; }
    HistoryScreen #about { height: 3; }
    """

    def __init__(self, row: LookupRow) -> None:
        super().__init__()
        self.row = row
        self.awards: dict[int, history.AwardRow] = {}

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text(text.visible(heading_line(self.row)), style="bold"))
            yield Label("", id="summary")
            self.list = LazyList(ListSource(AWARD_COLUMNS, self._rows), id="awards",
                                 ascii_mark=self.app.ascii, empty_text="")
            yield self.list
            yield Static("", id="about", markup=False)
        yield Footer()

    def _rows(self) -> list[Row]:
        found = history.history_of(self.row.kind, self.row.id, self.app.cfg.titles)
        self.awards = {a.id: a for a in found}
        self.query_one("#summary", Label).update(Text(summary_line(found)))
        return [Row(a.id, award_cells(a)) for a in found]

    @property
    def manages(self) -> bool:
        return past_awards.can_manage(self.app.actor)

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action in ("add", "remove"):
            return self.manages
        return True

    @on(LazyList.Highlighted)
    def _about(self, event: LazyList.Highlighted) -> None:
        award = self.awards.get(event.row.id)
        if award is None:
            return
        origin = "Khen thưởng trước khi dùng thidua" if award.before_thidua else \
            "Theo quyết định ban hành trên thidua"
        if award.before_thidua and self.manages:
            origin += " (Enter: sửa)"
        about = "\n".join(line for line in (f"{award.level_name} · {origin}", award.revoked,
                                             award.note) if line)
        self.query_one("#about", Static).update(Text(text.visible(about, multiline=True)))

    def _editable(self, award_id: int) -> TitleAward | None:
        """The award as stored, if the Office may change it here; else say why."""
        try:
            return past_awards.editable(self.app.actor, award_id)
        except ThiduaError as exc:
            self.notify(str(exc), severity="warning", markup=False)
            return None

    @on(LazyList.Chosen)
    def _chosen(self, event: LazyList.Chosen) -> None:
        award = self.awards.get(event.row.id)
        if award is None or not (award.before_thidua and self.manages):
            self.dismiss()
            return
        stored = self._editable(award.id)
        if stored is not None:
            self.app.push_screen(past_award_form(self.app, self.row.kind, self.row.id,
                                                 self.row.cells[1], stored), self._edited)

    def _edited(self, record) -> None:
        if record is not None:
            self.list.reload()

    def action_add(self) -> None:
        self.app.push_screen(past_award_form(self.app, self.row.kind, self.row.id,
                                             self.row.cells[1]), self._edited)

    def action_remove(self) -> None:
        current = self.list.current
        stored = self._editable(current.id) if current is not None else None
        if stored is None:
            return
        award = self.awards[current.id]

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            try:
                past_awards.remove(self.app.actor, stored.id, stored.version)
            except ThiduaError as exc:
                self.notify(str(exc), severity="error", markup=False)
                return
            self.list.reload()

        self.app.push_screen(Confirm(text.visible(
            f"Xóa khỏi lịch sử: {award.year} {award.title_name}?")), answered)

    def on_data_changed(self, message) -> None:
        if message.touches("title_award"):
            self.list.reload()


class LookupScreen(BrowseScreen):
    heading = "Tra cứu"
    tables = ("person", "household", "unit", "title_award")
    DEFAULT_CSS = """
    LookupScreen #detail { height: 10; }
    """
    BINDINGS = [Binding("ctrl+n", "new_row", "Thêm khen thưởng cũ", id="lookup.past_award")]

    def make_source(self):
        return LookupSource()

    def can_create(self) -> bool:
        return past_awards.can_manage(self.app.actor)

    def detail(self, row: Row) -> str:
        assert isinstance(row, LookupRow)
        lines = history_lines(row, self.app.cfg.titles)
        if len(lines) > DETAIL_LINES - 1:
            more = len(lines) - (DETAIL_LINES - 2)
            lines = lines[:DETAIL_LINES - 2] + [f"… còn {more} dòng nữa: Enter để xem hết."]
        return "\n".join(text.visible(line) for line in [heading_line(row)] + lines)

    def open_row(self, row: Row) -> None:
        assert isinstance(row, LookupRow)
        self.app.push_screen(HistoryScreen(row), lambda _: self.refresh_rows())

    def new_row(self) -> None:
        """An award made before thidua, for the person, household or unit highlighted."""
        row = self.list.current
        if isinstance(row, LookupRow):
            self.app.push_screen(past_award_form(self.app, row.kind, row.id, row.cells[1]),
                                 self.edited)
