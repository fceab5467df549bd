"""Importing content areas from the commune's plan: type the file's path, check
each numbered item of part II (keep, drop, correct), add the kept ones at once."""
from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Footer, Label, Static

from models import fields, text
from models.cycle import campaigns, plan_import
from models.errors import AreasExist, ThiduaError
from tui.widgets.field import LineInput
from tui.widgets.form import Confirm, Field, FormScreen, FormSpec
from tui.widgets.lazylist import LazyList, ListSource, Row
from tui.widgets.screen import BaseScreen

AREA_TITLE = campaigns.AREA.capitalize()
AREA_MAX = 4000  # as models.cycle.campaigns.add_area allows


def clean_area_title(value: str) -> str:
    return fields.name(value, AREA_TITLE, max_len=AREA_MAX)


def area_field() -> Field:
    """The title of a content area, checked as typed: the area form and the import's
    correction form share it."""
    return Field("title", AREA_TITLE, required=True, check=clean_area_title)


class ItemList(LazyList):
    """On the import screen Enter edits the item: say so in the footer."""

    BINDINGS = [Binding("enter", "choose", "Sửa", id="import.edit")]


class PlanImportScreen(BaseScreen[object]):
    """Type the plan's path, check each numbered item of part II, add the kept ones."""

    BINDINGS = [
        Binding("space", "toggle", "Nhận/bỏ", id="import.toggle"),
        Binding("ctrl+s", "save", "Thêm các mục nhận", id="import.save", priority=True),
        Binding("escape", "leave", "Về", id="import.leave"),
    ]
    DEFAULT_CSS = """
    PlanImportScreen #top { height: 1; }
    PlanImportScreen #path-label { width: auto; padding: 0 1; }
    PlanImportScreen #detail { height: 4; border-top: solid $primary; padding: 0 1; }
    App.-ascii PlanImportScreen #detail { border-top: ascii $primary; }
    """

    def __init__(self, campaign_id: int) -> None:
        super().__init__()
        self.campaign_id = campaign_id
        self.items: list[list] = []   # [text, kept]

    def compose(self) -> ComposeResult:
        with Horizontal(id="top"):
            yield Label("Tệp kế hoạch (.docx/.txt):", id="path-label")
            yield LineInput(id="path", placeholder="đường dẫn tệp, rồi Enter")
        self.list = ItemList(ListSource((("", 4), ("Nội dung (phần II của kế hoạch)", 0)),
                                        self._rows), ascii_mark=self.app.ascii, id="rows",
                             empty_text="Gõ đường dẫn tệp kế hoạch rồi Enter.")
        yield self.list
        yield Static("", id="detail", markup=False)
        yield Footer()

    def _rows(self) -> list[Row]:
        return [Row(i, ("Nhận" if kept else "Bỏ", f"{i + 1}. {title}"))
                for i, (title, kept) in enumerate(self.items)]

    def on_mount(self) -> None:
        self.query_one("#path", LineInput).focus()

    def _say(self, message: str) -> None:
        self.query_one("#detail", Static).update(Text(message))

    @on(LineInput.Submitted, "#path")
    def _load(self, event: LineInput.Submitted) -> None:
        try:
            # Over SSH only the exchange folder may be read: the policy says so.
            path = self.app.files.resolve(event.value)
            found = plan_import.content_items(plan_import.read_plan(path))
        except ThiduaError as exc:
            self._say(str(exc))
            return
        self.items = [[title, True] for title in found]
        self.list.reload()
        self.list.focus()
        # A notice, not the detail panel: the panel shows the highlighted item's text.
        self.notify(f"Tìm thấy {len(found)} nội dung. Space: nhận/bỏ · Enter: sửa · "
                    "Ctrl+S: thêm các mục nhận vào phong trào.", markup=False)

    @on(LazyList.Highlighted)
    def _highlighted(self, event: LazyList.Highlighted) -> None:
        title, kept = self.items[event.row.id]
        self._say(("" if kept else "(bỏ) ") + text.visible(title))

    @on(LazyList.Chosen)
    def _edit(self, event: LazyList.Chosen) -> None:
        index = event.row.id

        def edited(new_title) -> None:
            if new_title is not None:
                self.items[index][0] = new_title
                self.list.reload()

        self.app.push_screen(FormScreen(FormSpec(
            f"Sửa mục {index + 1} trước khi thêm", [area_field()], {"title": self.items[index][0]},
            lambda values: clean_area_title(values["title"]))), edited)

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "toggle":
            return self.focused is self.list  # in the path box, Space is a space
        return True

    def action_toggle(self) -> None:
        row = self.list.current
        if row is not None:
            self.items[row.id][1] = not self.items[row.id][1]
            self.list.reload()

    def action_save(self) -> None:
        kept = [title for title, keep in self.items if keep]
        if not kept:
            self._say("Chưa có mục nào được nhận để thêm.")
            return
        self._add(kept, replace=False)

    def _add(self, kept: list[str], replace: bool) -> None:
        try:
            added = plan_import.add_areas(self.app.actor, self.campaign_id, kept, replace)
        except AreasExist as exc:
            # The plan read again: replace what is there, or leave it (Esc).
            question = (f"Phong trào đã có {exc.count} nội dung thi đua. Thay tất cả bằng "
                        f"{len(kept)} mục vừa đọc? Nếu không, không thêm gì.")
            self.app.push_screen(Confirm(question),
                                 lambda yes: self._add(kept, replace=True) if yes else None)
            return
        except ThiduaError as exc:
            self._say(f"Chưa thêm: {exc}")
            return
        self.notify(f"Đã thêm {len(added)} nội dung thi đua.", markup=False)
        self.dismiss(added)

    def action_leave(self) -> None:
        if not self.items:
            self.dismiss(None)
            return
        self.app.push_screen(Confirm("Bỏ qua các mục đã đọc, không thêm gì?"),
                             lambda yes: self.dismiss(None) if yes else None)
