"""Reading the content areas out of the commune's plan (kế hoạch), .txt or .docx.

A plan is laid out by Roman-numeral parts ("I. MỤC ĐÍCH, YÊU CẦU", "II. NỘI DUNG",
"III. TỔ CHỨC THỰC HIỆN"); the content areas are the numbered items of part II.
An item may run over several paragraphs (a quotation broken onto its own line),
so every paragraph up to the next number belongs to the item before it.
"""
from __future__ import annotations

import re
from pathlib import Path

from models import text
from models.cycle import campaigns
from models.cycle.tables import ContentArea
from models.errors import AreasExist, RuleError
from models.registry.access import Actor, require
from models.store.tables import database

PART = re.compile(r"\s*([IVXLC]+)\s*[.)]\s+(\S.*)")
ITEM = re.compile(r"\s*(\d{1,2})\s*[.)]\s+(\S.*)")
# Plans converted from Word to text keep Markdown-like emphasis (*...*, **...**):
# the stars are typing marks, not words of the plan.
EMPHASIS = re.compile(r"\*{1,3}(?=\S)(.+?)(?<=\S)\*{1,3}")
CONTENT_PART = "noi dung"


def read_plan(path: str | Path) -> str:
    """The plan's text, one paragraph a line. Errors say what to do, in Vietnamese."""
    path = Path(str(path).strip()).expanduser()
    if not str(path).strip() or not path.is_file():
        raise RuleError(f"Không tìm thấy tệp “{text.visible(str(path))}”: kiểm tra lại đường dẫn.")
    suffix = path.suffix.lower()
    if suffix == ".docx":
        return _read_docx(path)
    if suffix in (".txt", ".text", ""):
        return _read_txt(path)
    raise RuleError(f"Chỉ nhập được tệp .docx hoặc .txt (tệp này là “{text.visible(suffix)}”). "
                    "Với tệp .doc cũ, mở bằng Word rồi lưu lại dạng .docx.")


def _read_txt(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise RuleError(f"Không đọc được tệp: {exc.strerror or exc}.") from None
    if b"\x00" in data:
        raise RuleError("Tệp không phải văn bản thường (có vẻ là tệp nhị phân). "
                        "Hãy chọn tệp .txt hoặc .docx.")
    try:
        return data.decode("utf-8-sig")  # also plain UTF-8: the BOM is optional
    except UnicodeDecodeError:
        raise RuleError("Tệp văn bản không ở mã UTF-8 (có thể là mã TCVN3/VNI cũ). "
                        "Mở tệp bằng Word hoặc Notepad rồi lưu lại với mã UTF-8.") from None


def _read_docx(path: Path) -> str:
    import docx  # python-docx; loaded only when a .docx is opened
    from docx.opc.exceptions import PackageNotFoundError
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError, OSError):
        raise RuleError("Không mở được tệp .docx (tệp hỏng hoặc không phải tệp Word). "
                        "Mở bằng Word rồi lưu lại dạng .docx.") from None
    numbering = _Numbering(document)
    return "\n".join(numbering.label(p) + p.text for p in document.paragraphs)


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
ROMAN = (("M", 1000), ("CM", 900), ("D", 500), ("CD", 400), ("C", 100), ("XC", 90), ("L", 50),
         ("XL", 40), ("X", 10), ("IX", 9), ("V", 5), ("IV", 4), ("I", 1))


def _roman(n: int) -> str:
    out = ""
    for letters, value in ROMAN:
        while n >= value:
            out, n = out + letters, n - value
    return out


