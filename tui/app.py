"""The Textual application: sections on F-keys, live data, a clean exit on hang-up."""
from __future__ import annotations

import datetime as dt
import os
import signal
import sys
import threading
from functools import partial

from rich.color import ColorSystem
from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.css.query import NoMatches
from textual.filter import Monochrome, NoColor

from models.io.exchange import FilePolicy
from models.registry.access import Actor
from models.store import presence
from tui import terminal_input
from tui.keyorder import KeyOrder
from tui.live import DataChanged, Watcher
from tui.screens import sections
from tui.screens.help import HelpScreen, key_label
from tui.screens.toosmall import Notice, TooSmall
from tui.widgets.form import Confirm, FormScreen
from tui.widgets.palette import Palette, ScreenCommands

MIN_SIZE = (80, 24)
POLL_SECONDS = 1.0
HEARTBEAT_SECONDS = 30.0
FAREWELL_SECONDS = 2.0
HANGUP_GRACE = 1.0  # seconds after a hang-up before the process ends regardless
COLOR_SYSTEMS = {"256": ColorSystem.EIGHT_BIT, "16": ColorSystem.STANDARD}


class ThiduaApp(App):
    CSS_PATH = "app.tcss"
    TITLE = "thidua"
    ENABLE_COMMAND_PALETTE = True
    COMMAND_PALETTE_BINDING = "ctrl+p"
    COMMANDS = {ScreenCommands}  # instead of Textual's, which speak English
    MODES = {s.mode: s.screen for s in sections.SECTIONS}
    DEFAULT_MODE = "home"
    BINDINGS = [
        Binding("f1", "help", "Trợ giúp", id="help"),
        # The sections are listed on the home screen and under F1; in the footer
        # they would push the current screen's own keys off an 80-column line.
        *[Binding(s.key, f"section('{s.mode}')", s.short, id=f"section.{s.mode}",
                  show=s.footer) for s in sections.SECTIONS if s.key],
        Binding("f10", "quit", "Thoát", id="quit"),
        Binding("ctrl+q", "quit", "Thoát", show=False, id="quit.ctrl"),
        # Textual adds this binding itself unless the app has one, labelled "palette".
        Binding("ctrl+p", "command_palette", "Tìm lệnh", show=False, priority=True,
                id="palette"),
    ]

    def __init__(self, cfg, actor: Actor, open_screen: str | None = None,
                 today: dt.date | None = None, files: FilePolicy | None = None) -> None:
        super().__init__()
        terminal_input.install()
        self.cfg = cfg
        # Every file name an officer types goes through this (imports, exports).
        self.files = files or FilePolicy(cfg.ssh.exchange_dir, False, ())
        self.actor = actor
        self.today = today or dt.date.today()
        self.open_screen = open_screen
        self.farewell = ""  # printed once the terminal is restored
        self.watcher = Watcher()
        self.key_order = KeyOrder(self)
        self.ascii = os.environ.get("TERM", "") == "linux"
        self.set_keymap(dict(cfg.ui.keys))
        self.grey = None  # the line filter of color_mode "mono"
        self.use_color_mode(cfg.ui.color_mode)

    # -- colour -----------------------------------------------------------------
    def use_color_mode(self, mode: str) -> None:
        """`[ui] color_mode`. "auto" keeps the depth Rich reads from TERM and
        COLORTERM (PuTTY's TERM=xterm gives 16 colours); the others are for a
        terminal whose TERM says otherwise than it shows. Textual takes either
        only from the environment (TEXTUAL_COLOR_SYSTEM when first imported,
        NO_COLOR), too early and too global for one session's configuration.
        Set before the first frame: Textual keeps a style's codes once drawn."""
        if mode in COLOR_SYSTEMS:
            # Every frame is encoded for the terminal with this console's system.
            self.console._color_system = COLOR_SYSTEMS[mode]
        elif mode == "mono" and not self.no_color:
            # What Textual itself does under NO_COLOR.
            self.no_color = True
            self.grey = NoColor() if self.native_ansi_color else Monochrome()

    def get_line_filters(self):
        filters = super().get_line_filters()
        return [*filters, self.grey] if self.grey else filters

    def on_mount(self) -> None:
        if self.ascii:
            self.add_class("-ascii")
            use_ascii_scrollbars()
        # The session row first: opening a section beats on it (thidua --open people).
        self.session_id = presence.start(self.actor, self.where())
        if self.open_screen:
            self.action_section(self.open_screen)
        self.set_interval(POLL_SECONDS, self.poll_changes)
        self.set_interval(HEARTBEAT_SECONDS, self.heartbeat)
        # Textual ignores SIGHUP: without this a dropped SSH link kills the
        # process wherever it is instead of letting it finish and restore state.
        try:
            signal.signal(signal.SIGHUP, self._hang_up)
        except (AttributeError, ValueError):  # no SIGHUP here, or not the main thread
            pass

    def _hang_up(self, signum, frame) -> None:
        """The SSH link dropped. The kernel sends SIGCONT with the SIGHUP, and
        Textual's driver answers SIGCONT by starting the terminal afresh (a new
        output thread): racing the shutdown, that left the process hanging for
        ever about one time in eight. A plain signal handler runs before the
        SIGCONT one (Python handles pending signals in number order), so the
        restart is switched off here; and whatever else blocks on the dead
        terminal, a watchdog ends the process once the app's own cleanup has
        had HANGUP_GRACE seconds."""
        driver = self._driver
        if driver is not None:
            driver._auto_restart = False
        watchdog = threading.Timer(HANGUP_GRACE, os._exit, (0,))
        watchdog.daemon = True
        watchdog.start()
        loop = self._loop
        if loop is not None:
            loop.call_soon_threadsafe(self.exit)
        else:
            self.exit()

    # -- keys -------------------------------------------------------------------
    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.Key, events.Paste)) and not event.is_forwarded:
            if self.key_order.admit(event):
                await super().on_event(event)
                self.key_order.handled()
            return
        await super().on_event(event)

    # -- navigation -------------------------------------------------------------
    def action_section(self, mode: str) -> None:
        section = sections.by_mode(mode)
        if not section.allowed(self.actor):
            self.notify("Bạn không có quyền vào mục này.", severity="warning", markup=False)
            return
        self.switch_mode(mode)
        self.heartbeat()

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def action_command_palette(self) -> None:
        if self.use_command_palette and not Palette.is_open(self):
            self.push_screen(Palette())

    async def action_quit(self) -> None:
        """F10 with a form's changes unsaved asks first: quitting would lose the text."""
        unsaved = any(isinstance(s, FormScreen) and s.dirty for s in self.screen_stack)
        if not unsaved or isinstance(self.screen, Confirm):
            self.exit()
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.exit()
        self.push_screen(Confirm("Biểu mẫu đang mở có thay đổi chưa lưu. Thoát và bỏ các "
                                 "thay đổi đó?"), answered)

    def action_help_quit(self) -> None:
        """Ctrl+C, pressed out of habit to quit: Textual answers in English."""
        keys = [(not active.binding.show, key) for key, active in self.active_bindings.items()
                if active.binding.action in ("quit", "app.quit")]
        if keys:  # the one the footer shows (F10) before its spare (Ctrl+Q)
            self.notify(f"Bấm {key_label(min(keys)[1])} để thoát thidua.", markup=False)

    def get_system_commands(self, screen):
        """The command palette (Ctrl+P) lists the sections this user may open."""
        for section in sections.SECTIONS:
            if section.allowed(self.actor):
                yield SystemCommand(f"Mở: {section.title}", f"Chuyển sang mục {section.title}",
                                    partial(self.action_section, section.mode))
        yield SystemCommand("Trợ giúp", "Các phím của màn hình đang mở", self.action_help)
        yield SystemCommand("Thoát", "Thoát khỏi thidua", self.exit)

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "section" and parameters:
            section = sections.by_mode(parameters[0])
            if section.footer and self.current_mode != "home":
                return False  # a home screen key: elsewhere the footer is the screen's
            return section.allowed(self.actor)
        return True

    # -- presence and live data ------------------------------------------------------
    def where(self) -> str:
        return sections.by_mode(self.current_mode).title if self.current_mode else ""

    def on_unmount(self) -> None:
        presence.end(self.session_id)

    def heartbeat(self) -> None:
        presence.beat(self.session_id, self.where())

    def poll_changes(self) -> None:
        changes = self.watcher.poll()
        if changes:
            message = DataChanged(changes)
            if message.touches("user", self.actor.user_id) and \
                    not presence.still_allowed(self.actor):
                self.farewell = "Tài khoản của bạn vừa bị khóa; phiên làm việc đã kết thúc."
                # Said on screen first: over SSH, text printed after exit can be lost.
                self.push_screen(Notice(self.farewell))
                self.set_timer(FAREWELL_SECONDS, lambda: self.exit(return_code=1))
                return
            for screen in self.screen_stack:
                handler = getattr(screen, "on_data_changed", None)
                # A screen pushed but not yet mounted has no widgets to refresh;
                # it reads the data, change included, as it mounts.
                if handler is not None and screen.is_mounted:
                    try:
                        handler(message)
                    except NoMatches:
                        # Its widgets are being composed or replaced (a recompose):
                        # they read the data as they come, change included.
                        continue

    # -- terminal size --------------------------------------------------------
    def on_resize(self, event) -> None:
        small = event.size.width < MIN_SIZE[0] or event.size.height < MIN_SIZE[1]
        if small and not isinstance(self.screen, TooSmall):
            self.push_screen(TooSmall())
        elif not small and isinstance(self.screen, TooSmall):
            self.pop_screen()


def use_ascii_scrollbars() -> None:
    """The Linux console has no eighth-block glyphs (▁▂▃…▇) for scrollbar thumbs:
    draw them in whole cells of reverse video, spaces only. Class-wide, as Textual
    intends; one app per process (one per SSH session)."""
    from textual.scrollbar import ScrollBar, ScrollBarRender

    class AsciiScrollBarRender(ScrollBarRender):
        VERTICAL_BARS = [" "] * 8
        HORIZONTAL_BARS = [" "] * 8

    ScrollBar.renderer = AsciiScrollBarRender


def run_app(cfg, actor: Actor, open_screen: str | None = None,
            files: FilePolicy | None = None) -> int:
    app = ThiduaApp(cfg, actor, open_screen, files=files)
    app.run()
    if app.farewell:
        print(app.farewell, file=sys.stderr)
    return app.return_code or 0
