"""F8: decisions (quyết định khen thưởng), the fund and the year's statistics
(journey 6).

The list of decisions with their number, date, awards and money; Enter opens
one: its award list, and the fund balance before and after it. A draft takes
the passed nominations (Ctrl+T), is issued with Ctrl+S (asking first, and
once more when it would overdraw the fund), and is exported to Excel for the
finance officer (Ctrl+G). An issued decision never changes: Ctrl+B drafts an
amending decision.
"""
from __future__ import annotations

import textwrap

from textual.binding import Binding

from models import fields, text
from models.awards import decisions, fund, recognition
from models.awards.tables import FUND_KINDS, DecisionAward, Nomination
from models.errors import ThiduaError
from tui.screens.lookup import HistoryScreen
from tui.screens.nominations import subject_cell, title_name
from tui.widgets.browse import BrowseScreen, RecordScreen, TickScreen
from tui.widgets.form import Confirm, Field, FormScreen, FormSpec
from tui.widgets.lazylist import ListSource, QuerySource, Row

ISSUERS = ("admin", "chairman")



def _money(amount: int) -> str:
    return text.format_vnd(amount)


def decision_form(app, decision=None, amends_id: int | None = None) -> FormScreen:
    actor = app.actor

    def save(values: dict[str, str]):
        args = (values["title"], values["decided_on"], values["signer"], values["note"])
        if decision is not None:
            return decisions.update(actor, decision.id, int(values["_version"]), *args)
        if amends_id is not None:
            return decisions.amend(actor, amends_id, *args)
        return decisions.create(actor, *args)

    if decision is not None:
        values = {"title": decision.title, "decided_on": text.format_date(decision.decided_on),
                  "signer": decision.signer, "note": decision.note,
                  "_version": str(decision.version)}
    else:
        values = {"decided_on": text.format_date(app.today),
                  "signer": app.cfg.commune.chairman, "_version": "0",
                  "title": f"Khen thưởng năm {app.today.year}"}
        if amends_id is not None:
            values["title"] = f"Sửa đổi, bổ sung {decisions.reference(decisions.get(amends_id))}"
    form_fields = [
        Field("title", "Trích yếu", required=True,
              check=lambda v: fields.name(v, "Trích yếu", max_len=400)),
        Field("decided_on", "Ngày quyết định", required=True, placeholder="dd/mm/yyyy",
              check=lambda v: fields.required_date(v, "Ngày quyết định")),
        Field("signer", "Người ký", check=lambda v: fields.optional_text(v, "Người ký")),
        Field("note", "Ghi chú", check=lambda v: fields.optional_text(v, "Ghi chú",
                                                                       max_len=2000)),
    ]
    heading = ("Sửa dự thảo quyết định" if decision is not None else
               "Quyết định sửa đổi, bổ sung" if amends_id is not None else "Lập quyết định")
    return FormScreen(FormSpec(heading, form_fields, values, save))


class DecisionsScreen(BrowseScreen):
    heading = "Quyết định"
    tables = ("decision", "decision_award", "fund_entry")
    filter_hint = "trích yếu hoặc số"
    BINDINGS = [
        Binding("ctrl+f", "fund", "Quỹ", id="decisions.fund"),
        Binding("ctrl+r", "stats", "Thống kê", id="decisions.stats"),
    ]

    def make_source(self):
        def build(q: str):
            query = decisions.listing()
            folded = text.fold(q)
            if folded:
                from models.awards.tables import Decision
                if folded.isdigit():
                    query = query.where(Decision.number == int(folded))
                else:
                    query = query.where(Decision.title.contains(q.strip()))
            return query

        def cells(d):
            ref = decisions.reference(d).removeprefix("Số: ")
            return (ref, text.format_date(d.decided_on), d.title,
                    str(decisions.awards(d.id).count()), _money(decisions.total(d.id)),
                    "Đã BH" if d.issued else "Dự thảo")
        return QuerySource((("Số", 14), ("Ngày", 10), ("Trích yếu", 0), ("KT", 5),
                            ("Tiền", 14), ("", 7)), build, cells)

    def can_create(self) -> bool:
        return self.app.actor.is_admin

    def detail(self, row: Row) -> str:
        s = decisions.summary(row.id)
        d = decisions.get(row.id)
        amends = f" · sửa đổi {decisions.reference(d.amends)}" if d.amends_id else ""
        return (f"{s.reference}{amends} · {s.awards} khen thưởng"
                + (f", {s.revoked} bãi bỏ" if s.revoked else "")
                + f" · {_money(s.total)}\n{s.impact.line()}")

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

    def action_stats(self) -> None:
        year = self.app.today.year
        lines = []
        for y in (year, year - 1):
            lines += recognition.statistics_lines(recognition.statistics(y), self.app.cfg.titles)
            lines.append("")
        self.app.push_screen(HistoryScreen(f"Thống kê khen thưởng {year - 1}-{year}", lines))


