"""The Textual application: sections on F-keys, live data, a clean exit on hang-up."""
from __future__ import annotations

import datetime as dt
import os
import signal
import sys
import threading
import time
from functools import partial

from rich.color import ColorSystem
from textual import events, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.css.query import NoMatches
from textual.filter import Monochrome, NoColor
from textual.worker import get_current_worker

from config import data_dir
from models.council import pending
from models.io.exchange import FilePolicy
from models.registry.access import Actor
from models.store import db, presence
from models.store.drafts import Drafts
from tui import terminal_input, terminal_output
from tui.keyorder import KeyOrder
from tui.live import DataChanged, Watcher
from tui.screens import sections
from tui.screens.help import HelpScreen, key_label
from tui.screens.toosmall import Notice, TooSmall
from tui.widgets.form import Confirm, FormScreen
from tui.widgets.palette import Palette, ScreenCommands

MIN_SIZE = (80, 24)
POLL_SECONDS = 1.0
HEARTBEAT_SECONDS = presence.HEARTBEAT.total_seconds()
IDLE_WARNING = 60.0  # seconds of warning before an idle session is signed out
# What another officer's change is called in the one-line notice that tells of it.
NOTICES = {"report": "một báo cáo", "ballot": "một cuộc bỏ phiếu", "nomination":
           "một đề nghị khen thưởng", "decision": "một quyết định khen thưởng"}
