"""The installed `thidua` command, run as a subprocess with a private home."""
from __future__ import annotations

import datetime as dt
import getpass
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import textwrap
import time
import unicodedata
from pathlib import Path

import pytest

from models import store
from models.store import migrations

ROOT = Path(__file__).resolve().parents[1]
THIDUA_CMD = shutil.which("thidua") or "thidua"


def one_line_error(proc: subprocess.CompletedProcess) -> str:
    """The failure is exactly one Vietnamese line on stderr, with no traceback."""
    assert proc.returncode != 0, proc
    err = proc.stderr.strip()
    assert "Traceback" not in proc.stderr and "Traceback" not in proc.stdout
    assert err and len(err.splitlines()) == 1, proc.stderr
    assert any(ord(ch) > 127 for ch in err), err
    # Handled, not caught by the last-resort crash report of cli/main.py.
    assert "không mong đợi" not in err, err
    return err


def _users(db: Path) -> dict[str, int]:
    con = sqlite3.connect(db)
    try:
        return dict(con.execute("SELECT login, active FROM user"))
    finally:
        con.close()


@pytest.fixture
def inited(thidua, home):
    proc = thidua("init")
    assert proc.returncode == 0, proc.stderr
    assert home.db.is_file()
    return home.db


def test_help_lists_commands_in_vietnamese(thidua) -> None:
    proc = thidua("--help")
    assert proc.returncode == 0
    out = proc.stdout
    assert out.startswith("cách dùng: thidua")
    for command in ("init", "demo", "migrate", "check", "backup", "restore", "user"):
        assert f"\n    {command} " in out, command
    for words in ("tùy chọn", "lệnh", "hiện hướng dẫn này rồi thoát", "sao lưu",
                  "phục hồi", "kiểm tra toàn vẹn", "quản lý người dùng"):
        assert words in out, words
    assert "usage:" not in out and "show this help" not in out and "options:" not in out
    sub = thidua("user", "add", "--help")
    assert sub.returncode == 0 and "tên hiển thị" in sub.stdout and "usage" not in sub.stdout


def test_unknown_option_is_a_vietnamese_usage_error(thidua) -> None:
    proc = thidua("--khong-co")
    assert proc.returncode == 2
    assert "cách dùng: thidua" in proc.stderr
    assert "thidua: lỗi: tham số không hiểu được: --khong-co" in proc.stderr
    assert "Traceback" not in proc.stderr and "error:" not in proc.stderr
    proc = thidua("nhapsai")
    assert proc.returncode == 2 and "lựa chọn không hợp lệ" in proc.stderr
    proc = thidua("user", "add", "abc")
    assert proc.returncode == 2 and "thiếu tham số bắt buộc" in proc.stderr


def test_init_and_users(thidua, home, inited) -> None:
    db = inited
    assert _users(db) == {"vanphong": 1}
    again = thidua("init")
    assert "đã được khởi tạo" in one_line_error(again)

    proc = thidua("user", "add", "ketoan", "--name", "Nguyễn Thị Kế Toán", "--roles",
                  "finance,viewer")
    assert proc.returncode == 0, proc.stderr
    assert "ketoan" in proc.stdout
    proc = thidua("user", "add", "ketoan", "--name", "Trùng", "--roles", "viewer")
    assert "ketoan" in one_line_error(proc)
    proc = thidua("user", "add", "Ke Toan", "--name", "Sai", "--roles", "viewer")
    one_line_error(proc)
    proc = thidua("user", "add", "sai", "--name", "Sai", "--roles", "vua")
    one_line_error(proc)
    assert _users(db) == {"vanphong": 1, "ketoan": 1}

    listing = thidua("user", "list")
    assert listing.returncode == 0
    lines = listing.stdout.strip().splitlines()
    assert [line.split("\t")[0] for line in lines] == ["ketoan", "vanphong"]
    assert "Nguyễn Thị Kế Toán" in lines[0] and "Tài chính - Kế toán" in lines[0]
    assert "đã khóa" not in listing.stdout

    proc = thidua("user", "disable", "ketoan")
    assert proc.returncode == 0, proc.stderr
    assert _users(db)["ketoan"] == 0
    assert "ketoan" in thidua("user", "list").stdout.splitlines()[0]
    assert "[đã khóa]" in thidua("user", "list").stdout.splitlines()[0]
    one_line_error(thidua("user", "disable", "khongco"))
    check = thidua("check")
    assert check.returncode == 0, check.stdout + check.stderr


