"""Import from .xlsx/.csv and export to .xlsx (issue 5): the round trip through
real files opened back with openpyxl, re-import updating instead of duplicating,
and every kind of bad input giving a clear message with nothing written."""
from __future__ import annotations

import datetime as dt
import zipfile

import openpyxl
import pytest
from ui_helpers import hostile_inputs

from models import store as store_mod
from models import text
from models.errors import PermissionDenied, RuleError, StoreError, ThiduaError
from models.io import exports, imports
from models.io.reader import OLE_MAGIC
from models.registry import people, units
from models.registry.access import SYSTEM
from models.registry.tables import Household, Person, Unit
from models.store import bulk
from models.store.tables import ChangeLog, database

pytestmark = pytest.mark.backends

HEAD = ["Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD", "Đơn vị", "Chức vụ", "Thôn",
        "Chủ hộ", "Ngày tuyển dụng"]
# What the people export writes: the import's columns with the codes that find the
# unit and the household again.
EXPORTED = ["Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD", "Mã đơn vị", "Đơn vị", "Chức vụ",
            "Thôn", "Mã hộ", "Chủ hộ", "Ngày tuyển dụng"]


@pytest.fixture
def commune(store):
    t1 = units.create_unit(SYSTEM, "Thôn 1", "village")
    t2 = units.create_unit(SYSTEM, "Thôn 2", "village")
    office = units.create_unit(SYSTEM, "Văn phòng", "department")
    units.create_unit(SYSTEM, "Đài truyền thanh", "department", parent_id=office.id)
    h = people.create_household(SYSTEM, "Nguyễn Văn Hùng", t1.id, "xóm Đông")
    people.create_household(SYSTEM, "Phạm Thị Hoa", t2.id)
    people.create_person(SYSTEM, full_name="Nguyễn Văn Hùng", birth_date="01/05/1950",
                         gender="M", citizen_id="054050001234", household_id=h.id)
    people.create_person(SYSTEM, full_name="Lê Thị Lan", birth_date="20/10/1975", gender="F",
                         unit_id=office.id, position="Văn thư", recruited_on="01/03/2000")
    people.create_person(SYSTEM, full_name="Trần Văn Ba", birth_date="02/02/1982", gender="M",
                         unit_id=t2.id)
    people.create_person(SYSTEM, full_name="=HYPERLINK(\"http://x\")", gender="")
    return {"t1": t1, "t2": t2, "office": office}


def xlsx(path, rows, headers=HEAD):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


TONES = "\u0300\u0301\u0303\u0309\u0323"   # huyền, sắc, ngã, hỏi, nặng


def cp1258(value: str) -> bytes:
    """As Windows writes Vietnamese in code page 1258: letters with a tone are a
    base letter (â, ư, ...) followed by a combining tone mark ("ộ" too, whose
    decomposition puts the dot below before the circumflex)."""
    import unicodedata
    out = b""
    for ch in value:
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", ch)
            base = "".join(c for c in parts if c not in TONES)
            tone = "".join(c for c in parts if c in TONES)
            out += (unicodedata.normalize("NFC", base) + tone).encode("cp1258")
    return out


def people_snapshot():
    out = []
    for p in Person.select().order_by(Person.sort_key):
        village = p.household.village.name if p.household_id else (
            p.unit.name if p.unit_id and p.unit.kind == "village" else "")
        out.append((p.full_name, p.birth_date, p.gender, p.citizen_id,
                    p.unit.name if p.unit_id else "", p.position, village,
                    p.household.head_name if p.household_id else "", p.recruited_on))
    return out


