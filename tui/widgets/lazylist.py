"""One list widget for every long list: pages from the database as you scroll.

Only the rows on screen are fetched (a page at a time, cached), so 50,000
people open as fast as fifty. Rows are plain text: user data is never parsed
as markup, and control characters are shown as visible symbols.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Protocol

from rich.cells import cell_len
from rich.segment import Segment
from textual.binding import Binding
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from models.store import db
from models.text import fold, visible

# A page fills a screen: every filter key reads the first one afresh.
PAGE = 25
MARK = "▶ "
ASCII_MARK = "> "


@dataclass(frozen=True)
class Row:
    id: int
    cells: tuple[str, ...]


class RowSource(Protocol):
    """What a list shows: a count and pages of rows for the filter typed."""

    columns: tuple[tuple[str, int], ...]  # (heading, width; 0 = take the rest)

    def count(self, query: str) -> int: ...

    def rows(self, query: str, offset: int, limit: int) -> list[Row]: ...


def fit(value: str, width: int) -> str:
    """Cut or pad to exactly `width` terminal cells (Vietnamese and wide glyphs)."""
    # Printable text has nothing `visible` would change (it pictures control and
    # bidi characters only): skipping it halves the drawing of a list line.
    value = value if value.isprintable() else visible(value)
    if cell_len(value) <= width:
        return value + " " * (width - cell_len(value))
    out, used = [], 0
    for char in value:
        w = cell_len(char)
        if used + w > width - 1:
            break
        out.append(char)
        used += w
    return "".join(out) + "…" + " " * (width - 1 - used)


def fold_match(query: str, label: str) -> bool:
    """Whether every word typed is in `label`, accents and case aside: what the
    database lists do (models.registry.people.contains_words), for rows in memory."""
    folded = fold(label)
    return all(word in folded for word in fold(query).split())


def layout(columns: tuple[tuple[str, int], ...], cells: tuple[str, ...], width: int) -> str:
    fixed = sum(w for _, w in columns if w) + len(columns) - 1
    rest = max(4, width - fixed)
    return " ".join(fit(c, w or rest) for c, (_, w) in zip(cells, columns))


class LazyList(ScrollView, can_focus=True):
    """A scrolling list of rows read on demand from a `RowSource`."""

    DEFAULT_CSS = """
    LazyList { height: 1fr; overflow-x: hidden; }
    LazyList > .lazylist--cursor { text-style: reverse; }
    LazyList > .lazylist--header { text-style: bold underline; }
    """
    COMPONENT_CLASSES = {"lazylist--cursor", "lazylist--header"}
    BINDINGS = [
        Binding("up", "move(-1)", "Lên", show=False),
        Binding("down", "move(1)", "Xuống", show=False),
        Binding("pageup", "page(-1)", "Trang trước", show=False),
        Binding("pagedown", "page(1)", "Trang sau", show=False),
        Binding("home", "jump(0)", "Đầu", show=False),
        Binding("end", "jump(-1)", "Cuối", show=False),
        Binding("enter", "choose", "Mở", id="list.open"),
    ]

    cursor = reactive(0, always_update=True, repaint=False)

    class Chosen(Message):
        """Enter on `row`."""

        def __init__(self, lazy_list: "LazyList", row: Row) -> None:
            super().__init__()
            self.lazy_list = lazy_list
            self.row = row

    class Highlighted(Message):
        """The cursor moved onto `row`."""

        def __init__(self, lazy_list: "LazyList", row: Row) -> None:
            super().__init__()
            self.lazy_list = lazy_list
            self.row = row

    def __init__(self, source: RowSource, *, ascii_mark: bool = False, id: str | None = None,
                 empty_text: str = "Không có dòng nào.",
                 no_match: str = "Không có dòng nào khớp “{}”.") -> None:
        super().__init__(id=id)
        self.source = source
        self.query_text = ""
        self.total = 0
        self.empty_text = empty_text
        # With a filter typed, an empty list says what found nothing: "no rows
        # at all" would send the officer looking for data that is there.
        self.no_match = no_match
        self._mark = ASCII_MARK if ascii_mark else MARK
        self._pages: LRUCache[int, list[Row]] = LRUCache(16)
        self._loaded = False

    # -- data ---------------------------------------------------------------
    def reload(self, query: str | None = None) -> None:
        """Re-read from the source: after a filter change or another session's
        change. The cursor keeps its position; it moves only if rows vanished."""
        if query is not None and query != self.query_text:
            self.query_text = query
            self.cursor = 0
            self.scroll_to(y=0, animate=False)
            before = None
        else:
            before = self._on_screen() if self._loaded else None
        try:
            total = self.source.count(self.query_text)
        except Exception as exc:
            self._unreadable(exc)
            return  # the rows shown stay; the next change or key reads again
        self._pages.clear()
        self.total = total
        self._loaded = True
        self._set_virtual_height(self.total + 1)
        self.cursor = min(self.cursor, max(0, self.total - 1))
        # Another officer's save elsewhere in the list leaves these lines as
        # they are: repainting them anyway would cost every viewer bytes.
        if before is None or self._on_screen() != before:
            self.refresh()
            self._announce()

    def _on_screen(self) -> tuple:
        top = self.scroll_offset.y
        rows = tuple(self.row_at(i) for i in range(top, top + self._visible_rows))
        return self.cursor, rows  # the count shows in the scrollbar, which follows by itself

    def row_at(self, index: int) -> Row | None:
        if not 0 <= index < self.total:
            return None
        page_no = index // PAGE
        page = self._pages.get(page_no)
        if page is None:
            try:
                page = self.source.rows(self.query_text, page_no * PAGE, PAGE)
            except Exception as exc:
                self._unreadable(exc)
                return None  # drawn blank, read again when next drawn
            self._pages[page_no] = page
        offset = index - page_no * PAGE
        return page[offset] if offset < len(page) else None

    def _unreadable(self, exc: Exception) -> None:
        """A store that cannot be read now (a lost server) is told once, by the app."""
        trouble = db.trouble(exc)
        if trouble is None:
            raise exc
        db.reconnect_if_lost()
        if self.app.store_problem != str(trouble):
            self.app.store_trouble(str(trouble))

    @property
    def current(self) -> Row | None:
        return self.row_at(self.cursor)

    # -- rendering ----------------------------------------------------------
    def on_mount(self) -> None:
        if not self._loaded:
            self.reload()

    def on_resize(self) -> None:
        self.virtual_size = Size(self.size.width, self.total + 1)

    def _set_virtual_height(self, height: int) -> None:
        """A new count moves only the scrollbar's thumb: Textual would lay out the
        whole screen again for it (about 1.5 ms a filter key), needed only when the
        scrollbar appears or goes."""
        size = Size(self.size.width, height)
        bar = self.show_vertical_scrollbar
        if bar and height > self.size.height and self.virtual_size.width == size.width:
            self.set_reactive(LazyList.virtual_size, size)
            self.vertical_scrollbar.window_virtual_size = height
        else:
            self.virtual_size = size

    def render_line(self, y: int) -> Strip:
        # Not self.size: a long list shows a scrollbar, which would hide the last column.
        width = self.scrollable_content_region.width
        if y == 0:
            heading = layout(self.source.columns, tuple(h for h, _ in self.source.columns),
                             width - len(self._mark))
            style = self.get_component_rich_style("lazylist--header")
            return Strip([Segment(" " * len(self._mark) + heading, style)]).adjust_cell_length(width)
        index = self.scroll_offset.y + y - 1
        if self.total == 0 and y == 1:
            return Strip([Segment(self.empty_line, self.rich_style)]).adjust_cell_length(width)
        row = self.row_at(index)
        if row is None:
            return Strip.blank(width, self.rich_style)
        line = layout(self.source.columns, row.cells, width - len(self._mark))
        if index == self.cursor:
            style = self.get_component_rich_style("lazylist--cursor")
            return Strip([Segment(self._mark + line, style)]).adjust_cell_length(width, style)
        return Strip([Segment(" " * len(self._mark) + line, self.rich_style)]).adjust_cell_length(width)

    @property
    def empty_line(self) -> str:
        """What an empty list says: the filter that found nothing, else `empty_text`."""
        if self.query_text.strip():
            return self.no_match.format(visible(self.query_text.strip()))
        return self.empty_text

    # -- movement -----------------------------------------------------------
    @property
    def _visible_rows(self) -> int:
        return max(1, self.size.height - 1)

    def watch_cursor(self, old: int, new: int) -> None:
        top = self.scroll_offset.y
        if new < top:
            self.scroll_to(y=new, animate=False)
        elif new >= top + self._visible_rows:
            self.scroll_to(y=new - self._visible_rows + 1, animate=False)
        self._refresh_index(old)
        self._refresh_index(new)

    def _refresh_index(self, index: int) -> None:
        y = index - self.scroll_offset.y + 1
        if 1 <= y < self.size.height:
            self.refresh_line(y)

    def _announce(self) -> None:
        row = self.current
        if row is not None:
            self.post_message(self.Highlighted(self, row))

    def _set_cursor(self, index: int) -> None:
        index = max(0, min(index, self.total - 1))
        if index != self.cursor:
            self.cursor = index
            self._announce()

    def action_move(self, step: int) -> None:
        self._set_cursor(self.cursor + step)

    def action_page(self, step: int) -> None:
        self._set_cursor(self.cursor + step * self._visible_rows)

    def action_jump(self, index: int) -> None:
        self._set_cursor(self.total - 1 if index < 0 else index)

    def go_to(self, row_ids) -> None:
        """Put the cursor on the first row whose id is in `row_ids`. It reads the
        rows in order: for the short lists (units, a dashboard), not for people."""
        if not self._loaded:
            self.reload()
        index = next((i for i in range(self.total)
                      if getattr(self.row_at(i), "id", None) in row_ids), None)
        if index is not None:
            self._set_cursor(index)

    def action_choose(self) -> None:
        row = self.current
        if row is not None:
            self.post_message(self.Chosen(self, row))

    def on_click(self, event) -> None:
        self._set_cursor(self.scroll_offset.y + event.y - 1)


class Records(Protocol):
    """A models listing (models.store.paging.Listing): the records matching the
    filter typed, counted and read a page at a time."""

    def count(self, query: str) -> int: ...

    def rows(self, query: str, offset: int, limit: int) -> list: ...


class RecordSource:
    """A RowSource over a models listing: `cells(record)` gives a row's columns."""

    def __init__(self, columns: tuple[tuple[str, int], ...], records: Records,
                 cells: Callable) -> None:
        self.columns = columns
        self._records = records
        self._cells = cells

    def count(self, query: str) -> int:
        return self._records.count(query)

    def rows(self, query: str, offset: int, limit: int) -> list[Row]:
        return [Row(r.id, self._cells(r)) for r in self._records.rows(query, offset, limit)]


class ListSource:
    """A RowSource over rows already in memory (short lists: units, campaigns)."""

    def __init__(self, columns: tuple[tuple[str, int], ...], load: Callable[[], list[Row]],
                 match: Callable[[Row, str], bool] | None = None) -> None:
        self.columns = columns
        self._load = load
        self._match = match
        self._rows: list[Row] = []
        self._query: str | None = None

    def _filtered(self, query: str) -> list[Row]:
        if self._query != query or not self._rows:
            rows = self._load()
            self._rows = [r for r in rows if self._match is None or self._match(r, query)]
            self._query = query
        return self._rows

    def count(self, query: str) -> int:
        self._query = None  # a count starts a reload: read afresh
        return len(self._filtered(query))

    def rows(self, query: str, offset: int, limit: int) -> list[Row]:
        return self._filtered(query)[offset:offset + limit]
