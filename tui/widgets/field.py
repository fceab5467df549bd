"""Compact, quiet inputs: one line, no border, no blinking cursor.

Textual's default Input repaints a three-line border on every key (about 890
bytes at 80x24) and blinks forever (about 1.5 KB/s); over a rural link that is
the difference between typing and waiting.
"""
from __future__ import annotations

from rich.text import Text
from textual.widgets import Input, Select

from models.text import find_forbidden, visible


def _shown_char(ch: str) -> str:
    picture = visible(ch)
    return picture if len(picture) == 1 else "\ufffd"  # one char each: the cursor stays put


class LineInput(Input):
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


class LineSelect(Select):
    DEFAULT_CSS = """
    LineSelect { width: 1fr; }
    """

    def __init__(self, options, **kwargs) -> None:
        kwargs.setdefault("compact", True)
        super().__init__(options, **kwargs)