def test_user_add_with_hostile_names(thidua, inited) -> None:
    from ui_helpers import hostile_inputs

    # A sample, to keep this quick: markup, escapes, bidi, SQL, NFD, too long, empty.
    wanted = ("[@click", "[/]", "\x1b]52", "\x1b[2J", "\u202e", "DROP", "\u0302", "Emoji")
    sample = [h for h in hostile_inputs() if any(w in h for w in wanted)]
    sample += [h for h in hostile_inputs() if len(h) > 300 or not h]
    assert len(sample) >= 9
    stored = 0
    for i, name in enumerate(sample):
        proc = thidua("user", "add", f"h{i}", "--name", name, "--roles", "viewer")
        if proc.returncode == 0:
            stored += 1
            assert _display_name(inited, f"h{i}") == unicodedata.normalize("NFC", name).strip()
        else:
            err = one_line_error(proc)
            assert "\x1b" not in err and "\u202e" not in err
    assert stored >= 5
    listing = thidua("user", "list")
    assert listing.returncode == 0 and "\x1b" not in listing.stdout
    assert "[@click=app.quit]Bấm vào đây[/]" in listing.stdout


def _display_name(db: Path, login: str) -> str:
    con = sqlite3.connect(db)
    try:
        return con.execute("SELECT display_name FROM user WHERE login = ?", (login,)).fetchone()[0]
    finally:
        con.close()


def test_commands_without_a_database(thidua, home) -> None:
    for args in (("check",), ("user", "list"), ("migrate",), ("backup", str(home.root))):
        err = one_line_error(thidua(*args))
        assert "thidua init" in err or "Chưa có" in err, (args, err)
    assert not home.db.exists()


def test_migrate(thidua, tmp_path) -> None:
    path = tmp_path / "old.sqlite"
    start = migrations.LATEST - 1
    database = store.bind(str(path), create=True)
    migrations.migrate(database, target=start)
    database.close()

    proc = thidua("migrate", "--db", path)
    assert proc.returncode == 0, proc.stderr
    assert f"từ phiên bản {start} lên {migrations.LATEST}" in proc.stdout
    proc = thidua("migrate", "--db", path)
    assert proc.returncode == 0 and "mới nhất" in proc.stdout
    con = sqlite3.connect(path)
    assert con.execute("SELECT MAX(version) FROM schema_version").fetchone()[0] == \
        migrations.LATEST
    con.close()
    assert thidua("check", "--db", path).returncode == 0


def test_migrate_refuses_a_newer_database(thidua, tmp_path) -> None:
    path = tmp_path / "newer.sqlite"
    database = store.open_store(str(path), create=True)
    database.execute_sql("INSERT INTO schema_version (version) VALUES (?)",
                         (migrations.LATEST + 1,))
    database.close()
    before = path.read_bytes()
    for args in (("migrate",), ("check",), ("user", "list")):
        err = one_line_error(thidua(*args, "--db", path))
        assert "mới hơn" in err
    assert path.read_bytes() == before


def test_check_reports_a_tampered_change_log(thidua, home, inited) -> None:
    assert thidua("user", "add", "ketoan", "--name", "Kế toán", "--roles", "finance") \
        .returncode == 0
    ok = thidua("check")
    assert ok.returncode == 0 and "không phát hiện lỗi" in ok.stdout
    con = sqlite3.connect(inited)
    victim = con.execute("SELECT id FROM change_log WHERE table_name = 'user' "
                         "ORDER BY id LIMIT 1").fetchone()[0]
    con.execute("UPDATE change_log SET login = 'kegian' WHERE id = ?", (victim,))
    con.commit()
    con.close()
    bad = thidua("check")
    assert bad.returncode != 0
    assert f"mục số {victim}" in bad.stdout + bad.stderr
    assert "Traceback" not in bad.stdout + bad.stderr


_WRITER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    sys.path.insert(0, {root!r})
    from models.registry import people
    from models import store
    from models.registry.access import SYSTEM
    store.open_store({db!r})
    started, stop = Path({started!r}), Path({stop!r})
    n = 0
    deadline = time.monotonic() + 60
    while not stop.exists() and time.monotonic() < deadline:
        people.create_person(SYSTEM, full_name=f"Người Ghi Số {{n}}", position="x" * 50)
        n += 1
        if n == 20:
            started.touch()
    print(n)
