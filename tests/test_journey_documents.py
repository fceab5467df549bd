"""A new commune's way to its first signed documents (issue 13, JOURNEYS.md 1, 5, 6, 11,
12), checked as a user: `thidua init` from the commune's own configuration (only what
README's "Deploying" writes: name and place), its facts brought in from the office's
Excel sheets with `thidua import`, accounts and the council with `thidua user` and
`thidua council`, the chairman entered on the profile form's operation (Ctrl+E), then a
campaign, nominations, a council session with a secret ballot and its vote-counting
committee, a decision; every document exported with `thidua export` and read back: this
commune's name, place and province, its chairman as signer, the right names and money,
and nothing of the demo's Hòa Phong."""
from __future__ import annotations

import datetime as dt
import shutil
import subprocess

import openpyxl
import pytest
from docx import Document

from config import load_config
from models import store
from models.awards import decisions, nominations
from models.council import ballots, committee, members, sessions
from models.cycle import campaigns
from models.documents import pdf
from models.registry import commune, users
from models.store import witness

Y = 2026
CHAIRMAN = "Nguyễn Đức Thắng"
DEMO = ("Hòa Phong", "HÒA PHONG", "Phú Yên")

CONFIG = """\
[commune]
name = "Ea Kao"
place_name = "Buôn Ma Thuột"
province = "Đắk Lắk"
[council]
key_dir = "{home}/keys"
[audit]
key_file = "{home}/changelog.key"
head_file = "{home}/changelog-head.json"
"""

UNITS = [("Mã đơn vị", "Tên đơn vị", "Loại"),
         ("VP", "Văn phòng HĐND và UBND xã", "Bộ phận chuyên môn"),
         ("T01", "Buôn Kao", "Thôn"),
         ("T02", "Buôn Ea Ktur", "Thôn"),
         ("HTX", "Hợp tác xã Ea Kao", "Hợp tác xã")]
PEOPLE = [("Họ và tên", "Ngày sinh", "Mã đơn vị", "Chức vụ", "Ngày tuyển dụng"),
          (CHAIRMAN, "12/03/1975", "VP", "Chủ tịch UBND xã", "01/06/2000"),
          ("Lê Thị Hạnh", "20/10/1988", "VP", "Công chức Văn phòng", "01/02/2012"),
          ("H'Linh Niê", "05/05/1990", "VP", "Phó Chủ tịch UBND xã", "01/09/2013"),
          ("Y Sơn Byă", "01/01/1982", "T01", "Trưởng buôn", "01/01/2010"),
          ("Trần Văn Bình", "03/04/1980", "T01", "Công an viên", "01/01/2011"),
          ("Trần Văn Bình", "17/09/1991", "T02", "Trưởng buôn", "01/01/2015")]
RATINGS = [("Họ và tên", "Ngày sinh", "Năm", "Xếp loại"),
           ("Tran Van Binh", "03/04/1980", Y, "HTXSNV"),
           ("Tran Van Binh", "17/09/1991", Y, "HTTNV")]
NOMINATIONS = [("Đơn vị đề nghị", "Họ và tên", "Ngày sinh", "Danh hiệu", "Năm", "Thành tích"),
               ("T01", "Trần Văn Bình", "03/04/1980", "Lao động tiên tiến", Y,
                "Giữ gìn an ninh trật tự buôn Kao"),
               ("T02", "Trần Văn Bình", "17/09/1991", "LDTT", Y,
                "Vận động bà con làm đường giao thông nông thôn")]
COUNCIL = [("chutich", CHAIRMAN, "chairman,council_member", "chair", "12/03/1975"),
           ("thuky", "Lê Thị Hạnh", "council_secretary,council_member", "secretary",
            "20/10/1988"),
           ("pct", "H'Linh Niê", "council_member", "vice_chair", "05/05/1990"),
           ("yson", "Y Sơn Byă", "council_member", "member", "01/01/1982")]


def sheet(path, rows) -> str:
    """A workbook as an office makes it: one sheet, Vietnamese headers on row 1."""
    wb = openpyxl.Workbook()
    for row in rows:
        wb.active.append(list(row))
    wb.save(path)
    return str(path)