class DecisionScreen(RecordScreen):
    tables = ("decision", "decision_award", "fund_entry")
    DEFAULT_CSS = """
    DecisionScreen #detail { height: 4; }
    """
    BINDINGS = [
        Binding("ctrl+t", "add", "Thêm đề nghị", id="decision.add"),
        Binding("ctrl+s", "issue", "Ban hành", id="decision.issue"),
        Binding("ctrl+g", "export", "Xuất Excel", id="decision.export"),
        Binding("ctrl+y", "remove", "Bỏ/bãi bỏ", id="decision.remove", show=False),
        Binding("ctrl+b", "amend", "QĐ sửa đổi", id="decision.amend", show=False),
        Binding("ctrl+r", "edit", "Sửa dự thảo", id="decision.edit", show=False),
    ]

    def __init__(self, decision_id: int) -> None:
        super().__init__()
        self.decision_id = decision_id
        self._issued = decisions.get(decision_id).issued
        self._warnings: list[str] | None = None

    def make_source(self):
        # Paged from the database: a Gia đình văn hóa decision lists thousands.
        return QuerySource((("Họ tên / đơn vị", 0), ("Danh hiệu", 26), ("Năm", 4),
                            ("Số tiền", 13)),
                           lambda q: decisions.awards_with_subjects(self.decision_id),
                           self._cells)

    def _cells(self, a) -> tuple[str, ...]:
        title = title_name(self.app.cfg, a.title_code)
        if a.revokes_id:
            title = "Bãi bỏ: " + title
        return (decisions.subject_label(a), title, str(a.year), _money(a.amount))

    @property
    def decision(self):
        return decisions.get(self.decision_id)

    def show_heading(self) -> None:
        d = self.decision
        self._warnings = None
        if d.issued != self._issued:
            self._issued = d.issued
            self.refresh_bindings()  # an issued decision offers no editing keys
        state = "đã ban hành" if d.issued else "dự thảo"
        self.set_heading(f"{decisions.reference(d)} · {text.format_date(d.decided_on)} · "
                         f"{state} · {d.title}")

    def refresh_rows(self) -> None:
        super().refresh_rows()
        self.show_heading()

    def detail(self, row: Row) -> str:
        s = decisions.summary(self.decision_id)
        line = (f"{s.awards} khen thưởng" + (f", {s.revoked} bãi bỏ" if s.revoked else "")
                + f" · tổng {_money(s.total)}")
        if not self.app.actor.is_admin:
            hint = "Ctrl+G: xuất Excel"
        elif self._issued:
            hint = "Đã ban hành, không sửa được · Ctrl+B: quyết định sửa đổi, bổ sung"
        else:
            hint = "Ctrl+Y bỏ dòng · Ctrl+R sửa dự thảo"
        if self._warnings is None:  # read once per refresh, not on every cursor move
            self._warnings = decisions.deadline_warnings(self.app.cfg, self.decision_id)
        warnings = self._warnings
        if warnings:  # the time limits of the configuration come before the keys
            hint = "CẢNH BÁO: " + " ".join(warnings)
        return f"{line}\n{s.impact.line()}\n{hint}"

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action in ("add", "remove", "edit", "issue") and self._issued:
            return False
        if action == "amend" and not self._issued:
            return False
        if action in ("add", "remove", "amend", "edit"):
            return self.app.actor.is_admin
        if action == "issue":
            return self.app.actor.has(*ISSUERS)
        return super().check_action(action, parameters)

    def _after(self, _result=None) -> None:
        self.refresh_rows()

    def action_add(self) -> None:
        if self.decision.issued:
            self.notify(decisions.IMMUTABLE, severity="warning", markup=False)
            return
        self.app.push_screen(PassedScreen(self.decision_id), self._after)

    def action_remove(self) -> None:
        row = self.list.current
        if row is None:
            return
        d = self.decision
        try:
            decisions.remove_award(self.app.actor, d.id, row.id)
        except ThiduaError as exc:
            self.refuse(exc)
            return
        self.refresh_rows()

    def action_edit(self) -> None:
        d = self.decision
        if d.issued:
            self.notify(decisions.IMMUTABLE, severity="warning", markup=False)
            return
        self.app.push_screen(decision_form(self.app, d), self._after)

    def action_amend(self) -> None:
        d = self.decision
        if not d.issued:
            self.notify("Dự thảo thì sửa trực tiếp (Ctrl+R).", severity="warning", markup=False)
            return

        def made(new) -> None:
            if new is not None:
                self.app.push_screen(DecisionScreen(new.id))
                self.app.push_screen(RevokeScreen(new.id, d.id))
        self.app.push_screen(decision_form(self.app, amends_id=d.id), made)

    def action_issue(self) -> None:
        """Ask, showing the money, the fund and any time limit passed; the number
        is the next of the year's series unless the Office types the one from the
        paper register (refused at once when already used)."""
        d = self.decision
        if d.issued:
            self.notify(decisions.IMMUTABLE, severity="warning", markup=False)
            return
        s = decisions.summary(d.id)
        year = d.decided_on.year
        following = decisions.next_number(year, d.doc_type, d.issuer)
        warnings = decisions.deadline_warnings(self.app.cfg, d.id)
        actor, cfg = self.app.actor, self.app.cfg
        overdraw: dict[str, object] = {}

        def save(values):
            number = decisions.parse_number(values["number"], year, d.doc_type, d.issuer)
            try:
                return decisions.issue(actor, cfg, d.id, d.version, number=number)
            except decisions.Overdraw as exc:
                overdraw.update(number=number, message=str(exc))
                return exc

        def done(result) -> None:
            if isinstance(result, decisions.Overdraw):
                def again(yes: bool | None) -> None:
                    if not yes:
                        return
                    try:
                        decisions.issue(actor, cfg, d.id, d.version,
                                        number=overdraw["number"], accept_overdraw=True)
                    except ThiduaError as exc:
                        self.refuse(exc)
                        return
                    self._issued_done()
                self.app.push_screen(Confirm(f"{overdraw['message']}\nVẫn ban hành?"), again)
                return
            if result is not None:
                self._issued_done()

        width = max(20, self.app.size.width - 4)
        lines = [f"Ban hành quyết định Số: "
                 f"{decisions.format_number(following, d.doc_type, d.issuer)} ngày "
                 f"{text.format_date(d.decided_on)}",
                 f"{s.awards} khen thưởng, {_money(s.total)} · ô Số để trống: số tiếp theo",
                 s.impact.line()]
        for w in warnings:
            lines += textwrap.wrap("CẢNH BÁO: " + w, width)
        heading = "\n".join(lines)
        self.app.push_screen(FormScreen(FormSpec(heading, [
            Field("number", f"Số (trống: {following:02d})",
                  placeholder=f"{following:02d}",
                  check=lambda v: decisions.parse_number(v, year, d.doc_type, d.issuer))],
            {"number": ""}, save)), done)

    def _issued_done(self) -> None:
        self.refresh_rows()
        self.notify(f"Đã ban hành {decisions.reference(self.decision)}.", markup=False)

    def action_export(self) -> None:
        d = self.decision
        default = f"QD-{d.number or 'du-thao'}-{d.decided_on.year}.xlsx"

        def save(values):
            path = self.app.files.resolve(values["file"])
            rows = decisions.export_xlsx(self.app.cfg, d.id, path)
            self.notify(f"Đã xuất {rows} dòng ra {path}", markup=False)
            return path

        self.app.push_screen(FormScreen(FormSpec("Xuất danh sách khen thưởng ra Excel", [
            Field("file", "Tên tệp .xlsx", required=True)], {"file": default}, save)))


