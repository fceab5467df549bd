"""The lower bound beside each byte figure: the bytes of the visible text that changed.

A terminal emulator (pyte) replays what the program sent; after each step the
screen is compared with the one before it, cell by cell, and every cell whose
character or look (colours, bold, reverse...) changed counts the UTF-8 bytes of
its character. No program can update the screen in fewer bytes than that: it
must at least send the new characters, whatever escape sequences it adds.
"""
from __future__ import annotations

import pyte


def _cells(screen: pyte.Screen) -> list[tuple]:
    return [(c.data, c.fg, c.bg, c.bold, c.italics, c.underscore, c.reverse)
            for y in range(screen.lines) for c in (screen.buffer[y][x]
                                                   for x in range(screen.columns))]


def changed_text_bytes(first: bytes, steps: list[bytes], cols: int = 80,
                       rows: int = 24) -> tuple[int, list[int]]:
    """(bytes of the first screen's text, [bytes of the text each step changed])."""
    screen = pyte.Screen(cols, rows)
    stream = pyte.ByteStream(screen)
    blank = _cells(screen)

    def feed(data: bytes, before: list[tuple]) -> tuple[int, list[tuple]]:
        stream.feed(data)
        after = _cells(screen)
        return sum(len(a[0].encode()) for a, b in zip(after, before) if a != b), after

    total, cells = feed(first, blank)
    out = []
    for data in steps:
        n, cells = feed(data, cells)
        out.append(n)
    return total, out
