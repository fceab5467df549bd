"""The fund of one year: money in and out, each issued decision's payout with the balance
before and after it as at its issue, and the allocation against its limit.

Ctrl+N enters money in or out, Ctrl+E the year's recurrent spending (which sets the
allocation limit), Ctrl+O turns to another year: a decision dated in an earlier year
pays from that year's fund, so its income must be enterable too.
"""
from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.widgets import Static

from models import fields, text
from models.awards import decisions, fund
from models.awards.tables import FUND_KINDS
from tui.widgets.browse import RecordScreen
from tui.widgets.form import Field, FormScreen, FormSpec
from tui.widgets.lazylist import ListSource, Row

KEYS = "Ctrl+N: ghi thu chi · Ctrl+E: chi thường xuyên · Ctrl+O: năm khác · Esc: về"


class FundScreen(RecordScreen):
    tables = ("fund_entry", "fund_budget", "decision", "decision_award")
    BINDINGS = [
        Binding("ctrl+n", "new_row", "Ghi thu chi", id="fund.new"),
        Binding("ctrl+e", "budget", "Chi thường xuyên", id="fund.budget"),
        Binding("ctrl+o", "year", "Năm khác", id="fund.year"),
    ]

    def __init__(self, year: int) -> None:
        super().__init__()
        self.year = year
        self._lines: dict[int, fund.LedgerLine] = {}

    def make_source(self):
        def rows() -> list[Row]:
            ledger = fund.ledger(self.year)
            self._lines = {line.id: line for line in ledger}
            return [Row(line.id, (text.format_date(line.day), line.what,
                                  decisions.reference(line.decision) if line.decision
                                  else line.source, text.format_vnd(line.amount)))
                    for line in ledger]
        return ListSource((("Ngày", 10), ("Khoản", 18), ("Nguồn / quyết định", 0),
                           ("Số tiền", 15)), rows)

    def can_create(self) -> bool:
        return fund.can_add(self.app.actor)

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "budget":
            return fund.can_add(self.app.actor)
        return super().check_action(action, parameters)

    def show_heading(self) -> None:
        s = fund.state(self.year)
        self.set_heading(f"Quỹ {self.year}: thu {text.format_vnd(s.income)} · đã chi "
                         f"{text.format_vnd(s.spent)} · còn {text.format_vnd(s.balance)}")

    def refresh_rows(self) -> None:
        super().refresh_rows()
        self.show_heading()

    def detail(self, row: Row) -> str:
        line = self._lines.get(row.id)
        what = line.impact.line() if line is not None and line.impact is not None else ""
        return f"{fund.limit_line(self.year)}\n{what}\n{KEYS}"

    def show_detail(self, row: Row | None) -> None:
        super().show_detail(row)
        if row is None:  # a year with nothing entered yet still says its limit and keys
            self.query_one("#detail", Static).update(
                Text(f"{fund.limit_line(self.year)}\nChưa có khoản thu chi nào.\n{KEYS}"))

    def show_year(self, year: int | None) -> None:
        if year is None or year == self.year:
            return
        self.year = year
        self.refresh_rows()

    def action_year(self) -> None:
        self.app.push_screen(FormScreen(FormSpec("Xem quỹ của năm", [
            Field("year", "Năm", required=True, placeholder="ví dụ 2024",
                  check=fields.year)],
            {"year": str(self.year)}, lambda values: fields.year(values["year"]))),
            self.show_year)

    def action_budget(self) -> None:
        actor, cfg, year = self.app.actor, self.app.cfg, self.year
        plan = fund.budget(year)

        def save(values):
            return fund.set_budget(actor, cfg, year, values["amount"])
        self.app.push_screen(FormScreen(FormSpec(
            f"Chi thường xuyên năm {year}: hạn mức trích lập quỹ theo tỷ lệ trong cấu hình", [
                Field("amount", "Chi thường xuyên", required=True,
                      placeholder="ví dụ 5.000.000.000",
                      check=lambda v: text.parse_vnd(v, "Chi thường xuyên"))],
            {"amount": text.format_vnd(plan.recurrent_spending) if plan is not None else ""},
            save)),
            lambda _: self.refresh_rows())

    def new_row(self) -> None:
        actor, year = self.app.actor, self.year

        def save(values):
            return fund.add_entry(actor, year, values["kind"], values["amount"], values["day"],
                                  values["source"])
        day = text.format_date(self.app.today) if year == self.app.today.year else ""
        self.app.push_screen(FormScreen(FormSpec(f"Ghi thu chi quỹ năm {year}", [
            Field("kind", "Khoản", required=True, choices=tuple(FUND_KINDS.items())),
            Field("amount", "Số tiền", required=True, placeholder="ví dụ 50.000.000",
                  check=lambda v: text.parse_vnd(v, "Số tiền")),
            Field("day", "Ngày", required=True, placeholder="dd/mm/yyyy",
                  check=lambda v: fields.required_date(v, "Ngày")),
            Field("source", "Nguồn")],
            {"kind": "allocation", "day": day}, save)),
            lambda _: self.refresh_rows())
