"""Importing units, households and people from Excel (.xlsx) and CSV files, and
exporting every list to .xlsx.

An import is read and checked in full first (`prepare`): columns are found by
their Vietnamese headers (with or without accents), every row is validated and
matched against what is stored, and the preview says per row what will happen,
with row numbers on every problem. `apply` then writes everything in one
transaction, or nothing: a file with any error writes nothing at all.

Re-importing the same file updates what it imported before instead of adding it
twice: units match by name, households by head and village, people by citizen ID,
else by name + birth date + village.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import peewee as pw

from models import fields, text
from models.awards.tables import TitleAward
from models.cycle import reports, scoring
from models.cycle.tables import CAMPAIGN_KINDS, Campaign
from models.errors import RuleError, StoreError, ThiduaError
# Apart, so that the command line can list them without importing this module.
from models.io.kinds import EXPORT_KINDS, IMPORT_KINDS, NEEDS_CAMPAIGN
from models.registry import units
from models.registry.access import Actor, require
from models.registry.tables import GENDERS, UNIT_KINDS, Household, Person, Unit
from models.store import changelog, db, records
from models.store.tables import ChangeLog, database

MAX_ROWS = 100_000
MAX_BYTES = 64 * 1024 * 1024
MAX_ERRORS_SHOWN = 200
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"   # encrypted .xlsx and old .xls
ZIP_MAGIC = b"PK\x03\x04"


# -- reading a file -----------------------------------------------------------------------

@dataclass
class Table:
    headers: list[str]
    rows: list[tuple[int, list]]   # (row number in the file, cells)
    encoding: str = ""             # for CSV: what the file was read as


def _xlsx(path: Path) -> Table:
    with open(path, "rb") as fh:
        head = fh.read(8)
    if head == OLE_MAGIC:
        raise RuleError(f"Tệp {path.name} được đặt mật khẩu (hoặc là định dạng .xls cũ): "
                        "mở bằng Excel, bỏ mật khẩu và lưu thành .xlsx rồi nhập lại.")
    if not head.startswith(ZIP_MAGIC):
        raise RuleError(f"Tệp {path.name} không phải tệp Excel .xlsx (hoặc đã hỏng).")
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as exc:
        raise RuleError(f"Tệp {path.name} bị hỏng, không đọc được như tệp Excel "
                        f"({type(exc).__name__}).") from None
    except Exception as exc:  # openpyxl raises many kinds on damaged XML
        raise RuleError(f"Tệp {path.name} bị hỏng, không đọc được như tệp Excel "
                        f"({type(exc).__name__}).") from None
    try:
        sheet = book.worksheets[0] if book.worksheets else None
        if sheet is None:
            raise RuleError(f"Tệp {path.name} không có trang tính nào.")
        headers: list[str] | None = None
        rows: list[tuple[int, list]] = []
        for number, values in enumerate(sheet.iter_rows(values_only=True), 1):
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
                continue
            if headers is None:
                headers = ["" if v is None else str(v) for v in values]
                continue
            if len(rows) >= MAX_ROWS:
                raise RuleError(f"Tệp có hơn {MAX_ROWS:,} dòng; hãy chia nhỏ tệp.".replace(",", "."))
            rows.append((number, list(values)))
    except ThiduaError:
        raise
    except Exception as exc:
        raise RuleError(f"Tệp {path.name} bị hỏng, không đọc được như tệp Excel "
                        f"({type(exc).__name__}).") from None
    finally:
        book.close()
    return Table(headers or [], rows)


def decode(data: bytes, encoding: str | None = None) -> tuple[str, str]:
    """The text of a CSV file and the encoding it was read as: UTF-8 (with or
    without BOM), else Windows-1258, the legacy Vietnamese code page."""
    if encoding:
        try:
            return data.decode(encoding), encoding
        except LookupError:
            raise RuleError(f"Không biết bảng mã “{text.visible(encoding)}”.") from None
        except UnicodeDecodeError as exc:
            raise RuleError(f"Tệp không đọc được bằng bảng mã {encoding} (byte thứ "
                            f"{exc.start + 1}).") from None
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1258"), "windows-1258"
    except UnicodeDecodeError:
        raise RuleError("Không nhận ra bảng mã của tệp CSV (không phải UTF-8 hay "
                        "Windows-1258): trong Excel chọn Lưu thành “CSV UTF-8”.") from None


def _csv(path: Path, encoding: str | None) -> Table:
    data = path.read_bytes()
    if data.startswith(ZIP_MAGIC) or data.startswith(OLE_MAGIC):
        raise RuleError(f"Tệp {path.name} là tệp Excel, không phải CSV: đổi đuôi thành .xlsx.")
    head = data[:4096]
    utf16 = head.startswith((b"\xff\xfe", b"\xfe\xff")) or head.count(b"\x00") > len(head) // 4
    if utf16 and not encoding:
        raise RuleError(f"Tệp {path.name} có vẻ là UTF-16 hoặc tệp nhị phân; "
                        "hãy lưu thành “CSV UTF-8”.")
    body, used = decode(data, encoding)
    body = text.nfc(body)
    first = body.split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count)
    reader = csv.reader(io.StringIO(body, newline=""), delimiter=delimiter)
    headers: list[str] | None = None
    rows: list[tuple[int, list]] = []
    try:
        for values in reader:
            number = reader.line_num
            if not any(v.strip() for v in values):
                continue
            if headers is None:
                headers = values
                continue
            if len(rows) >= MAX_ROWS:
                raise RuleError(f"Tệp có hơn {MAX_ROWS:,} dòng; hãy chia nhỏ tệp.".replace(",", "."))
            rows.append((number, values))
    except csv.Error as exc:
        raise RuleError(f"Tệp CSV hỏng ở dòng {reader.line_num}: {exc}.") from None
    return Table(headers or [], rows, used)


def read_table(path: Path, encoding: str | None = None) -> Table:
    path = Path(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise RuleError(f"Không có tệp {path}.") from None
    except OSError as exc:
        raise RuleError(f"Không đọc được {path}: {exc.strerror}.") from None
    if path.is_dir():
        raise RuleError(f"{path} là một thư mục, không phải tệp.")
    if size > MAX_BYTES:
        raise RuleError(f"Tệp {path.name} quá lớn (hơn 64 MB).")
    suffix = path.suffix.lower()
    try:
        if suffix in (".xlsx", ".xlsm"):
            return _xlsx(path)
        if suffix in (".csv", ".txt"):
            return _csv(path, encoding)
    except PermissionError:
        raise RuleError(f"Không có quyền đọc tệp {path.name}.") from None
    if suffix == ".xls":
        raise RuleError("Định dạng .xls cũ không đọc được: mở bằng Excel và lưu thành .xlsx.")
    raise RuleError(f"Chỉ nhập được tệp .xlsx hoặc .csv (tệp đã chọn: {path.name}).")


# -- columns ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Column:
    name: str
    header: str                       # what export writes
    aliases: tuple[str, ...] = ()     # other headers accepted on import
    required: bool = False


IMPORT_COLUMNS: dict[str, list[Column]] = {
    "units": [
        Column("name", "Tên đơn vị", ("đơn vị", "tên"), True),
        Column("kind", "Loại", ("loại đơn vị",)),
        Column("parent", "Đơn vị cấp trên", ("cấp trên", "trực thuộc")),
        Column("note", "Ghi chú"),
    ],
    "households": [
        Column("head_name", "Chủ hộ", ("họ tên chủ hộ", "tên chủ hộ"), True),
        Column("village", "Thôn", ("thôn/xóm", "tên thôn"), True),
        Column("address", "Địa chỉ"),
    ],
    "people": [
        Column("full_name", "Họ và tên", ("họ tên", "tên"), True),
        Column("birth_date", "Ngày sinh", ("ngày tháng năm sinh",)),
        Column("gender", "Giới tính", ("giới",)),
        Column("citizen_id", "Số CCCD", ("cccd", "số định danh", "số cmnd", "cmnd",
                                         "căn cước công dân")),
        Column("unit", "Đơn vị", ("đơn vị công tác",)),
        Column("position", "Chức vụ"),
        Column("village", "Thôn", ("thôn/xóm",)),
        Column("household", "Chủ hộ", ("hộ", "thuộc hộ")),
        Column("recruited_on", "Ngày tuyển dụng", ("ngày vào làm",)),
    ],
}


def _header_key(value) -> str:
    return " ".join(text.fold(str(value or "")).replace("*", " ").replace(":", " ").split())


def map_columns(kind: str, headers: list[str]) -> tuple[dict[str, int], list[str]]:
    """Field -> column index, and the headers nothing uses; missing or doubled
    columns are refused with the headers the file should have."""
    spec = IMPORT_COLUMNS[kind]
    by_key = {}
    for col in spec:
        for alias in (col.header, *col.aliases):
            by_key.setdefault(_header_key(alias), col.name)
    found: dict[str, int] = {}
    ignored = []
    for index, header in enumerate(headers):
        key = _header_key(header)
        name = by_key.get(key)
        if name is None:
            if key:
                ignored.append(text.visible(str(header)))
            continue
        if name in found:
            raise RuleError(f"Cột “{text.visible(str(header))}” lặp lại (cột {index + 1}).")
        found[name] = index
    missing = [c.header for c in spec if c.required and c.name not in found]
    if missing:
        expected = ", ".join(c.header + ("*" if c.required else "") for c in spec)
        raise RuleError(f"Thiếu cột: {', '.join(missing)}. Dòng tiêu đề cần có các cột: "
                        f"{expected} (* là bắt buộc).")
    return found, ignored


# -- cell values --------------------------------------------------------------------------

def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dt.datetime, dt.date)):
        return text.format_date(value)
    return str(value)


def _date(value, label: str) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return fields.optional_date(_text(value), label)


def _citizen_id(value) -> str | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        # Excel turned the number into a number and dropped its leading zero.
        digits = str(int(value))
        if len(digits) in (8, 11):
            digits = "0" + digits
        return fields.citizen_id(digits)
    return fields.citizen_id(_text(value))


_GENDER_WORDS = {"nam": "M", "m": "M", "nu": "F", "f": "F", "": ""}


def _gender(value) -> str:
    key = text.fold(_text(value)).strip()
    if key in _GENDER_WORDS:
        return _GENDER_WORDS[key]
    raise RuleError(f"Giới tính “{text.visible(_text(value))}” không hợp lệ; ghi Nam hoặc Nữ.")


def _kind(value) -> str:
    raw = _text(value).strip()
    if not raw:
        return "other"
    key = text.fold(raw)
    for code, label in UNIT_KINDS.items():
        if key in (code, text.fold(label)):
            return code
    names = ", ".join(UNIT_KINDS.values())
    raise RuleError(f"Loại đơn vị “{text.visible(raw)}” không hợp lệ; ghi một trong: {names}.")


# -- the plan -------------------------------------------------------------------------------

ACTIONS = {"insert": "Thêm", "update": "Cập nhật", "same": "Không đổi", "error": "Lỗi"}


@dataclass
class RowPlan:
    row_no: int
    label: str
    action: str = "insert"          # a key of ACTIONS
    target_id: int | None = None
    values: dict = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


@dataclass
class ImportPlan:
    kind: str
    file_name: str
    table: Table
    columns: dict[str, int]
    ignored: list[str]
    rows: list[RowPlan]

    @property
    def errors(self) -> list[tuple[int, str]]:
        return [(r.row_no, e) for r in self.rows for e in r.errors]

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows if r.action == action)

    def summary(self) -> str:
        parts = [f"{len(self.rows)} dòng", f"thêm {self.count('insert')}",
                 f"cập nhật {self.count('update')}", f"không đổi {self.count('same')}"]
        bad = len(self.errors)
        parts.append(f"{bad} lỗi" if bad else "không có lỗi")
        if self.table.encoding:
            parts.append(f"bảng mã {self.table.encoding}")
        return ", ".join(parts)

    def error_lines(self, limit: int = MAX_ERRORS_SHOWN) -> list[str]:
        lines = [f"Dòng {n}: {e}" for n, e in self.errors[:limit]]
        if len(self.errors) > limit:
            lines.append(f"... và {len(self.errors) - limit} lỗi khác.")
        return lines


def _cell(row: list, columns: dict[str, int], name: str):
    index = columns.get(name)
    if index is None or index >= len(row):
        return None
    return row[index]


def _guard(plan_row: RowPlan, fn, *args):
    try:
        return fn(*args)
    except (ThiduaError, ValueError) as exc:
        plan_row.errors.append(str(exc))
        return None


def _units_plan(table: Table, columns: dict[str, int]) -> list[RowPlan]:
    existing: dict[str, list[Unit]] = {}
    for u in Unit.select():
        existing.setdefault(u.search_key, []).append(u)
    seen: dict[str, int] = {}
    out = []
    for row_no, row in table.rows:
        p = RowPlan(row_no, text.visible(_text(_cell(row, columns, "name"))))
        name = _guard(p, fields.name, _text(_cell(row, columns, "name")), "Tên đơn vị")
        kind = _guard(p, _kind, _cell(row, columns, "kind"))
        note = _guard(p, lambda v: fields.optional_text(v, "Ghi chú", multiline=True,
                                                        max_len=2000),
                      _text(_cell(row, columns, "note")))
        parent = _guard(p, lambda v: fields.optional_text(v, "Đơn vị cấp trên"),
                        _text(_cell(row, columns, "parent")))
        if name is not None:
            key = text.fold(name)
            if key in seen:
                p.errors.append(f"trùng với dòng {seen[key]} (cùng tên đơn vị)")
            seen.setdefault(key, row_no)
            matches = existing.get(key, [])
            if len(matches) > 1:
                p.errors.append(f"có {len(matches)} đơn vị cùng tên “{text.visible(name)}” "
                                "trong dữ liệu; sửa tên trên màn hình Đơn vị trước")
            elif matches:
                p.target_id = matches[0].id
        if parent:
            pkey = text.fold(parent)
            if pkey == text.fold(name or ""):
                p.errors.append("đơn vị cấp trên không được là chính nó")
            elif len(existing.get(pkey, [])) != 1 and pkey not in seen:
                p.errors.append(f"không tìm thấy đơn vị cấp trên “{text.visible(parent)}” "
                                "(đặt dòng của nó lên trước)")
        p.values = {"name": name, "kind": kind, "note": note or "", "parent": parent or ""}
        if not p.errors and p.target_id is not None:
            u = existing[text.fold(name)][0]
            current_parent = Unit.get_by_id(u.parent_id).name if u.parent_id else ""
            same = (u.name, u.kind, u.note, text.fold(current_parent)) == \
                (name, kind, note or "", text.fold(parent or ""))
            p.action = "same" if same else "update"
        out.append(p)
    return out


def _villages() -> dict[str, int]:
    return {u.search_key: u.id for u in Unit.select().where(Unit.kind == "village")}


def _households_plan(table: Table, columns: dict[str, int]) -> list[RowPlan]:
    villages = _villages()
    existing = {(h.search_key, h.village_id): h for h in Household.select()}
    seen: dict[tuple, int] = {}
    out = []
    for row_no, row in table.rows:
        p = RowPlan(row_no, text.visible(_text(_cell(row, columns, "head_name"))))
        head = _guard(p, fields.name, _text(_cell(row, columns, "head_name")), "Chủ hộ")
        village_name = _text(_cell(row, columns, "village")).strip()
        village = villages.get(text.fold(village_name))
        if not village_name:
            p.errors.append("thiếu tên thôn")
        elif village is None:
            p.errors.append(f"không có thôn “{text.visible(village_name)}”")
        address = _guard(p, lambda v: fields.optional_text(v, "Địa chỉ"),
                         _text(_cell(row, columns, "address")))
        if head is not None and village is not None:
            key = (text.fold(head), village)
            if key in seen:
                p.errors.append(f"trùng với dòng {seen[key]} (cùng chủ hộ, cùng thôn)")
            seen.setdefault(key, row_no)
            match = existing.get(key)
            if match is not None:
                p.target_id = match.id
                p.action = "same" if (match.head_name, match.address) == \
                    (head, address or "") else "update"
        p.values = {"head_name": head, "village": village, "address": address or ""}
        out.append(p)
    return out


def _people_plan(table: Table, columns: dict[str, int]) -> list[RowPlan]:
    villages = _villages()
    unit_ids: dict[str, list[int]] = {}
    unit_kind: dict[int, str] = {}
    for u in Unit.select(Unit.id, Unit.search_key, Unit.kind):
        unit_ids.setdefault(u.search_key, []).append(u.id)
        unit_kind[u.id] = u.kind
    households: dict[tuple, list[int]] = {}
    household_village: dict[int, int] = {}
    for h in Household.select(Household.id, Household.search_key, Household.village):
        households.setdefault((h.search_key, h.village_id), []).append(h.id)
        household_village[h.id] = h.village_id
    by_cid: dict[str, Person] = {}
    by_key: dict[tuple, list[Person]] = {}
    by_id: dict[int, Person] = {}
    for person in Person.select():
        by_id[person.id] = person
        if person.citizen_id:
            by_cid[person.citizen_id] = person
        village = household_village.get(person.household_id) or (
            person.unit_id if unit_kind.get(person.unit_id) == "village" else None)
        by_key.setdefault((person.search_key, person.birth_date, village), []).append(person)
    seen_cid: dict[str, int] = {}
    seen_key: dict[tuple, int] = {}
    out = []
    for row_no, row in table.rows:
        cell = lambda name: _cell(row, columns, name)  # noqa: E731
        p = RowPlan(row_no, text.visible(_text(cell("full_name"))))
        name = _guard(p, fields.name, _text(cell("full_name")), "Họ và tên")
        born = _guard(p, _date, cell("birth_date"), "Ngày sinh")
        recruited = _guard(p, _date, cell("recruited_on"), "Ngày tuyển dụng")
        if born and recruited and recruited < born:
            p.errors.append("ngày tuyển dụng không thể trước ngày sinh")
        gender = _guard(p, _gender, cell("gender"))
        cid = _guard(p, _citizen_id, cell("citizen_id"))
        position = _guard(p, lambda v: fields.optional_text(v, "Chức vụ", max_len=200),
                          _text(cell("position")))
        unit_id = None
        unit_name = _text(cell("unit")).strip()
        if unit_name:
            found = unit_ids.get(text.fold(unit_name), [])
            if len(found) == 1:
                unit_id = found[0]
            else:
                p.errors.append(f"không có đơn vị “{text.visible(unit_name)}”" if not found else
                                f"có {len(found)} đơn vị cùng tên “{text.visible(unit_name)}”")
        village = None
        village_name = _text(cell("village")).strip()
        if village_name:
            village = villages.get(text.fold(village_name))
            if village is None:
                p.errors.append(f"không có thôn “{text.visible(village_name)}”")
        household_id = None
        head = _text(cell("household")).strip()
        if head:
            if village is None and not village_name:
                p.errors.append("có chủ hộ thì phải ghi cả thôn")
            elif village is not None:
                found = households.get((text.fold(head), village), [])
                if len(found) == 1:
                    household_id = found[0]
                else:
                    p.errors.append(
                        f"không có hộ “{text.visible(head)}” ở thôn này (nhập hộ trước)"
                        if not found else f"có {len(found)} hộ cùng chủ hộ “{text.visible(head)}”")
        if village is None and unit_id is not None and unit_kind.get(unit_id) == "village":
            village = unit_id
        if name is not None:
            if cid:
                if cid in seen_cid:
                    p.errors.append(f"trùng số CCCD với dòng {seen_cid[cid]}")
                seen_cid.setdefault(cid, row_no)
            key = (text.fold(name), born, village)
            if key in seen_key and not cid:
                p.errors.append(f"trùng với dòng {seen_key[key]} (cùng tên, ngày sinh, thôn)")
            seen_key.setdefault(key, row_no)
            match = by_cid.get(cid) if cid else None
            if match is None:
                candidates = [c for c in by_key.get(key, []) if not cid or not c.citizen_id]
                if len(candidates) > 1:
                    p.errors.append(f"có {len(candidates)} người cùng tên, ngày sinh và thôn; "
                                    "ghi số CCCD để phân biệt")
                elif candidates:
                    match = candidates[0]
            if match is not None:
                p.target_id = match.id
        p.values = {"full_name": name, "search_key": text.fold(name or ""),
                    "sort_key": text.sort_key(name or ""), "birth_date": born,
                    "gender": gender or "", "citizen_id": cid, "unit": unit_id,
                    "position": position or "", "household": household_id,
                    "recruited_on": recruited}
        if p.target_id is not None and not p.errors:
            current = by_id[p.target_id]
            same = all(getattr(current, k + ("_id" if k in ("unit", "household") else ""))
                       == v for k, v in p.values.items())
            p.action = "same" if same else "update"
        out.append(p)
    return out


_PLANNERS = {"units": _units_plan, "households": _households_plan, "people": _people_plan}


def _plan(kind: str, table: Table, file_name: str) -> ImportPlan:
    columns, ignored = map_columns(kind, table.headers)
    if not table.rows:
        raise RuleError("Tệp không có dòng dữ liệu nào dưới dòng tiêu đề.")
    rows = _PLANNERS[kind](table, columns)
    for r in rows:
        if r.errors:
            r.action = "error"
    return ImportPlan(kind, file_name, table, columns, ignored, rows)


def prepare(kind: str, path: Path, encoding: str | None = None) -> ImportPlan:
    """Read and check the file: nothing is written."""
    if kind not in IMPORT_KINDS:
        raise RuleError(f"Không nhập được “{text.visible(kind)}”; chọn: "
                        + ", ".join(IMPORT_KINDS) + ".")
    path = Path(path)
    return _plan(kind, read_table(path, encoding), path.name)


def apply(actor: Actor, plan: ImportPlan) -> dict[str, int]:
    """Write the checked plan in one transaction (checked again inside it, since
    others may have saved since the preview). Any error: nothing is written."""
    require(actor, "admin", action="nhập dữ liệu từ tệp")
    with database.atomic():
        fresh = _plan(plan.kind, plan.table, plan.file_name)
        if fresh.errors:
            raise RuleError(f"Chưa ghi gì: tệp còn {len(fresh.errors)} lỗi "
                            f"(dòng {fresh.errors[0][0]}: {fresh.errors[0][1]}).")
        writer = {"units": _write_units, "households": _write_households,
                  "people": _write_people}[plan.kind]
        writer(actor, fresh)
        changelog.record(actor.login, "import", None, "import",
                         after={"kind": plan.kind, "file": plan.file_name,
                                "rows": len(fresh.rows), "inserted": fresh.count("insert"),
                                "updated": fresh.count("update")})
    db.after_bulk_load(database)
    return {"insert": fresh.count("insert"), "update": fresh.count("update"),
            "same": fresh.count("same")}


def _create(actor: Actor, model, **values):
    row = model.create(**values)
    changelog.record(actor.login, records.table_of(model), row.id, "insert",
                     after=changelog.snapshot(row))
    return row


def _change(actor: Actor, model, row_id: int, **values) -> None:
    current = model.get_by_id(row_id)
    before = changelog.snapshot(current)
    values["version"] = current.version + 1
    model.update(**values).where(model.id == row_id).execute()
    changelog.record(actor.login, records.table_of(model), row_id, "update", before=before,
                     after=changelog.snapshot(model.get_by_id(row_id)))


def _write_units(actor: Actor, plan: ImportPlan) -> None:
    ids = {u.search_key: u.id for u in Unit.select(Unit.id, Unit.search_key)}
    for r in plan.rows:
        v = r.values
        parent = ids.get(text.fold(v["parent"])) if v["parent"] else None
        values = {"name": v["name"], "search_key": text.fold(v["name"]), "kind": v["kind"],
                  "note": v["note"], "parent": parent}
        if r.action == "insert":
            ids[values["search_key"]] = _create(actor, Unit, **values).id
        elif r.action == "update":
            units._check_parent(r.target_id, parent)
            _change(actor, Unit, r.target_id, **values)


# Bound parameters per INSERT, under SQLite's limit (32,766) and PostgreSQL's.
MAX_PARAMETERS = 30_000


def _log_many(actor: Actor, table: str, entries: list[tuple[int, str, dict, dict]]) -> None:
    """Change-log entries for many rows at once, chained exactly as
    changelog.record chains them one by one (`thidua check` verifies the chain);
    one INSERT per few thousand entries instead of two statements per row."""
    if not entries:
        return
    if not db.is_sqlite(database.obj):
        database.execute_sql("LOCK TABLE change_log IN SHARE ROW EXCLUSIVE MODE")
    last = ChangeLog.select(ChangeLog.hash).order_by(ChangeLog.id.desc()).first()
    prev = last.hash if last else changelog.GENESIS
    at = ChangeLog.at.default()
    rows = []
    for row_id, action, before, after in entries:
        before_s, after_s = changelog._dump(before), changelog._dump(after)
        digest = changelog.entry_hash(prev, at, actor.login, table, row_id, action, before_s,
                                      after_s)
        rows.append((at, actor.login, table, row_id, action, before_s, after_s, prev, digest))
        prev = digest
    columns = [ChangeLog.at, ChangeLog.login, ChangeLog.table_name, ChangeLog.row_id,
               ChangeLog.action, ChangeLog.before, ChangeLog.after, ChangeLog.prev_hash,
               ChangeLog.hash]
    for batch in pw.chunked(rows, MAX_PARAMETERS // len(columns)):
        ChangeLog.insert_many(batch, fields=columns).execute()


def _insert_many(actor: Actor, model, rows: list[dict]) -> None:
    """Insert `rows` (all with the same keys) in a few statements and log each.
    New ids are read back in insertion order: nobody else inserts meanwhile (the
    transaction is IMMEDIATE on SQLite; the table is locked on PostgreSQL)."""
    if not rows:
        return
    table = records.table_of(model)
    if not db.is_sqlite(database.obj):
        database.execute_sql(f'LOCK TABLE "{table}" IN SHARE ROW EXCLUSIVE MODE')
    before = model.select(pw.fn.MAX(model.id)).scalar() or 0
    names = list(rows[0])
    columns = [getattr(model, name) for name in names]
    for batch in pw.chunked(rows, MAX_PARAMETERS // (len(columns) + 1)):
        model.insert_many([tuple(r[n] for n in names) for r in batch], fields=columns).execute()
    ids = [i for (i,) in model.select(model.id).where(model.id > before)
           .order_by(model.id).tuples()]
    if len(ids) != len(rows):  # pragma: no cover - someone wrote despite the lock
        raise StoreError("Có người khác vừa ghi cùng lúc; nhập lại tệp.")
    _log_many(actor, table, [(i, "insert", {}, changelog.snapshot(model(id=i, **r)))
                             for i, r in zip(ids, rows)])


def _update_many(actor: Actor, model, changes: list[tuple[int, dict]]) -> None:
    """Update each (id, values) with its version raised, and log before/after."""
    if not changes:
        return
    current = {}
    for chunk in pw.chunked([i for i, _ in changes], 500):
        current.update({row.id: row for row in model.select().where(model.id.in_(chunk))})
    entries = []
    for row_id, values in changes:
        before = changelog.snapshot(current[row_id])
        values = {**values, "version": current[row_id].version + 1}
        model.update(**values).where(model.id == row_id).execute()
        entries.append((row_id, "update", before, {**before, **values}))
    _log_many(actor, records.table_of(model), entries)


def _write_households(actor: Actor, plan: ImportPlan) -> None:
    new, changed = [], []
    for r in plan.rows:
        v = r.values
        values = {"head_name": v["head_name"], "search_key": text.fold(v["head_name"]),
                  "sort_key": text.sort_key(v["head_name"]), "village": v["village"],
                  "address": v["address"]}
        if r.action == "insert":
            new.append(values)
        elif r.action == "update":
            changed.append((r.target_id, values))
    _insert_many(actor, Household, new)
    _update_many(actor, Household, changed)


def _write_people(actor: Actor, plan: ImportPlan) -> None:
    _insert_many(actor, Person, [r.values for r in plan.rows if r.action == "insert"])
    _update_many(actor, Person, [(r.target_id, r.values) for r in plan.rows
                                 if r.action == "update"])


# -- export ---------------------------------------------------------------------------------

_ILLEGAL = re.compile(r"[\000-\010\013\014\016-\037]")
DATE_FORMAT = "DD/MM/YYYY"
MONEY_FORMAT = "#,##0"


@dataclass(frozen=True)
class Sheet:
    title: str
    headers: list[tuple[str, str, int]]   # (header, type: text|date|number|money, width)
    rows: list[list]


def write_xlsx(path: Path, sheet: Sheet) -> Path:
    """One sheet, Vietnamese headers, dates as dates, money and numbers as numbers.
    Text is always text: "=..." from a user never becomes a formula."""
    import openpyxl
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = openpyxl.Workbook(write_only=True)
    ws = book.create_sheet(sheet.title[:31])
    for i, (_, _, width) in enumerate(sheet.headers, 1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"
    bold = Font(bold=True)
    heading = []
    for header, _, _ in sheet.headers:
        cell = WriteOnlyCell(ws, value=header)
        cell.font = bold
        heading.append(cell)
    ws.append(heading)
    kinds = [kind for _, kind, _ in sheet.headers]
    for values in sheet.rows:
        out = []
        for value, kind in zip(values, kinds):
            if value is None or value == "":
                out.append(None)
                continue
            if kind == "text":
                cell = WriteOnlyCell(ws, value=_ILLEGAL.sub(
                    lambda m: text.visible(m.group()), str(value)))
                cell.data_type = "s"
            elif kind == "date":
                cell = WriteOnlyCell(ws, value=value)
                cell.number_format = DATE_FORMAT
            elif kind == "money":
                cell = WriteOnlyCell(ws, value=int(value))
                cell.number_format = MONEY_FORMAT
            else:
                number = float(value) if isinstance(value, Decimal) else value
                cell = WriteOnlyCell(ws, value=number)
            out.append(cell)
        ws.append(out)
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    try:
        book.save(str(tmp))
        tmp.replace(path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise StoreError(f"Không ghi được {path}: {exc.strerror or exc}.") from None
    return path


def _d(value) -> dt.date | None:
    return value or None


def units_sheet() -> Sheet:
    heads = {u.id: u for u in Person.select().join(Unit, on=(Unit.head == Person.id))}
    rows = []
    for unit, _depth in units.tree():
        rows.append([unit.name, UNIT_KINDS.get(unit.kind, unit.kind),
                     unit.parent.name if unit.parent_id else "",
                     heads[unit.head_id].full_name if unit.head_id in heads else "",
                     "có" if unit.active else "không", unit.note])
    return Sheet("Đơn vị", [("Tên đơn vị", "text", 40), ("Loại", "text", 18),
                            ("Đơn vị cấp trên", "text", 30), ("Người đứng đầu", "text", 26),
                            ("Còn hoạt động", "text", 8), ("Ghi chú", "text", 30)], rows)


def households_sheet() -> Sheet:
    village = {u.id: u.name for u in Unit.select().where(Unit.kind == "village")}
    rows = [[h.head_name, village.get(h.village_id, ""), h.address, h.id]
            for h in Household.select().order_by(Household.village, Household.sort_key,
                                                  Household.id)]
    return Sheet("Hộ gia đình", [("Chủ hộ", "text", 28), ("Thôn", "text", 16),
                                 ("Địa chỉ", "text", 30), ("Mã hộ", "number", 8)], rows)


def people_sheet() -> Sheet:
    unit = {u.id: (u.name, u.kind) for u in Unit.select(Unit.id, Unit.name, Unit.kind)}
    household = {h.id: (h.head_name, h.village_id) for h in
                 Household.select(Household.id, Household.head_name, Household.village)}
    rows = []
    for p in Person.select().order_by(Person.sort_key, Person.id):
        head, village = household.get(p.household_id, ("", None))
        if village is None and p.unit_id and unit[p.unit_id][1] == "village":
            village = p.unit_id
        rows.append([p.full_name, _d(p.birth_date), GENDERS.get(p.gender, "") if p.gender else "",
                     p.citizen_id or "", unit[p.unit_id][0] if p.unit_id else "", p.position,
                     unit[village][0] if village else "", head, _d(p.recruited_on)])
    return Sheet("Người", [("Họ và tên", "text", 28), ("Ngày sinh", "date", 12),
                           ("Giới tính", "text", 8), ("Số CCCD", "text", 14),
                           ("Đơn vị", "text", 26), ("Chức vụ", "text", 20),
                           ("Thôn", "text", 14), ("Chủ hộ", "text", 24),
                           ("Ngày tuyển dụng", "date", 12)], rows)


def awards_sheet(cfg) -> Sheet:
    names = {code: t.name for code, t in cfg.titles.items()}
    query = TitleAward.select().order_by(TitleAward.year.desc(), TitleAward.title_code,
                                         TitleAward.id)
    people_names = {p.id: p.full_name for p in Person.select(Person.id, Person.full_name)
                    .where(Person.id.in_(TitleAward.select(TitleAward.person)))}
    unit_names = {u.id: u.name for u in Unit.select(Unit.id, Unit.name)}
    heads = {h.id: h.head_name for h in Household.select(Household.id, Household.head_name)
             .where(Household.id.in_(TitleAward.select(TitleAward.household)))}
    rows = []
    for a in query:
        who = (people_names.get(a.person_id) or unit_names.get(a.unit_id)
               or (("Hộ " + heads[a.household_id]) if a.household_id in heads else ""))
        rows.append([a.year, names.get(a.title_code, a.title_code), who, a.decision_ref,
                     _d(a.decided_on), a.note])
    return Sheet("Khen thưởng", [("Năm", "number", 6), ("Danh hiệu", "text", 30),
                                 ("Người/đơn vị/hộ", "text", 30),
                                 ("Số quyết định", "text", 16), ("Ngày quyết định", "date", 12),
                                 ("Ghi chú", "text", 30)], rows)


def campaigns_sheet() -> Sheet:
    rows = [[c.year, CAMPAIGN_KINDS.get(c.kind, c.kind), c.name, c.theme, c.starts_on,
             c.ends_on] for c in Campaign.select().order_by(Campaign.year.desc(), Campaign.id)]
    return Sheet("Phong trào", [("Năm", "number", 6), ("Loại", "text", 16),
                                ("Tên phong trào", "text", 50), ("Chủ đề", "text", 40),
                                ("Ngày bắt đầu", "date", 12), ("Ngày kết thúc", "date", 12)],
                 rows)


def dashboard_sheet(cfg, campaign_id: int, kind: str, today: dt.date,
                    unit_kind: str | None = None) -> Sheet:
    rows = [[r.unit_name, UNIT_KINDS.get(r.unit_kind, r.unit_kind), r.word, r.days_late,
             r.score] for r in reports.dashboard(cfg, campaign_id, kind, today, unit_kind)]
    return Sheet("Tình hình báo cáo", [("Đơn vị", "text", 36), ("Loại", "text", 18),
                                       ("Trạng thái", "text", 18),
                                       ("Số ngày muộn", "number", 10), ("Điểm", "number", 8)],
                 rows)


def ranking_sheet(campaign_id: int, kind: str) -> Sheet:
    rows = [[UNIT_KINDS.get(r.unit_kind, r.unit_kind), r.rank, r.unit_name, r.score]
            for r in scoring.ranking(campaign_id, kind)]
    return Sheet("Xếp hạng", [("Loại đơn vị", "text", 18), ("Hạng", "number", 6),
                              ("Đơn vị", "text", 36), ("Điểm", "number", 8)], rows)


def registrations_sheet(cfg, campaign_id: int) -> Sheet:
    from models.cycle import registration
    from models.cycle.tables import REGISTRATION_STATES, Registration

    names = {code: t.name for code, t in cfg.titles.items()}
    rows = []
    for g in (Registration.select(Registration, Unit).join(Unit)
              .where(Registration.campaign == campaign_id).order_by(Unit.search_key)):
        aimed = registration.titles(g.id)
        listed = "; ".join(f"{t.person.full_name} ({names.get(t.title_code, t.title_code)})"
                           for t in aimed)
        rows.append([g.unit.name, REGISTRATION_STATES.get(g.status, g.status), g.submitted_on,
                     g.targets, names.get(g.collective_title, g.collective_title),
                     len(aimed), listed, g.return_reason])
    return Sheet("Đăng ký thi đua", [("Đơn vị", "text", 30), ("Trạng thái", "text", 12),
                                     ("Ngày gửi", "date", 12), ("Chỉ tiêu", "text", 50),
                                     ("Danh hiệu tập thể", "text", 28),
                                     ("Số cá nhân đăng ký", "number", 10),
                                     ("Cá nhân và danh hiệu", "text", 60),
                                     ("Lý do trả lại", "text", 30)], rows)


def export(kind: str, path: Path, cfg=None, campaign_id: int | None = None,
           period: str = "six_month", today: dt.date | None = None,
           unit_kind: str | None = None) -> tuple[Path, int]:
    """Write the list `kind` to `path` (.xlsx); returns the path and the row count."""
    if kind not in EXPORT_KINDS:
        raise RuleError(f"Không xuất được “{text.visible(kind)}”; chọn: "
                        + ", ".join(EXPORT_KINDS) + ".")
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise RuleError("Tệp xuất phải có đuôi .xlsx.")
    if kind in NEEDS_CAMPAIGN and campaign_id is None:
        raise RuleError("Hãy chọn phong trào (--campaign SỐ).")
    if kind == "units":
        sheet = units_sheet()
    elif kind == "households":
        sheet = households_sheet()
    elif kind == "people":
        sheet = people_sheet()
    elif kind == "awards":
        sheet = awards_sheet(cfg)
    elif kind == "campaigns":
        sheet = campaigns_sheet()
    elif kind == "registrations":
        sheet = registrations_sheet(cfg, campaign_id)
    elif kind == "dashboard":
        sheet = dashboard_sheet(cfg, campaign_id, period, today or dt.date.today(), unit_kind)
    else:
        sheet = ranking_sheet(campaign_id, period)
    write_xlsx(path, sheet)
    return path, len(sheet.rows)
