"""The thin side of a shared-memory session: hand this terminal to the session server.

The SSH forced command (`thidua --as LOGIN`) runs this first. When the app is to be
opened on a terminal, it passes the terminal (fds 0, 1, 2), the arguments, the
environment and the working folder to the session server, which forks a process that
already holds the imported app; this process then becomes the relay of signals and
exit status (cli/session_relay.py). It starts the server when none answers, and
returns None (run the app here, as before) when anything stops it from handing over.
"""
from __future__ import annotations

import fcntl
import os
import socket
import sys

from cli import session_link as link
from cli import session_relay as relay

# Options of `thidua` that take a value: what follows them is not a command.
VALUED = ("--db", "--config", "--as", "--open")
START_SECONDS = 20.0  # the server imports the whole app before it answers
# The relay's start: a bare interpreter (-I -S: no site, no environment) that
# imports only cli.session_relay from where this thidua is installed.
RELAY = ("import sys; sys.path.insert(0, sys.argv[1]); from cli import session_relay; "
         "sys.exit(session_relay.main(int(sys.argv[2])))")


def opens_app(argv: list[str]) -> bool:
    """`thidua [options]`, no command and no --help: the app on a terminal."""
    skip = False
    for arg in argv:
        if skip:
            skip = False
        elif arg in VALUED:
            skip = True
        elif arg in ("-h", "--help") or not arg.startswith("-"):
            return False
    return True


def wanted(argv: list[str], env=os.environ) -> bool:
    switch = env.get(link.SWITCH, "auto").lower()
    if switch == "off" or not opens_app(argv):
        return False
    if switch != "on" and not any(a == "--as" or a.startswith("--as=") for a in argv):
        return False
    return all(os.isatty(fd) for fd in (0, 1))


def through_server(argv: list[str]) -> int | None:
    """The exit status of the session run by the server, or None to run it here."""
    if not wanted(argv):
        return None
    folder = link.private_dir()
    if folder is None:
        return None
    stamp = link.code_stamp()
    conn = _connect(folder, _request(argv, stamp))
    if conn is None:
        return None
    os.set_inheritable(conn.fileno(), True)
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    try:
        # The command line follows, unused: `ps` and `pgrep -f "--as thon3"` still
        # find the officer's session, and its environment, by it.
        os.execv(sys.executable, [sys.executable, "-I", "-S", "-c", RELAY, root,
                                  str(conn.fileno()), *sys.argv])
    except OSError:  # no interpreter to exec: this process relays, at its own size
        return relay.main(conn.detach())


def _request(argv: list[str], stamp: str) -> dict:
    umask = os.umask(0o077)
    os.umask(umask)
    return {"argv": list(argv), "env": dict(os.environ), "cwd": _cwd(), "umask": umask,
            "stamp": stamp, "streams": [_stream(s) for s in (sys.stdin, sys.stdout,
                                                             sys.stderr)]}


def _connect(folder, request: dict) -> socket.socket | None:
    """A connection whose server has taken this session, or None. A server on older
    code answers "stale" and exits; a new one is started in its place."""
    for _attempt in range(3):
        conn = _dial(folder)
        if conn is None:
            if not _start_server(folder):
                return None
            continue
        try:
            # A server that does not answer in time is left: closing the connection
            # makes the child it may still fork end at once (its first send fails).
            conn.settimeout(START_SECONDS)
            relay.send(conn, request, (0, 1, 2))
            reply, _ = relay.receive(conn)
        except (OSError, ValueError):
            conn.close()
            return None
        if reply and "pid" in reply:
            conn.settimeout(None)
            return conn
        conn.close()
        if not (reply and reply.get("stale")):
            return None
    return None


def _cwd() -> str:
    try:
        return os.getcwd()
    except OSError:
        return "/"


def _stream(stream) -> list[str]:
    return [getattr(stream, "encoding", None) or "utf-8", getattr(stream, "errors", None)
            or "strict"]


def _dial(folder) -> socket.socket | None:
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    try:
        conn.connect(str(folder / link.SOCKET_NAME))
    except OSError:
        conn.close()
        return None
    return conn


def _start_server(folder) -> bool:
    """Start the server and wait until it listens (it returns once it does); under a
    lock, so that sessions starting together start one server."""
    import subprocess  # here only: most sessions find the server running

    with open(folder / link.START_LOCK_NAME, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        running = _dial(folder)  # started by another session meanwhile
        if running is not None:
            running.close()
            return True
        with open(folder / link.LOG_NAME, "a") as log:
            try:
                started = subprocess.run(
                    # -P: the caller's folder is not put first on the import path.
                    [sys.executable, "-P", "-m", "cli.session_server", str(folder)],
                    stdin=subprocess.DEVNULL, stdout=log, stderr=log, start_new_session=True,
                    timeout=START_SECONDS, check=False)
            except (OSError, subprocess.SubprocessError):
                return False
        return started.returncode == 0
