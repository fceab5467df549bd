"""The commune's documents (issue 13): the Decree 30 layout read back with python-docx,
the finance workbook, money in words, and `thidua export KIND ID --out FILE`."""
from __future__ import annotations

import datetime as dt

import openpyxl
import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt
from ui_helpers import hostile_inputs

from config import load_config
from models.awards import decisions, nominations, proposals
from models.awards.tables import DecisionAward, Nomination
from models.documents import builder
from models.documents import decision as decision_doc
from models.documents import kinds
from models.documents.words import number_words, vnd_words
from models.errors import RuleError, ThiduaError
from models.registry import people, units, users
from models.registry.access import SYSTEM
from models.registry.tables import Household, Person

CFG = load_config(env={})
Y = 2026
DAY = dt.date(Y, 2, 5)


# --- a small commune with documents to print --------------------------------------------------

def passed(actor, code: str, kind: str, subject: int, summary: str = "") -> int:
    nom = nominations.create(actor, CFG, subject_kind=kind, subject_id=subject, title_code=code,
                             year=Y, summary=summary)
    Nomination.update(state="passed").where(Nomination.id == nom.id).execute()
    return nom.id


def issue(actor, decision_id: int):
    return decisions.issue(actor, CFG, decision_id, decisions.get(decision_id).version,
                           accept_overdraw=True)


def hostile_person(actor, unit_id: int, value: str) -> int:
    """A person named `value`: through the form when it takes it, else written as old data
    might hold it (a control character the form refuses must not break a document)."""
    try:
        return people.create_person(actor, full_name=value, unit_id=unit_id,
                                    recruited_on="01/01/2020").id
    except ThiduaError:
        # PostgreSQL holds no NUL at all; every other character goes in as it is.
        return Person.insert(full_name=value.replace("\x00", "")[:200], search_key="x",
                             sort_key="x", unit=unit_id).execute()


def build_world(actor) -> dict:
    """Two "Nguyễn Văn Phú" of different villages, a collective, a decision issued on
    05/02/2026, an amendment of it, a Gia đình văn hóa decision of 40 households, a
    proposal to the province, and people named with every hostile input."""
    users.add_user(SYSTEM, "chutich", "Chủ tịch", ["chairman"])
    chairman = users.sign_in("chutich")
    office = units.create_unit(actor, "Văn phòng UBND", "department").id
    v1 = units.create_unit(actor, "Thôn Phú Lộc", "village").id
    v2 = units.create_unit(actor, "Thôn Đông Phước", "village").id
    phu1 = people.create_person(actor, full_name="Nguyễn Văn Phú", birth_date="03/04/1980",
                                unit_id=v1, recruited_on="01/01/2010").id
    phu2 = people.create_person(actor, full_name="Nguyễn Văn Phú", birth_date="17/09/1991",
                                unit_id=v2, recruited_on="01/01/2015").id
    hostile = [s for s in hostile_inputs() if s.strip()]
    odd = [hostile_person(actor, office, s) for s in hostile]
    noms = [passed(actor, "LDTT", "individual", p, "Hoàn thành xuất sắc [b]nhiệm vụ[/b]")
            for p in (phu1, phu2, *odd)]
    noms.append(passed(actor, "TTLDTT", "collective", office))
    d = decisions.create(actor, "Về việc khen thưởng danh hiệu thi đua năm 2025 <[/]>", DAY,
                         signer="Trần Văn Tâm")
    decisions.add_nominations(actor, CFG, d.id, noms)
    d = issue(chairman, d.id)
    amend = decisions.amend(actor, d.id, "Về việc sửa đổi Quyết định khen thưởng",
                            dt.date(Y, 3, 2))
    [first] = DecisionAward.select().where(DecisionAward.decision == d.id).order_by(
        DecisionAward.id).limit(1)
    decisions.revoke_award(actor, amend.id, first.id)
    amend = issue(chairman, amend.id)
    homes = []
    for i in range(40):
        h = people.create_household(actor, "Nguyễn Văn Phú" if i % 2 else f"Lê Thị Hoa {i}",
                                    (v1, v2)[i % 2], f"Tổ {i % 5 + 1}, số nhà {i + 1}")
        homes.append(passed(actor, "GDVH", "household", h.id))
    gdvh = decisions.create(actor, "Về việc công nhận danh hiệu Gia đình văn hóa năm 2025",
                            dt.date(Y, 1, 10))
    decisions.add_nominations(actor, CFG, gdvh.id, homes)
    gdvh = issue(chairman, gdvh.id)
    upward = passed(actor, "TTLDXS", "collective", office)
    prop = proposals.create(actor, "Về việc đề nghị tặng danh hiệu Tập thể lao động xuất sắc",
                            "18/12/2026")
    proposals.add_nominations(actor, CFG, prop.id, [upward])
    prop = proposals.submit(chairman, prop.id, proposals.get(prop.id).version)
    return {"decision": d, "amend": amend, "gdvh": gdvh, "proposal": prop,
            "nomination": noms[0], "hostile": hostile, "phu": (phu1, phu2)}


