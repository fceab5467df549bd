"""The council's minutes and tally minutes as Decree 30 documents (issue 13): read back
with python-docx (number, date, names not logins, titles by name, recused members, the
end time, receipts, signatures), numbers kept to their content (a correction is a new
number), earlier sessions reachable, hostile names literal, and one PDF of each; the
vote-counting committee the tally names (no secret tally without it), and the command
line's messages."""
from __future__ import annotations

import subprocess

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from ui_helpers import hostile_inputs, load_cfg

from models.council import ballots, committee, conflicts, members, minutes, sessions
from models.documents import issued, kinds
from models.documents.tables import IssuedDocument
from models.errors import PermissionDenied, RuleError
from models.registry import people
from models.registry.access import SYSTEM
from models.store.tables import ChangeLog
from tests.council_world import HELD_ON, actor, build, nominate

pytestmark = pytest.mark.backends

CFG = load_cfg()


def words(path) -> str:
    """Every paragraph and cell of the .docx, one line each."""
    doc = Document(str(path))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def closed_ballot(w, noms, choose=lambda login, nom: "agree"):
    chair = actor("chutich")
    ballot = ballots.open_ballot(chair, CFG, w["session"], noms)
    for login in w["logins"][:7]:
        sheet = {line.item.nomination_id for line in ballots.sheet(ballot.id, w["members"][login])
                 if not line.recused}
        if sheet:
            ballots.cast(actor(login), CFG, ballot.id, {n: choose(login, n) for n in sheet})
    ballots.close(chair, CFG, ballot.id)
    return ballots.get(ballot.id)


@pytest.fixture
def council(store, tmp_path):
    """A session with its counting committee (UV01, UV03) and a secret ballot on two
    LĐTT (one naming a member of the council, who is recused) closed."""
    w = build(written=1)
    own = nominate("LDTT", person_id=w["people"]["uv02"]).id
    sessions.add_to_agenda(SYSTEM, w["session"], [own])
    committee.record(actor("thuky"), CFG, w["session"],
                     [w["members"]["uv03"], w["members"]["uv01"]])
    ballot = closed_ballot(w, [w["ldtt"][0], own],
                           lambda login, n: "disagree" if login == "uv05" else "agree")
    return {**w, "ballot": ballot, "own": own, "chair": actor("chutich"), "tmp": tmp_path}


def test_tally_minutes_read_back(council):
    path = kinds.write(CFG, "tally", council["ballot"].id, council["tmp"] / "kp.docx",
                       council["chair"])
    doc = Document(str(path))
    said = words(path)
    for expected in ("UBND XÃ HÒA PHONG", "HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG",
                     "Số: 01/BB-HĐTĐKT", "Hòa Phong, ngày 24 tháng 11 năm 2026",
                     "BIÊN BẢN KIỂM PHIẾU", "Lao động tiên tiến",
                     "Ban kiểm phiếu: Ông/bà UV01 (Ủy viên); Ông/bà UV03 (Ủy viên).",
                     "Ông/bà CHUTICH mở phiếu", "Ông/bà CHUTICH kết thúc phiếu",
                     "Không biểu quyết do liên quan: Ông/bà UV02 (là người được đề nghị).",
                     "MÃ BIÊN NHẬN CÁC PHIẾU ĐÃ KIỂM", "CHỦ TRÌ", "THƯ KÝ",
                     "(Ký, ghi rõ họ tên)"):
        assert expected in said, expected
    assert "(LDTT)" not in said and "chutich" not in said  # names, not codes or logins
    for code in ballots.receipts(council["ballot"]):
        assert code in said
    # The tally table: a header, then each name with its counts and result.
    table = doc.tables[-2]
    header = [c.text for c in table.rows[0].cells]
    assert header[:4] == ["TT", "Người được đề nghị", "Danh hiệu, hình thức", "Đồng ý"]
    first = [c.text for c in table.rows[1].cells]
    assert first[1:4] == ["Người đề nghị 1 (Thôn Đông)", "Lao động tiên tiến", "6"]
    assert first[4] == "1" and first[-1] == "Thông qua"
    # The signatures: the chair's name on the right, the secretary's on the left.
    signatures = doc.tables[-1].rows[0].cells
    assert signatures[1].paragraphs[-1].text == "Ông/bà CHUTICH"
    assert signatures[0].paragraphs[-1].text == "Ông/bà THUKY"
    assert signatures[1].paragraphs[-1].runs[0].bold
    title = next(p for p in doc.paragraphs if p.text == "BIÊN BẢN KIỂM PHIẾU")
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER and title.runs[0].bold


