"""A throwaway PostgreSQL server on 127.0.0.1 for the server-backend tests.

The server runs from Debian's `postgresql` package (`.ci/run` installs it), in a
private data directory, on a free port, with durability off: it lives only for
one test session. PostgreSQL refuses to run as root, so as root the server and
its tools run as the `postgres` account the package creates.
"""
from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

SERVER_SETTINGS = ("fsync=off", "synchronous_commit=off", "full_page_writes=off",
                   "max_connections=200")


def postgres_bin() -> Path | None:
    """The newest installed server's program directory."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: int(Path(p).parts[-3]))
    return Path(found[-1]).parent if found else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PgServer:
    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.port = _free_port()
        self.root = Path(tempfile.mkdtemp(prefix="thidua-pg-"))
        self.data = self.root / "data"
        self._as_postgres = os.geteuid() == 0
        if self._as_postgres:
            account = pwd.getpwnam("postgres")
            os.chown(self.root, account.pw_uid, account.pw_gid)
        self.user = "postgres" if self._as_postgres else pwd.getpwuid(os.geteuid()).pw_name

    def _run(self, program: str, *args: str) -> subprocess.CompletedProcess:
        command = [str(self.bindir / program), *args]
        if self._as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, capture_output=True, text=True, timeout=120,
                              cwd=self.root, check=True)

    def start(self) -> None:
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-E", "UTF8",
                  "--locale=C.UTF-8", "-U", self.user)
        options = " ".join(f"-c {s}" for s in SERVER_SETTINGS)
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.root / "server.log"), "-w",
                  "-o", f"-h 127.0.0.1 -p {self.port} -k {self.root} {options}", "start")

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def url(self, name: str) -> str:
        return f"postgresql://{self.user}@127.0.0.1:{self.port}/{name}"

    def sql(self, statement: str) -> None:
        """Run one statement as the superuser, outside any transaction."""
        import psycopg2

        con = psycopg2.connect(host="127.0.0.1", port=self.port, user=self.user,
                               dbname="postgres")
        con.autocommit = True
        try:
            with con.cursor() as cur:
                cur.execute(statement)
        finally:
            con.close()

    def create_database(self, name: str, template: str | None = None) -> str:
        """A new database (a copy of `template`, which no session may be using:
        one just closed can take a moment to leave)."""
        import psycopg2.errors

        clause = f" TEMPLATE {template}" if template else ""
        deadline = time.monotonic() + 10
        while True:
            try:
                self.sql(f"CREATE DATABASE {name}{clause}")
                return self.url(name)
            except psycopg2.errors.ObjectInUse:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def drop_database(self, name: str) -> None:
        self.sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
