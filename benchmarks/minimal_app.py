"""The baseline every benchmark figure is compared with: the smallest useful
Textual app (Header, Label, Footer), run the same way as thidua.

`--input` adds Textual's default Input for the bytes-per-key comparison;
`--compact` makes that input one line without border or blink, like thidua's
LineInput. The input starts unfocused (Tab focuses it): a blinking cursor on
the first screen never lets the output go quiet, and ptymeter would wait for
the end of the first paint forever.
"""
from __future__ import annotations

import sys

from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, Input, Label


class MinimalApp(App):
    AUTO_FOCUS = ""
    BINDINGS = [("f10", "quit", "Quit")]

    def __init__(self, with_input: str = "") -> None:
        super().__init__()
        self.with_input = with_input

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label("Hello from a minimal Textual app.")
        if self.with_input == "default":
            yield Input(placeholder="type here")
        elif self.with_input == "compact":
            box = Input(placeholder="type here", compact=True)
            box.cursor_blink = False
            yield box
        yield Footer()


def main() -> None:
    with_input = "default" if "--input" in sys.argv else ""
    if "--compact" in sys.argv:
        with_input = "compact"
    MinimalApp(with_input).run()


if __name__ == "__main__":
    main()
