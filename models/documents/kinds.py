"""What `thidua export KIND ID --out FILE` can produce, and in which formats.

A kind names the module that builds it, read only when asked (python-docx costs each
start of the app otherwise). That module has `find(value, year) -> id` (the record the
officer names: a decision's number, a nomination's number...), `write_docx(cfg, id,
path)` and, where a list makes sense, `write_xlsx_list(cfg, id, path)`. PDF is the .docx
through LibreOffice. A kind that `issues` numbers its document when written (the
council's minutes): its writers take the actor last. A new kind is one more entry here.
"""
from __future__ import annotations

import importlib
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from models import text
from models.errors import RuleError
from models.registry.access import SYSTEM, Actor


@dataclass(frozen=True)
class Kind:
    what: str            # in a message: "quyết định khen thưởng"
    module: str          # "models.documents.decision"
    identifier: str      # what ID is, for --help
    lists: bool = False  # whether it also writes its list as .xlsx
    issues: bool = False  # whether writing it issues it under a number (who is asked)
    only: tuple[str, ...] = ()  # the formats it comes in when not a document's
    called: str = "số"   # what names the record in a message: "số 3", "năm 2026"

    @property
    def formats(self) -> tuple[str, ...]:
        return self.only or (".docx", ".pdf") + ((".xlsx",) if self.lists else ())


KINDS = {
    "decision": Kind("quyết định khen thưởng kèm danh sách", "models.documents.decision",
                     "số quyết định (112 hoặc 112/QĐ-UBND), với --year", lists=True),
    "proposal": Kind("tờ trình đề nghị tỉnh khen thưởng", "models.documents.proposal",
                     "số tờ trình (3 hoặc 03/TTr-UBND), với --year"),
    "achievement": Kind("báo cáo thành tích", "models.documents.achievement",
                        "số của đề nghị khen thưởng (màn hình F6)"),
    "minutes": Kind("biên bản họp Hội đồng", "models.documents.minutes",
                    "số phiên họp (màn hình F7)", issues=True),
    "tally": Kind("biên bản kiểm phiếu", "models.documents.tally",
                  "số phiếu (màn hình F7)", issues=True),
    "synthesis": Kind("báo cáo tổng hợp", "models.documents.synthesis",
                      "số phong trào (màn hình F4), có thể kèm kỳ: 3:yearly"),
    "plan": Kind("kế hoạch phong trào thi đua", "models.documents.plan",
                 "số phong trào (màn hình F4)"),
    "report": Kind("báo cáo của đơn vị", "models.documents.report",
                   "số báo cáo (màn hình F5)"),
    "statistics": Kind("biểu thống kê thi đua, khen thưởng", "models.documents.statistics",
                       "năm thống kê", only=(".xlsx",), called="năm"),
}

# What a proposed file is called, without accents (an officer's Windows keeps them whole).
NAMES = {"decision": "quyet-dinh", "proposal": "to-trinh", "achievement": "bao-cao-thanh-tich",
         "minutes": "bien-ban-hop", "tally": "bien-ban-kiem-phieu",
         "synthesis": "bao-cao-tong-hop", "plan": "ke-hoach", "report": "bao-cao",
         "statistics": "thong-ke"}


def can_print(cfg) -> bool:
    """Whether the app offers to print: a CUPS queue is configured ([print] queue)."""
    return bool(cfg.print.queue)


def file_name(kind: str, label: str) -> str:
    """The file name the app proposes: "bien-ban-hop-3.docx" for label "3"."""
    label = re.sub("[^0-9a-z]+", "-", text.fold(label)).strip("-")
    return f"{NAMES[kind]}-{label or 'van-ban'}{KINDS[kind].formats[0]}"


def format_of(kind: str, path: Path) -> str:
    """The extension of `path` when `kind` can produce it; refused otherwise."""
    ext = path.suffix.lower()
    allowed = KINDS[kind].formats
    if ext not in allowed:
        raise RuleError(f"Không xuất được {KINDS[kind].what} ra tệp “{ext or path.name}”: "
                        f"chọn tên tệp có đuôi {', '.join(allowed)}.")
    return ext


def export(cfg, kind: str, value: str, year: int, path: Path, actor: Actor = SYSTEM) -> Path:
    """Write the document `kind` of the record `value` (in `year` where numbers are
    yearly) to `path`, in the format its extension names."""
    format_of(kind, path)   # refused before the record is looked for
    record_id = importlib.import_module(KINDS[kind].module).find(value, year)
    return write(cfg, kind, record_id, path, actor)


def write(cfg, kind: str, record_id: int, path: Path, actor: Actor = SYSTEM) -> Path:
    """Write the document `kind` of the record `record_id` to `path` (the app's
    export key names the record itself); `actor` issues what is numbered on issue."""
    from models.documents import commune, pdf

    ext = format_of(kind, path)
    cfg = commune.applied(cfg)
    if ext == ".pdf" and pdf.soffice() is None:
        raise RuleError(pdf.MISSING)   # before building what could not be converted
    module = importlib.import_module(KINDS[kind].module)
    extra = (actor,) if KINDS[kind].issues else ()
    if ext == ".xlsx":
        return module.write_xlsx_list(cfg, record_id, path, *extra)
    if ext == ".docx":
        return module.write_docx(cfg, record_id, path, *extra)
    with tempfile.TemporaryDirectory(prefix="thidua-doc-") as work:
        source = module.write_docx(cfg, record_id, Path(work, path.with_suffix(".docx").name),
                                   *extra)
        return pdf.convert(source, path)


def print_record(cfg, kind: str, record_id: int, actor: Actor = SYSTEM) -> str:
    """Send the document `kind` of `record_id` to the printer queue `[print] queue`
    as PDF (models/admin/printing.py); returns what `lp` answered."""
    from models.admin import printing

    if ".docx" not in KINDS[kind].formats:
        raise RuleError(f"Không in được {KINDS[kind].what}: xuất ra tệp rồi in.")
    with tempfile.TemporaryDirectory(prefix="thidua-print-") as work:
        return printing.print_document(
            cfg, write(cfg, kind, record_id, Path(work, f"{kind}-{record_id}.docx"), actor))
