"""What the command line prints never carries a control character to the terminal.

Messages quote file names, logins and values from the command line or the
database; an ESC in one of them (`thidua backup $'\\e]0;...'`) would otherwise reach
the administrator's terminal as a live escape sequence. Everything written to
standard output and error goes through text.visible: ESC shows as "␛", tabs and
line ends stay (lists are tab-separated)."""
from __future__ import annotations

import io
import os
import sys
from contextlib import contextmanager

from models import text


class VisibleStream(io.TextIOBase):
    def __init__(self, stream) -> None:
        self.stream = stream

    def write(self, s: str) -> int:
        self.stream.write(text.visible(s, multiline=True))
        return len(s)

    def flush(self) -> None:
        self.stream.flush()

    def isatty(self) -> bool:
        return self.stream.isatty()

    def fileno(self) -> int:
        return self.stream.fileno()

    @property
    def encoding(self) -> str:
        return self.stream.encoding


def install() -> None:
    """Wrap sys.stdout and sys.stderr (Textual draws on sys.__stdout__/__stderr__)."""
    if not isinstance(sys.stdout, VisibleStream):
        sys.stdout, sys.stderr = VisibleStream(sys.stdout), VisibleStream(sys.stderr)


@contextmanager
def reader_may_leave():
    """`thidua ... | head -1`: the reader closes the pipe, and the last flush (at exit,
    after any command or --help) would print "Exception ignored ... BrokenPipeError".
    Like any Unix tool the command then ends quietly, with SIGPIPE's status."""
    try:
        try:
            yield
        finally:
            sys.stdout.flush()
    except BrokenPipeError:
        # What is still buffered goes nowhere, instead of failing again at exit.
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)
        raise SystemExit(128 + 13) from None