class PassedScreen(TickScreen):
    """The nominations the council passed and no decision lists yet: tick, Ctrl+S."""

    tables = ("nomination",)

    def __init__(self, decision_id: int) -> None:
        super().__init__(set())
        self.decision_id = decision_id

    def make_source(self):
        return ListSource((("", 3), ("Đối tượng", 0), ("Danh hiệu", 26), ("Năm", 4)),
                          self._rows)

    def _rows(self) -> list[Row]:
        listed = DecisionAward.select(DecisionAward.nomination).where(
            DecisionAward.nomination.is_null(False))
        query = (Nomination.select().where((Nomination.state == "passed")
                                           & Nomination.id.not_in(listed)
                                           & Nomination.batch.is_null())
                 .order_by(Nomination.title_code, Nomination.id).limit(2000))
        return [Row(n.id, (self.mark(n.id), subject_cell(n), title_name(self.app.cfg,
                                                                        n.title_code),
                           str(n.year))) for n in query]

    def heading_text(self) -> str:
        return f"Đề nghị đã được Hội đồng thông qua: đã chọn {len(self.ticked)}"

    def detail(self, row: Row) -> str:
        return "Space: chọn/bỏ · Ctrl+A: chọn hết · Ctrl+S: đưa vào quyết định"

    def save(self) -> None:
        decisions.add_nominations(self.app.actor, self.app.cfg, self.decision_id,
                                  sorted(self.ticked))


