"""Whole-screen notices: the terminal is too small, or the session is ending."""
from rich.text import Text
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Static


class Notice(Screen):
    DEFAULT_CSS = "Notice { align: center middle; } Notice Static { width: auto; }"

    def __init__(self, message: str) -> None:
        super().__init__()
        self.message = message

    def compose(self) -> ComposeResult:
        yield Static(Text(self.message))


class TooSmall(Notice):
    """Shown instead of a broken layout when the terminal is below 80x24."""

    def __init__(self) -> None:
        super().__init__("Cửa sổ terminal quá nhỏ.\nCần ít nhất 80 cột x 24 dòng;\n"
                         "hãy phóng to cửa sổ (PuTTY: kéo góc cửa sổ).")
