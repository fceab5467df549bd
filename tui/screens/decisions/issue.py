"""The confirmation of issuing a decision: the number, the exact list and money that
will be issued, the fund before and after, and any time limit passed.

The list is priced once, when the confirmation opens (decisions.to_issue), and issuing
passes its fingerprint: a line the Office adds meanwhile, another date or other money
is refused instead of issued unseen. When the fund would be overdrawn it asks once
more, or refuses, as `[fund] overdraw` says (models decide; this screen asks).
"""
from __future__ import annotations

import textwrap
from typing import Callable

from textual.binding import Binding
from textual.widgets import Footer

from models import text
from models.awards import decisions, fund, history, nominations
from models.errors import ThiduaError
from tui.widgets.form import Confirm, Field, FormScreen, FormSpec
from tui.widgets.lazylist import LazyList, ListSource, Row


class IssueScreen(FormScreen):
    """A one-field form (the number) over the list it confirms; PgUp/PgDn scroll it."""

    BINDINGS = [
        Binding("pagedown", "lines(1)", "Xem tiếp", id="issue.next"),
        Binding("pageup", "lines(-1)", "Trang trước", id="issue.previous", show=False),
    ]
    DEFAULT_CSS = """
    IssueScreen VerticalScroll { height: auto; max-height: 3; }
    IssueScreen #lines { height: 1fr; }
    """

    def __init__(self, spec: FormSpec, decision_id: int, source: ListSource,
                 shown: str) -> None:
        super().__init__(spec)
        self.decision_id = decision_id
        self.source = source
        self.shown = shown  # the fingerprint of the list on screen

    def compose(self):
        for widget in super().compose():
            if isinstance(widget, Footer):  # the list goes between the form and the keys
                self.lines = LazyList(self.source, ascii_mark=self.app.ascii, id="lines")
                yield self.lines
            yield widget

    def on_mount(self) -> None:
        self.status(f"Danh sách sẽ ban hành: {self.lines.total} dòng · PgUp/PgDn: xem hết.")

    def action_lines(self, step: int) -> None:
        self.lines.action_page(step)

    def on_data_changed(self, changes) -> None:
        if not (changes.touches("decision", self.decision_id)
                or changes.touches("decision_award")):
            return
        try:
            moved = decisions.to_issue(self.app.cfg, self.decision_id).fingerprint != self.shown
        except ThiduaError:
            moved = True
        if moved:
            self.status("Quyết định vừa được sửa ở nơi khác: ban hành bây giờ sẽ bị từ chối. "
                        "Esc rồi Ctrl+S để xem danh sách mới.")


def _rows(app, decision_id: int, priced) -> list[Row]:
    """The lines as they will be issued: the subject, the title, the money and why."""
    titles = app.cfg.titles
    awards = {a.id: a for a in decisions.awards_with_subjects(decision_id)}
    rows = []
    for line in priced.lines:
        award = awards.get(line.award_id)
        label = nominations.subject_label(award) if award is not None else "(đã bỏ)"
        title = history.title_name(titles, line.title_code)
        if line.revocation:
            title = "Bãi bỏ: " + title
        rows.append(Row(line.award_id, (label, title, text.format_vnd(line.amount),
                                        line.note)))
    return rows


def confirm_issue(screen, decision_id: int, issued: Callable[[], None]) -> None:
    """Open the confirmation over `screen`; `issued()` runs once the decision is issued.
    The number is the next of the year's series unless the Office types the one from the
    paper register (refused at once when already used)."""
    app = screen.app
    actor, cfg = app.actor, app.cfg
    d = decisions.get(decision_id)
    priced = decisions.to_issue(cfg, d.id)
    year = d.decided_on.year
    following = decisions.next_number(year, d.doc_type, d.issuer)
    overdraw: dict[str, object] = {}

    def save(values):
        number = decisions.parse_number(values["number"], year, d.doc_type, d.issuer)
        try:
            return decisions.issue(actor, cfg, d.id, d.version, number=number,
                                   shown=priced.fingerprint)
        except decisions.Overdraw as exc:
            overdraw.update(number=number, message=str(exc))
            return exc

    def done(result) -> None:
        if isinstance(result, decisions.Overdraw):
            def again(yes: bool | None) -> None:
                if not yes:
                    return
                try:
                    decisions.issue(actor, cfg, d.id, d.version, number=overdraw["number"],
                                    accept_overdraw=True, shown=priced.fingerprint)
                except ThiduaError as exc:
                    screen.refuse(exc)
                    return
                issued()
            app.push_screen(Confirm(f"{overdraw['message']}\nVẫn ban hành?"), again)
            return
        if result is not None:
            issued()

    width = max(20, app.size.width - 4)
    grants = sum(1 for line in priced.lines if not line.revocation)
    lines = [f"Ban hành quyết định Số: "
             f"{decisions.format_number(following, d.doc_type, d.issuer)} ngày "
             f"{text.format_date(d.decided_on)}",
             f"{grants} khen thưởng, tổng {text.format_vnd(priced.total)} · ô Số để trống: "
             "số tiếp theo",
             fund.impact(year, priced.total).line()]
    for w in decisions.deadline_warnings(cfg, d.id):
        lines += textwrap.wrap("CẢNH BÁO: " + w, width)
    source = ListSource((("Họ tên / đơn vị", 0), ("Danh hiệu", 22), ("Số tiền", 12),
                         ("Ghi chú", 12)), lambda: _rows(app, d.id, priced))
    spec = FormSpec("\n".join(lines), [
        Field("number", f"Số (trống: {following:02d})", placeholder=f"{following:02d}",
              check=lambda v: decisions.parse_number(v, year, d.doc_type, d.issuer))],
        {"number": ""}, save)
    app.push_screen(IssueScreen(spec, d.id, source, priced.fingerprint), done)
