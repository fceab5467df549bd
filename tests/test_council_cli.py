"""Setting up the council from the command line, and the demo's council."""
from __future__ import annotations


def test_council_members_are_added_and_listed(home, thidua):
    db = home.root / "xa.sqlite"
    assert thidua("--db", db, "init").returncode == 0
    added = thidua("--db", db, "user", "add", "hd1", "--name", "Trần Văn Hội",
                   "--roles", "council_member")
    assert added.returncode == 0, added.stderr
    ok = thidua("--db", db, "council", "add", "hd1", "--role", "vice_chair", "--from", "01/07/2021")
    assert ok.returncode == 0 and "Phó Chủ tịch Hội đồng" in ok.stdout
    twice = thidua("--db", db, "council", "add", "hd1", "--role", "member", "--from", "01/01/2026")
    assert twice.returncode == 1 and "đã là thành viên Hội đồng" in twice.stderr
    bad = thidua("--db", db, "council", "add", "hd1", "--role", "boss", "--from", "31/02/2026")
    assert bad.returncode == 1 and "Traceback" not in bad.stderr
    listed = thidua("--db", db, "council", "list")
    assert listed.stdout.splitlines() == ["hd1\tTrần Văn Hội\tPhó Chủ tịch Hội đồng"]


def test_the_demo_commune_has_its_council(home, thidua):
    db = home.root / "demo.sqlite"
    assert thidua("--db", db, "demo", "--persons", "200").returncode == 0
    listed = thidua("--db", db, "council", "list").stdout.splitlines()
    roles = {line.split("\t")[0]: line.split("\t")[2] for line in listed}
    assert roles["chutich"] == "Chủ tịch Hội đồng"
    assert roles["thuky"] == "Thư ký Hội đồng"
    assert len(roles) == 11
    assert thidua("--db", db, "check").returncode == 0
