"""thidua over a slow, distant link: a TCP relay on 127.0.0.1 adding a round trip
of 300 ms and carrying 64 kbit/s each way, as a weak mobile link to the commune.

    python benchmarks/relay.py [--db PATH] [--rtt 0.3] [--kbit 64]

Three parts in one process, each on its own 127.0.0.1 socket:
- the server end: the app under a pseudo-terminal (80x24, TERM=xterm as PuTTY
  reports), its terminal carried over a TCP connection, as sshd carries it;
- the relay: forwards each direction after half the round trip, no faster than
  the link's rate (a chunk leaves once the link has sent the ones before it);
- the officer's end: sends keys and notes when each byte arrives.
Figures: a section switch (F2-F9, each section twice: opened, then shown again)
from the key leaving the officer to the last byte of the new screen arriving;
a key typed into a form field, to the last byte of its echo.
Imported by run.py, which prints these rows with the others.
"""
from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

import ptyrun

RTT = 0.300          # seconds, both ways together
RATE = 64_000        # bits per second, each way
QUIET = 0.8          # a reply has ended after this long without a byte (> the round trip)
FIRST_WAIT = 5.0     # the longest wait for a reply's first byte
SEGMENT = 1460       # bytes per packet on the link
SWITCHES = ["\x1bOQ", "\x1bOR", "\x1bOS", "\x1b[15~", "\x1b[17~", "\x1b[18~", "\x1b[19~",
            "\x1b[20~"] * 2   # F2..F9, twice
TYPED = "Nguyễn Văn Hải"