def test_meeting_minutes_read_back_with_the_sessions_own_times(council):
    path = kinds.write(CFG, "minutes", council["session"], council["tmp"] / "bb.docx",
                       council["chair"])
    said = words(path)
    end = minutes._clock(minutes.session_end(council["session"]))
    for expected in ("BIÊN BẢN HỌP", "Số: 01/BB-HĐTĐKT",
                     f"Thời gian: bắt đầu 08:00, kết thúc {end} ngày 24/11/2026.",
                     "Địa điểm: Hội trường UBND xã.",
                     "Chủ trì: Ông/bà CHUTICH; thư ký: Ông/bà THUKY.",
                     "Ban kiểm phiếu: Ông/bà UV01 (Ủy viên); Ông/bà UV03 (Ủy viên).",
                     "8. Ông/bà UV06 - Ủy viên: Vắng, có ý kiến bằng văn bản.",
                     "I. THÀNH PHẦN", "II. NỘI DUNG", "III. KẾT LUẬN",
                     "Người đề nghị 1 (Thôn Đông) - đề nghị Lao động tiên tiến.",
                     "Hòa Phong, ngày 24 tháng 11 năm 2026"):
        assert expected in said, expected


def test_a_number_is_kept_to_its_content_and_a_correction_takes_a_new_one(council):
    chair, session = council["chair"], council["session"]
    first = minutes.issue_meeting_minutes(chair, CFG, session)
    assert minutes.issue_meeting_minutes(chair, CFG, session).number == first.number == 1
    # The meeting goes on: another ballot closes, the minutes say more.
    closed_ballot(council, [council["ldtt"][1]])
    corrected = minutes.issue_meeting_minutes(chair, CFG, session)
    assert corrected.number == 2 and corrected.content() != first.content()
    kept = issued.history("minutes", session)
    assert [d.number for d in kept] == [2, 1]
    assert kept[1].digest == issued.digest(first.content())
    # The tally minutes take the next number of the council's series.
    assert minutes.issue_tally_minutes(chair, CFG, council["ballot"].id).number == 3
    with pytest.raises(PermissionDenied):
        minutes.issue_meeting_minutes(actor("uv01"), CFG, session)
    assert IssuedDocument.select().count() == 3


def test_an_open_ballot_has_no_tally_and_unknown_numbers_are_refused(council, tmp_path):
    w = council
    ballot = ballots.open_ballot(w["chair"], CFG, w["session"], [w["ldtt"][2]])
    with pytest.raises(RuleError, match="chưa kết thúc"):
        kinds.write(CFG, "tally", ballot.id, tmp_path / "x.docx", w["chair"])
    with pytest.raises(RuleError, match="đuôi"):
        kinds.export(CFG, "minutes", str(w["session"]), 2026, tmp_path / "x.xlsx")
    for kind, value in (("minutes", "999"), ("tally", "999"), ("minutes", "ba")):
        with pytest.raises(Exception, match="phiên họp|phiếu"):
            kinds.export(CFG, kind, value, 2026, tmp_path / "x.docx")


def test_earlier_sessions_minutes_stay_reachable(council, tmp_path):
    later = sessions.create_session(SYSTEM, HELD_ON.replace(day=28), "Phòng họp", "14:00")
    held = minutes.sessions_held()
    assert [int(i) for i, _ in held] == [later.id, council["session"]]
    assert held[1][1] == f"Số {council['session']} · 24/11/2026 · Hội trường UBND xã"
    # From the command line, by the number the screen shows.
    path = kinds.export(CFG, "minutes", str(council["session"]), 2026, tmp_path / "cu.docx")
    assert "Thời gian: bắt đầu 08:00" in words(path)


def test_hostile_names_appear_literally(council, tmp_path):
    w = council
    names = [s for s in hostile_inputs() if s.strip()]
    noms = []
    for name in names:
        try:
            person = people.create_person(SYSTEM, full_name=name, unit_id=w["unit"])
        except Exception:  # refused at entry (control characters): never stored
            continue
        noms.append((person.full_name, nominate("LDTT", person_id=person.id).id))
    sessions.add_to_agenda(SYSTEM, w["session"], [n for _, n in noms])
    ballot = closed_ballot(w, [n for _, n in noms])
    said = words(kinds.write(CFG, "tally", ballot.id, tmp_path / "h.docx", w["chair"]))
    for name, _ in noms:
        assert name in said, name   # as stored: NFC, spaces and markup kept


def test_a_conflict_declared_names_the_member_in_the_tally(store, tmp_path):
    w = build()
    ballot_noms = w["ldtt"][:1]
    conflicts.declare(actor("chutich"), CFG, w["session"], ballot_noms[0], w["members"]["uv03"],
                      "Là anh ruột")
    ballot = closed_ballot(w, ballot_noms)
    made = minutes.tally(CFG, ballot.id)
    assert any("Ông/bà UV03" in line for _, lines in made.sections for line in lines)


