"""F8: decisions (quyết định khen thưởng), the fund and the year's statistics
(journey 6).

The list of decisions with their number, date, awards and money, found by number
or by words of the title; Enter opens one, Ctrl+N drafts one, Ctrl+F shows the
year's fund, Ctrl+R the statistics of this year and the last, and Ctrl+O the proposals
to the province (tui/screens/decisions/proposals.py).
"""
from __future__ import annotations

from textual.binding import Binding

from models import text
from models.awards import decisions
from tui.screens.decisions.form import decision_form
from tui.screens.decisions.fund import FundScreen
from tui.screens.decisions.proposals import ProposalsScreen
from tui.screens.decisions.record import DecisionScreen
from tui.screens.decisions.stats import StatsScreen
from tui.widgets.browse import BrowseScreen
from tui.widgets.lazylist import RecordSource, Row


class DecisionsScreen(BrowseScreen):
    heading = "Quyết định"
    tables = ("decision", "decision_award", "fund_entry")
    filter_hint = "trích yếu hoặc số"
    BINDINGS = [
        Binding("ctrl+f", "fund", "Quỹ", id="decisions.fund"),
        Binding("ctrl+r", "stats", "Thống kê", id="decisions.stats"),
        Binding("ctrl+o", "proposals", "Tờ trình tỉnh", id="decisions.proposals"),
    ]

    def make_source(self):
        def cells(d):
            ref = decisions.reference(d).removeprefix("Số: ")
            return (ref, text.format_date(d.decided_on), d.title,
                    str(decisions.award_count(d.id)), text.format_vnd(decisions.total(d.id)),
                    "Đã BH" if d.issued else "Dự thảo")
        return RecordSource((("Số", 14), ("Ngày", 10), ("Trích yếu", 0), ("KT", 5),
                             ("Tiền", 14), ("", 7)), decisions.listing(), cells)

    def can_create(self) -> bool:
        return decisions.can_prepare(self.app.actor)

    def detail(self, row: Row) -> str:
        s = decisions.summary(row.id)
        d = decisions.get(row.id)
        amends = f" · sửa đổi {decisions.reference(d.amends)}" if d.amends_id else ""
        return (f"{s.reference}{amends} · {s.awards} khen thưởng"
                + (f", {s.revoked} bãi bỏ" if s.revoked else "")
                + f" · {text.format_vnd(s.total)}\n{s.impact.line()}")

    def open_row(self, row: Row) -> None:
        self.app.push_screen(DecisionScreen(row.id), lambda _: self.refresh_rows())

    def new_row(self) -> None:
        def made(d) -> None:
            self.refresh_rows()
            if d is not None:
                self.app.push_screen(DecisionScreen(d.id), lambda _: self.refresh_rows())
        self.app.push_screen(decision_form(self.app), made)

    def action_fund(self) -> None:
        self.app.push_screen(FundScreen(self.app.today.year))

    def action_proposals(self) -> None:
        self.app.push_screen(ProposalsScreen(), lambda _: self.refresh_rows())

    def action_stats(self) -> None:
        self.app.push_screen(StatsScreen(self.app.today.year))