def test_export_opened_back_with_openpyxl(commune, tmp_path):
    path, count = exports.export("people", tmp_path / "nguoi.xlsx")
    assert count == 4
    sheet = openpyxl.load_workbook(path).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == EXPORTED
    lan = next(r for r in rows if r[0] == "Lê Thị Lan")
    assert lan[1] == dt.datetime(1975, 10, 20)          # a real date, not text
    assert lan[2] == "Nữ" and lan[5] == "Văn phòng" and lan[10] == dt.datetime(2000, 3, 1)
    assert lan[4] == commune["office"].code
    cell = next(c for row in sheet.iter_rows() for c in row if c.value and
                str(c.value).startswith("=HYPERLINK"))
    assert cell.data_type == "s"                          # never a formula
    hung = next(r for r in rows if r[0] == "Nguyễn Văn Hùng")
    assert hung[3] == "054050001234" and hung[7] == "Thôn 1" and hung[9] == "Nguyễn Văn Hùng"
    assert hung[8] == Household.get(Household.head_name == "Nguyễn Văn Hùng").code
    assert sheet["B2"].number_format == "DD/MM/YYYY"


def test_people_round_trip_into_an_empty_database(commune, tmp_path):
    files = {k: exports.export(k, tmp_path / f"{k}.xlsx")[0] for k in ("units", "households",
                                                                       "people")}
    before = people_snapshot()
    database.close()
    store_mod.open_store(str(tmp_path / "empty.sqlite"), create=True)
    assert Person.select().count() == 0
    for kind in ("units", "households", "people"):
        plan = imports.prepare(kind, files[kind])
        assert plan.errors == [], plan.error_lines()
        imports.apply(SYSTEM, plan)
    assert people_snapshot() == before
    assert Unit.get(Unit.name == "Đài truyền thanh").parent.name == "Văn phòng"
    # The same file again: every row matched, nothing added.
    plan = imports.prepare("people", files["people"])
    assert (plan.count("same"), plan.count("insert")) == (4, 0)
    imports.apply(SYSTEM, plan)
    assert Person.select().count() == 4


def test_reimport_updates_by_citizen_id_else_name_birth_village(commune, tmp_path):
    path = xlsx(tmp_path / "a.xlsx", [
        ["Nguyễn Văn Hùng", dt.date(1950, 5, 1), "Nam", "054050001234", "", "Trưởng thôn",
         "Thôn 1", "Nguyễn Văn Hùng", None],
        ["Trần Văn Ba", "02/02/1982", "Nam", "", "Thôn 2", "Công an viên", "Thôn 2", "", ""],
        ["Đỗ Văn Mới", "03/03/1990", "Nam", "054090009999", "", "", "Thôn 2", "", ""],
    ])
    plan = imports.prepare("people", path)
    assert [r.action for r in plan.rows] == ["update", "update", "insert"]
    imports.apply(SYSTEM, plan)
    assert Person.select().count() == 5
    assert Person.get(Person.citizen_id == "054050001234").position == "Trưởng thôn"
    assert Person.get(Person.full_name == "Trần Văn Ba").position == "Công an viên"
    again = imports.prepare("people", path)
    assert [r.action for r in again.rows] == ["same", "same", "same"]


def test_csv_utf8_bom_and_windows_1258(commune, tmp_path):
    body = "Họ và tên;Ngày sinh;Giới tính;Thôn\nPhạm Văn Đức;05/06/1988;Nam;Thôn 2\n"
    (tmp_path / "bom.csv").write_bytes(body.encode("utf-8-sig"))
    plan = imports.prepare("people", tmp_path / "bom.csv")
    assert plan.errors == [] and plan.rows[0].values["full_name"] == "Phạm Văn Đức"
    (tmp_path / "old.csv").write_bytes(cp1258(body))
    plan = imports.prepare("people", tmp_path / "old.csv")
    assert plan.table.encoding == "windows-1258"
    assert plan.rows[0].values["full_name"] == "Phạm Văn Đức"   # stored NFC
    assert plan.rows[0].values["birth_date"] == dt.date(1988, 6, 5)
    (tmp_path / "u16.csv").write_bytes(body.encode("utf-16"))
    with pytest.raises(RuleError, match="UTF-16"):
        imports.prepare("people", tmp_path / "u16.csv")


