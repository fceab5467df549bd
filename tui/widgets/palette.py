"""Ctrl+P, the command palette, in Vietnamese and searched without accents: the
current screen's own keys first (an 80-column footer has room for only a few of
them: import, export, deadlines, the synthesis...), then the sections, help and quit.
"""
from __future__ import annotations

from functools import partial

from textual import on
from textual.binding import Binding
from textual.command import CommandPalette, DiscoveryHit, Hit, Hits, Provider, SearchIcon
from textual.content import Content
from textual.widgets import Input

from models.text import find_forbidden, visible
from tui.screens.help import key_label
from tui.widgets.lazylist import fold_match

# Keys that move about a list or a form: nobody looks them up by name.
MOVES = frozenset({"up", "down", "pageup", "pagedown", "home", "end", "enter", "tab",
                   "shift+tab"})
NO_MATCH = "Không có lệnh nào khớp “{}”."


class ScreenCommands(Provider):
    """The commands of the screen the palette was opened on, and the app's."""

    def commands(self) -> list[tuple[str, str, object]]:
        """(name, help, callback): each enabled key of the screen itself, under its
        footer label, then the app's system commands (sections, help, quit)."""
        screen, found, actions = self.screen, [], set()
        for key, active in screen.active_bindings.items():
            binding = active.binding
            if active.node is not screen or not active.enabled or key in MOVES \
                    or not binding.description or binding.action in actions:
                continue
            actions.add(binding.action)
            found.append((binding.description, f"Phím {key_label(key)}",
                          partial(screen.run_action, binding.action)))
        found += [(c.title, c.help, c.callback) for c in self.app.get_system_commands(screen)]
        return found

    async def discover(self) -> Hits:
        for name, help_text, callback in self.commands():
            yield DiscoveryHit(Content(name), callback, text=name, help=help_text)

    async def search(self, query: str) -> Hits:
        hits = 0
        for name, help_text, callback in self.commands():
            # A match on the name outranks one on its help line (the key, the section).
            score = 1.0 if fold_match(query, name) else \
                0.5 if fold_match(query, help_text) else 0.0
            if score:
                hits += 1
                yield Hit(score, Content(name), callback, text=name, help=help_text)
        if not hits:
            # Said as a (harmless) command of our own: Textual would say it in English.
            said = NO_MATCH.format(visible(query.strip()))
            yield Hit(0.01, Content(said), lambda: None, text=said)


class Palette(CommandPalette):
    BINDINGS = [Binding("escape", "escape", "Đóng")]

    def __init__(self) -> None:
        super().__init__(placeholder="Gõ tên lệnh, không cần dấu…", id="--command-palette")

    def on_mount(self) -> None:
        # A magnifying-glass emoji: a box or two cells of garbage on PuTTY's fonts.
        self.query_one(SearchIcon).icon = ">"

    @on(Input.Changed)
    def _shown_safely(self, event: Input.Changed) -> None:
        """A pasted ESC, NUL or bidi override becomes its visible symbol, as in our own
        fields: Textual's input would send it raw to the terminal. No command has one."""
        if find_forbidden(event.value):
            event.input.value = visible(event.value)
