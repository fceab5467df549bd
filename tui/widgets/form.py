"""The form every record is edited in.

Tab and Enter move between fields, Ctrl+S saves, Esc leaves (asking first
when something is unsaved). Each field is checked as it is typed, with the
Vietnamese message right under it. A save over a record someone else changed
is refused by `models/` and shown here with the way to reload. What is typed is
kept as a draft until it is saved or given up (models/store/drafts.py); a save
the store cannot take now (locked, full, unreachable) keeps the form as it is and
is made again when the store answers.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Label, Static

from models.errors import StaleRecord, ThiduaError
from models.store import db
from tui.widgets.field import LineInput, LineSelect
from tui.widgets.screen import BaseScreen

Values = dict[str, str]


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    required: bool = False
    check: Callable[[str], object] | None = None  # raises ThiduaError with the message
    choices: tuple[tuple[str, str], ...] = ()     # (value, label): a drop-down
    placeholder: str = ""
    hint: str = ""


@dataclass
class FormSpec:
    title: str
    fields: list[Field]
    values: Values
    save: Callable[[Values], object]             # calls models/; raises ThiduaError
    reload: Callable[[], Values] | None = None   # the record as stored now
    watch: tuple[str, int] | None = None         # (table, row id) refreshed live
    extra: dict = field(default_factory=dict)


class Confirm(ModalScreen[bool]):
    """A yes/no question: Enter means yes, Esc means no."""

    BINDINGS = [Binding("enter", "answer(True)", "Đồng ý"),
                Binding("escape", "answer(False)", "Quay lại")]
    DEFAULT_CSS = """
    Confirm { align: center middle; }
    Confirm > Static { width: 60; height: auto; padding: 1 2; border: solid $warning;
                       background: $panel; }
    """

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        yield Static(Text(self.question + "\n\nEnter: đồng ý    Esc: quay lại"))

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


class FormScreen(BaseScreen[object]):
    # The first field, not the scroll container (Textual's default "*" would focus
    # the VerticalScroll, and the first keys typed would go nowhere).
    AUTO_FOCUS = "LineInput, LineSelect"
    BINDINGS = [
        # Not a priority binding: it must queue behind the keys typed before it.
        Binding("ctrl+s", "save", "Lưu", id="form.save"),
        Binding("escape", "leave", "Thoát", id="form.leave"),
        Binding("ctrl+r", "reload", "Tải lại", id="form.reload"),
        Binding("enter", "next_field", "Ô sau", show=False),
    ]
    DEFAULT_CSS = """
    FormScreen VerticalScroll { height: 1fr; padding: 0 1; }
    FormScreen .title { text-style: bold; padding: 0 1; }
    FormScreen Horizontal { height: 1; }
    FormScreen .label { width: 22; }
    FormScreen .error { color: $error; padding-left: 22; height: auto; }
    FormScreen .error.-empty { display: none; }
    FormScreen #status { height: auto; padding: 0 1; }
    """

    def __init__(self, spec: FormSpec) -> None:
        super().__init__()
        self.spec = spec
        self.saved_values = dict(spec.values)
        self.stale = False
        self.waiting = False  # a save the store could not take: made again when it answers
        self.draft_key = f"{spec.title}|{spec.watch}"

    def compose(self) -> ComposeResult:
        yield Label(Text(self.spec.title), classes="title")
        with VerticalScroll(can_focus=False):
            for f in self.spec.fields:
                with Horizontal():
                    yield Label(Text(f.label + (" *" if f.required else "")), classes="label")
                    yield self._widget(f)
                yield Static("", classes="error -empty", id=f"err-{f.name}", markup=False)
        yield Static("", id="status", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.opened_by = self.app.opened_by(self)
        reopening, self.app.reopening = self.app.reopening, None
        draft = self.app.restorable.pop(self.draft_key, None)
        if draft is None and reopening is not None:
            # Opened again for a restored draft, but on another record (the list's
            # cursor): not the form the draft came from.
            self.app.restorable[reopening.key] = reopening
            self.dismiss(None)
            self.app.notify(f"Mở lại biểu mẫu “{reopening.title}” để điền lại nội dung "
                            "đã gõ.", markup=False)
            return
        if draft is not None:
            self._show(draft.values)
            self.status(f"Đã điền lại nội dung chưa lưu lúc {draft.saved_at}. Ctrl+S: lưu; "
                        "Esc: bỏ.")

    def _widget(self, f: Field):
        value = self.spec.values.get(f.name, "")
        if f.choices:
            options = [(Text(label), key) for key, label in f.choices]
            keys = [key for key, _ in f.choices]
            return LineSelect(options, id=f"f-{f.name}", allow_blank=not f.required,
                              prompt="(chọn)", value=value if value in keys else LineSelect.NULL)
        return LineInput(value, id=f"f-{f.name}", placeholder=f.placeholder)

    # -- values ---------------------------------------------------------------
    def values(self) -> Values:
        out = dict(self.spec.values)
        for f in self.spec.fields:
            widget = self.query_one(f"#f-{f.name}")
            if isinstance(widget, LineSelect):
                out[f.name] = "" if widget.is_blank() else str(widget.value)
            else:
                out[f.name] = widget.value
        return out

    @property
    def dirty(self) -> bool:
        current = self.values()
        return any(current[f.name] != self.saved_values.get(f.name, "") for f in self.spec.fields)

    def _fill(self, values: Values) -> None:
        self.spec.values = dict(values)
        self.saved_values = dict(values)
        self._show(values)

    def _show(self, values: Values) -> None:
        for f in self.spec.fields:
            widget = self.query_one(f"#f-{f.name}")
            value = values.get(f.name, "")
            if isinstance(widget, LineSelect):
                widget.value = value if value in [k for k, _ in f.choices] else LineSelect.NULL
            else:
                widget.value = value
            self._show_error(f, "")

    # -- checking as you type ---------------------------------------------------
    def _show_error(self, f: Field, message: str) -> None:
        err = self.query_one(f"#err-{f.name}", Static)
        err.update(Text(message))
        err.set_class(not message, "-empty")

    def _check(self, f: Field, value: str) -> str:
        if f.required and not value.strip():
            return f"{f.label} không được để trống."
        if f.check is not None and value.strip():
            try:
                f.check(value)
            except (ThiduaError, ValueError) as exc:
                return str(exc)
        return ""

    def _field_of(self, widget_id: str | None) -> Field | None:
        name = (widget_id or "").removeprefix("f-")
        return next((f for f in self.spec.fields if f.name == name), None)

    @on(LineInput.Changed)
    @on(LineSelect.Changed)
    def _changed(self, event) -> None:
        f = self._field_of(event.control.id)
        if f is not None:
            self._show_error(f, self._check(f, self.values()[f.name]))
            self._keep_draft()

    def _keep_draft(self) -> None:
        """On every change: a kill between two keys loses at most the last one."""
        drafts = self.app.drafts
        try:
            if self.dirty:
                drafts.keep(self.draft_key, self.spec.title, self.app.current_mode,
                            self.values(), self.opened_by)
            else:
                drafts.discard(self.draft_key)
        except OSError as exc:  # the disk is full too: the form itself still holds it all
            self.status(f"Không lưu được bản nháp ({exc.strerror}).")

    @on(LineInput.Submitted)
    def _submitted(self) -> None:
        self.focus_next()

    def status(self, message: str) -> None:
        self.query_one("#status", Static).update(Text(message))

    # -- actions ---------------------------------------------------------------
    def action_next_field(self) -> None:
        self.focus_next()

    def action_save(self) -> None:
        values = self.values()
        problems = [(f, self._check(f, values[f.name])) for f in self.spec.fields]
        problems = [(f, m) for f, m in problems if m]
        for f, message in problems:
            self._show_error(f, message)
        if problems:
            self.status(f"Chưa lưu: {len(problems)} ô cần sửa.")
            self.query_one(f"#f-{problems[0][0].name}").focus()
            return
        try:
            record = self.spec.save(values)
        except Exception as exc:
            trouble = db.trouble(exc)
            if trouble is None and isinstance(exc, ThiduaError):
                self._refused(exc)
                return
            if trouble is None:
                raise  # a defect: the app logs it and says so in one line
            db.reconnect_if_lost()
            self.waiting = True
            self.app.store_trouble(str(trouble), shown=True)
            self.status(f"Chưa lưu: {trouble}\nNội dung vẫn giữ nguyên và sẽ được lưu khi cơ "
                        "sở dữ liệu hoạt động trở lại (hoặc bấm Ctrl+S để thử ngay).")
            return
        self.waiting = False
        self.saved_values = values
        self.dismiss(record)

    def dismiss(self, result=None):
        """Saved, or left: either way its draft is done with (a session that ends
        leaves the form without dismissing it, and the draft stays)."""
        self.app.drafts.discard(self.draft_key)
        return super().dismiss(result)

    def _refused(self, exc: ThiduaError) -> None:
        self.waiting = False
        if isinstance(exc, StaleRecord):
            self.stale = True
            self.status(f"{exc}\nCtrl+R: tải bản mới nhất (mất phần bạn vừa sửa); "
                        "hoặc Esc để thoát.")
        else:
            self.status(f"Chưa lưu: {exc}")

    def action_reload(self) -> None:
        if self.spec.reload is None:
            return
        try:
            self._fill(self.spec.reload())
        except ThiduaError as exc:
            self.status(str(exc))
            return
        self.stale = False
        self.status("Đã tải lại bản mới nhất.")

    def action_leave(self) -> None:
        if not self.dirty:
            self.dismiss(None)
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.dismiss(None)

        self.app.push_screen(Confirm("Bỏ các thay đổi chưa lưu?"), answered)

    def on_data_changed(self, changes) -> None:
        """Another session saved: refresh an untouched form, warn an edited one."""
        if self.spec.watch is None or self.spec.reload is None:
            return
        if not changes.touches(*self.spec.watch):
            return
        if self.dirty:
            self.status("Bản ghi này vừa được người khác sửa. Lưu sẽ bị từ chối; "
                        "Ctrl+R để tải bản mới.")
        else:
            self.action_reload()
            self.status("Bản ghi vừa được người khác cập nhật; đã hiện bản mới.")