def test_bad_files_give_one_clear_message(commune, tmp_path):
    bad = tmp_path / "hong.xlsx"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(RuleError, match="hỏng"):
        imports.prepare("people", bad)
    locked = tmp_path / "matkhau.xlsx"
    locked.write_bytes(OLE_MAGIC + b"\x00" * 512)   # how an encrypted .xlsx begins
    with pytest.raises(RuleError, match="mật khẩu"):
        imports.prepare("people", locked)
    text = tmp_path / "ghi.xlsx"
    text.write_text("hello")
    with pytest.raises(RuleError, match="không phải tệp Excel"):
        imports.prepare("people", text)
    empty_zip = tmp_path / "zip.xlsx"
    with zipfile.ZipFile(empty_zip, "w") as z:
        z.writestr("x.txt", "x")
    with pytest.raises(RuleError, match="hỏng"):
        imports.prepare("people", empty_zip)
    with pytest.raises(RuleError, match="Không có tệp"):
        imports.prepare("people", tmp_path / "khong-co.xlsx")
    (tmp_path / "a.pdf").write_bytes(b"%PDF-1.4")
    with pytest.raises(RuleError, match=".xlsx hoặc .csv"):
        imports.prepare("people", tmp_path / "a.pdf")
    wrong = xlsx(tmp_path / "cot.xlsx", [["x", "y"]], headers=["Tên hàng", "Giá"])
    with pytest.raises(RuleError, match="Thiếu cột: Họ và tên"):
        imports.prepare("people", wrong)
    twice = xlsx(tmp_path / "lap.xlsx", [["a", "b"]], headers=["Họ và tên", "Ho ten"])
    with pytest.raises(RuleError, match="lặp lại"):
        imports.prepare("people", twice)
    only_header = xlsx(tmp_path / "rong.xlsx", [])
    with pytest.raises(RuleError, match="không có dòng dữ liệu"):
        imports.prepare("people", only_header)


def test_row_errors_have_row_numbers_and_nothing_is_written(commune, tmp_path):
    path = xlsx(tmp_path / "loi.xlsx", [
        ["Hồ Văn Tốt", "01/01/1990", "Nam", "", "", "", "", "", ""],
        ["", "01/01/1990", "", "", "", "", "", "", ""],
        ["Ngày Sai", "31/02/1990", "", "", "", "", "", "", ""],
        ["CCCD Sai", "", "", "12345", "", "", "", "", ""],
        ["Đơn Vị Lạ", "", "", "", "Hội Không Có", "", "", "", ""],
        ["Giới Lạ", "", "X", "", "", "", "", "", ""],
        ["Hồ Văn Tốt", "01/01/1990", "Nam", "", "", "", "", "", ""],   # duplicate of row 2
    ])
    count, logged = Person.select().count(), ChangeLog.select().count()
    plan = imports.prepare("people", path)
    rows = [n for n, _ in plan.errors]
    assert rows == [3, 4, 5, 6, 7, 8], plan.error_lines()
    assert "trùng với dòng 2" in plan.error_lines()[-1]
    with pytest.raises(RuleError, match="Chưa ghi gì"):
        imports.apply(SYSTEM, plan)
    assert (Person.select().count(), ChangeLog.select().count()) == (count, logged)


def test_failure_midway_leaves_nothing(commune, tmp_path, monkeypatch):
    """The people are inserted, then writing their change log fails: nothing stays."""
    path = xlsx(tmp_path / "a.xlsx", [[f"Người Số {i}", "", "", "", "", "", "", "", ""]
                                      for i in range(20)])
    plan = imports.prepare("people", path)

    def full_disk(*args, **kwargs):
        assert Person.select().count() == count + 20   # the rows were written...
        raise StoreError("đĩa đầy")

    monkeypatch.setattr(bulk, "log_many", full_disk)
    count, logged = Person.select().count(), ChangeLog.select().count()
    with pytest.raises(StoreError):
        imports.apply(SYSTEM, plan)
    assert (Person.select().count(), ChangeLog.select().count()) == (count, logged)  # ...undone


