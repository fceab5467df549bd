"""Proposals to the province (F8, Ctrl+O): titles the commune does not decide go up in a
tờ trình once the council passed them.

The list shows each proposal's number, date, state and count; Ctrl+N drafts one. On a
proposal, Ctrl+T lists the passed nominations of titles decided above the commune, Ctrl+Y
takes the one under the cursor off, Ctrl+S submits it (the chairman: it gets its TTr
number) and Ctrl+E records the province's decision when it arrives. The keys offered are
proposals.allowed_actions.
"""
from __future__ import annotations

from textual.binding import Binding

from models import fields, text
from models.awards import history, nominations, proposals
from models.errors import ThiduaError
from tui.screens.decisions.form import document_fields
from tui.screens.nominations.ticks import NominationTicks
from tui.widgets.browse import BrowseScreen, RecordScreen
from tui.widgets.export import EXPORT, export_document
from tui.widgets.form import Confirm, Field, FormScreen, FormSpec
from tui.widgets.lazylist import RecordSource, Row


def proposal_form(app) -> FormScreen:
    def save(values: dict[str, str]):
        return proposals.create(app.actor, values["title"], values["proposed_on"],
                                values["signer"], values["note"])

    values = {"title": f"Đề nghị khen thưởng năm {app.today.year}",
              "proposed_on": text.format_date(app.today), "signer": app.cfg.commune.chairman}
    return FormScreen(FormSpec("Lập tờ trình lên tỉnh",
                               document_fields("proposed_on", "Ngày tờ trình"), values, save))


def province_form(app, proposal) -> FormScreen:
    def save(values: dict[str, str]):
        return proposals.record_decision(app.actor, proposal.id, proposal.version,
                                         values["ref"], values["decided_on"], values["body"],
                                         values["amount"])

    return FormScreen(FormSpec(f"Quyết định của tỉnh cho Tờ trình {proposals.reference(proposal)}",
                               [Field("ref", "Số quyết định", required=True,
                                      placeholder="1234/QĐ-UBND"),
                                Field("decided_on", "Ngày quyết định", required=True,
                                      placeholder="dd/mm/yyyy",
                                      check=lambda v: fields.required_date(v, "Ngày")),
                                Field("body", "Cơ quan quyết định", required=True),
                                Field("amount", "Tỉnh chi mỗi khen thưởng (đồng)")],
                               {"body": "UBND tỉnh", "amount": "0"}, save))


class ProvincePassedScreen(NominationTicks):
    """The passed nominations of titles decided above the commune: tick, Ctrl+S lists
    them on the draft proposal."""

    def __init__(self, proposal_id: int) -> None:
        super().__init__()
        self.proposal_id = proposal_id

    def offered(self):
        return proposals.passed_for_province(self.app.cfg)

    def heading_text(self) -> str:
        return f"Đề nghị trình tỉnh đã được Hội đồng thông qua: đã chọn {len(self.ticked)}"

    def detail(self, row: Row) -> str:
        return "Space: chọn/bỏ · Ctrl+A: chọn hết · Ctrl+S: đưa vào tờ trình"

    def save(self) -> None:
        proposals.add_nominations(self.app.actor, self.app.cfg, self.proposal_id,
                                  sorted(self.ticked))


class ProposalScreen(RecordScreen):
    tables = ("proposal", "proposal_item", "nomination")
    BINDINGS = [
        Binding("ctrl+t", "add", "Thêm đề nghị", id="proposal.add"),
        Binding("ctrl+s", "submit", "Trình tỉnh", id="proposal.submit"),
        Binding("ctrl+e", "record", "QĐ của tỉnh", id="proposal.record"),
        EXPORT,
        Binding("ctrl+y", "remove", "Bỏ dòng", id="proposal.remove", show=False),
    ]

    def __init__(self, proposal_id: int) -> None:
        super().__init__()
        self.proposal_id = proposal_id

    @property
    def proposal(self):
        return proposals.get(self.proposal_id)

    def make_source(self):
        titles = self.app.cfg.titles

        def cells(n) -> tuple[str, ...]:
            return (nominations.subject_label(n), history.title_name(titles, n.title_code),
                    str(n.year))
        return RecordSource((("Đối tượng", 0), ("Danh hiệu", 30), ("Năm", 4)),
                            proposals.item_listing(self.proposal_id), cells)

    def show_heading(self) -> None:
        p = self.proposal
        self.refresh_bindings()  # the keys follow the proposal's state
        self.set_heading(f"Tờ trình {proposals.reference(p)} · {text.format_date(p.proposed_on)}"
                         f" · {proposals.state_name(p.state)} · {p.title}")

    def refresh_rows(self) -> None:
        self.show_heading()
        super().refresh_rows()

    def detail(self, row: Row) -> str:
        p = self.proposal
        line = f"{proposals.item_count(p.id)} đề nghị · {proposals.state_name(p.state)}"
        return f"{line}\n{proposals.province_line(p) or 'Ctrl+T thêm · Ctrl+S trình tỉnh'}"

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action in proposals.ACTIONS:
            return action in proposals.allowed_actions(self.app.actor, self.proposal)
        return super().check_action(action, parameters)

    def _after(self, _result=None) -> None:
        self.refresh_rows()

    def action_document(self) -> None:
        p = self.proposal
        export_document(self, "proposal", p.id, f"số {p.number}/{p.proposed_on.year}"
                        if p.number else f"dự thảo {p.id}")

    def action_add(self) -> None:
        self.app.push_screen(ProvincePassedScreen(self.proposal_id), self._after)

    def action_remove(self) -> None:
        row = self.list.current
        if row is None:
            return
        try:
            proposals.remove_nomination(self.app.actor, self.proposal_id, row.id)
        except ThiduaError as exc:
            self.refuse(exc)
            return
        self.refresh_rows()

    def action_submit(self) -> None:
        p = self.proposal

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            try:
                done = proposals.submit(self.app.actor, p.id, p.version)
            except ThiduaError as exc:
                self.refuse(exc)
                return
            self.refresh_rows()
            self.notify(f"Đã trình tỉnh Tờ trình {proposals.reference(done)}.", markup=False)
        self.app.push_screen(Confirm(f"Ký và trình tỉnh tờ trình này "
                                     f"({proposals.item_count(p.id)} đề nghị)?"), answered)

    def action_record(self) -> None:
        self.app.push_screen(province_form(self.app, self.proposal), self._after)


class ProposalsScreen(BrowseScreen):
    heading = "Tờ trình lên tỉnh"
    tables = ("proposal", "proposal_item")
    filter_hint = "trích yếu hoặc số"

    def make_source(self):
        def cells(p):
            return (proposals.reference(p).removeprefix("Số: "),
                    text.format_date(p.proposed_on), p.title,
                    str(proposals.item_count(p.id)), proposals.state_name(p.state))
        return RecordSource((("Số", 14), ("Ngày", 10), ("Trích yếu", 0), ("ĐN", 4),
                             ("", 18)), proposals.listing(), cells)

    def can_create(self) -> bool:
        return proposals.can_prepare(self.app.actor)

    def detail(self, row: Row) -> str:
        p = proposals.get(row.id)
        return f"{proposals.reference(p)} · {p.title}\n{proposals.province_line(p)}"

    def open_row(self, row: Row) -> None:
        self.app.push_screen(ProposalScreen(row.id), lambda _: self.refresh_rows())

    def new_row(self) -> None:
        def made(p) -> None:
            self.refresh_rows()
            if p is not None:
                self.app.push_screen(ProposalScreen(p.id), lambda _: self.refresh_rows())
        self.app.push_screen(proposal_form(self.app), made)
