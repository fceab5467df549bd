"""Send the terminal only the cells that changed, with as few style codes as possible.

Textual sends every region it repaints whole: a section switch redraws all 24
lines, header and footer included, and a list reload every row, even where the
text on screen is the same. It also wraps each run of one style in its own
codes and a reset (ESC[...m text ESC[0m). Over a rural link both cost the
officer seconds. This keeps a copy of what the terminal shows (the shadow) and
turns each of Textual's updates into: for every changed run of cells, a cursor
move, the style codes that differ from the previous cell's, and the text.

Only what reaches the terminal goes through here (App._display renders the
update only when it writes it), so headless tests and screenshots are untouched.
The shadow is forgotten when the size changes or the app resumes from a
suspension (the terminal's contents are unknown then): the next update is sent
whole.
"""
from __future__ import annotations

from typing import Iterable

from rich.cells import cell_len
from rich.color import ColorSystem
from rich.segment import Segment
from rich.style import Style
from textual._compositor import ChopsUpdate, CompositorUpdate, LayoutUpdate
from textual.strip import SGR_STYLES

# Changed runs closer than this many cells are sent as one: rewriting a short
# unchanged gap costs about what a cursor move over it does.
GAP = 4
PLAIN = ((), "", "")  # a cell's look: attribute codes, foreground, background
PLACEHOLDER = ""  # the second cell of a double-width character
Cell = tuple[str, tuple]
BLANK: Cell = (" ", PLAIN)


class Shadow:
    """What the terminal shows, cell by cell; None where it is not known."""

    def __init__(self) -> None:
        self.rows: list[list[Cell | None]] = []
        self._looks: dict[Style | None, tuple] = {}
        self._system: ColorSystem | None = None

    def forget(self, *_) -> None:
        self.rows = []

    def _sized(self, out: list[str], width: int, height: int) -> None:
        if len(self.rows) != height or (self.rows and len(self.rows[0]) != width):
            self.rows = [[None] * width for _ in range(height)]
        if height and self.rows[0][0] is None:
            # An unknown screen (the first frame, a new size, a resume): clear it, and
            # the blank cells (most of a screen on the terminal's own background) need
            # not be sent. Textual repaints the whole screen after each of these.
            out.append("\x1b[0m\x1b[2J")
            self.rows = [[BLANK] * width for _ in range(height)]

    # -- styles -------------------------------------------------------------
    def look(self, style: Style | None) -> tuple:
        """The codes of a style in parts, so that one colour changing sends one code.
        Hyperlinks and metadata are not drawn: the app has none that shows."""
        found = self._looks.get(style)
        if found is None:
            if style is None:
                found = PLAIN
            else:
                bits = style._attributes & style._set_attributes
                attrs = tuple(SGR_STYLES[i] for i in range(bits.bit_length()) if bits & (1 << i))
                system = self._system
                fg = ";".join(style.color.downgrade(system).get_ansi_codes()) \
                    if style.color is not None else ""
                bg = ";".join(style.bgcolor.downgrade(system).get_ansi_codes(False)) \
                    if style.bgcolor is not None else ""
                # The terminal's default colours (the 16-colour theme's) are no code.
                found = (attrs, "" if fg == "39" else fg, "" if bg == "49" else bg)
            self._looks[style] = found
        return found

    # -- one update -----------------------------------------------------------
    def render(self, update: CompositorUpdate, width: int, height: int,
               system: ColorSystem) -> str:
        if system != self._system:  # codes depend on the colour depth
            self._looks.clear()
            self._system = system
        out: list[str] = []
        self._sized(out, width, height)
        pen = [PLAIN, None, None]  # look, cursor row, cursor column
        for y, x, cells in self._lines(update):
            if 0 <= y < height:
                self._line(out, pen, y, x, cells[:max(0, width - x)])
        if pen[0] != PLAIN:
            out.append("\x1b[0m")
        return "".join(out)

    def _lines(self, update: CompositorUpdate):
        """(row, first column, cells) for each stretch of a line the update repaints."""
        if isinstance(update, LayoutUpdate):
            x = update.region.x
            for y, strips in enumerate(update.strips, update.region.y):
                yield y, x, self._cells(segment for strip in strips for segment in strip)
        elif isinstance(update, ChopsUpdate):
            for y, x1, x2 in update.spans:
                for end, (x, strip) in zip(update.chop_ends[y], update.chops[y].items()):
                    if strip is None or x > x2 or end <= x1:
                        continue
                    if end > x2:  # what Textual itself would write of it
                        strip = strip.crop(0, x2 - x)
                    yield y, x, self._cells(strip)

    def _cells(self, segments: Iterable[Segment]) -> list[Cell]:
        cells: list[Cell] = []
        for text, style, control in segments:
            if control:
                continue
            look = self.look(style)
            for char in text:
                width = cell_len(char)
                if width == 0:  # a combining mark joins the character before it
                    if cells:
                        at = -1 if cells[-1][0] else -2  # not a wide one's second cell
                        cells[at] = (cells[at][0] + char, cells[at][1])
                    continue
                cells.append((char, look))
                if width == 2:
                    cells.append((PLACEHOLDER, look))
        return cells

    def _line(self, out: list[str], pen: list, y: int, x0: int, cells: list[Cell]) -> None:
        row = self.rows[y]
        changed = [x0 + i for i, cell in enumerate(cells) if row[x0 + i] != cell]
        if not changed:
            return
        runs: list[list[int]] = []
        for x in changed:
            if runs and x - runs[-1][1] <= GAP:
                runs[-1][1] = x + 1
            else:
                runs.append([x, x + 1])
        end_x = x0 + len(cells)
        for start, stop in runs:
            if cells[start - x0][0] == PLACEHOLDER and start > x0:
                start -= 1  # a wide character is sent from its first cell
            if stop < end_x and cells[stop - x0][0] == PLACEHOLDER:
                stop += 1
            self._move(out, pen, y, start)
            for x in range(start, stop):
                text, look = cell = cells[x - x0]
                row[x] = cell
                if text == PLACEHOLDER:
                    continue
                if look != pen[0]:
                    out.append(sgr(pen[0], look))
                    pen[0] = look
                out.append(text)
            pen[1], pen[2] = y, stop

    @staticmethod
    def _move(out: list[str], pen: list, y: int, x: int) -> None:
        if pen[1] == y and pen[2] == x:
            return
        if pen[1] == y and pen[2] is not None and 0 < x - pen[2] <= 99:
            step = x - pen[2]
            out.append("\x1b[C" if step == 1 else f"\x1b[{step}C")
        else:
            out.append(f"\x1b[{y + 1}H" if x == 0 else f"\x1b[{y + 1};{x + 1}H")


