"""Reading the content areas out of the commune's plan: .txt and .docx."""
from __future__ import annotations

from pathlib import Path

import docx
import pytest

from models.cycle import campaigns, plan_import
from models.errors import AreasExist, PermissionDenied, RuleError, ThiduaError

pytestmark = pytest.mark.backends

PLAN = Path(__file__).resolve().parent / "data" / "plan_2023.txt"
FIRST = "Tiếp tục tuyên truyền, quán triệt tư tưởng của Chủ tịch Hồ Chí Minh"


def check_nine(items: list[str]) -> None:
    assert len(items) == 9
    assert items[0].startswith(FIRST)
    assert items[2].startswith("Đẩy mạnh thực hiện các phong trào thi đua")
    # item 3 runs over two paragraphs; the second one is part of it
    assert "“Vì người nghèo - Không để ai bị bỏ lại phía sau”" in items[2]
    assert items[5].endswith("trong học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh.")
    assert items[8].startswith("Đề nghị Thường trực Ủy ban Mặt trận Tổ quốc")
    assert not any("*" in item for item in items)  # emphasis marks of the text export
    assert not any("TỔ CHỨC THỰC HIỆN" in item or "Mục đích" == item for item in items)


def test_seed_txt_gives_nine_items():
    check_nine(plan_import.content_items(plan_import.read_plan(PLAN)))


def test_the_shared_seed():
    """The plan as the team keeps it beside the clone, not only the copy in tests/data."""
    seed = Path(__file__).resolve().parents[2] / "shared" / "seed" / "000_87e88c7bcc850968.txt"
    assert seed.exists(), f"{seed} is missing: ../shared must sit beside the clone"
    check_nine(plan_import.content_items(plan_import.read_plan(seed)))


def write_docx(path: Path, paragraphs: list[str]) -> Path:
    document = docx.Document()
    for para in paragraphs:
        document.add_paragraph(para)
    document.save(str(path))
    return path


def test_docx_built_from_the_seed_gives_the_same_items(tmp_path):
    lines = PLAN.read_text(encoding="utf-8").splitlines()
    path = write_docx(tmp_path / "ke-hoach.docx", lines)
    text = plan_import.read_plan(path)
    check_nine(plan_import.content_items(text))
    assert plan_import.content_items(text) == plan_import.content_items(plan_import.read_plan(PLAN))


def test_utf8_with_bom_and_crlf(tmp_path):
    path = tmp_path / "bom.txt"
    path.write_bytes("\ufeffII. NỘI DUNG\r\n1. Một\r\ntiếp\r\n2. Hai\r\n".encode("utf-8"))
    assert plan_import.content_items(plan_import.read_plan(path)) == ["Một tiếp", "Hai"]


def test_decomposed_text_is_stored_nfc():
    items = plan_import.content_items("II. NO\u0323\u0302I DUNG\n1. Thi đua\u0300\n")
    assert items == ["Thi đuà"]


@pytest.mark.parametrize("data, words", [
    ("Thi đua năm".encode("cp1258"), "UTF-8"),
    (b"\x00\x01\x02binary", "nhị phân"),
])
def test_other_encodings_and_binary_are_refused_in_vietnamese(tmp_path, data, words):
    path = tmp_path / "plan.txt"
    path.write_bytes(data)
    with pytest.raises(RuleError, match=words):
        plan_import.read_plan(path)


def test_missing_file_other_type_and_broken_docx(tmp_path):
    with pytest.raises(RuleError, match="Không tìm thấy tệp"):
        plan_import.read_plan(tmp_path / "khong-co.txt")
    (tmp_path / "a.pdf").write_bytes(b"%PDF")
    with pytest.raises(RuleError, match=r"\.docx hoặc \.txt"):
        plan_import.read_plan(tmp_path / "a.pdf")
    (tmp_path / "b.docx").write_bytes(b"not a zip")
    with pytest.raises(RuleError, match="Không mở được tệp .docx"):
        plan_import.read_plan(tmp_path / "b.docx")


def test_no_part_two_is_a_clear_error():
    with pytest.raises(RuleError, match="II. NỘI DUNG"):
        plan_import.content_items("I. MỤC ĐÍCH\n1. Một\nIII. TỔ CHỨC\n1. Hai\n")
    with pytest.raises(RuleError, match="không có mục nào"):
        plan_import.content_items("II. NỘI DUNG\nChỉ có lời dẫn.\nIII. TỔ CHỨC\n")


