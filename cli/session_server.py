"""The session server: the app imported once, one forked process per officer's session.

Thirty separate interpreters each hold their own copy of Textual, Peewee, the models
and the screens (57-91 MB resident each). Here one process imports them all and forks
a child per connection from `cli.session_client`; the children share those pages
copy-on-write. Each child is a whole session as `thidua` alone would run it: it takes
the terminal passed with the request as its fds 0, 1, 2, the client's environment,
folder and umask, becomes a session leader, and calls `cli.main.main(argv)`, which
opens its own database connection (the server never opens one) and runs the app.

    python -m cli.session_server FOLDER

The client starts it this way; it returns once the socket listens, leaving the server
running in the background. The server answers a request stamped with newer code by
"stale" and exits, so that the client starts one on the installed code; it also exits
after IDLE_EXIT seconds without any session.
"""
from __future__ import annotations

import errno
import fcntl
import gc
import importlib
import io
import os
import pkgutil
import random
import select
import signal
import socket
import sys
import threading
import time
import traceback
from pathlib import Path

from cli import session_link as link
from cli import session_relay as relay

IDLE_EXIT = 3600.0
# The terminal went away (a dropped link) while the app still wrote to it: nothing to log.
GONE = (errno.EIO, errno.EPIPE)
REQUEST_SECONDS = 5.0  # a client that connects and says nothing is not waited for
LOCK_SECONDS = 5.0     # a server on old code may still be leaving
# Modules that would run something when imported, rather than define it.
NOT_PRELOADED = ("cli.session_server", "__main__")
# What Textual, Rich and pyfiglet import only once an app runs, in every session.
ON_FIRST_USE = ("textual.drivers.linux_driver", "textual.layouts.factory",
                "textual.layouts.horizontal", "textual.layouts.vertical",
                "textual.layouts.grid", "textual.layouts.stream", "textual.scrollbar",
                "pyfiglet.fonts")


def preload() -> None:
    """Import every module of ours (and through them Textual, Rich, Peewee, the
    spreadsheet and document libraries) so that every session shares them."""
    for package in link.PACKAGES:
        root = importlib.import_module(package)
        for info in pkgutil.walk_packages(root.__path__, f"{package}."):
            if not info.name.endswith(NOT_PRELOADED):
                importlib.import_module(info.name)
    for name in ON_FIRST_USE:
        importlib.import_module(name)
    # The character width table (a module per Unicode version, the newest by default).
    importlib.import_module("rich._unicode_data").load("latest")


class Server:
    def __init__(self, folder: Path, listener: socket.socket, lock, stamp: str) -> None:
        self.folder = folder
        self.listener = listener
        self.lock = lock
        self.stamp = stamp
        self.inode = os.stat(folder / link.SOCKET_NAME).st_ino
        self.children: set[int] = set()

    def serve(self) -> None:
        signal.signal(signal.SIGCHLD, self.reap)
        for sig in (signal.SIGTERM, signal.SIGHUP):
            signal.signal(sig, self.stop)
        last = time.monotonic()
        while True:
            ready, _, _ = select.select([self.listener], [], [], IDLE_EXIT)
            if not ready:
                if not self.children and time.monotonic() - last >= IDLE_EXIT:
                    note(f"no session for {IDLE_EXIT:.0f} s: leaving")
                    return self.leave()
                continue
            last = time.monotonic()
            try:
                conn, _ = self.listener.accept()
            except OSError:
                continue
            if not self.take(conn):
                return self.leave()

    def reap(self, signum=None, frame=None) -> None:
        while True:
            try:
                pid, _ = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                self.children.clear()
                return
            if not pid:
                return
            self.children.discard(pid)

    def take(self, conn: socket.socket) -> bool:
        """Fork a session for one request; False when the server must leave."""
        fds: list[int] = []
        try:
            if link.peer_uid(conn) != os.geteuid():
                return True
            conn.settimeout(REQUEST_SECONDS)
            request, fds = relay.receive(conn, maxfds=3)
            if request is None or len(fds) != 3:
                return True
            if request.get("stamp") != self.stamp:
                note("the installed code changed: leaving to a new server")
                self.leave()  # first, so that the client's next try finds no old socket
                relay.send(conn, {"stale": True})
                return False
            conn.settimeout(None)
            # A child that ends at once is reaped only once it is counted.
            signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGCHLD})
            try:
                pid = os.fork()
                if pid == 0:
                    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGCHLD})
                    self.listener.close()
                    self.lock.close()
                    Session(conn, request, fds, self.folder / link.LOG_NAME).run()  # no return
                self.children.add(pid)
            finally:
                signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGCHLD})
            return True
        except (OSError, ValueError, KeyError):
            traceback.print_exc()
            return True
        finally:
            for fd in fds:
                os.close(fd)
            conn.close()

    def stop(self, signum, frame) -> None:
        note(f"ended by signal {signum}")
        self.leave()
        sys.exit(0)

    def leave(self) -> None:
        """Stop listening; sessions already forked go on to their end."""
        path = self.folder / link.SOCKET_NAME
        try:
            if os.stat(path).st_ino == self.inode:
                path.unlink()
        except OSError:
            pass
        self.listener.close()