def test_a_secret_tally_waits_for_its_committee_which_then_stays(store, tmp_path):
    w = build()
    chair, uv = actor("chutich"), w["members"]
    ballot = closed_ballot(w, w["ldtt"][:1])
    for write in (lambda: minutes.issue_tally_minutes(chair, CFG, ballot.id),
                  lambda: kinds.write(CFG, "tally", ballot.id, tmp_path / "kp.docx", chair)):
        with pytest.raises(RuleError, match="ghi Ban kiểm phiếu của phiên họp"):
            write()
    assert IssuedDocument.select().count() == 0
    # Never recorded: it may be, once, for the minutes of what it counted.
    committee.record(chair, CFG, w["session"], [uv["uv04"]])
    said = words(kinds.write(CFG, "tally", ballot.id, tmp_path / "kp.docx", chair))
    assert "Ban kiểm phiếu: Ông/bà UV04 (Ủy viên)." in said
    with pytest.raises(RuleError, match="đã kiểm phiếu số"):
        committee.record(chair, CFG, w["session"], [uv["uv05"]])
    assert committee.of_session(w["session"]) == [members.get(uv["uv04"])]


def test_the_committee_is_one_to_five_present_members_changed_until_a_close(store):
    w = build()
    uv, session = w["members"], w["session"]
    secretary = actor("thuky")
    for chosen, problem in (([], "từ 1 đến 5"),
                            ([uv[f"uv0{i}"] for i in range(1, 6)] + [uv["thuky"]], "từ 1 đến 5"),
                            ([uv["uv01"], uv["uv06"]], "UV06 không có mặt")):
        with pytest.raises(RuleError, match=problem):
            committee.record(secretary, CFG, session, chosen)
    with pytest.raises(PermissionDenied):
        committee.record(actor("uv01"), CFG, session, [uv["uv01"]])
    assert committee.may_record(secretary) and not committee.may_record(actor("uv01"))
    committee.record(secretary, CFG, session, [uv["uv01"], uv["uv02"]])
    committee.record(secretary, CFG, session, [uv["uv03"], uv["uv02"]])
    assert [m.id for m in committee.of_session(session)] == [uv["uv02"], uv["uv03"]]
    assert committee.why_fixed(session) == ""
    ballot = ballots.open_ballot(actor("chutich"), CFG, session, w["ldtt"][:1])
    committee.record(secretary, CFG, session, [uv["uv03"]])  # open is not yet counted
    ballots.close(actor("chutich"), CFG, ballot.id)
    with pytest.raises(RuleError, match=f"đã kiểm phiếu số {ballot.id}"):
        committee.record(secretary, CFG, session, [uv["uv04"]])
    assert [m.id for m in committee.of_session(session)] == [uv["uv03"]]
    kept = ChangeLog.select().where(ChangeLog.table_name == "counting_member")
    assert [e.action for e in kept.order_by(ChangeLog.id)] == [
        "insert", "insert", "delete", "insert", "delete"]


def test_a_show_of_hands_needs_no_committee(store):
    w = build()
    chair = actor("chutich")
    ballot = ballots.open_ballot(chair, CFG, w["session"], [w["gk"]])
    assert ballot.kind == "open"
    ballots.close(chair, CFG, ballot.id)
    made = minutes.issue_tally_minutes(chair, CFG, ballot.id)
    assert made.number == 1
    assert not any("Ban kiểm phiếu" in line for _, lines in made.sections for line in lines)


def test_the_command_line_names_a_year_as_a_year(council, store_target, thidua, tmp_path):
    def export(*args):
        done = thidua("export", *args, "--db", store_target)
        assert done.returncode == 0, done.stderr
        return done.stdout

    assert "thống kê thi đua, khen thưởng năm 2026 vào" in export(
        "statistics", "2026", "--out", tmp_path / "tk.xlsx")
    assert f"biên bản họp Hội đồng số {council['session']} vào" in export(
        "minutes", str(council["session"]), "--out", tmp_path / "bb.docx")
    assert "statistics NĂM (" in thidua("export", "--help").stdout


def test_both_kinds_convert_to_pdf(council):
    for kind, record, lines in (
            ("minutes", council["session"], ["BIÊN BẢN HỌP", "Số: 01/BB-HĐTĐKT", "III. KẾT LUẬN"]),
            ("tally", council["ballot"].id, ["BIÊN BẢN KIỂM PHIẾU", "Ban kiểm phiếu",
                                             "MÃ BIÊN NHẬN CÁC PHIẾU ĐÃ KIỂM"])):
        path = kinds.write(CFG, kind, record, council["tmp"] / f"{kind}.pdf", council["chair"])
        found = " ".join(subprocess.run(["pdftotext", str(path), "-"], capture_output=True,
                                        text=True, check=True).stdout.split())
        for line in lines:
            assert line in found, (kind, line)
