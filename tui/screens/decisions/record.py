"""One decision: its award list, and the fund balance before and after it.

A draft takes the passed nominations (Ctrl+T), is issued with Ctrl+S (the
confirmation shows the exact list and money, tui/screens/decisions/issue.py), and is
exported to Excel for the finance officer (Ctrl+G). A line paid less than its title
(several titles the same year: the highest only) says why under the list. Ctrl+F
opens the fund of the decision's year, where a back-dated decision's year can be given
its income. An issued decision never changes: Ctrl+B drafts an amending decision, and
Ctrl+X revokes the award under the cursor by a decision of its own (the chairman).
Ctrl+W writes the decision itself, with its list (tui/widgets/export.py). The keys
offered are decisions.allowed_actions.
"""
from __future__ import annotations

from textual.binding import Binding

from models import text
from models.awards import decisions, history, nominations, revocation
from models.errors import ThiduaError
from tui.screens.decisions.form import decision_form
from tui.screens.decisions.fund import FundScreen
from tui.screens.decisions.issue import confirm_issue
from tui.screens.decisions.passed import PassedScreen
from tui.screens.decisions.revoke import RevokeScreen, revocation_form
from tui.widgets.browse import RecordScreen
from tui.widgets.export import EXPORT, export_document
from tui.widgets.form import Field, FormScreen, FormSpec
from tui.widgets.lazylist import RecordSource, Row


class DecisionScreen(RecordScreen):
    tables = ("decision", "decision_award", "fund_entry")
    # Four lines: the count, the fund, and two for why the line under the cursor is paid
    # less than its title (or the time limits passed, or the keys).
    DEFAULT_CSS = """
    DecisionScreen #detail { height: 5; }
    """
    BINDINGS = [
        Binding("ctrl+t", "add", "Thêm đề nghị", id="decision.add"),
        Binding("ctrl+s", "issue", "Ban hành", id="decision.issue"),
        Binding("ctrl+g", "export", "Xuất Excel", id="decision.export"),
        EXPORT,
        Binding("ctrl+f", "fund", "Quỹ của năm", id="decision.fund", show=False),
        Binding("ctrl+y", "remove", "Bỏ/bãi bỏ", id="decision.remove", show=False),
        Binding("ctrl+b", "amend", "QĐ sửa đổi", id="decision.amend", show=False),
        Binding("ctrl+r", "edit", "Sửa dự thảo", id="decision.edit", show=False),
        Binding("ctrl+x", "cancel_award", "Hủy bỏ khen thưởng", id="decision.cancel_award",
                show=False),
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
        note = decisions.money_note(row.id)
        if note:  # why this line is paid less than its title: the row's own fact first
            hint = note
        return f"{line}\n{s.impact.line()}\n{hint}"

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action in decisions.ACTIONS:
            return action in self.allowed
        if action == "cancel_award":
            return revocation.may_revoke_in(self.app.actor, self.decision)
        return super().check_action(action, parameters)

    def _after(self, _result=None) -> None:
        self.refresh_rows()

    def action_document(self) -> None:
        d = self.decision
        export_document(self, "decision", d.id, f"số {d.number}/{d.decided_on.year}"
                        if d.number else f"dự thảo {d.id}")

    def action_add(self) -> None:
        self.app.push_screen(PassedScreen(self.decision_id), self._after)

    def action_remove(self) -> None:
        row = self.list.current
        if row is None:
            return
        try:
            decisions.remove_award(self.app.actor, self.app.cfg, self.decision_id, row.id)
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

    def action_cancel_award(self) -> None:
        row = self.list.current
        if row is None:
            return
        try:
            form = revocation_form(self.app, row.id)
        except ThiduaError as exc:
            self.refuse(exc)
            return
        self.app.push_screen(form, self._after)

    def action_issue(self) -> None:
        confirm_issue(self, self.decision_id, self._issued_done)

    def action_fund(self) -> None:
        self.app.push_screen(FundScreen(self.decision.decided_on.year), self._after)

    def _issued_done(self) -> None:
        self.refresh_rows()
        self.notify(f"Đã ban hành {decisions.reference(self.decision)}.", markup=False)

    def action_export(self) -> None:
        d = self.decision
        default = f"QD-{d.number or 'du-thao'}-{d.decided_on.year}.xlsx"

        def save(values):
            # Imported when asked: python-docx would weigh on every start of the app.
            from models.documents import decision as decision_doc

            path = self.app.files.resolve(values["file"])
            decision_doc.write_xlsx_list(self.app.cfg, d.id, path)
            self.notify(f"Đã xuất danh sách ra {path}", markup=False)
            return path

        self.app.push_screen(FormScreen(FormSpec("Xuất danh sách khen thưởng ra Excel", [
            Field("file", "Tên tệp .xlsx", required=True)], {"file": default}, save)))
