"""Sending only the changed cells (tui/terminal_output.py) leaves the terminal showing
exactly what Textual's own full output would: every update of a session (sections,
list moves, filters with hostile text, forms, help, notifications) is replayed into
two terminal emulators, one fed Textual's bytes and one ours, and the screens compared
cell by cell (character, colours, bold, reverse) after each update, at 16, 256 and
true colours. Ours must also be smaller."""
from __future__ import annotations

import pyte
import pytest
from rich.color import ColorSystem
from rich.segment import Segment
from rich.style import Style
from textual._compositor import ChopsUpdate, LayoutUpdate
from textual.geometry import Region
from textual.strip import Strip
from ui_helpers import hostile_inputs, make_app, run, settle, ui_store

from tui.terminal_output import PLAIN, Shadow, sgr

store = pytest.fixture(ui_store, name="store")
SYSTEMS = [ColorSystem.STANDARD, ColorSystem.EIGHT_BIT, ColorSystem.TRUECOLOR]


class Terminal:
    def __init__(self) -> None:
        self.screen = pyte.Screen(80, 24)
        self.stream = pyte.Stream(self.screen)
        self.bytes = 0

    def feed(self, text: str) -> None:
        self.bytes += len(text.encode())
        self.stream.feed(text)

    def cells(self) -> list[tuple]:
        return [(c.data, c.fg, c.bg, c.bold, c.reverse, c.underscore, c.italics)
                for y in range(24) for c in (self.screen.buffer[y][x] for x in range(80))]


def record_updates(app) -> list:
    """Every compositor update the app hands to the terminal, in order (the headless
    driver then draws none of them)."""
    seen: list = []
    shadowed = app._display

    def spy(screen, renderable):
        if isinstance(renderable, (LayoutUpdate, ChopsUpdate)):
            seen.append(renderable)
        shadowed(screen, renderable)

    app._display = spy
    return seen


def replay(updates: list, system: ColorSystem, console) -> tuple[Terminal, Terminal]:
    textual, ours, shadow = Terminal(), Terminal(), Shadow()
    console._color_system = system
    for n, update in enumerate(updates):
        # Textual caches each style's codes on the style (for one colour depth).
        for strip in _strips(update):
            strip._render_cache = None
            for segment in strip:
                if segment.style is not None:
                    segment.style._ansi = None
        textual.feed(update.render_segments(console))
        ours.feed(shadow.render(update, 80, 24, system))
        assert ours.cells() == textual.cells(), f"update {n} at {system.name} differs"
    return textual, ours


def _strips(update):
    if isinstance(update, LayoutUpdate):
        return [s for line in update.strips for s in line]
    return [s for line in update.chops for s in line.values() if s is not None]


def test_the_terminal_shows_what_textual_would_send(store):
    app = make_app()
    updates = record_updates(app)
    hostile = [h for h in hostile_inputs() if h.strip()][:12]

    async def body(pilot):
        # The headless driver draws nothing: full frames taken from the compositor,
        # then the partial updates of the keys, as a real session would send them.
        async def frame():
            await settle(pilot)
            updates.append(app.screen._compositor.render_update(full=True))
        await frame()
        for key in ("f2", "f3", "down", "down", "up", "f9", "down", "f3"):
            await pilot.press(key)
            await (frame() if key.startswith("f") else settle(pilot))
        for text in ["nguy", *hostile]:
            app.screen.query_one("#filter").value = text
            await settle(pilot)
        await pilot.press("f1")
        await frame()
        await pilot.press("escape")
        await frame()
        app.notify("Đã lưu “[b]x[/b]” 漢字 e\u0301.", markup=False)
        await settle(pilot)
        await pilot.press("ctrl+n")
        await frame()
        for char in "Nguyễn 漢":
            await pilot.press(char)
        await settle(pilot)

    run(app, body)
    partial = [u for u in updates if isinstance(u, ChopsUpdate)]
    assert len(updates) > 30 and len(partial) > 20
    for system in SYSTEMS:
        textual, ours = replay(updates, system, app.console)
        assert ours.bytes < textual.bytes / 2, (ours.bytes, textual.bytes)


def test_a_wide_character_and_a_combining_mark_keep_their_cells():
    shadow = Shadow()
    line = Strip([Segment("a漢e\u0301b", Style(bold=True))]).extend_cell_length(80)
    update = LayoutUpdate([[line]] + [[Strip.blank(80)]] * 23, Region(0, 0, 80, 24))
    first = shadow.render(update, 80, 24, ColorSystem.STANDARD)
    assert "a漢e\u0301b" in first
    assert shadow.render(update, 80, 24, ColorSystem.STANDARD) == ""  # nothing changed


def test_style_changes_send_only_what_differs():
    bold_red = (("1",), "31", "")
    assert sgr(PLAIN, bold_red) == "\x1b[1;31m"
    assert sgr(bold_red, (("1",), "32", "")) == "\x1b[32m"
    assert sgr(bold_red, PLAIN) == "\x1b[0m"
    assert sgr((("1",), "", "44"), ((), "", "44")) == "\x1b[0;44m"


def test_a_filtered_list_shows_the_scrollbar_of_a_list_opened_on_that_filter():
    """The count moves the scrollbar's thumb without a layout (tui/widgets/lazylist.py):
    typed letter by letter, the list must end as one opened with the filter typed."""
    import asyncio

    from textual.app import App

    from tui.widgets.lazylist import LazyList, ListSource, Row, fold_match

    rows = [Row(i, (f"Người {i}{' nguyen' if i % 3 else ''}",)) for i in range(200)]

    class Lists(App):
        def __init__(self, query: str) -> None:
            super().__init__()
            self.query_typed = query

        def compose(self):
            source = ListSource((("Tên", 0),), lambda: rows,
                                lambda row, q: fold_match(q, row.cells[0]))
            lst = LazyList(source, id="rows")
            lst.query_text = self.query_typed
            yield lst

    async def shown(query: str, typed: str) -> list[str]:
        app = Lists(query)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            lst = app.query_one(LazyList)
            for n in range(1, len(typed) + 1):
                lst.reload(typed[:n])
                await pilot.pause()
            await pilot.pause()
            assert lst.vertical_scrollbar.window_virtual_size == lst.total + 1
            return [str(strip) for strip in app.screen._compositor.render_strips()]

    async def both():
        return await shown("", "nguyen"), await shown("nguyen", "")

    typed, opened = asyncio.run(both())
    assert typed == opened
