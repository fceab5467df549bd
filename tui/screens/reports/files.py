"""Importing and exporting spreadsheets (Ctrl+B on the dashboard): the lists, the
facts eligibility reads, nomination lists, the dashboard and the ranking, and the
empty sheet of each import kind, inside the exchange folder over SSH."""
from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Footer, Label, Static

from models import text
from models.errors import ThiduaError
from models.io import exports, imports
from models.io.kinds import EXPORT_KINDS, IMPORT_KINDS
from models.io.plan import ACTIONS, ImportPlan
from tui.widgets.field import LineInput, LineSelect
from tui.widgets.lazylist import LazyList, ListSource, Row
from tui.widgets.screen import BaseScreen

JOBS = ([(f"import:{k}", f"Nhập {v} từ .xlsx/.csv") for k, v in IMPORT_KINDS.items()]
        + [(f"export:{k}", f"Xuất {v} ra .xlsx") for k, v in EXPORT_KINDS.items()]
        + [(f"template:{k}", f"Tệp mẫu để nhập {v}") for k, v in IMPORT_KINDS.items()])


class FilesScreen(BaseScreen[object]):
    """Choose a job and a file name (inside the exchange folder over SSH); an import
    shows its preview with each row's errors, and Ctrl+S writes it, all or nothing."""

    BINDINGS = [
        Binding("ctrl+s", "confirm", "Ghi vào dữ liệu", id="files.confirm", priority=True),
        Binding("escape", "leave", "Về", id="files.leave"),
    ]
    DEFAULT_CSS = """
    FilesScreen Horizontal { height: 1; }
    FilesScreen .label { width: 10; padding: 0 1; }
    FilesScreen #summary { height: 2; padding: 0 1; text-style: bold; }
    FilesScreen #detail { height: 3; border-top: solid $primary; padding: 0 1; }
    App.-ascii FilesScreen #detail { border-top: ascii $primary; }
    """

    def __init__(self, campaign_id: int | None, period: str, unit_kind: str | None) -> None:
        super().__init__()
        self.campaign_id, self.period, self.unit_kind = campaign_id, period, unit_kind
        self.plan: ImportPlan | None = None

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield Label("Việc:", classes="label")
            yield LineSelect([(Text(label), key) for key, label in JOBS], id="job",
                             allow_blank=False, value="import:people")
        with Horizontal():
            yield Label("Tệp:", classes="label")
            yield LineInput(id="file", placeholder="tên tệp trong thư mục trao đổi, rồi Enter")
        yield Static("", id="summary", markup=False)
        self.list = LazyList(ListSource((("Dòng", 6), ("Việc", 10), ("Tên", 24),
                                         ("Lỗi, kết quả xét", 0)),
                                        self._rows), ascii_mark=self.app.ascii, id="rows",
                             empty_text="Chọn việc, gõ tên tệp rồi Enter: xem trước, chưa ghi gì.")
        yield self.list
        yield Static("", id="detail", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#file", LineInput).focus()

    def _rows(self) -> list[Row]:
        if self.plan is None:
            return []
        # Errors first: they are what must be fixed.
        ordered = sorted(self.plan.rows, key=lambda r: (not r.errors, r.row_no))
        return [Row(r.row_no, (str(r.row_no), ACTIONS[r.action], r.label,
                               "; ".join(r.errors) or r.verdict)) for r in ordered]

    def _say(self, message: str) -> None:
        self.query_one("#summary", Static).update(Text(message))

    @property
    def job(self) -> str:
        return str(self.query_one("#job", LineSelect).value)

    @on(LineInput.Submitted, "#file")
    def _submitted(self, event: LineInput.Submitted) -> None:
        # A 10,000-row file takes seconds: say so first, then work once it is shown.
        self._say("Đang đọc tệp, xin chờ...")
        self.call_after_refresh(self._run, event.value)

    def _run(self, name: str) -> None:
        what, kind = self.job.split(":")
        self.plan = None
        try:
            path = self.app.files.resolve(name)
            if what == "export":
                _, count = exports.export(kind, path, self.app.cfg, self.campaign_id,
                                          self.period if self.period != "registration"
                                          or kind == "dashboard" else "six_month",
                                          self.app.today, self.unit_kind)
                self._say(f"Đã xuất {count} dòng vào {path}.")
            elif what == "template":
                exports.template(kind, path)
                self._say(f"Đã ghi tệp mẫu vào {path} ({exports.EXAMPLE_NOTE}).")
            else:
                self.plan = imports.prepare(kind, path, cfg=self.app.cfg)
                ignored = f" · bỏ qua cột: {', '.join(self.plan.ignored)}" \
                    if self.plan.ignored else ""
                tail = ("Sửa tệp rồi nhập lại; chưa ghi gì." if self.plan.errors
                        else "Ctrl+S: ghi vào dữ liệu (tất cả hoặc không gì).")
                self._say(f"Xem trước: {self.plan.summary()}{ignored}\n{tail}")
        except ThiduaError as exc:
            self._say(str(exc))
        self.list.reload()

    @on(LazyList.Highlighted)
    def _highlighted(self, event: LazyList.Highlighted) -> None:
        if self.plan is not None:
            shown = (f"Dòng {event.row.id}: {event.row.cells[3]}" if event.row.cells[3]
                     else f"Dòng {event.row.id}: {event.row.cells[2]}")
            self.query_one("#detail", Static).update(Text(text.visible(shown)))

    def action_confirm(self) -> None:
        if self.plan is None:
            self._say("Chưa có gì để ghi: gõ tên tệp rồi Enter để xem trước.")
            return
        self._say("Đang ghi, xin chờ...")
        self.call_after_refresh(self._apply)

    def _apply(self) -> None:
        try:
            done = imports.apply(self.app.actor, self.plan)
        except ThiduaError as exc:
            self._say(f"Chưa ghi gì: {exc}")
            return
        self.notify(f"Đã nhập: thêm {done['insert']}, cập nhật {done['update']}, "
                    f"không đổi {done['same']}.", markup=False)
        self.plan = None
        self.list.reload()
        self._say("Đã ghi.")

    def action_leave(self) -> None:
        self.dismiss(None)