class Session:
    """The forked child: one officer's session."""

    def __init__(self, conn: socket.socket, request: dict, fds: list[int], log: Path) -> None:
        self.conn = conn
        self.request = request
        self.fds = fds
        self.log = log
        self.done = False

    def run(self) -> None:
        status = 1
        try:
            self.become_session()
            # Fails when the client gave up waiting: then nobody is at this terminal.
            relay.send(self.conn, {"pid": os.getpid()})
            threading.Thread(target=self.watch, daemon=True).start()
            status = self.app()
        except OSError as exc:
            if exc.errno not in GONE:
                self.record(exc)
        except BaseException as exc:  # noqa: BLE001 - the session ends here whatever happened
            self.record(exc)
        finally:
            for stream in (sys.stdout, sys.stderr):
                try:
                    stream.flush()
                except (OSError, ValueError):
                    pass
            self.done = True
            try:
                relay.send(self.conn, {"status": status})
            except OSError:
                pass
            os._exit(status)

    def record(self, exc: BaseException) -> None:
        """A defect of the server's own, or an error the app's last line could not
        show: the details for the administrator, never on the officer's terminal."""
        with open(self.log, "a", encoding="utf-8") as log:
            traceback.print_exception(exc, file=log)

    def become_session(self) -> None:
        """What a fresh `thidua` process would have: its own session and signals, the
        terminal on 0, 1, 2, the caller's environment, folder and umask, fresh
        random state."""
        os.setsid()
        for sig in (signal.SIGCHLD, signal.SIGHUP, signal.SIGTERM, signal.SIGQUIT,
                    signal.SIGWINCH):
            signal.signal(sig, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        for target, fd in enumerate(self.fds):
            os.dup2(fd, target)
        for fd in self.fds:
            if fd > 2:
                os.close(fd)
        request = self.request
        os.environ.clear()
        os.environ.update(request["env"])
        os.umask(int(request.get("umask", 0o022)))
        try:
            os.chdir(request["cwd"])
        except OSError:
            os.chdir(os.environ.get("HOME", "/"))
        sys.argv = ["thidua", *request["argv"]]
        _name(request["argv"])
        _stdio(request["streams"])
        random.seed()
        # Textual reads its TEXTUAL_* and ESCDELAY settings when first imported.
        if "textual.constants" in sys.modules:
            importlib.reload(sys.modules["textual.constants"])

    def app(self) -> int:
        from cli.main import main

        try:
            return int(main(list(self.request["argv"])) or 0)
        except SystemExit as exc:  # argparse on a bad option, --help
            code = exc.code
            if isinstance(code, str):
                print(code, file=sys.stderr)
            return code if isinstance(code, int) else (0 if code is None else 1)

    def watch(self) -> None:
        """Signals the client received come here; its end is a hang-up."""
        while True:
            try:
                message, _ = relay.receive(self.conn)
            except (OSError, ValueError):
                message = None
            if message is None:
                if not self.done:
                    os.kill(os.getpid(), signal.SIGHUP)
                return
            signum = message.get("signal")
            if signum in relay.RELAYED:
                os.kill(os.getpid(), signum)


def note(line: str) -> None:
    """One line in server.log (the server's standard error), for the administrator."""
    print(f"{time.strftime('%Y-%m-%d %H:%M:%S')} pid {os.getpid()}: {line}", file=sys.stderr,
          flush=True)


def _name(argv: list[str]) -> None:
    """What `ps`, `top` and `pkill -x` show for this process (15 bytes at most):
    `thidua-thon3` for `--as thon3`, else `thidua`."""
    login = next((b for a, b in zip(argv, argv[1:]) if a == "--as"), "")
    try:
        with open("/proc/self/comm", "w") as comm:
            comm.write(f"thidua-{login}"[:15] if login else "thidua")
    except OSError:
        pass


def _stdio(streams: list[list[str]]) -> None:
    """New text streams over fds 0, 1, 2 with the client's encodings: the server's own
    were made for /dev/null and its log."""
    made = []
    for fd, (encoding, errors) in enumerate(streams):
        raw = io.FileIO(fd, "r" if fd == 0 else "w", closefd=False)
        buffered = io.BufferedReader(raw) if fd == 0 else io.BufferedWriter(raw)
        made.append(io.TextIOWrapper(buffered, encoding=encoding, errors=errors,
                                     line_buffering=fd > 0))
    sys.stdin, sys.stdout, sys.stderr = made
    sys.__stdin__, sys.__stdout__, sys.__stderr__ = made


def _lock(folder: Path):
    """The server's lock, held for its life (one server per folder)."""
    lock = open(folder / link.LOCK_NAME, "a+")
    deadline = time.monotonic() + LOCK_SECONDS
    while True:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return lock
        except OSError as exc:
            if exc.errno not in (errno.EAGAIN, errno.EACCES) or time.monotonic() > deadline:
                lock.close()
                return None
            time.sleep(0.05)


def main(argv: list[str]) -> int:
    folder = Path(argv[0])
    # The stamp before the imports: code changed while they run makes it stale.
    stamp = link.code_stamp()
    lock = _lock(folder)
    if lock is None:
        return 1
    path = folder / link.SOCKET_NAME
    path.unlink(missing_ok=True)  # a dead server's: whoever holds the lock owns the name
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    listener.bind(str(path))
    os.chmod(path, 0o600)
    listener.listen(64)
    preload()
    # Objects that exist now live as long as the server: the children's collections
    # need not walk them, and walking them would copy the pages they sit on.
    gc.freeze()
    if os.fork():
        os._exit(0)  # the client waiting for the start goes on; the server stays
    os.chdir("/")
    lock.truncate(0)
    lock.write(f"{os.getpid()}\n")  # who the server is, for its administrator
    lock.flush()
    note(f"listening on {path}")
    Server(folder, listener, lock, stamp).serve()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
