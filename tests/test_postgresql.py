"""The server backend for real: the installed `thidua` against a PostgreSQL server on
127.0.0.1, from the command line, through the configuration file, and in a terminal.

The model and screen tests marked `backends` run on this server too (conftest.py);
this module covers what only the command line and the terminal see.
"""
from __future__ import annotations

import itertools
import os
import uuid

import pytest
from sshkit import Tmux, wait_for
from test_cli import one_line_error

_NAMES = itertools.count()


@pytest.fixture
def pg_url(pg_server):
    """An empty database on the test server, as an administrator would create it."""
    name = f"cli{os.getpid()}_{next(_NAMES)}"
    yield pg_server.create_database(name)
    pg_server.drop_database(name)


def _ok(proc) -> str:
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    return proc.stdout


def test_commands_run_on_a_server_database(thidua, pg_url):
    assert "Đã khởi tạo xã" in _ok(thidua("init", "--db", pg_url, "--admin", "vanphong",
                                          "--admin-name", "Văn phòng UBND xã"))
    assert "toàn vẹn" in _ok(thidua("check", "--db", pg_url))
    assert "mới nhất" in _ok(thidua("migrate", "--db", pg_url))
    _ok(thidua("user", "add", "thon1", "--name", "Cán bộ thôn 1", "--roles", "viewer",
               "--db", pg_url))
    listed = _ok(thidua("user", "list", "--db", pg_url))
    assert "thon1" in listed and "vanphong" in listed
    # The file-level tools are SQLite's: the message names the server's own tool.
    assert "pg_dump" in one_line_error(thidua("backup", "--db", pg_url, "/tmp/x.sqlite"))
    assert "pg_restore" in one_line_error(thidua("restore", "--db", pg_url, "/tmp/x.sqlite",
                                                 "--yes"))


def test_the_configuration_file_names_the_server(thidua, home, pg_url):
    """A province sets `[database] url` once; no officer types --db."""
    config = home.root / "config" / "thidua" / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(f'[database]\nurl = "{pg_url}"\n', encoding="utf-8")
    assert "300" in _ok(thidua("demo", "--persons", "300", timeout=180))
    assert "toàn vẹn" in _ok(thidua("check"))
    assert not home.db.exists()   # nothing went to a local SQLite file
    again = one_line_error(thidua("demo", "--persons", "300"))
    assert "đã có dữ liệu" in again


def _names(screen: str) -> list[str]:
    """The names in the list's rows (between its header and the detail line)."""
    lines = screen.splitlines()
    start = next(i for i, line in enumerate(lines) if "Họ và tên" in line) + 1
    rows = itertools.takewhile(lambda line: not line.startswith("─"), lines[start:])
    return [line[2:60].strip() for line in rows if line[2:60].strip()]


def test_an_officer_works_in_a_terminal_on_the_server(home, pg_url):
    """`thidua --demo` on an empty server database builds the demo commune there,
    then the people list reads and filters from the server as the officer types."""
    import shutil

    tmux = Tmux(f"pg-{uuid.uuid4().hex[:8]}")
    try:
        tmux.open("app", [shutil.which("thidua"), "--demo", "--db", pg_url, "--open", "people"],
                  env={**home.env, "TERM": "xterm"})
        assert tmux.wait_text("app", "Họ và tên", timeout=120), tmux.screen("app")
        tmux.type("app", "tran thi")
        assert tmux.wait_text("app", "Tìm:tran thi", timeout=15), tmux.screen("app")
        assert wait_for(lambda: _names(tmux.screen("app"))
                        and all(n.startswith("Trần Thị") for n in _names(tmux.screen("app"))),
                        15), tmux.screen("app")
        tmux.keys("app", "F10")
        assert tmux.wait_text("app", "thoát", timeout=10) or not tmux.running("app")
    finally:
        tmux.kill()


def test_the_typed_filter_has_its_index_on_the_server(pg_url):
    """A trigram index per searched table, and the planner can answer the
    list's filter (ILIKE '%word%') from it."""
    from models import store
    from models.store import db

    store.open_store(pg_url, create=True).close()
    raw = db.open_database(pg_url)
    try:
        names = {r[0] for r in raw.execute_sql(
            "SELECT indexname FROM pg_indexes WHERE indexname LIKE %s", ("%\\_trgm",))}
        raw.execute_sql("SET enable_seqscan = off")
        plan = " ".join(r[0] for r in raw.execute_sql(
            "EXPLAIN SELECT id FROM person WHERE search_key ILIKE %s", ("%nguyen%",)))
    finally:
        raw.close()
    assert names == {"unit_search_key_trgm", "household_search_key_trgm",
                     "person_search_key_trgm"}
    assert "person_search_key_trgm" in plan
