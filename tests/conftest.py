"""Shared fixtures: a real, migrated SQLite store per test, the actors that use
it, and a runner for the installed `thidua` command with a private home."""
from __future__ import annotations

import itertools
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# pytest-xdist's workers carry COLUMNS=80 and LINES=24, which Textual would take over
# the real size of the terminal a test starts the app in (tmux, a pty, sshd).
for _name in ("COLUMNS", "LINES"):
    os.environ.pop(_name, None)
# What the service account keeps apart from the database (ballot keys, the change log's
# key and head) and the officers' drafts go to a folder of this test run, never to the
# real home.
_run_home = Path(tempfile.mkdtemp(prefix="thidua-run-"))
os.environ["XDG_STATE_HOME"] = str(_run_home / "state")
os.environ["XDG_DATA_HOME"] = str(_run_home / "data")

# --- The store ------------------------------------------------------------------------

@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "thidua.sqlite"


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Tests marked `backends` run once on SQLite and once on a real PostgreSQL."""
    if "backend" in metafunc.fixturenames and metafunc.definition.get_closest_marker("backends"):
        metafunc.parametrize("backend", ["sqlite", "postgresql"], indirect=True)


@pytest.fixture
def backend(request: pytest.FixtureRequest) -> str:
    return getattr(request, "param", "sqlite")


@pytest.fixture(scope="session")
def pg_server():
    """One PostgreSQL server per test process, and a migrated template database."""
    from pgkit import PgServer, postgres_bin

    from models import store as store_mod

    bindir = postgres_bin()
    if bindir is None:
        pytest.fail("PostgreSQL is not installed: apt-get install postgresql (.ci/run does)")
    server = PgServer(bindir)
    server.start()
    try:
        store_mod.open_store(server.create_database("migrated"), create=True).close()
        yield server
    finally:
        server.stop()


_PG_NAMES = itertools.count()


@pytest.fixture
def store_target(backend: str, request: pytest.FixtureRequest, db_path: Path):
    """What `--db` names for this test's store: a SQLite file, or a new database
    (a copy of the migrated template) on the test PostgreSQL server."""
    if backend == "sqlite":
        yield str(db_path)
        return
    server = request.getfixturevalue("pg_server")
    name = f"t{os.getpid()}_{next(_PG_NAMES)}"
    yield server.create_database(name, template="migrated")
    server.drop_database(name)


@pytest.fixture
def store(store_target: str):
    """A fresh store, migrated to the latest schema and bound to every model."""
    from models import store as store_mod

    database = store_mod.open_store(store_target, create=True)
    yield database
    database.close()


@pytest.fixture
def audit_files(tmp_path: Path):
    """The change log's key and heads in a state dir apart from the database's folder."""
    from models.store import witness

    state = tmp_path / "state"
    witness.configure(state / "changelog.key", state / "heads.json")
    yield state
    witness.configure()


@pytest.fixture
def system():
    from models.registry.access import SYSTEM
    return SYSTEM


@pytest.fixture
def admin(store):
    """An Office (admin) user, signed in."""
    from models.registry import users
    from models.registry.access import SYSTEM

    users.add_user(SYSTEM, "vanphong", "Văn phòng UBND xã", ["admin"])
    return users.sign_in("vanphong")


@dataclass
class OfficerWorld:
    actor: object      # the signed-in unit officer
    own: object        # the unit they look after (a village)
    other: object      # a village they do not


@pytest.fixture
def officer(store):
    """A unit officer for village Thôn 1 only, and a neighbouring Thôn 2."""
    from models.registry import units, users
    from models.registry.access import SYSTEM

    own = units.create_unit(SYSTEM, "Thôn 1", "village")
    other = units.create_unit(SYSTEM, "Thôn 2", "village")
    users.add_user(SYSTEM, "thon1", "Cán bộ thôn 1", ["unit_officer"], [own.id])
    return OfficerWorld(users.sign_in("thon1"), own, other)


# --- The installed command -----------------------------------------------------------

@dataclass
class Home:
    root: Path
    env: dict[str, str]

    @property
    def data(self) -> Path:
        return Path(self.env["XDG_DATA_HOME"]) / "thidua"

    @property
    def db(self) -> Path:
        return self.data / "thidua.sqlite"


@pytest.fixture
def home(tmp_path: Path) -> Home:
    """HOME and the XDG directories inside tmp_path, so nothing touches the real home."""
    root = tmp_path / "home"
    (root / "data").mkdir(parents=True)
    (root / "config").mkdir()
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("THIDUA", "XDG_", "PYTEST", "COV_"))}
    env.update(HOME=str(root), XDG_DATA_HOME=str(root / "data"),
               XDG_CONFIG_HOME=str(root / "config"), LANG="C.UTF-8",
               PYTHONIOENCODING="utf-8", COLUMNS="100")
    return Home(root, env)


THIDUA = shutil.which("thidua")


@pytest.fixture
def thidua(home: Home):
    """run(*args, input=None, timeout=60) -> CompletedProcess of the installed `thidua`."""
    if THIDUA is None:
        pytest.fail("the `thidua` entry point is not installed: pip install -e .")

    def run(*args: str, input: str | None = None, timeout: float = 60,
            env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
        return subprocess.run([THIDUA, *map(str, args)], input=input if input is not None else "",
                              capture_output=True, text=True, encoding="utf-8",
                              env=env or home.env, cwd=home.root, timeout=timeout)

    return run


def python_cmd(code: str) -> list[str]:
    return [sys.executable, "-c", code]
