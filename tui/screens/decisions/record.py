"""One decision: its award list, and the fund balance before and after it.

A draft takes the passed nominations (Ctrl+T), is issued with Ctrl+S (asking first,
and once more when it would overdraw the fund), and is exported to Excel for the
finance officer (Ctrl+G). An issued decision never changes: Ctrl+B drafts an
amending decision. The keys offered are decisions.allowed_actions.
"""
from __future__ import annotations

import textwrap

from textual.binding import Binding

from models import text
from models.awards import decisions, history, nominations
from models.errors import ThiduaError
from tui.screens.decisions.form import decision_form
from tui.screens.decisions.passed import PassedScreen
from tui.screens.decisions.revoke import RevokeScreen
from tui.widgets.browse import RecordScreen
from tui.widgets.form import Confirm, Field, FormScreen, FormSpec
from tui.widgets.lazylist import RecordSource, Row


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
        self._allowed: frozenset[str] | None = None
        self._warnings: list[str] | None = None

    def make_source(self):
        titles = self.app.cfg.titles

        def cells(a) -> tuple[str, ...]:
            title = history.title_name(titles, a.title_code)
            if a.revokes_id:
                title = "Bãi bỏ: " + title
            return (nominations.subject_label(a), title, str(a.year),
                    text.format_vnd(a.amount))
        return RecordSource((("Họ tên / đơn vị", 0), ("Danh hiệu", 26), ("Năm", 4),
                             ("Số tiền", 13)), decisions.award_listing(self.decision_id), cells)

    @property
    def decision(self):
        return decisions.get(self.decision_id)

    @property
    def allowed(self) -> frozenset[str]:
        if self._allowed is None:  # read again on each refresh, not on every key
            self._allowed = decisions.allowed_actions(self.app.actor, self.decision)
        return self._allowed

    def show_heading(self) -> None:
        d = self.decision
        self._warnings = None
        allowed = decisions.allowed_actions(self.app.actor, d)
        if allowed != self._allowed:
            self._allowed = allowed
            self.refresh_bindings()  # an issued decision offers no editing keys
        state = "đã ban hành" if d.issued else "dự thảo"
        self.set_heading(f"{decisions.reference(d)} · {text.format_date(d.decided_on)} · "
                         f"{state} · {d.title}")

    def refresh_rows(self) -> None:
        self.show_heading()  # first: the detail's keys follow the decision as it is now
        super().refresh_rows()

    def detail(self, row: Row) -> str:
        s = decisions.summary(self.decision_id)
        line = (f"{s.awards} khen thưởng" + (f", {s.revoked} bãi bỏ" if s.revoked else "")
                + f" · tổng {text.format_vnd(s.total)}")
        if "edit" in self.allowed:
            hint = "Ctrl+Y bỏ dòng · Ctrl+R sửa dự thảo"
        elif "amend" in self.allowed:
            hint = "Đã ban hành, không sửa được · Ctrl+B: quyết định sửa đổi, bổ sung"
        else:
            hint = "Ctrl+G: xuất Excel"
        if self._warnings is None:  # read once per refresh, not on every cursor move
            self._warnings = decisions.deadline_warnings(self.app.cfg, self.decision_id)
        warnings = self._warnings
        if warnings:  # the time limits of the configuration come before the keys
            hint = "CẢNH BÁO: " + " ".join(warnings)
        return f"{line}\n{s.impact.line()}\n{hint}"

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action in decisions.ACTIONS:
            return action in self.allowed
        return super().check_action(action, parameters)

    def _after(self, _result=None) -> None:
        self.refresh_rows()

    def action_add(self) -> None:
        self.app.push_screen(PassedScreen(self.decision_id), self._after)

    def action_remove(self) -> None:
        row = self.list.current
        if row is None:
            return
        try:
            decisions.remove_award(self.app.actor, self.decision_id, row.id)
        except ThiduaError as exc:
            self.refuse(exc)
            return
        self.refresh_rows()

    def action_edit(self) -> None:
        self.app.push_screen(decision_form(self.app, self.decision), self._after)

    def action_amend(self) -> None:
        amended_id = self.decision_id

        def made(new) -> None:
            if new is not None:
                self.app.push_screen(DecisionScreen(new.id))
                self.app.push_screen(RevokeScreen(new.id, amended_id))
        self.app.push_screen(decision_form(self.app, amends_id=amended_id), made)

    def action_issue(self) -> None:
        """Ask, showing the money, the fund and any time limit passed; the number
        is the next of the year's series unless the Office types the one from the
        paper register (refused at once when already used)."""
        d = self.decision
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
                 f"{s.awards} khen thưởng, {text.format_vnd(s.total)} · ô Số để trống: số "
                 "tiếp theo",
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
