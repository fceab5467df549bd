"""Several lines of text edited on their own screen: a report's section, the synthesis."""
from __future__ import annotations

from typing import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, Label, Static, TextArea

from models.errors import ThiduaError
from tui.widgets.form import Confirm
from tui.widgets.lazylist import fit
from tui.widgets.screen import BaseScreen


class TextEditScreen(BaseScreen[object]):
    """Ctrl+S saves through `save(text)`, which calls models/ and may refuse (said on
    the status line); Esc leaves, asking first if the text differs from the last
    saved. A save closes the screen with what `save` returned, unless a subclass's
    `saved` keeps it open."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Lưu", id="text.save"),
        Binding("escape", "leave", "Về", id="text.leave"),
    ]
    DEFAULT_CSS = """
    TextEditScreen #title { height: 1; padding: 0 1; text-style: bold; }
    TextEditScreen TextArea, TextEditScreen TextArea:focus { height: 1fr; border: none; }
    TextEditScreen #status { height: auto; padding: 0 1; }
    """

    def __init__(self, title: str, body: str, save: Callable[[str], object]) -> None:
        super().__init__()
        self.title_text, self.body, self.save = title, body, save
        self.saved_body = body

    def compose(self) -> ComposeResult:
        yield Label(Text(fit(self.title_text, 78).rstrip()), id="title")
        area = TextArea(self.body, soft_wrap=True, id="body")
        area.cursor_blink = False
        yield area
        yield Static("", id="status", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#body", TextArea).focus()

    @property
    def text(self) -> str:
        return self.query_one("#body", TextArea).text

    def say(self, message: str) -> None:
        self.query_one("#status", Static).update(Text(message))

    def action_save(self) -> None:
        body = self.text
        try:
            result = self.save(body)
        except ThiduaError as exc:
            self.say(f"Chưa lưu: {exc}")
            return
        self.saved_body = body
        self.saved(result)

    def saved(self, result) -> None:
        self.dismiss(result)

    def action_leave(self) -> None:
        if self.text == self.saved_body:
            self.dismiss(None)
            return
        self.app.push_screen(Confirm("Bỏ các thay đổi chưa lưu?"),
                             lambda yes: self.dismiss(None) if yes else None)
