"""Compact, quiet inputs: one line, no border, no blinking cursor.

Textual's default Input repaints a three-line border on every key (about 890
bytes at 80x24) and blinks forever (about 1.5 KB/s); over a rural link that is
the difference between typing and waiting.
"""
from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.geometry import Size
from textual.reactive import Reactive
from textual.widgets import Input, Select
# Not exported by textual.widgets.select; a LineSelect composes them itself to
# put its own search in the drop-down.
from textual.widgets._select import SelectCurrent, SelectOverlay

from models.text import find_forbidden, fold, visible
from tui.widgets.lazylist import fold_match


def _shown_char(ch: str) -> str:
    picture = visible(ch)
    return picture if len(picture) == 1 else "\ufffd"  # one char each: the cursor stays put


class LineInput(Input):
    # One line wide as its container: the text's length (its virtual size) never
    # changes the layout, which Textual would redo for the whole screen on each key.
    virtual_size = Reactive(Size(0, 0), layout=False)
    DEFAULT_CSS = """
    LineInput { height: 1; border: none; padding: 0 1; width: 1fr; }
    LineInput:focus { border: none; }
    """

    def __init__(self, value: str = "", **kwargs) -> None:
        kwargs.setdefault("compact", True)
        kwargs.setdefault("select_on_focus", False)
        super().__init__(value, **kwargs)
        self.cursor_blink = False

    @property
    def _value(self) -> Text:
        """A pasted ESC, NUL or bidi override is shown as a symbol, never sent raw to
        the terminal (the form then refuses it with a message under the field)."""
        if self.password or not find_forbidden(self.value):
            return super()._value
        return Text("".join(map(_shown_char, self.value)), no_wrap=True, overflow="ignore",
                    end="")


class FoldingOverlay(SelectOverlay):
    """A drop-down's list, searched as the lists are: accents and case aside, every
    word typed somewhere in the option ("tran ngoc" finds "Trần Ngọc Anh", where
    Textual's own search, accent-sensitive and one substring, stops on "Phan Kim
    Trang" at "tran"). Among the options that match, the words as typed win, then
    the earliest first word, then the order of the list."""

    BINDINGS = [Binding("escape", "dismiss", "Đóng danh sách")]
    # Textual resets the typed search after 0.7 s; an officer spelling a name
    # over a slow link pauses longer than that between letters.
    SEARCH_RESET_SECONDS = 1.5

    def __init__(self, type_to_search: bool = True) -> None:
        super().__init__(type_to_search)
        self._search_reset_delay = self.SEARCH_RESET_SECONDS

    def _find_search_match(self, query: str) -> int | None:
        words = fold(query).split()
        if not words:
            return None
        phrase = " ".join(words)
        best: tuple | None = None  # (not the words as typed, where they start, option index)
        for index, option in enumerate(self._options):
            prompt = option.prompt
            label = fold(prompt.plain if isinstance(prompt, Text) else str(prompt))
            if fold_match(query, label):
                found = (phrase not in label, label.find(words[0]), index)
                best = found if best is None else min(best, found)
        return None if best is None else best[-1]


class LineSelect(Select):
    DEFAULT_CSS = """
    LineSelect { width: 1fr; }
    """
    BINDINGS = [Binding("enter,down,space,up", "show_overlay", "Mở danh sách chọn", show=False)]

    def __init__(self, options, **kwargs) -> None:
        kwargs.setdefault("compact", True)
        kwargs.setdefault("prompt", "(chọn)")  # Textual's default is "Select"
        super().__init__(options, **kwargs)

    def compose(self):
        yield SelectCurrent(self.prompt)
        yield FoldingOverlay(type_to_search=self._type_to_search).data_bind(
            compact=Select.compact)
