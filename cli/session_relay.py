"""What stays of the `thidua` command during a session run by the session server.

Once the server's child has the terminal, the client replaces itself (exec, same
process: still the SSH session's leader) with a bare interpreter (`python -I -S`)
running this module, which only passes on the signals it receives (hang-up, resize,
interrupt) and ends with the session's exit status. It imports nothing but a few
standard modules: thirty of these stay for as long as thirty officers work.

The messages, over one SOCK_SEQPACKET connection (one JSON object a message):
client -> server  {"argv", "env", "cwd", "umask", "stamp", "streams"}, fds 0, 1, 2
                  attached;
server -> client  {"stale": true} when its code is older than the installed one;
child  -> client  {"pid": N} once the session's process has the terminal, then
                  {"status": N} when the app has ended;
client -> child   {"signal": N} for each signal the client receives.
"""
from __future__ import annotations

import json
import os
import signal
import socket
import threading
import time

MAX_MESSAGE = 256 * 1024
RELAYED = (signal.SIGHUP, signal.SIGTERM, signal.SIGINT, signal.SIGQUIT, signal.SIGWINCH)
ENDING = (signal.SIGHUP, signal.SIGTERM, signal.SIGINT, signal.SIGQUIT)
HANGUP_WAIT = 5.0  # seconds; the app's own hang-up grace is 1 s


def send(conn: socket.socket, message: dict, fds=()) -> None:
    data = json.dumps(message).encode()
    if fds:
        socket.send_fds(conn, [data], list(fds))
    else:
        conn.send(data)


def receive(conn: socket.socket, maxfds: int = 0) -> tuple[dict | None, list[int]]:
    """One message and any descriptors passed with it; (None, []) when the other end
    has closed the connection."""
    data, fds, _flags, _addr = socket.recv_fds(conn, MAX_MESSAGE, maxfds)
    if not data:
        for fd in fds:
            os.close(fd)
        return None, []
    return json.loads(data), fds


class Relay:
    """Wait for the session's end, passing on the signals this process receives."""

    def __init__(self, conn: socket.socket) -> None:
        self.conn = conn
        self.ending: int | None = None

    def run(self) -> int:
        for sig in RELAYED:
            signal.signal(sig, self.relay)
        while True:
            try:
                message, _ = receive(self.conn)
            except (OSError, ValueError):
                message = None
            if message is None:
                return self.lost()
            if "status" in message:
                return int(message["status"])

    def relay(self, signum, frame) -> None:
        try:
            send(self.conn, {"signal": signum})
        except OSError:
            pass
        if signum in ENDING and self.ending is None:
            self.ending = signum
            # A second one ends this process at once; and the app ends within its own
            # grace, so a session that has not answered by then is not waited for.
            signal.signal(signum, signal.SIG_DFL)
            timer = threading.Timer(HANGUP_WAIT, os.kill, (os.getpid(), signum))
            timer.daemon = True
            timer.start()

    def lost(self) -> int:
        """The session's process ended without a status: killed by a signal. Ending by
        the signal this process passed on tells the caller what a direct run would."""
        if self.ending is not None:
            os.kill(os.getpid(), self.ending)
            time.sleep(1)
        return 1


def main(fd: int) -> int:
    with socket.socket(fileno=fd) as conn:
        return Relay(conn).run()
