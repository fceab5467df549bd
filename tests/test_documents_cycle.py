"""The campaign plan, a unit's report, the Office's synthesis (.docx read back with
python-docx, one PDF each through LibreOffice) and the yearly statistics forms (.xlsx
opened with openpyxl), with hostile inputs literal (issue 13)."""
from __future__ import annotations

import datetime as dt
import subprocess

import openpyxl
import pytest
from docx import Document
from test_documents import CFG, Y, build_world
from test_reports import world  # noqa: F401  (the fixture)
from ui_helpers import hostile_inputs

from models import text
from models.cycle import campaigns, reports, synthesis
from models.documents import kinds, statistics
from models.errors import NotFound, RuleError
from models.registry.access import SYSTEM

pytestmark = pytest.mark.backends


def words(path) -> str:
    doc = Document(str(path))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def pdf_words(path) -> str:
    return " ".join(subprocess.run(["pdftotext", str(path), "-"], capture_output=True,
                                   text=True, check=True).stdout.split())


@pytest.fixture
def hostile():
    return [s for s in hostile_inputs() if s.strip() and s.isprintable()]


@pytest.fixture
def cycle(world, admin, hostile):  # noqa: F811
    """The report world, with a hostile content area, a report accepted and a synthesis
    kept."""
    w, c = world["w"], world["c"]
    area2 = campaigns.add_area(SYSTEM, c.id, hostile[0])
    r = reports.open_report(w.actor, c.id, w.own.id, "six_month")
    reports.write_section(w.actor, r.id, world["area"].id, "Đã tổ chức 12 buổi\n" + hostile[1])
    reports.add_figure(w.actor, r.id, "Hộ nghèo giảm", "12,5", "hộ")
    r = reports.submit(w.actor, r.id, r.version, dt.date(2026, 6, 1))
    reports.accept(admin, r.id, r.version)
    body = synthesis.assemble(CFG, c.id, "six_month", dt.date(2026, 7, 6))
    kept = synthesis.save(admin, c.id, "six_month", body + "\n" + "\n".join(hostile), None)
    return {**world, "area2": area2, "report": r, "synthesis": kept}


def test_plan_follows_the_seed_plan(cycle, hostile, tmp_path):
    c = cycle["c"]
    path = kinds.export(CFG, "plan", str(c.id), Y, tmp_path / "kh.docx")
    said = words(path)
    for expected in ("Số:       /KH-UBND", "Hòa Phong, ngày 01 tháng 01 năm 2026", "KẾ HOẠCH",
                     "Phát động Phong trào năm 2026", "I. MỤC ĐÍCH, YÊU CẦU", "1. Mục đích",
                     "2. Yêu cầu", "II. NỘI DUNG", "1. Tuyên truyền",
                     "- Tổ chức tuyên truyền (tối đa 10 điểm)", "III. TỔ CHỨC THỰC HIỆN",
                     "Thôn 1", "TM. ỦY BAN NHÂN DÂN", "Nơi nhận:",
                     "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;",
                     "- Các cơ quan, đơn vị, thôn trên địa bàn xã;"):
        assert expected in said, expected
    assert f"2. {hostile[0]}" in said
    doc = Document(str(path))
    heading = next(p for p in doc.paragraphs if p.text == "II. NỘI DUNG")
    assert heading.runs[0].bold


def test_unit_report_and_synthesis(cycle, hostile, tmp_path):
    said = words(kinds.export(CFG, "report", str(cycle["report"].id), Y, tmp_path / "bc.docx"))
    for expected in ("BÁO CÁO", "Sơ kết 6 tháng Phong trào năm 2026", "THÔN 1",
                     "Kính gửi: Ủy ban nhân dân xã Hòa Phong", "1. Tuyên truyền",
                     "Đã tổ chức 12 buổi", hostile[1], "Đơn vị chưa báo cáo nội dung này",
                     "Hộ nghèo giảm", "12,5", "THỦ TRƯỞNG ĐƠN VỊ",
                     "Hòa Phong, ngày 01 tháng 6 năm 2026"):
        assert expected in said, expected
    c = cycle["c"]
    assert kinds.KINDS["synthesis"].module == "models.documents.synthesis"
    path = kinds.export(CFG, "synthesis", f"{c.id}:six_month", Y, tmp_path / "th.docx")
    said = words(path)
    for expected in ("Số:       /BC-UBND", "Sơ kết 6 tháng Phong trào năm 2026",
                     "I. KẾT QUẢ THỰC HIỆN CÁC NỘI DUNG THI ĐUA", "- Thôn 1: Đã tổ chức 12 buổi",
                     *hostile):
        assert text.nfc(expected.strip()) in said, expected   # kept NFC
    assert kinds.export(CFG, "synthesis", str(c.id), Y, tmp_path / "th2.docx").exists()
    with pytest.raises(NotFound):
        kinds.export(CFG, "synthesis", f"{c.id}:yearly", Y, tmp_path / "x.docx")
    with pytest.raises(RuleError):
        kinds.export(CFG, "synthesis", "ba", Y, tmp_path / "x.docx")


