"""The Office's synthesis for a period: assembled from the accepted reports, edited
here, kept (Ctrl+S) and, as kept, exported as the commune's report (Ctrl+W)."""
from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import TextArea

from models.cycle import synthesis
from models.cycle.tables import REPORT_KINDS
from tui.screens.reports.text_edit import TextEditScreen
from tui.widgets.export import EXPORT, export_document
from tui.widgets.form import Confirm


class SynthesisScreen(TextEditScreen):
    BINDINGS = [
        Binding("ctrl+s", "save", "Lưu", id="synthesis.save"),
        Binding("ctrl+g", "rebuild", "Tổng hợp lại", id="synthesis.rebuild"),
        EXPORT,
        Binding("escape", "leave", "Về", id="synthesis.leave"),
    ]
    DEFAULT_CSS = """
    SynthesisScreen #status { height: 1; }
    """

    def __init__(self, campaign_id: int, period: str) -> None:
        super().__init__(f"Báo cáo tổng hợp · {REPORT_KINDS[period]} "
                         "(sửa trực tiếp, Ctrl+S lưu)", "", self._keep)
        self.campaign_id, self.period = campaign_id, period
        self.version: int | None = None

    def compose(self) -> ComposeResult:
        stored = synthesis.current(self.campaign_id, self.period)
        if stored is not None:
            self.body = self.saved_body = stored.body
            self.version = stored.version
        else:  # freshly assembled: not kept until the Office saves it
            self.body = self._assemble()
        yield from super().compose()

    def _assemble(self) -> str:
        return synthesis.assemble(self.app.cfg, self.campaign_id, self.period, self.app.today)

    def _keep(self, body: str):
        return synthesis.save(self.app.actor, self.campaign_id, self.period, body,
                              self.version)

    def saved(self, row) -> None:
        self.version = row.version
        self.say("Đã lưu.")

    def action_rebuild(self) -> None:
        def go(yes):
            if yes:
                self.query_one("#body", TextArea).text = self._assemble()
                self.say("Đã tổng hợp lại từ các báo cáo đã nhận (chưa lưu).")
        self.app.push_screen(Confirm("Tổng hợp lại từ báo cáo? Phần đã sửa tay sẽ mất."), go)

    def action_document(self) -> None:
        kept = synthesis.current(self.campaign_id, self.period)
        if kept is None or self.text != self.saved_body:
            self.say("Lưu (Ctrl+S) trước khi xuất: văn bản in nội dung đã lưu.")
            return
        export_document(self, "synthesis", kept.id, f"{self.campaign_id} {self.period}")
