"""F1: every key of the screen underneath, and the app-wide keys."""
from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

KEY_NAMES = {"escape": "Esc", "enter": "Enter", "tab": "Tab", "up": "↑", "down": "↓",
             "left": "←", "right": "→",
             "pageup": "PgUp", "pagedown": "PgDn", "home": "Home", "end": "End"}


def key_label(key: str) -> str:
    parts = [KEY_NAMES.get(p, p.upper() if p.startswith("f") and p[1:].isdigit() else
                           p.capitalize()) for p in key.split("+")]
    return "+".join(parts)


# Textual's own widgets describe their keys in English: the ones an officer
# needs, in Vietnamese; the rest (mouse-era selection keys) are left out.
TEXTUAL_KEYS = {
    "Focus Next": "Sang ô sau", "Focus Previous": "Về ô trước", "Submit": "Xác nhận",
    "Scroll Up": "Lên", "Scroll Down": "Xuống", "Page Up": "Trang trước",
    "Page Down": "Trang sau", "Go to start": "Về đầu dòng", "Go to end": "Về cuối dòng",
    "Delete character left": "Xóa ký tự bên trái",
    "Delete character right": "Xóa ký tự bên phải",
    "Delete left to start of word": "Xóa từ bên trái",
    "Delete all to the left": "Xóa hết bên trái", "Delete all to the right": "Xóa hết bên phải",
    "Paste text from the clipboard": "Dán",
}
UNSENT = ("super+", "alt+", "ctrl+shift+", "ctrl+pageup", "ctrl+pagedown")  # PuTTY lacks them


def describe(screen: Screen) -> list[tuple[str, str]]:
    """(key, what it does) for every active binding: the screen's own keys first,
    then the app's, then the focused widget's editing keys (which are many, and
    would otherwise push the screen's keys out of the 80x24 window)."""
    rows, seen = [], set()

    def rank(item) -> int:
        node = item[0]
        return 0 if node is screen else 1 if node is screen.app else 2

    for _node, binding, enabled, _tooltip in sorted(screen.active_bindings.values(), key=rank):
        label = binding.description or binding.action
        label = TEXTUAL_KEYS.get(label, label)
        if label.isascii() or binding.key.startswith(UNSENT):
            continue  # an English label Textual gave, or a key PuTTY never sends
        if enabled and (binding.key, label) not in seen:
            seen.add((binding.key, label))
            rows.append((key_label(binding.key), label))
    return rows


class HelpScreen(ModalScreen):
    BINDINGS = [Binding("escape,f1", "dismiss", "Đóng")]
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll { width: 70; height: 20; border: solid $primary;
                                  background: $panel; padding: 0 1; }
    """

    def __init__(self, under: Screen) -> None:
        super().__init__()
        self.rows = describe(under)

    def compose(self) -> ComposeResult:
        body = "\n".join(f"{key:>12}  {what}" for key, what in self.rows)
        with VerticalScroll():
            yield Static(Text("Các phím dùng được (Esc hoặc F1 để đóng):\n\n" + body))