def test_each_converts_to_pdf(cycle, tmp_path):
    c = cycle["c"]
    for kind, value, lines in (
            ("plan", str(c.id), ["KẾ HOẠCH", "I. MỤC ĐÍCH, YÊU CẦU", "III. TỔ CHỨC THỰC HIỆN"]),
            ("report", str(cycle["report"].id), ["BÁO CÁO", "II. SỐ LIỆU CHỦ YẾU"]),
            ("synthesis", str(c.id), ["BÁO CÁO", "III. XẾP HẠNG ĐƠN VỊ"])):
        found = pdf_words(kinds.export(CFG, kind, value, Y, tmp_path / f"{kind}.pdf"))
        for line in lines:
            assert line in found, (kind, line)


def test_statistics_in_the_layout_of_the_forms(admin, tmp_path):
    made = build_world(admin)
    campaigns.create_campaign(SYSTEM, "Phong trào năm 2026", "yearly", Y, "", "01/01/2026",
                              "31/12/2026")
    campaigns.create_campaign(SYSTEM, "Chuyên đề nông thôn mới", "thematic", Y, "",
                              "01/03/2026", "31/05/2026")
    campaigns.create_campaign(SYSTEM, "Giai đoạn 2026-2030", "periodic", Y, "", "01/01/2026",
                              "31/12/2030")
    with pytest.raises(RuleError, match="đuôi"):
        kinds.export(CFG, "statistics", str(Y), Y, tmp_path / "tk.docx")
    path = kinds.export(CFG, "statistics", str(Y), Y, tmp_path / "tk.xlsx")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Phong trào thi đua", "Khen thưởng theo đối tượng",
                               "Khen thưởng theo phương thức"]
    move = {row[0].value: row for row in book["Phong trào thi đua"].iter_rows()}
    assert move["Biểu số 0601.N/BNV-TĐKT"][0].value
    assert move["Tổng số phong trào thi đua"][2].value == 3
    assert move["- Bộ, ngành, địa phương"][2].value == 3
    assert move["- Dưới 1 năm"][2].value == 1 and move["- 1 năm"][2].value == 1
    assert move["- Từ 3 năm đến dưới 5 năm"][2].value == 0
    assert move["- Từ 5 năm trở lên"][2].value == 1
    assert move["- Theo chuyên đề"][2].value == 2 and move["- Thường xuyên hằng năm"][2].value == 1
    sheet = book["Khen thưởng theo đối tượng"]
    rows = list(sheet.iter_rows(values_only=True))
    header = next(r for r in rows if r[0] == "Chỉ tiêu")
    by = {r[0]: dict(zip(header, r)) for r in rows if r[0]}
    individuals = 2 + len(made["hostile"])
    assert by["3. Cá nhân"]["Lao động tiên tiến"] == individuals
    assert by["2. Hộ gia đình"]["Gia đình văn hóa"] == 40
    assert by["1. Tập thể"]["Tập thể lao động tiên tiến"] == 1
    assert by["Tổng số"]["Tổng số"] == individuals + 41
    # People with no recruitment date work directly (those the form refused were stored raw).
    direct = by["   Trong đó: người trực tiếp lao động, sản xuất, công tác"]
    assert 0 < direct["Lao động tiên tiến"] < individuals
    method = {r[0]: r for r in book["Khen thưởng theo phương thức"].iter_rows(values_only=True)}
    assert method["1. Thường xuyên"][2] == individuals + 41 and method["3. Đột xuất"][2] == 0
    assert statistics.find("", 2025) == 2025
    with pytest.raises(RuleError):
        statistics.find("năm nay", Y)