class Link:
    """One direction of the link: delay, then the rate."""

    def __init__(self, writer: asyncio.StreamWriter, delay: float, rate: int) -> None:
        self.writer, self.delay, self.rate = writer, delay, rate
        self.free = 0.0  # when the link has sent everything queued so far
        self.queue: asyncio.Queue = asyncio.Queue()
        self.task = asyncio.ensure_future(self._deliver())

    def send(self, data: bytes) -> None:
        loop = asyncio.get_running_loop()
        for i in range(0, len(data), SEGMENT):
            part = data[i:i + SEGMENT]
            self.free = max(loop.time(), self.free) + len(part) * 8 / self.rate
            self.queue.put_nowait((self.free + self.delay, part))

    async def _deliver(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            due, part = await self.queue.get()
            await asyncio.sleep(max(0.0, due - loop.time()))
            self.writer.write(part)


async def _forward(reader: asyncio.StreamReader, link: Link) -> None:
    while data := await reader.read(65536):
        link.send(data)


class Session:
    """The officer's end: keys out, (arrival time, bytes) in."""

    def __init__(self, reader, writer) -> None:
        self.reader, self.writer = reader, writer
        self.arrivals: list[tuple[float, int]] = []
        self.task = asyncio.ensure_future(self._read())

    async def _read(self) -> None:
        loop = asyncio.get_running_loop()
        while data := await self.reader.read(65536):
            self.arrivals.append((loop.time(), len(data)))

    async def reply(self, key: str | None = None) -> tuple[float | None, int]:
        """Send `key` (None: just wait), then wait for the reply to end: the time from
        sending to its last byte, and its size."""
        loop = asyncio.get_running_loop()
        start, seen = loop.time(), len(self.arrivals)
        if key is not None:
            self.writer.write(key.encode())
        deadline = start + FIRST_WAIT
        while loop.time() < deadline:
            await asyncio.sleep(0.02)
            if len(self.arrivals) > seen:
                deadline = self.arrivals[-1][0] + QUIET
        got = self.arrivals[seen:]
        if not got:
            return None, 0
        return got[-1][0] - start, sum(n for _, n in got)


async def _serve_pty(cmd: list[str], env: dict, reader, writer) -> None:
    """The server end: `cmd` under a pty, its terminal carried by this connection."""
    pid, fd = ptyrun.spawn(cmd, env, "xterm")
    loop = asyncio.get_running_loop()

    def readable() -> None:
        try:
            data = os.read(fd, 65536)
        except OSError:
            data = b""
        if data:
            writer.write(data)
        else:
            loop.remove_reader(fd)
    loop.add_reader(fd, readable)
    try:
        while data := await reader.read(65536):
            os.write(fd, data)
    except asyncio.CancelledError:
        pass  # the measurement is over: asyncio.run ends this connection
    finally:
        loop.remove_reader(fd)
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(fd)


async def _measure(cmd: list[str], env: dict, rtt: float, rate: int) -> dict:
    server = await asyncio.start_server(lambda r, w: _serve_pty(cmd, env, r, w), "127.0.0.1", 0)
    links: list[Link] = []

    async def relay_client(reader, writer) -> None:
        up_r, up_w = await asyncio.open_connection(*server.sockets[0].getsockname()[:2])
        down, up = Link(writer, rtt / 2, rate), Link(up_w, rtt / 2, rate)
        links.extend((down, up))
        try:
            await asyncio.gather(_forward(up_r, down), _forward(reader, up))
        except asyncio.CancelledError:
            up_w.close()

    relay = await asyncio.start_server(relay_client, "127.0.0.1", 0)
    session = Session(*await asyncio.open_connection(*relay.sockets[0].getsockname()[:2]))
    try:
        first_s, first_bytes = await session.reply()
        switches = [await session.reply(key) for key in SWITCHES]
        await session.reply("\x1bOR")            # F3, the people list
        await session.reply("\x0e")              # Ctrl+N, a new person's form
        echoes = [await session.reply(char) for char in TYPED]
    finally:
        session.writer.close()
        for link in links:
            link.task.cancel()
        relay.close()
        server.close()
    return {"rtt_s": rtt, "kbit_s": rate / 1000, "first_paint": [first_s, first_bytes],
            "switch_s": [t for t, _ in switches], "switch_bytes": [n for _, n in switches],
            "echo_s": [t for t, _ in echoes], "echo_bytes": [n for _, n in echoes]}


def measure(cmd: list[str], env: dict, rtt: float = RTT, rate: int = RATE) -> dict:
    return asyncio.run(_measure(cmd, env, rtt, rate))


def rows(found: dict, row, median) -> list[dict]:
    """run.py's rows: beside each figure, the round trip alone (what no program can beat)."""
    rtt, link = found["rtt_s"], f"{found['rtt_s'] * 1000:g} ms, {found['kbit_s']:g} kbit/s"
    switch = [t for t in found["switch_s"] if t is not None]
    echo = [t for t in found["echo_s"] if t is not None]
    # A switch or key that brought nothing back fails: the keys went nowhere.
    whole = len(switch) == len(found["switch_s"]) and len(echo) == len(found["echo_s"])
    s_med, e_med = median(switch), median(echo)
    e_max = max(echo) if echo else None
    return [
        row(f"relay ({link}): section switch to last byte, median", s_med, rtt, "s",
            "<= 0.8 s", whole and s_med is not None and s_med <= 0.8),
        row("relay: section switch to last byte, max", max(switch) if switch else None, rtt,
            "s", "(info)", None),
        row("relay: key typed in a form field to its echo, median", e_med, rtt, "s",
            f"<= {rtt + 0.05:.2f} s", whole and e_med is not None and e_med <= rtt + 0.05),
        row("relay: key typed in a form field to its echo, max", e_max, rtt, "s",
            "(info)", None),
    ]


def main() -> int:
    import argparse
    import json
    import tempfile

    import run

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", help="a demo database (default: run.py's cached one)")
    ap.add_argument("--persons", type=int, default=50_000)
    ap.add_argument("--rtt", type=float, default=RTT)
    ap.add_argument("--kbit", type=float, default=RATE / 1000)
    a = ap.parse_args()
    env = run.bench_env(Path(tempfile.mkdtemp(prefix="thidua-relay-")))
    cache = Path(os.environ.get("XDG_CACHE_HOME") or tempfile.gettempdir()) / "thidua-bench"
    db = a.db or run.demo_db(a.persons, run.DEFAULT_SEED, cache, env)
    found = measure(run.thidua_command() + ["--demo", "--db", str(db)], env, a.rtt,
                    int(a.kbit * 1000))
    table = rows(found, run.row, run.median)
    run.print_table(table)
    print(json.dumps(found, default=str))
    return 1 if any(r["result"] == "FAIL" for r in table) else 0


if __name__ == "__main__":
    sys.exit(main())