def sgr(old: tuple, new: tuple) -> str:
    """The shortest of: the parts that changed, or a reset and the new look."""
    old_attrs, old_fg, old_bg = old
    attrs, fg, bg = new
    codes: list[str] = []
    if set(old_attrs) <= set(attrs):
        codes += [a for a in attrs if a not in old_attrs]
        if fg != old_fg:
            codes.append(fg or "39")
        if bg != old_bg:
            codes.append(bg or "49")
    else:
        codes = ["0", *attrs, *(c for c in (fg, bg) if c)]
    return f"\x1b[{';'.join(codes)}m"


class ShadowedUpdate(CompositorUpdate):
    """A compositor update rendered against the shadow, as App._display asks."""

    def __init__(self, shadow: Shadow, update: CompositorUpdate, width: int,
                 height: int) -> None:
        self.shadow = shadow
        self.update = update
        self.size = (width, height)

    def render_segments(self, console) -> str:
        system = console._color_system or ColorSystem.TRUECOLOR
        return self.shadow.render(self.update, *self.size, system)


def install(app) -> None:
    """Route the app's screen updates through a shadow of the terminal."""
    shadow = Shadow()
    display = app._display
    watching = []

    def shadowed(screen, renderable) -> None:
        driver = app._driver
        if isinstance(renderable, (LayoutUpdate, ChopsUpdate)) and driver is not None \
                and not driver.is_inline:
            if not watching:  # signals take subscribers once the app runs
                watching.append(True)
                app.app_suspend_signal.subscribe(app, shadow.forget, immediate=True)
                app.app_resume_signal.subscribe(app, shadow.forget, immediate=True)
            size = app.size
            renderable = ShadowedUpdate(shadow, renderable, size.width, size.height)
        display(screen, renderable)

    app._display = shadowed