def words(path) -> str:
    doc = Document(str(path))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def ok(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 0, result.stderr + result.stdout
    return result.stdout


@pytest.fixture
def commune_home(home, thidua, tmp_path):
    """The configured, initialised commune with its facts imported; returns (cfg, run)."""
    (tmp_path / "keys").mkdir(mode=0o700)
    config = tmp_path / "config.toml"
    config.write_text(CONFIG.format(home=tmp_path), encoding="utf-8")
    home.env["THIDUA_CONFIG"] = str(config)
    assert "Ea Kao" in ok(thidua("init", "--admin", "vanphong",
                                 "--admin-name", "Văn phòng UBND xã"))
    for kind, rows in (("units", UNITS), ("people", PEOPLE), ("ratings", RATINGS)):
        ok(thidua("import", kind, sheet(tmp_path / f"{kind}.xlsx", rows)))
    for login, name, roles, role, born in COUNCIL:
        ok(thidua("user", "add", login, "--name", name, "--roles", roles,
                  "--person", f"{name}, {born}"))
        ok(thidua("council", "add", login, "--role", role, "--from", "01/07/2021"))
    ok(thidua("import", "nominations", sheet(tmp_path / "de-nghi.xlsx", NOMINATIONS)))
    cfg = load_config(config, env=home.env)
    store.open_store(str(home.db))
    witness.configure(cfg.audit_file("key_file"), cfg.audit_file("head_file"))
    return cfg, thidua


def test_a_new_commune_signs_its_first_documents(commune_home, tmp_path):
    cfg, thidua = commune_home
    office, chair, secretary = (users.sign_in(x) for x in ("vanphong", "chutich", "thuky"))
    # The Office enters the chairman on the commune profile (Ctrl+E on the home screen).
    p = commune.profile()
    commune.update_profile(office, p.version, p.name, p.place_name, p.province, CHAIRMAN)

    campaign = campaigns.create_campaign(office, "Phong trào thi đua yêu nước năm 2026",
                                         "yearly", Y, theme="Đoàn kết, sáng tạo",
                                         starts_on="01/01/2026", ends_on="31/12/2026")
    campaigns.add_area(office, campaign.id, "Phát triển kinh tế, giảm nghèo bền vững")

    noms = [n.id for n in nominations.search(year=Y)]
    assert len(noms) == 2
    for n in noms:
        for item in nominations.dossier(n):   # the paper dossier reached the Office
            nominations.mark_received(office, item.id, item.version, True)
        checked, result = nominations.check(office, cfg, n)
        assert checked.eligible, result.text()
        nominations.to_council(office, cfg, n, dt.date(Y, 11, 20))
    day = dt.date(Y, 11, 24)
    session = sessions.create_session(chair, day, "Hội trường UBND xã Ea Kao", "08:00")
    present = {m.id: m for m, _ in sessions.roll_call(session.id)}
    for member_id in present:
        sessions.set_attendance(secretary, session.id, member_id, "present")
    committee.record(secretary, cfg, session.id, list(present)[2:])
    ballot = ballots.open_ballot(chair, cfg, session.id, noms)
    for login, *_ in COUNCIL:
        voter = users.sign_in(login)
        ballots.cast(voter, cfg, ballot.id, {n: "agree" for n in noms})
    ballots.close(chair, cfg, ballot.id)

    d = decisions.create(office, "Về việc tặng danh hiệu Lao động tiên tiến năm 2026",
                         dt.date(Y, 11, 25))
    decisions.add_nominations(office, cfg, d.id, noms)
    d = decisions.issue(chair, cfg, d.id, decisions.get(d.id).version, accept_overdraw=True)

    out = tmp_path / "out"
    out.mkdir()
    exported = {}
    for kind, ident, extra in (("decision", str(d.number), ("--year", str(Y))),
                               ("plan", str(campaign.id), ()),
                               ("achievement", str(noms[0]), ()),
                               ("minutes", str(session.id), ()),
                               ("tally", str(ballot.id), ())):
        path = out / f"{kind}.docx"
        ok(thidua("export", kind, ident, *extra, "--out", path))
        exported[kind] = words(path)
    for kind, said in exported.items():
        assert "Buôn Ma Thuột, ngày" in said, kind   # the place line is the configured place
        if kind != "achievement":   # the person's own report: headed by their unit
            assert "Ea Kao" in said or "EA KAO" in said, kind
        for demo in DEMO:
            assert demo not in said, (kind, demo)
    decision = exported["decision"]
    for expected in ("ỦY BAN NHÂN DÂN", "XÃ EA KAO", "Số: 01/QĐ-UBND",
                     "Buôn Ma Thuột, ngày 25 tháng 11 năm 2026",
                     "Chủ tịch Ủy ban nhân dân xã Ea Kao", "TM. ỦY BAN NHÂN DÂN", CHAIRMAN,
                     "Trần Văn Bình", "03/04/1980", "17/09/1991", "Buôn Kao", "Buôn Ea Ktur",
                     "Lao động tiên tiến"):
        assert expected in decision, expected
    assert "(LDTT)" not in decision
    named = "; ".join(members.member_name(m) for m in committee.of_session(session.id))
    for expected in ("UBND XÃ EA KAO", "BIÊN BẢN KIỂM PHIẾU", "Lê Thị Hạnh", CHAIRMAN,
                     "Trần Văn Bình", "Tổng số thành viên: 4; có mặt: 4"):
        assert expected in exported["tally"], expected
    assert all(name in exported["tally"] for name in named.split("; "))
    assert "H'Linh Niê" in exported["minutes"]
    assert "chutich" not in exported["tally"] + exported["minutes"]
    if pdf.soffice() and shutil.which("pdftotext"):   # the same paper as PDF
        ok(thidua("export", "decision", str(d.number), "--year", str(Y), "--out",
                  out / "qd.pdf"))
        said = subprocess.run(["pdftotext", "-layout", out / "qd.pdf", "-"], check=True,
                              capture_output=True, text=True).stdout
        assert "XÃ EA KAO" in said and CHAIRMAN in said and "Buôn Ma Thuột, ngày 25" in said
    assert "Ủy ban nhân dân xã Ea Kao" in exported["plan"]
    mine = exported["achievement"]   # headed by the nominee's village, born as imported
    assert ("BUÔN KAO" in mine and "03/04/1980" in mine) or (
        "BUÔN EA KTUR" in mine and "17/09/1991" in mine)