""")


def test_backup_while_another_process_writes(thidua, home, inited, tmp_path) -> None:
    started, stop = tmp_path / "started", tmp_path / "stop"
    writer = subprocess.Popen(
        [sys.executable, "-c", _WRITER.format(root=str(ROOT), db=str(inited),
                                              started=str(started), stop=str(stop))],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env=home.env)  # the service account's home: its change-log key signs these writes
    try:
        deadline = time.monotonic() + 30
        while not started.exists():
            assert writer.poll() is None, writer.communicate()
            assert time.monotonic() < deadline, "writer did not start"
            time.sleep(0.02)
        backups = []
        for i in range(3):
            dest = tmp_path / f"backup-{i}.sqlite"
            proc = thidua("backup", dest)
            assert proc.returncode == 0, proc.stderr
            assert dest.is_file()
            backups.append(dest)
    finally:
        stop.touch()
        out, err = writer.communicate(timeout=60)
    assert writer.returncode == 0, err
    written = int(out)
    assert written > 20

    counts = []
    for dest in backups:
        check = thidua("check", "--db", dest)
        assert check.returncode == 0, check.stdout + check.stderr
        assert not Path(str(dest) + ".tmp").exists()
        con = sqlite3.connect(dest)
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        counts.append(con.execute("SELECT COUNT(*) FROM person").fetchone()[0])
        con.close()
    assert counts == sorted(counts) and counts[0] >= 20 and counts[-1] <= written
    assert thidua("check").returncode == 0
    # An existing destination is never overwritten.
    again = thidua("backup", backups[0])
    assert "ghi đè" in one_line_error(again)
    # A directory as destination gets a file inside it.
    folder = tmp_path / "folder"
    folder.mkdir()
    assert thidua("backup", folder).returncode == 0
    assert (folder / "thidua-backup.sqlite").is_file()


def test_restore(thidua, home, inited, tmp_path) -> None:
    snapshot = tmp_path / "snapshot.sqlite"
    assert thidua("backup", snapshot).returncode == 0
    assert thidua("user", "add", "moi", "--name", "Người mới", "--roles", "viewer") \
        .returncode == 0
    assert "moi" in _users(inited)

    refused = thidua("restore", snapshot)          # stdin is a pipe, not a terminal
    assert "--yes" in one_line_error(refused)
    assert "moi" in _users(inited)

    not_thidua = tmp_path / "other.sqlite"
    con = sqlite3.connect(not_thidua)
    con.execute("CREATE TABLE t (x)")
    con.commit()
    con.close()
    one_line_error(thidua("restore", "--yes", not_thidua))
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(os.urandom(8192))
    one_line_error(thidua("restore", "--yes", junk))
    one_line_error(thidua("restore", "--yes", tmp_path / "missing.sqlite"))
    _damaged_db(tmp_path / "damaged.sqlite")
    err = one_line_error(thidua("restore", "--yes", tmp_path / "damaged.sqlite"))
    assert "không mong đợi" not in err
    assert "moi" in _users(inited)

    done = thidua("restore", "--yes", snapshot)
    assert done.returncode == 0, done.stderr
    assert _users(inited) == {"vanphong": 1}
    assert thidua("check").returncode == 0
    assert "moi" not in thidua("user", "list").stdout


def test_a_killed_backup_leaves_nothing_behind(thidua, home, inited, tmp_path) -> None:
    """SIGKILL in the middle of copying: the next backup removes the abandoned copy,
    so a cron job killed night after night does not fill the disk."""
    import signal

    con = sqlite3.connect(inited)
    con.execute("CREATE TABLE ballast (b BLOB)")  # about 60 MB, so the copy takes a while
    con.executemany("INSERT INTO ballast VALUES (randomblob(1000000))", [()] * 60)
    con.commit()
    con.close()
    folder = tmp_path / "sao-luu"
    folder.mkdir()
    killed = 0
    for i in range(3):
        proc = subprocess.Popen([THIDUA_CMD, "backup", folder / f"b{i}.sqlite"], env=home.env,
                                cwd=home.root, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 20
        while not list(folder.glob(".*")) and proc.poll() is None:
            assert time.monotonic() < deadline
            time.sleep(0.005)
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            killed += 1
        proc.wait()
    assert killed, "every backup ended before it could be killed"
    assert list(folder.glob(".*")), "the killed copies are there before the next backup"
    done = thidua("backup", folder / "good.sqlite")
    assert done.returncode == 0, done.stderr
    assert [p.name for p in folder.iterdir()] == ["good.sqlite"]


def test_backup_without_destination_goes_to_the_backup_folder(thidua, home, inited) -> None:
    done = thidua("backup")
    assert done.returncode == 0, done.stderr
    folder = home.data / "backups"              # [backup] dir left empty
    assert folder.stat().st_mode & 0o777 == 0o700  # a backup holds every officer's data
    (made,) = folder.iterdir()
    taken = dt.datetime.strptime(made.name, "thidua-%Y%m%d-%H%M%S.sqlite")
    assert abs(dt.datetime.now() - taken) < dt.timedelta(minutes=5)
    assert str(made) in done.stdout
    assert thidua("check", "--db", made).returncode == 0

    user_file = Path(home.env["XDG_CONFIG_HOME"]) / "thidua" / "config.toml"
    user_file.parent.mkdir(parents=True)
    user_file.write_text('[backup]\ndir = "~/sao lưu/xã"\n', encoding="utf-8")
    assert thidua("backup").returncode == 0
    (made,) = (home.root / "sao lưu" / "xã").iterdir()
    assert made.name.startswith("thidua-") and thidua("check", "--db", made).returncode == 0

    user_file.write_text(f'[backup]\ndir = "{home.db}/x"\n', encoding="utf-8")
    assert "thư mục sao lưu" in one_line_error(thidua("backup"))


@pytest.mark.parametrize("name", ["sao lưu #1.sqlite", "a%20b?mode=rw.sqlite"])
def test_restore_from_an_awkward_file_name(thidua, home, inited, tmp_path, name) -> None:
    """"#", "?" and "%" in the name once made restore copy an empty database over the
    live one (the name was pasted into a file: URI unquoted)."""
    snapshot = tmp_path / name
    assert thidua("backup", snapshot).returncode == 0
    assert thidua("user", "add", "moi", "--name", "Người mới", "--roles", "viewer") \
        .returncode == 0
    done = thidua("restore", "--yes", snapshot)
    assert done.returncode == 0, done.stderr
    assert _users(inited) == {"vanphong": 1}
    assert thidua("check").returncode == 0
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == [name]


@pytest.mark.parametrize("content, words", [
    ("[voting.title]\nthreshold = 1.7\n", "threshold"),
    ("[commune\nname = 'x'\n", "TOML"),
    ("[voting.title]\nthreshold = \"bảy mươi\"\n", "threshold"),
])
def test_bad_config(thidua, home, tmp_path, content, words) -> None:
    cfg = tmp_path / "bad.toml"
    cfg.write_text(content, encoding="utf-8")
    for args in (("--config", cfg, "check"), ("check", "--config", cfg),
                 ("--config", cfg, "init")):
        proc = thidua(*args)
        assert proc.returncode == 2, (args, proc)
        err = one_line_error(proc)
        assert str(cfg) in err
        if words != "TOML":
            assert words in err
    assert not home.db.exists()   # init did not run with a bad config


def test_bad_config_from_environment_and_user_file(thidua, home, tmp_path) -> None:
    cfg = tmp_path / "env.toml"
    cfg.write_text("[voting.title]\nthreshold = 1.7\n", encoding="utf-8")
    env = dict(home.env, THIDUA_CONFIG=str(cfg))
    proc = thidua("check", env=env)
    assert proc.returncode == 2 and str(cfg) in one_line_error(proc)
    user_file = Path(home.env["XDG_CONFIG_HOME"]) / "thidua" / "config.toml"
    user_file.parent.mkdir(parents=True)
    user_file.write_text("= oops\n", encoding="utf-8")
    proc = thidua("check")
    assert proc.returncode == 2 and str(user_file) in one_line_error(proc)
    missing = thidua("--config", tmp_path / "missing.toml", "check")
    assert missing.returncode == 2
    one_line_error(missing)


@pytest.mark.parametrize("kind", ["random", "text", "truncated", "directory", "empty-dir"])
def test_corrupt_database_file(thidua, tmp_path, kind) -> None:
    path = tmp_path / "broken.sqlite"
    if kind == "random":
        path.write_bytes(os.urandom(20000))
    elif kind == "text":
        path.write_text("đây không phải cơ sở dữ liệu\n" * 100, encoding="utf-8")
    elif kind == "truncated":
        store.open_store(str(path), create=True).close()
        con = sqlite3.connect(path)
        con.execute("PRAGMA journal_mode=delete")
        con.close()
        path.write_bytes(path.read_bytes()[:700])
    else:
        path.mkdir()
    before = path.read_bytes() if path.is_file() else None
    for args in (("check",), ("user", "list"), ("migrate",), ("backup", tmp_path / "b.sqlite"),
                 ("--as", "vanphong")):
        proc = thidua(*args, "--db", path) if args[0] != "--as" else \
            thidua("--db", path, *args)
        one_line_error(proc)
    if before is not None:
        assert path.read_bytes() == before
    assert not (tmp_path / "b.sqlite").exists()


def _damaged_db(path: Path) -> None:
    """A thidua database whose first page is intact and later pages are scribbled on."""
    from models.registry import people
    from models.registry.access import SYSTEM

    database = store.open_store(str(path), create=True)
    for i in range(300):
        people.create_person(SYSTEM, full_name=f"Nguyễn Văn Số {i}", position="x" * 100)
    database.close()
    con = sqlite3.connect(path)
    con.execute("PRAGMA journal_mode=delete")
    con.close()
    data = bytearray(path.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    assert len(data) // page > 20
    pages = len(data) // page
    # Only pages written after the schema (the people, their indexes and log entries).
    for offset in range((pages * 2 // 3) * page, len(data) - page, 5 * page):
        data[offset:offset + 64] = b"\xa5" * 64
    path.write_bytes(bytes(data))


def test_check_reports_damaged_pages(thidua, tmp_path) -> None:
    """Damage past the first page: `check` reports it (the quick check at opening finds
    it) and leaves the file as it was, never a crash."""
    path = tmp_path / "damaged.sqlite"
    _damaged_db(path)
    before = path.read_bytes()
    proc = thidua("check", "--db", path)
    assert proc.returncode == 1, proc
    out = proc.stdout + proc.stderr
    assert "Traceback" not in out and "không mong đợi" not in out
    assert "bị hỏng" in out and "thidua restore" in out
    assert path.read_bytes() == before


@pytest.mark.parametrize("url", ["postgresql://nobody@127.0.0.1:1/thidua", "mysql://x",
                                 "khongbiet://x/y"])
def test_unusable_database_url(thidua, url) -> None:
    """No driver, no server or an unknown scheme: one line, never a crash report."""
    err = one_line_error(thidua("check", "--db", url, timeout=60))
    assert "không mong đợi" not in err and url.split("://")[0] in err


def test_db_under_a_file_is_refused(thidua, tmp_path) -> None:
    blocker = tmp_path / "x"
    blocker.write_text("tệp\n", encoding="utf-8")
    one_line_error(thidua("init", "--db", blocker / "file" / "sub.sqlite"))
    assert blocker.read_text(encoding="utf-8") == "tệp\n"


def test_as_requires_the_service_account(thidua, home, inited, tmp_path) -> None:
    me = getpass.getuser()
    assert me != "thidua"
    refused = thidua("--as", "vanphong")
    err = one_line_error(refused)
    assert "tài khoản dịch vụ" in err and me in err
    # The account is the process's user id, not what the environment claims.
    claimed = {**home.env, "LOGNAME": "thidua", "USER": "thidua", "USERNAME": "thidua"}
    err = one_line_error(thidua("--as", "vanphong", env=claimed))
    assert "tài khoản dịch vụ" in err and me in err

    cfg = tmp_path / "svc.toml"
    cfg.write_text(f'[ssh]\nservice_account = "{me}"\n', encoding="utf-8")
    # Allowed past the service-account gate: the sign-in itself now decides.
    unknown = thidua("--config", cfg, "--as", "khongco")
    err = one_line_error(unknown)
    assert "khongco" in err and "tài khoản dịch vụ" not in err
    assert thidua("user", "add", "bikhoa", "--name", "Bị khóa", "--roles", "viewer") \
        .returncode == 0
    assert thidua("user", "disable", "bikhoa").returncode == 0
    locked = one_line_error(thidua("--config", cfg, "--as", "bikhoa"))
    assert "khóa" in locked and "tài khoản dịch vụ" not in locked


def test_demo_then_check(thidua, home) -> None:
    proc = thidua("demo", "--persons", "300", timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "300" in proc.stdout
    check = thidua("check")
    assert check.returncode == 0, check.stdout + check.stderr
    con = sqlite3.connect(home.db)
    assert con.execute("SELECT COUNT(*) FROM person").fetchone()[0] == 300
    con.close()
    again = thidua("demo", "--persons", "300")
    one_line_error(again)   # never on top of existing data
    bad = thidua("demo", "--persons", "-5", "--db", home.root / "x.sqlite")
    one_line_error(bad)


# --- Accounts linked to people, units named by code, the look-up (issue 11) -----------------

@pytest.fixture
def commune_db(home) -> Path:
    """The fixed commune of the screen tests (units DV001-DV003, seven people, awards),
    plus a past award decided by the district, in a file the command opens."""
    from ui_helpers import build_store

    from models.awards.tables import TitleAward
    from models.registry.access import SYSTEM
    from models.store import records
    from models.store.tables import database

    path = home.root / "xa.sqlite"
    ids = build_store(path)
    try:
        records.insert(SYSTEM, TitleAward, title_code="", title_name="Bằng khen của UBND huyện",
                       year=2010, person=ids["people"]["Nguyễn Văn Hùng"],
                       decision_ref="45/QĐ-UBND", decided_on=dt.date(2010, 6, 1),
                       level="district")
    finally:
        database.close()
    return path


def test_user_add_names_units_by_code_or_name_and_the_person(thidua, commune_db) -> None:
    db = commune_db
    proc = thidua("--db", db, "user", "add", "thon1", "--name", "Cán bộ thôn 1", "--roles",
                  "unit_officer", "--unit", "dv002", "--unit", "Thôn 2",
                  "--person", "NGUYEN VAN HUNG, 1/5/1950")
    assert proc.returncode == 0, proc.stderr
    assert "là Nguyễn Văn Hùng" in proc.stdout
    for args, words in [
        (("--unit", "Thôn 9"), "Không có đơn vị mã hay tên “Thôn 9”"),
        (("--unit", "thon 1"), "Không có đơn vị"),               # a name is typed exactly
        (("--unit", "2"), "Không có đơn vị"),                    # ids are shown nowhere
        (("--person", "nguyen van hung"), "Họ và tên, dd/mm/yyyy"),
        (("--person", "nguyen van hung, 02/05/1950"), "Không có ai tên"),
        (("--person", "nguyen van hung, 01/05/1950"), "đã gắn với tài khoản thon1"),
        (("--person", "999999999999"), "CCCD"),
    ]:
        err = one_line_error(thidua("--db", db, "user", "add", "moi", "--name", "Mới",
                                    "--roles", "viewer", *args))
        assert words in err, (args, err)
    assert "moi" not in _users(db)
    listed = thidua("--db", db, "user", "list").stdout.splitlines()
    thon1 = next(line for line in listed if line.startswith("thon1\t"))
    assert thon1.split("\t")[3:] == ["DV002 Thôn 1, DV003 Thôn 2", "là Nguyễn Văn Hùng"]
    help_text = thidua("user", "add", "--help").stdout
    assert "--person" in help_text and "mã (T01)" in help_text


def test_user_add_refuses_two_people_of_the_same_name_and_birth_date(thidua, commune_db):
    from models.registry import people
    from models.registry.access import SYSTEM
    from models.store.tables import database

    store.open_store(str(commune_db))
    try:
        people.create_person(SYSTEM, full_name="Lê Văn An", birth_date="20/10/1975")
    finally:
        database.close()
    err = one_line_error(thidua("--db", commune_db, "user", "add", "an", "--name", "An",
                                "--roles", "viewer", "--person", "le van an, 20/10/1975"))
    assert "Có nhiều người tên le van an, sinh 20/10/1975" in err


def test_lookup_prints_each_match_and_one_award_a_line(thidua, commune_db) -> None:
    proc = thidua("--db", commune_db, "lookup", "nguyen van hung")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0] == "Người: Nguyễn Văn Hùng (01/05/1950, Thôn 1)"
    assert lines[1] == "  2024  Giấy khen của Chủ tịch UBND xã · QĐ 07/QĐ-UBND ngày " \
                       "02/03/2024 · Cấp xã"
    assert "  2019  Lao động tiên tiến · QĐ 98/QĐ-UBND ngày 20/12/2019 · Cấp xã" in lines
    assert "  2010  Bằng khen của UBND huyện · QĐ 45/QĐ-UBND ngày 01/06/2010 · Cấp huyện" \
        in lines
    assert lines.index("Người: Nguyễn Văn Hưng (02/02/1982, Thôn 2)") > 5
    assert "  chưa có khen thưởng nào được ghi nhận" in lines
    assert any(line.startswith("Hộ: Nguyễn Văn Hùng") for line in lines)

    data = json.loads(thidua("--db", commune_db, "lookup", "NGUYỄN VĂN HÙNG", "--json").stdout)
    first = data["matches"][0]
    assert (first["kind"], first["name"]) == ("person", "Nguyễn Văn Hùng")
    assert first["awards"][-1] == {
        "year": 2010, "title_code": "", "title": "Bằng khen của UBND huyện",
        "decision": "45/QĐ-UBND", "decided_on": "2010-06-01", "level": "district",
        "level_name": "Cấp huyện"}

    some = thidua("--db", commune_db, "lookup", "nguyen", "--limit", "1")
    assert some.returncode == 0 and "… và 2 kết quả khác" in some.stdout
    none = thidua("--db", commune_db, "lookup", "khong co ai")
    assert none.returncode == 1 and "Không tìm thấy ai khớp “khong co ai”" in none.stdout
    assert "Gõ tên" in one_line_error(thidua("--db", commune_db, "lookup", "  "))


def test_check_is_clean_after_imports_and_council_votes(thidua, home, tmp_path) -> None:
    """`check` reports damage only: an import, a vote, a changed vote and a ballot whose
    history could not be erased yet are all legal entries of the change log."""
    from models.store import changelog
    from models.store.tables import ChangeLog, database
    from tests.conftest import python_cmd

    db = tmp_path / "c.sqlite"
    script = (f"from models import store; store.open_store({str(db)!r}, create=True)\n"
              "from tests.council_world import build, actor\n"
              "from tests.ui_helpers import load_cfg\n"
              "from models.council import ballots\n"
              "w = build(n_members=5, n_present=5, n_ldtt=1, giaykhen=False)\n"
              "b = ballots.open_ballot(actor('chutich'), load_cfg(), w['session'], w['ldtt'])\n"
              "ballots.cast(actor('uv01'), load_cfg(), b.id, {w['ldtt'][0]: 'agree'})\n")
    done = subprocess.run(python_cmd(script), cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=60)
    assert done.returncode == 0, done.stderr
    people = tmp_path / "people.csv"
    people.write_text("Họ và tên,Ngày sinh\nLê Văn Mới,01/02/1990\n", encoding="utf-8")
    assert thidua("--db", db, "import", "people", people).returncode == 0
    store.open_store(str(db))
    try:
        written = {a for (a,) in ChangeLog.select(ChangeLog.action).distinct().tuples()}
        # What closing a ballot logs when a reader keeps its history in the file
        # (a reader held open across the close): written as the code writes it.
        changelog.record("x", "ballot", 1, "wal_busy")
    finally:
        database.close()
    assert {"import", "vote", "insert"} <= written, written
    checked = thidua("--db", db, "check")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    with pytest.raises(ValueError, match="not in changelog.ACTIONS"):
        store.open_store(str(db))
        try:
            changelog.record("x", "unit", 1, "rename")
        finally:
            database.close()


def test_no_control_character_reaches_the_terminal(thidua, home, inited, tmp_path) -> None:
    """A file name or a query with ESC in it is quoted in the message as "␛"."""
    evil = tmp_path / "\x1b[31mđỏ\x1b]0;tiêu đề\x07" / "b.sqlite"
    refused = thidua("backup", evil)
    assert refused.returncode != 0
    assert "\x1b" not in refused.stderr and "\x07" not in refused.stderr
    assert "␛[31mđỏ" in refused.stderr, refused.stderr
    found = thidua("lookup", "\x1b[2Jai do")
    assert "\x1b" not in found.stdout + found.stderr and "␛[2J" in found.stdout + found.stderr