class RevokeScreen(TickScreen):
    """On an amending decision: tick the awards of the amended one to withdraw."""

    tables = ("decision_award",)

    def __init__(self, decision_id: int, amended_id: int) -> None:
        super().__init__(set())
        self.decision_id = decision_id
        self.amended_id = amended_id

    def make_source(self):
        return ListSource((("", 3), ("Họ tên / đơn vị", 0), ("Danh hiệu", 26)), self._rows)

    def _rows(self) -> list[Row]:
        return [Row(a.id, (self.mark(a.id), decisions.subject_label(a),
                           title_name(self.app.cfg, a.title_code)))
                for a in decisions.awards(self.amended_id).where(
                    DecisionAward.revokes.is_null())]

    def heading_text(self) -> str:
        ref = decisions.reference(decisions.get(self.amended_id))
        return f"Bãi bỏ khen thưởng của {ref}: đã chọn {len(self.ticked)} (Esc: không bãi bỏ)"

    def detail(self, row: Row) -> str:
        return "Space: chọn/bỏ · Ctrl+S: bãi bỏ các dòng đã chọn · Esc: bỏ qua"

    def save(self) -> None:
        for award_id in sorted(self.ticked):
            decisions.revoke_award(self.app.actor, self.decision_id, award_id)


class FundScreen(RecordScreen):
    """The year's fund: money in, paid by decisions, the balance."""

    tables = ("fund_entry", "decision", "decision_award")
    BINDINGS = [Binding("ctrl+n", "new_row", "Ghi thu", id="fund.new")]

    def __init__(self, year: int) -> None:
        super().__init__()
        self.year = year

    def make_source(self):
        def rows() -> list[Row]:
            return [Row(e.id, (text.format_date(e.entered_on), FUND_KINDS.get(e.kind, e.kind),
                               e.source, _money(e.amount))) for e in fund.entries(self.year)]
        return ListSource((("Ngày", 10), ("Khoản", 18), ("Nguồn", 0), ("Số tiền", 15)), rows)

    def can_create(self) -> bool:
        return self.app.actor.has("finance", "admin")

    def show_heading(self) -> None:
        s = fund.state(self.year)
        self.set_heading(f"Quỹ {self.year}: thu {_money(s.income)} · đã chi "
                         f"{_money(s.payouts)} · còn {_money(s.balance)}")

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
