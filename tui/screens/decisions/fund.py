"""The year's fund: money in, paid by decisions, the balance; Ctrl+N enters money in."""
from __future__ import annotations

from textual.binding import Binding

from models import text
from models.awards import fund
from models.awards.tables import FUND_KINDS
from tui.widgets.browse import RecordScreen
from tui.widgets.form import Field, FormScreen, FormSpec
from tui.widgets.lazylist import ListSource, Row


class FundScreen(RecordScreen):
    tables = ("fund_entry", "decision", "decision_award")
    BINDINGS = [Binding("ctrl+n", "new_row", "Ghi thu", id="fund.new")]

    def __init__(self, year: int) -> None:
        super().__init__()
        self.year = year

    def make_source(self):
        def rows() -> list[Row]:
            return [Row(e.id, (text.format_date(e.entered_on), FUND_KINDS.get(e.kind, e.kind),
                               e.source, text.format_vnd(e.amount)))
                    for e in fund.entries(self.year)]
        return ListSource((("Ngày", 10), ("Khoản", 18), ("Nguồn", 0), ("Số tiền", 15)), rows)

    def can_create(self) -> bool:
        return fund.can_add(self.app.actor)

    def show_heading(self) -> None:
        s = fund.state(self.year)
        self.set_heading(f"Quỹ {self.year}: thu {text.format_vnd(s.income)} · đã chi "
                         f"{text.format_vnd(s.payouts)} · còn {text.format_vnd(s.balance)}")

    def refresh_rows(self) -> None:
        super().refresh_rows()
        self.show_heading()

    def detail(self, row: Row) -> str:
        return "Ctrl+N: ghi khoản thu (trích lập, đóng góp) · Esc: về"

    def new_row(self) -> None:
        actor, year = self.app.actor, self.year

        def save(values):
            return fund.add_entry(actor, year, values["kind"], values["amount"], values["day"],
                                  values["source"])
        self.app.push_screen(FormScreen(FormSpec(f"Ghi thu quỹ năm {year}", [
            Field("kind", "Khoản", required=True, choices=tuple(FUND_KINDS.items())),
            Field("amount", "Số tiền", required=True, placeholder="ví dụ 50.000.000",
                  check=lambda v: text.parse_vnd(v, "Số tiền")),
            Field("day", "Ngày", required=True, placeholder="dd/mm/yyyy"),
            Field("source", "Nguồn")],
            {"kind": "allocation", "day": text.format_date(self.app.today)}, save)),
            lambda _: self.refresh_rows())