@pytest.fixture
def world(admin):
    return build_world(admin)


def texts(doc) -> str:
    """Every paragraph's text, tables' cells included, one a line."""
    lines = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            lines.append(" | ".join(c.text for c in row.cells))
    return "\n".join(lines)


def built(kind: str, record_id: int):
    module = {"decision": decision_doc}.get(kind) or __import__(
        kinds.KINDS[kind].module, fromlist=["build"])
    return module.build(CFG, record_id).docx


def run_of(doc, value: str):
    for table in doc.tables:
        for cell in table._cells:
            for p in cell.paragraphs:
                if p.text == value:
                    return p, p.runs[0]
    for p in doc.paragraphs:
        if p.text == value:
            return p, p.runs[0]
    raise AssertionError(f"{value!r} not in the document")


# --- money in words ----------------------------------------------------------------------------

@pytest.mark.parametrize("amount, words", [
    (1_880_000, "Một triệu tám trăm tám mươi nghìn đồng"),
    (0, "Không đồng"),
    (15, "Mười lăm đồng"),
    (21, "Hai mươi mốt đồng"),
    (105, "Một trăm linh năm đồng"),
    (1_005, "Một nghìn không trăm linh năm đồng"),
    (710_000, "Bảy trăm mười nghìn đồng"),
    (2_340_000, "Hai triệu ba trăm bốn mươi nghìn đồng"),
    (1_001_000, "Một triệu không trăm linh một nghìn đồng"),
    (1_500_000_000, "Một tỷ năm trăm triệu đồng"),
    (25_055_000, "Hai mươi lăm triệu không trăm năm mươi lăm nghìn đồng"),
])
def test_money_in_words(amount, words):
    assert vnd_words(amount) == words


def test_negative_amounts_say_so():
    assert number_words(-760_000) == "âm bảy trăm sáu mươi nghìn"


# --- the layout --------------------------------------------------------------------------------

pytestmark = pytest.mark.backends


