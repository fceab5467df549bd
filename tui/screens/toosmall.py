"""Shown instead of a broken layout when the terminal is below 80x24."""
from rich.text import Text
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Static


class TooSmall(Screen):
    DEFAULT_CSS = "TooSmall { align: center middle; } TooSmall Static { width: auto; }"

    def compose(self) -> ComposeResult:
        yield Static(Text("Cửa sổ terminal quá nhỏ.\nCần ít nhất 80 cột x 24 dòng;\n"
                          "hãy phóng to cửa sổ (PuTTY: kéo góc cửa sổ)."))