# A member's vote is not news to the others: told one by one, it would name the voters in
# the order they voted, over the chair's (or the projector's) screen.
QUIET = {("ballot", "vote"), ("ballot", "revote")}
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
                 today: dt.date | None = None, files: FilePolicy | None = None,
                 drafts: Drafts | None = None) -> None:
        super().__init__()
        terminal_input.install()
        terminal_output.install(self)  # only changed cells reach the terminal
        self.cfg = cfg
        # Every file name an officer types goes through this (imports, exports).
        self.files = files or FilePolicy(cfg.ssh.exchange_dir, False, ())
        self.actor = actor
        self.today = today or dt.date.today()
        self.open_screen = open_screen
        self.farewell = ""  # printed once the terminal is restored
        self.watcher = Watcher()
        # The unsaved forms, kept as typed: see models/store/drafts.py.
        self.drafts = drafts or Drafts(data_dir() / "drafts", actor.login, db.identity())
        self.restorable: dict = {}  # drafts of an ended session accepted back, by form key
        self.reopening = None  # the draft whose form is being opened again at sign-in
        self.last_action: tuple = (None, "", ())  # (namespace, name, parameters)
        self.store_problem = ""   # the store's trouble, one line; "" when it answers
        self.trouble_since = 0.0  # when it was last met (monotonic seconds)
        self.missed: dict[str, list] = {}  # changes for sections not shown, by mode
        self.last_key = time.monotonic()
        self.next_beat = 0.0  # when the worker beats next (monotonic seconds)
        # A screen following a live vote (the council's console) shortens the poll.
        self.poll_seconds = POLL_SECONDS
        self.idle_warned = False
        self.on_tty = sys.__stdin__ is not None and sys.__stdin__.isatty()
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
        if self.console._color_system == ColorSystem.STANDARD:
            # 16 colours (PuTTY's TERM=xterm): the terminal's own palette and
            # background, so that blank cells cost no bytes (tui/terminal_output.py).
            self.theme = "ansi-dark"

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
        self.keep_in_touch()
        if self.cfg.session.idle_timeout:
            self.set_interval(5.0, self.sign_out_if_idle)
        self.call_after_refresh(self.offer_drafts)
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
            self.last_key, self.idle_warned = time.monotonic(), False
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
                self.drafts.discard()  # given up, as asked
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
        try:
            presence.end(self.session_id)
        except Exception:  # the store is down: the row goes stale by itself
            pass

    def heartbeat(self) -> None:
        """Beat now (a section opened): the worker beats on its own between times."""
        self.next_beat = 0.0

    @work(thread=True, exclusive=True, group="touch", exit_on_error=False)
    def keep_in_touch(self) -> None:
        """The change poll and the heartbeat, in a thread of their own: a store that is
        locked, full, read-only or unreachable makes them wait or fail here, never on
        the keys, and never ends the session. While the store is in trouble it is tried
        every poll, so that its return is noticed within a second or two."""
        worker = get_current_worker()
        while not worker.is_cancelled:
            if self.on_tty and not os.isatty(sys.__stdin__.fileno()):
                # The terminal is gone and no SIGHUP came (its parent ignored it):
                # Textual's input thread would read EOF for ever at full speed.
                self._hang_up(None, None)
                return
            changes, allowed, problem = [], True, ""
            started = time.monotonic()
            try:
                changes = self.watcher.poll()
                if any(c.table == "user" and c.row_id in (self.actor.user_id, None)
                       for c in changes):
                    allowed = presence.still_allowed(self.actor)
                if time.monotonic() >= self.next_beat or self.store_problem:
                    self.session_id = presence.beat(self.session_id, self.where(), self.actor)
                    self.next_beat = time.monotonic() + HEARTBEAT_SECONDS
                    # A secret ballot's history that a reader kept from being erased at
                    # its close goes as soon as any session finds the reader gone.
                    if pending.erase_waiting():
                        from models.council import ballots
                        ballots.finish_erasing()
            except Exception as exc:
                trouble = db.trouble(exc)
                if trouble is None:
                    self.call_from_thread(self.unexpected, exc)
                    trouble = "Lỗi không mong đợi khi đọc cơ sở dữ liệu; đang thử lại."
                problem = str(trouble)
                db.reconnect_if_lost()
            try:
                self.call_from_thread(self.touched, changes, allowed, problem, started)
            except RuntimeError:  # the app has stopped meanwhile
                return
            time.sleep(self.poll_seconds)

    def touched(self, changes: list, allowed: bool, problem: str, started: float) -> None:
        """What the worker found, handled on the app's own thread. A pass that began
        before a screen met the trouble cannot say it is over."""
        try:
            self._touched(changes, allowed, problem, started)
        except Exception as exc:  # a screen's refresh: the worker must go on polling
            self.fault(exc)

    def _touched(self, changes: list, allowed: bool, problem: str, started: float) -> None:
        if problem != self.store_problem and (problem or started > self.trouble_since):
            self.store_trouble(problem)
        if not allowed:
            self.farewell = "Tài khoản của bạn vừa bị khóa; phiên làm việc đã kết thúc."
            # Said on screen first: over SSH, text printed after exit can be lost.
            self.push_screen(Notice(self.farewell))
            self.set_timer(FAREWELL_SECONDS, lambda: self.exit(return_code=1))
            return
        if changes:
            self.tell(changes)
            self.poll_changes(changes)

    def store_trouble(self, problem: str, shown: bool = False) -> None:
        """The store went down (one line naming why, unless the screen `shown` it) or
        came back (the forms that could not be saved are saved now). Until then the
        worker tries the store every poll."""
        self.store_problem = problem
        if problem:
            self.trouble_since = time.monotonic()
            if not shown:
                self.notify(problem, severity="error", timeout=30, markup=False)
            return
        self.notify("Cơ sở dữ liệu đã hoạt động trở lại.", markup=False)
        for screen in self.screen_stack:
            if isinstance(screen, FormScreen) and screen.waiting:
                screen.action_save()

    def tell(self, changes: list) -> None:
        """One line for what another officer changed that this one may be waiting on."""
        theirs = [c for c in changes if c.login != self.actor.login and c.table in NOTICES
                  and (c.table, c.action) not in QUIET]
        if theirs:
            last = theirs[-1]
            self.notify(f"{last.login} vừa cập nhật {NOTICES[last.table]}.", markup=False)

    def poll_changes(self, changes: list | None = None) -> None:
        """Hand the changes to the screens; without `changes`, poll now, here (the
        tests' way to skip the wait)."""
        changes = self.watcher.poll() if changes is None else changes
        if not changes:
            return
        message = DataChanged(changes)
        for mode in self._screen_stacks:
            if mode != self.current_mode:
                # Shown again later: told then (see switch_mode).
                self.missed.setdefault(mode, []).extend(changes)
        self.deliver(message)

    def deliver(self, message: DataChanged) -> None:
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

    def switch_mode(self, mode: str):
        """A section shown again reads what changed while it was hidden."""
        done = super().switch_mode(mode)
        missed = self.missed.pop(mode, [])
        if missed:
            self.call_later(self.deliver, DataChanged(missed))
        return done

    # -- faults: never a traceback ----------------------------------------------------
    async def _dispatch_action(self, namespace, action_name: str, params) -> bool:
        """Every key's action: a store in trouble or a defect leaves one line and the
        session where it was, instead of ending it with a traceback."""
        self.last_action = (namespace, action_name, params)  # a form may ask (opened_by)
        try:
            return await super()._dispatch_action(namespace, action_name, params)
        except Exception as exc:
            self.fault(exc)
            return True

    def fault(self, exc: Exception) -> None:
        """What went wrong, said in one line: the store's trouble, or a defect."""
        trouble = db.trouble(exc)
        if trouble is None:
            self.unexpected(exc)
        else:
            db.reconnect_if_lost()
            self.store_trouble(str(trouble))

    def unexpected(self, exc: BaseException) -> None:
        from cli.main import crash_report
        self.notify(f"Lỗi không mong đợi ({type(exc).__name__}); chi tiết đã ghi vào "
                    f"{crash_report(exc)}. Dữ liệu đã lưu không bị ảnh hưởng.",
                    severity="error", timeout=20, markup=False)

    def _handle_exception(self, error: Exception) -> None:
        """An error Textual cannot carry on from: the session ends, with one line
        instead of a traceback (kept in the crash log), and its forms kept as drafts."""
        from cli.main import crash_report
        self.farewell = (f"thidua: lỗi không mong đợi ({type(error).__name__}); chi tiết đã "
                         f"ghi vào {crash_report(error)}. Biểu mẫu chưa lưu được giữ lại, "
                         "lần đăng nhập sau sẽ hỏi khôi phục.")
        super()._handle_exception(error)
        self._exit_renderables.clear()

    # -- drafts and idle sessions -------------------------------------------------------
    def offer_drafts(self) -> None:
        """Forms a session that ended left unsaved: offered back at sign-in."""
        drafts = self.drafts.all()
        if not drafts:
            return
        first = drafts[0]
        more = f" (và {len(drafts) - 1} biểu mẫu khác)" if len(drafts) > 1 else ""
        section = sections.by_mode(first.section)

        def answered(yes: bool | None) -> None:
            if not yes:
                self.drafts.discard()
                return
            self.restorable = {d.key: d for d in drafts}
            if not section.allowed(self.actor):
                return
            if first.section != self.current_mode:
                self.action_section(first.section)
            if first.action:
                self.call_after_refresh(self.reopen, first)
        self.push_screen(Confirm(
            f"Phiên trước kết thúc khi biểu mẫu “{first.title}”{more} chưa được lưu "
            f"(lúc {first.saved_at}). Khôi phục? Mở lại biểu mẫu đó trong mục "
            f"{section.title}: nội dung đã gõ sẽ được điền lại."), answered)

    def opened_by(self, form) -> tuple[str, str]:
        """How `form`, just shown, was opened, if the same action on the section's own
        screen opens it again: a key pressed there, not on a record reached from it."""
        namespace, name, params = self.last_action
        stack = self.screen_stack
        if len(stack) != 2 or stack[-1] is not form or namespace is not stack[0]:
            return ("", "")
        return (type(namespace).__name__, f"{name}({', '.join(map(repr, params))})")

    async def reopen(self, draft) -> None:
        """The form a restored draft came from, opened again as it was opened; its
        text is filled in as it mounts (FormScreen.on_mount)."""
        screen = self.screen
        if len(self.screen_stack) == 1 and type(screen).__name__ == draft.screen:
            self.reopening = draft
            await self.run_action(draft.action, screen)
            if not isinstance(self.screen, FormScreen):
                self.reopening = None  # the action opened nothing (a changed role?)

    def sign_out_if_idle(self) -> None:
        idle = time.monotonic() - self.last_key
        limit = self.cfg.session.idle_timeout * 60
        if idle >= limit:
            self.farewell = (f"Phiên làm việc đã tự đăng xuất sau {limit // 60} phút không "
                             "dùng. Biểu mẫu chưa lưu được giữ lại.")
            self.exit()
        elif idle >= limit - IDLE_WARNING and not self.idle_warned:
            self.idle_warned = True
            self.notify("Phiên sẽ tự đăng xuất sau 1 phút nếu không bấm phím nào.",
                        severity="warning", timeout=IDLE_WARNING, markup=False)

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
