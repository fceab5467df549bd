"""Keys that are not UTF-8 never end a session.

PuTTY set to a legacy character set, or a VNI/TCVN3 keyboard driver, sends bytes
that are not UTF-8. Textual's input thread decodes strictly: the first such byte
raised UnicodeDecodeError there, the app ended with a traceback on the officer's
terminal and the process exited 0. Its decoder is looked up by name in its driver
module, so that name is pointed at a lenient one: a stray byte becomes U+FFFD, shown
where it was typed, and the officer can delete it."""
from __future__ import annotations

import codecs
from functools import partial

from textual.drivers import linux_driver


def lenient_decoder(encoding: str):
    return partial(codecs.getincrementaldecoder(encoding), errors="replace")


def install() -> None:
    linux_driver.getincrementaldecoder = lenient_decoder