def test_decision_has_the_decree_30_layout(world):
    doc = built("decision", world["decision"].id)
    section = doc.sections[0]
    mm = [round(getattr(section, side).mm) for side in (
        "page_width", "page_height", "top_margin", "bottom_margin", "left_margin",
        "right_margin")]
    assert mm == [210, 297, 20, 20, 30, 15]
    assert doc.styles["Normal"].font.name == "Times New Roman"
    p, run = run_of(doc, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    assert run.bold and run.font.size == Pt(12) and run.font.name == "Times New Roman"
    assert p.alignment == WD_ALIGN_PARAGRAPH.CENTER
    _, run = run_of(doc, "Độc lập - Tự do - Hạnh phúc")
    assert run.bold and run.underline and run.font.size == Pt(13)
    _, run = run_of(doc, "ỦY BAN NHÂN DÂN")
    assert run.bold and not run.underline
    _, run = run_of(doc, "XÃ HÒA PHONG")
    assert run.bold and run.underline
    _, run = run_of(doc, "Số: 01/QĐ-UBND")
    assert not run.bold and not run.italic
    _, run = run_of(doc, "Hòa Phong, ngày 05 tháng 02 năm 2026")
    assert run.italic and run.font.size == Pt(14)
    heading = doc.tables[0]
    assert heading._tbl.tblPr.find(qn("w:tblBorders")) is not None   # borderless
    body = texts(doc)
    for line in ("QUYẾT ĐỊNH", "CHỦ TỊCH ỦY BAN NHÂN DÂN XÃ HÒA PHONG", "QUYẾT ĐỊNH:",
                 "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;",
                 "Lao động tiên tiến:", "Nơi nhận:", "- Lưu: VT.", "KT. CHỦ TỊCH",
                 "PHÓ CHỦ TỊCH", "Trần Văn Tâm"):
        assert line in body, line
    p, run = run_of(doc, "Nơi nhận:")
    assert run.bold and run.italic and run.font.size == Pt(12)
    _, run = run_of(doc, "- Lưu: VT.")
    assert run.font.size == Pt(11)
    _, run = run_of(doc, "Trần Văn Tâm")
    assert run.bold
    article = next(p for p in doc.paragraphs if p.text.startswith("Điều 1."))
    assert article.runs[0].bold and article.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    assert article.paragraph_format.first_line_indent is not None
    ground = next(p for p in doc.paragraphs if p.text.startswith("Căn cứ"))
    assert ground.runs[0].italic


def test_decision_list_tells_namesakes_apart_and_totals(world):
    d = world["decision"]
    doc = built("decision", d.id)
    table = doc.tables[-1]
    header = table.rows[0]
    assert header._tr.trPr.find(qn("w:tblHeader")) is not None
    assert [c.text for c in header.cells] == [h for h, _, _ in decision_doc.MIXED]
    rows = [[c.text for c in r.cells] for r in table.rows[1:]]
    phu = [r for r in rows if r[1] == "Nguyễn Văn Phú"]
    assert [(r[2], r[3]) for r in phu] == [("03/04/1980", "Thôn Phú Lộc"),
                                          ("17/09/1991", "Thôn Đông Phước")]
    assert phu[0][4] == "Lao động tiên tiến"
    total = decisions.total(d.id)
    assert rows[-1][1] == "Tổng cộng" and rows[-1][-1] == builder.figures(total)
    assert table.rows[-1].cells[1].paragraphs[0].runs[0].bold
    assert f"Bằng chữ: {vnd_words(total)}." in texts(doc)
    assert f"{builder.figures(total)} đồng (Bằng chữ: {vnd_words(total)})" in texts(doc)
    assert "(Kèm theo Quyết định Số: 01/QĐ-UBND ngày 05/02/2026" in texts(doc)


def test_hostile_text_appears_literally_and_the_file_stays_valid(world, tmp_path):
    path = decision_doc.write_docx(CFG, world["decision"].id, tmp_path / "qd.docx")
    doc = Document(str(path))   # parses: the XML is valid
    body = texts(doc)
    names = [n for (n,) in Person.select(Person.full_name).tuples()]
    for value in names:
        assert builder.clean(value) in body, value
    assert "[bold red]Nguyễn Văn A[/]" in body and "Robert'); DROP TABLE person;--" in body
    assert "\x1b" not in body and "\x00" not in body and "\u202e" not in body
    assert "Về việc khen thưởng danh hiệu thi đua năm 2025 <[/]>" in body


def test_amending_decision_cites_the_amended_one(world):
    doc = built("decision", world["amend"].id)
    body = texts(doc)
    assert "Sửa đổi, bổ sung Quyết định Số: 01/QĐ-UBND ngày 05/02/2026" in body
    assert "Số: 02/QĐ-UBND" in body
    rows = [[c.text for c in r.cells] for r in doc.tables[-1].rows]
    assert rows[1][4] == "Bãi bỏ: Lao động tiên tiến"
    assert rows[1][5].startswith("-") and "Thu hồi tiền thưởng" in body


def test_gdvh_decision_lists_households_with_village_and_address(world):
    doc = built("decision", world["gdvh"].id)
    table = doc.tables[-1]
    assert [c.text for c in table.rows[0].cells] == [h for h, _, _ in decision_doc.HOUSEHOLDS]
    rows = [[c.text for c in r.cells] for r in table.rows[1:]]
    assert len(rows) == 41
    assert rows[1][1:4] == ["Nguyễn Văn Phú", "Thôn Đông Phước", "Tổ 2, số nhà 2"]
    assert rows[3][1:4] == ["Nguyễn Văn Phú", "Thôn Đông Phước", "Tổ 4, số nhà 4"]
    assert "DANH SÁCH GIA ĐÌNH VĂN HÓA" in texts(doc).upper()


def test_proposal_to_the_province(world):
    doc = built("proposal", world["proposal"].id)
    body = texts(doc)
    assert "TỜ TRÌNH" in body and "Số: 01/TTr-UBND" in body
    assert "Kính gửi: Chủ tịch Ủy ban nhân dân tỉnh Phú Yên" in body
    assert "Hòa Phong, ngày 18 tháng 12 năm 2026" in body
    assert "Tập thể lao động xuất sắc: 1 tập thể" in body
    assert doc.tables[-1].rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert "TM. ỦY BAN NHÂN DÂN" in body


def test_achievement_report_is_prefilled_from_the_record(world):
    doc = built("achievement", world["nomination"])
    body = texts(doc)
    assert "BÁO CÁO THÀNH TÍCH" in body
    assert "Đề nghị tặng Lao động tiên tiến năm 2026 (cá nhân)" in body
    assert "Họ và tên: Nguyễn Văn Phú" in body and "Sinh ngày: 03/04/1980" in body
    assert "Đơn vị công tác: Thôn Phú Lộc" in body
    assert "Hoàn thành xuất sắc [b]nhiệm vụ[/b]" in body
    # Its award history: the decision issued, then withdrawn by the amendment.
    assert "NGƯỜI BÁO CÁO THÀNH TÍCH" in body


def test_finance_workbook_adds_a_signature_column(world, tmp_path):
    d = world["decision"]
    path = decision_doc.write_xlsx_list(CFG, d.id, tmp_path / "qd.xlsx")
    rows = list(openpyxl.load_workbook(path).active.iter_rows(values_only=True))
    assert rows[0][-1] == "Ký nhận" and rows[0][1] == "Họ và tên / Tập thể / Chủ hộ"
    phu = [r for r in rows if r[1] == "Nguyễn Văn Phú"]
    assert [(r[2], r[3]) for r in phu] == [("03/04/1980", "Thôn Phú Lộc"),
                                          ("17/09/1991", "Thôn Đông Phước")]
    assert rows[-1][1] == "Tổng cộng" and rows[-1][6] == decisions.total(d.id)
    assert rows[-1][7] == "Bằng chữ: " + vnd_words(decisions.total(d.id))


# --- the registry of kinds and the command line ------------------------------------------------

def test_an_extension_the_kind_cannot_produce_is_refused(world, tmp_path):
    with pytest.raises(RuleError, match=r"\.docx, \.pdf"):
        kinds.export(CFG, "proposal", "1", Y, tmp_path / "tt.xlsx")
    with pytest.raises(RuleError, match="đuôi"):
        kinds.export(CFG, "decision", "1", Y, tmp_path / "qd.odt")
    assert not (tmp_path / "tt.xlsx").exists() and not (tmp_path / "qd.odt").exists()


def test_export_finds_records_by_their_numbers(world, tmp_path):
    assert kinds.export(CFG, "decision", "01/QĐ-UBND", Y, tmp_path / "a.docx").exists()
    assert kinds.export(CFG, "proposal", "1", Y, tmp_path / "b.docx").exists()
    assert kinds.export(CFG, "achievement", str(world["nomination"]), Y,
                        tmp_path / "c.docx").exists()
    with pytest.raises(ThiduaError, match="Không có"):
        kinds.export(CFG, "proposal", "7", Y, tmp_path / "d.docx")
    with pytest.raises(RuleError, match="phải là một số"):
        kinds.export(CFG, "achievement", "abc", Y, tmp_path / "e.docx")


def test_pdf_without_libreoffice_says_so(world, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(RuleError, match="chưa cài LibreOffice"):
        kinds.export(CFG, "decision", "1", Y, tmp_path / "qd.pdf")


def test_cli_export_writes_by_extension_and_refuses_others(world, store_target, thidua,
                                                           tmp_path):
    def export(*args):
        return thidua("export", *map(str, args), "--db", store_target)

    done = export("decision", "01/QĐ-UBND", "--year", Y, "--out", tmp_path / "qd.docx")
    assert done.returncode == 0, done.stderr
    assert "Đã xuất quyết định khen thưởng kèm danh sách số 01/QĐ-UBND" in done.stdout
    assert "Số: 01/QĐ-UBND" in texts(Document(str(tmp_path / "qd.docx")))
    done = export("decision", "3", "--year", Y, "--out", tmp_path / "gdvh.xlsx")
    assert done.returncode == 0, done.stderr
    assert openpyxl.load_workbook(tmp_path / "gdvh.xlsx").active.max_row == 42
    done = export("decision", "1", "--year", Y - 1, "--out", tmp_path / "none.docx")
    assert done.returncode == 1 and "Không có quyết định" in done.stderr
    done = export("proposal", "1", "--year", Y, "--out", tmp_path / "x.xlsx")
    assert done.returncode == 1 and ".docx, .pdf" in done.stderr
    done = export("achievement", "--out", tmp_path / "y.docx")
    assert done.returncode == 1 and "Thiếu số" in done.stderr
    assert {p.name for p in tmp_path.iterdir() if p.suffix != ".sqlite"} >= {
        "qd.docx", "gdvh.xlsx"}
    assert not (tmp_path / "x.xlsx").exists() and not (tmp_path / "none.docx").exists()


def household_decision(actor, count: int, day: dt.date = dt.date(Y, 1, 10)) -> int:
    """An issued Gia đình văn hóa decision of `count` households, written in bulk (the
    village reviews and nominations behind it are another module's tests)."""
    village = units.create_unit(actor, "Thôn Bình An", "village").id
    rows = [(f"Nguyễn Văn Hộ {n}", f"nguyen van ho {n}", f"ho {n:06d}", village,
             f"Tổ {n % 9 + 1}, thôn Bình An") for n in range(count)]
    for i in range(0, len(rows), 500):
        Household.insert_many(rows[i:i + 500], fields=[
            Household.head_name, Household.search_key, Household.sort_key, Household.village,
            Household.address]).execute()
    draft = decisions.create(actor, "Về việc công nhận danh hiệu Gia đình văn hóa", day)
    homes = [h for (h,) in Household.select(Household.id).where(Household.village == village)
             .order_by(Household.id).tuples()]
    for i in range(0, len(homes), 500):
        DecisionAward.insert_many(
            [(draft.id, "GDVH", "household", h, day.year - 1) for h in homes[i:i + 500]],
            fields=[DecisionAward.decision, DecisionAward.title_code, DecisionAward.subject_kind,
                    DecisionAward.household, DecisionAward.year]).execute()
    return decisions.issue(actor, CFG, draft.id, decisions.get(draft.id).version,
                           accept_overdraw=True).id