def test_add_areas_is_all_or_nothing(store, admin, system):
    c = campaigns.create_campaign(system, "Phong trào năm 2026", "yearly", 2026, "",
                                  "01/01/2026", "31/12/2026")
    with pytest.raises(ThiduaError):
        plan_import.add_areas(admin, c.id, ["Một", "Hai\x1b[2J", "Ba"])
    assert campaigns.areas(c.id) == []
    added = plan_import.add_areas(admin, c.id, ["Một", "Hai"])
    assert [a.title for a in campaigns.areas(c.id)] == ["Một", "Hai"] == [a.title for a in added]


def test_add_areas_needs_the_office(officer, system):
    c = campaigns.create_campaign(system, "Phong trào năm 2026", "yearly", 2026, "",
                                  "01/01/2026", "31/12/2026")
    with pytest.raises(PermissionDenied):
        plan_import.add_areas(officer.actor, c.id, ["Một"])


def test_docx_with_word_automatic_numbering(tmp_path):
    """Word's own numbered list: the "1." is not in the text, only in the list style."""
    document = docx.Document()
    for para, style in [("I. MỤC ĐÍCH", None), ("Mục đích", "List Number 2"),
                        ("II. NỘI DUNG", None), ("Lời dẫn của phần.", None),
                        ("Tiếp tục tuyên truyền", "List Number"),
                        ("đoạn tiếp theo của mục 1", None),
                        ("Cải cách hành chính", "List Number"), ("III. TỔ CHỨC", None),
                        ("Giao Văn phòng", "List Number 3")]:
        document.add_paragraph(para, style=style)
    document.save(str(tmp_path / "auto.docx"))
    text = plan_import.read_plan(tmp_path / "auto.docx")
    assert "1. Tiếp tục tuyên truyền" in text and "2. Cải cách hành chính" in text
    assert plan_import.content_items(text) == [
        "Tiếp tục tuyên truyền đoạn tiếp theo của mục 1", "Cải cách hành chính"]


def _campaign_with_an_area(system):
    c = campaigns.create_campaign(system, "Phong trào năm 2026", "yearly", 2026, "",
                                  "01/01/2026", "31/12/2026")
    area = campaigns.add_area(system, c.id, "Tuyên truyền")
    crit = campaigns.add_criterion(system, area.id, "Tổ chức tuyên truyền", 10)
    return c, area, crit


def test_importing_again_asks_to_replace_instead_of_doubling(store, admin, system):
    from models.store.tables import ChangeLog
    c, area, crit = _campaign_with_an_area(system)
    with pytest.raises(AreasExist, match="đã có 1 nội dung thi đua") as refused:
        plan_import.add_areas(admin, c.id, ["Một", "Hai"])
    assert refused.value.count == 1
    assert [a.title for a in campaigns.areas(c.id)] == ["Tuyên truyền"]
    added = plan_import.add_areas(admin, c.id, ["Một", "Hai"], replace=True)
    assert [a.title for a in campaigns.areas(c.id)] == ["Một", "Hai"] == [a.title for a in added]
    assert campaigns.criteria(area.id) == []
    deleted = {(e.table_name, e.row_id) for e in
               ChangeLog.select().where(ChangeLog.action == "delete")}
    assert {("content_area", area.id), ("criterion", crit.id)} <= deleted


def test_replacing_with_a_refused_item_keeps_the_old_areas(store, admin, system):
    c, _, _ = _campaign_with_an_area(system)
    with pytest.raises(ThiduaError):
        plan_import.add_areas(admin, c.id, ["Một", "Hai\x1b[2J"], replace=True)
    assert [a.title for a in campaigns.areas(c.id)] == ["Tuyên truyền"]


@pytest.mark.parametrize("work", ["score", "section"])
def test_replacing_is_refused_once_units_have_reported(store, admin, system, work):
    from models.cycle import reports, scoring
    from models.registry import units
    c, area, crit = _campaign_with_an_area(system)
    village = units.create_unit(system, "Thôn 1", "village")
    campaigns.set_units(system, c.id, [village.id])
    r = reports.open_report(system, c.id, village.id, "six_month")
    if work == "score":
        scoring.self_assess(system, r.id, crit.id, "8")
    else:
        reports.write_section(system, r.id, area.id, "Đã tổ chức 4 buổi")
    with pytest.raises(RuleError, match="Không thay được: 1 báo cáo"):
        plan_import.add_areas(admin, c.id, ["Một"], replace=True)
    assert [a.title for a in campaigns.areas(c.id)] == ["Tuyên truyền"]
    assert [k.text for k in campaigns.criteria(area.id)] == ["Tổ chức tuyên truyền"]


def test_replacing_needs_the_office(officer, system):
    c, _, _ = _campaign_with_an_area(system)
    with pytest.raises(PermissionDenied):
        plan_import.add_areas(officer.actor, c.id, ["Một"], replace=True)
    assert len(campaigns.areas(c.id)) == 1
