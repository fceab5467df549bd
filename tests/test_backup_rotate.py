"""`thidua backup --rotate`: N daily and M monthly copies, nothing else touched."""
from __future__ import annotations

import datetime as dt

from models.store import maintenance


def _copies(folder, days):
    for day in days:
        for hour in (8, 20):
            (folder / maintenance.dated_name(dt.datetime.combine(day, dt.time(hour)))).touch()


def test_rotation_keeps_the_latest_days_and_the_first_copy_of_each_month(tmp_path):
    start = dt.date(2025, 1, 1)
    _copies(tmp_path, [start + dt.timedelta(days=n) for n in range(120)])  # Jan to Apr
    (tmp_path / "notes.txt").write_text("not a backup")
    (tmp_path / "thidua-backup.sqlite").touch()
    gone = maintenance.rotate(tmp_path, daily=3, monthly=2)
    kept = sorted(p.name for p in tmp_path.iterdir())
    assert kept == ["notes.txt", "thidua-20250301-080000.sqlite",
                    "thidua-20250401-080000.sqlite", "thidua-20250428-200000.sqlite",
                    "thidua-20250429-200000.sqlite", "thidua-20250430-200000.sqlite",
                    "thidua-backup.sqlite"]
    assert len(gone) == 240 - 5
    assert maintenance.rotate(tmp_path, daily=3, monthly=2) == []


def test_backup_rotate_from_the_command_line(thidua, home):
    assert thidua("init").returncode == 0
    folder = home.data / "backups"
    folder.mkdir()
    _copies(folder, [dt.date(2020, 1, d) for d in range(1, 11)])
    (home.root / "config" / "thidua").mkdir(parents=True)
    (home.root / "config" / "thidua" / "config.toml").write_text(
        "[backup]\ndaily = 2\nmonthly = 1\n")
    done = thidua("backup", "--rotate")
    assert done.returncode == 0, done.stderr
    assert "đã xóa 19 bản cũ" in done.stdout
    names = sorted(p.name for p in folder.iterdir())
    # today's copy (the newest day and the first of the newest month), and 10/01/2020's last
    assert len(names) == 2 and names[0] == "thidua-20200110-200000.sqlite"
    refused = thidua("backup", "--rotate", str(home.root / "x.sqlite"))
    assert refused.returncode == 1 and "--rotate" in refused.stderr