class _Numbering:
    """Word's automatic numbering ("1." made by a list style, not typed) is not in the
    paragraph's text: put the number back, so the plan reads as it looks on paper.
    Only decimal and Roman numbers matter here; bullets and letters are left out."""

    FORMATS = {"decimal": str, "upperRoman": _roman}

    def __init__(self, document) -> None:
        self.formats: dict[tuple[str, str], tuple[str, int]] = {}
        self.counters: dict[tuple[str, str], int] = {}
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return  # a document without lists
        abstract = {a.get(W + "abstractNumId"): a for a in root.iter(W + "abstractNum")}
        for num in root.iter(W + "num"):
            ref = num.find(W + "abstractNumId")
            levels = abstract.get(ref.get(W + "val")) if ref is not None else None
            for lvl in levels.iter(W + "lvl") if levels is not None else ():
                fmt, start = lvl.find(W + "numFmt"), lvl.find(W + "start")
                self.formats[(num.get(W + "numId"), lvl.get(W + "ilvl"))] = (
                    fmt.get(W + "val") if fmt is not None else "",
                    int(start.get(W + "val")) if start is not None else 1)

    @staticmethod
    def _num_pr(paragraph):
        for ppr in (paragraph._p.pPr, getattr(paragraph.style.element, "pPr", None)):
            num_pr = ppr.find(W + "numPr") if ppr is not None else None
            if num_pr is not None and num_pr.find(W + "numId") is not None:
                ilvl = num_pr.find(W + "ilvl")
                return (num_pr.find(W + "numId").get(W + "val"),
                        ilvl.get(W + "val") if ilvl is not None else "0")
        return None

    def label(self, paragraph) -> str:
        key = self._num_pr(paragraph) if paragraph.text.strip() else None
        fmt, start = self.formats.get(key, ("", 1)) if key else ("", 1)
        if fmt not in self.FORMATS:
            return ""
        self.counters[key] = self.counters.get(key, start - 1) + 1
        return f"{self.FORMATS[fmt](self.counters[key])}. "


def _paragraphs(plan: str) -> list[str]:
    return [line.strip() for line in text.nfc(plan).splitlines() if line.strip()]


def content_items(plan: str) -> list[str]:
    """The numbered items of part "II. NỘI DUNG", numbers removed, each item's
    paragraphs joined by a space; the part ends at the next Roman-numeral part."""
    inside, found, items = False, False, []
    for para in _paragraphs(plan):
        part = PART.fullmatch(para)
        if part:
            if inside:
                break
            inside = text.fold(part.group(2)).startswith(CONTENT_PART)
            found = found or inside
            continue
        if not inside:
            continue
        item = ITEM.fullmatch(para)
        if item:
            items.append(item.group(2))
        elif items:  # a paragraph before the first number is the part's preamble
            items[-1] += " " + para
    if not found:
        raise RuleError("Không tìm thấy phần “II. NỘI DUNG” trong kế hoạch: các nội dung thi đua "
                        "phải là các mục đánh số 1., 2., ... trong phần này.")
    if not items:
        raise RuleError("Phần “II. NỘI DUNG” không có mục nào đánh số 1., 2., ...")
    return [EMPHASIS.sub(r"\1", item).strip() for item in items]


def add_areas(actor: Actor, campaign_id: int, titles: list[str],
              replace: bool = False) -> list[ContentArea]:
    """Add the accepted items as content areas, all or none: a refused item (too
    long, a control character) leaves the campaign as it was, so a retry does not
    add the first items twice. A campaign that has areas already is refused with
    AreasExist unless `replace` asks to put these in their place (refused in turn
    once units have reported against the old ones): the plan read twice would
    otherwise double the areas, and every unit's score with them."""
    require(actor, *campaigns.MANAGERS, action="nhập nội dung thi đua từ kế hoạch")
    with database.atomic():
        existing = len(campaigns.areas(campaign_id))
        if existing and not replace:
            raise AreasExist(f"Phong trào đã có {existing} nội dung thi đua: nhập thêm kế hoạch "
                             "sẽ làm trùng nội dung, điểm bị tính hai lần. Chọn thay các nội "
                             "dung cũ bằng các mục của kế hoạch, hoặc bỏ qua.", existing)
        if replace:
            campaigns.remove_areas(actor, campaign_id)
        return [campaigns.add_area(actor, campaign_id, title) for title in titles]
