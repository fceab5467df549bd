"""Reading an imported file into a table of cells: .xlsx (first sheet) or .csv in
UTF-8 or Windows-1258, within the size and row limits, with a clear refusal for
a password-protected, old .xls, damaged or mislabelled file.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from models import text
from models.errors import RuleError, ThiduaError

MAX_ROWS = 100_000
MAX_BYTES = 64 * 1024 * 1024
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"   # encrypted .xlsx and old .xls
ZIP_MAGIC = b"PK\x03\x04"


@dataclass
class Table:
    headers: list[str]
    rows: list[tuple[int, list]]   # (row number in the file, cells)
    encoding: str = ""             # for CSV: what the file was read as


def _add_row(rows: list[tuple[int, list]], number: int, values: list) -> None:
    if len(rows) >= MAX_ROWS:
        raise RuleError(f"Tệp có hơn {MAX_ROWS:,} dòng; hãy chia nhỏ tệp.".replace(",", "."))
    rows.append((number, values))


def _damaged(path: Path, exc: Exception) -> RuleError:
    return RuleError(f"Tệp {path.name} bị hỏng, không đọc được như tệp Excel "
                     f"({type(exc).__name__}).")


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
    except Exception as exc:  # openpyxl raises many kinds on a damaged zip or XML
        raise _damaged(path, exc) from None
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
            _add_row(rows, number, list(values))
    except ThiduaError:
        raise
    except Exception as exc:
        raise _damaged(path, exc) from None
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
            if not any(v.strip() for v in values):
                continue
            if headers is None:
                headers = values
                continue
            _add_row(rows, reader.line_num, values)
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