def test_import_keeps_the_change_log_chain_whole(commune, tmp_path):
    from models.store import changelog
    path = xlsx(tmp_path / "a.xlsx", [
        ["Nguyễn Văn Hùng", "01/05/1950", "Nam", "054050001234", "", "Trưởng thôn", "Thôn 1",
         "Nguyễn Văn Hùng", ""]] + [[f"Người Số {i}", "", "", "", "", "", "", "", ""]
                                    for i in range(50)])
    imports.apply(SYSTEM, imports.prepare("people", path))
    assert changelog.chain_problems() == []
    hung = Person.get(Person.citizen_id == "054050001234")
    assert hung.version == 2
    entry = (ChangeLog.select().where((ChangeLog.table_name == "person")
                                      & (ChangeLog.row_id == hung.id)
                                      & (ChangeLog.action == "update")).get())
    import json
    assert json.loads(entry.after)["position"] == "Trưởng thôn"
    assert json.loads(entry.before)["position"] == ""
    inserted = ChangeLog.select().where((ChangeLog.table_name == "person")
                                        & (ChangeLog.action == "insert")).count()
    assert inserted == 4 + 50


def test_hostile_strings_are_refused_or_kept_literally(commune, tmp_path):
    import csv
    values = [v for v in hostile_inputs() if v.strip()]
    with open(tmp_path / "hostile.csv", "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["Họ và tên", "Chức vụ"])
        writer.writerows([v, v] for v in values)
    plan = imports.prepare("people", tmp_path / "hostile.csv")
    assert len(plan.rows) == len(values)
    for row, value in zip(plan.rows, values):
        if row.errors:   # control characters, too long: a message naming the row
            assert all("\x1b" not in e and "\x00" not in e for e in row.errors)
        else:
            assert row.values["full_name"] == text.nfc(value.strip())
    good = [r for r in plan.rows if not r.errors]
    assert any(r.values["full_name"] == "[@click=app.quit]Bấm vào đây[/]" for r in good)
    assert any(r.values["full_name"].startswith("Nguyễn Văn An") for r in good)  # NFC
    bad = [r for r in plan.rows if r.errors]
    assert bad and plan.count("error") == len(bad)
    with pytest.raises(RuleError):
        imports.apply(SYSTEM, plan)


def test_only_the_office_imports(commune, tmp_path, officer):
    path = xlsx(tmp_path / "a.xlsx", [["Hồ Văn Tốt", "", "", "", "", "", "", "", ""]])
    with pytest.raises(PermissionDenied):
        imports.apply(officer.actor, imports.prepare("people", path))


def test_units_and_households_import(store, tmp_path):
    path = xlsx(tmp_path / "dv.xlsx", [["Thôn 1", "Thôn", ""],
                                       ["Văn phòng", "Bộ phận chuyên môn", ""],
                                       ["Đài truyền thanh", "department", "Văn phòng"],
                                       ["Hội Lạ", "Câu lạc bộ", ""]],
                headers=["Tên đơn vị", "Loại", "Đơn vị cấp trên"])
    plan = imports.prepare("units", path)
    assert [n for n, _ in plan.errors] == [5]
    fixed = xlsx(tmp_path / "dv2.xlsx", [["Thôn 1", "Thôn", ""], ["Văn phòng", "department", ""],
                                         ["Đài truyền thanh", "department", "Văn phòng"]],
                 headers=["Tên đơn vị", "Loại", "Đơn vị cấp trên"])
    imports.apply(SYSTEM, imports.prepare("units", fixed))
    assert Unit.get(Unit.name == "Đài truyền thanh").parent.name == "Văn phòng"
    hh = xlsx(tmp_path / "ho.xlsx", [["Nguyễn Văn Hùng", "thon 1", "xóm Đông"],
                                     ["Lê Văn Tư", "Thôn 9", ""]],
              headers=["Chủ hộ", "Thôn", "Địa chỉ"])
    plan = imports.prepare("households", hh)
    assert plan.error_lines() == ["Dòng 3: không có thôn “Thôn 9”"]
    hh = xlsx(tmp_path / "ho2.xlsx", [["Nguyễn Văn Hùng", "thon 1", "xóm Đông"]],
              headers=["Chủ hộ", "Thôn", "Địa chỉ"])
    imports.apply(SYSTEM, imports.prepare("households", hh))
    imports.apply(SYSTEM, imports.prepare("households", hh))
    assert Household.select().count() == 1


def test_ten_thousand_rows_with_one_bad_row(store, tmp_path):
    units.create_unit(SYSTEM, "Thôn 1", "village")
    lines = ["Họ và tên,Ngày sinh,Số CCCD,Thôn"]
    lines += [f"Nguyễn Văn Số {i},01/01/1980,{54_000_000_000 + i:012d},Thôn 1"
              for i in range(10_000)]
    lines.append("Người Cuối,99/99/1980,,Thôn 1")
    (tmp_path / "lon.csv").write_text("\n".join(lines), encoding="utf-8")
    plan = imports.prepare("people", tmp_path / "lon.csv")
    assert plan.error_lines()[0].startswith("Dòng 10002:")
    with pytest.raises(ThiduaError):
        imports.apply(SYSTEM, plan)
    assert Person.select().count() == 0


def test_export_kinds_and_refusals(commune, tmp_path):
    for kind in ("units", "households", "campaigns"):
        path, _ = exports.export(kind, tmp_path / f"{kind}.xlsx")
        assert openpyxl.load_workbook(path).active["A1"].value
    with pytest.raises(RuleError):
        exports.export("people", tmp_path / "x.csv")
    with pytest.raises(RuleError):
        exports.export("dashboard", tmp_path / "d.xlsx")


def test_cli_export_then_import_with_dry_run(thidua, home):
    demo, empty = home.root / "demo.sqlite", home.root / "empty.sqlite"
    assert thidua("--db", demo, "demo", "--persons", "150").returncode == 0
    assert thidua("--db", empty, "init").returncode == 0
    for kind in ("units", "households", "people"):
        done = thidua("--db", demo, "export", kind, "--out", home.root / f"{kind}.xlsx")
        assert done.returncode == 0 and "Đã xuất" in done.stdout, done.stderr
    dry = thidua("--db", empty, "import", "units", home.root / "units.xlsx", "--dry-run")
    assert dry.returncode == 0 and "chưa ghi gì" in dry.stdout
    refused = thidua("--db", empty, "import", "people", home.root / "people.xlsx")
    assert refused.returncode == 1 and "Dòng 2:" in refused.stdout   # units not there yet
    assert "Chưa ghi gì" in refused.stdout
    for kind in ("units", "households", "people"):
        done = thidua("--db", empty, "import", kind, home.root / f"{kind}.xlsx")
        assert done.returncode == 0 and "Đã nhập" in done.stdout, done.stdout + done.stderr
    again = thidua("--db", empty, "import", "people", home.root / "people.xlsx")
    assert "thêm 0, cập nhật 0, không đổi 150" in again.stdout
    bad = thidua("--db", empty, "import", "people", home.root / "khong-co.xlsx")
    assert bad.returncode == 1 and "Không có tệp" in bad.stderr and "Traceback" not in bad.stderr
    dash = thidua("--db", demo, "export", "dashboard", "--campaign", "1", "--out",
                  home.root / "d.xlsx")
    assert dash.returncode == 0, dash.stderr
    book = openpyxl.load_workbook(home.root / "d.xlsx")
    assert [c.value for c in book.active[1]] == ["Đơn vị", "Loại", "Trạng thái",
                                                 "Số ngày muộn", "Điểm"]


def test_a_households_file_of_the_old_export_is_refused_not_doubled(commune, tmp_path):
    """The export before codes wrote each household's number under "Mã hộ"."""
    path = xlsx(tmp_path / "cu.xlsx", [["Nguyễn Văn Hùng", "Thôn 1", "xóm Đông", 1]],
                headers=["Chủ hộ", "Thôn", "Địa chỉ", "Mã hộ"])
    plan = imports.prepare("households", path)
    assert plan.error_lines() == ["Dòng 2: Mã hộ 1 là một số: tệp xuất từ phiên bản trước ghi "
                                  "số thứ tự của hộ, không phải mã hộ; hãy xuất lại danh sách hộ"]
