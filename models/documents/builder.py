"""One document in the layout of Nghị định 30/2020/NĐ-CP (Phụ lục I), on python-docx.

A4; margins top and bottom 20 mm, left 30 mm, right 15 mm; Times New Roman. The issuing
body top left and the national heading top right, each over a short rule (their last line
underlined), in a borderless two-column table as Word's own templates do; the number line
under the body and the italic place and date under the heading; the type and summary
(trích yếu); the "Căn cứ ..." lines; the body; attached lists whose header row repeats on
every page; the signature block beside "Nơi nhận:".

User text goes in as it is stored, but a character XML 1.0 cannot hold (NUL, ESC, other
C0/C1 controls) or one that reorders text (bidi overrides) is dropped: Word refuses a
file holding the first, and the second would make a printed name read otherwise.
"""
from __future__ import annotations

import copy
import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from docx import Document as new_document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

from models import text
from models.errors import StoreError

FONT = "Times New Roman"
BODY, HEADING, BODY_SMALL, NOTE = 14, 13, 13, 12  # sizes in pt (DOMAIN.md "Documents")
RECIPIENTS = 11
PAGE = (Mm(210), Mm(297))
MARGINS = {"top": Mm(20), "bottom": Mm(20), "left": Mm(30), "right": Mm(15)}
INDENT = Cm(1.27)
LEFT_COLUMN, RIGHT_COLUMN = Cm(6.0), Cm(10.5)   # the text width is 16.5 cm
NATIONAL = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
KEPT = "- Lưu: VT."
MODEL_TEXT = "-"      # what the model row holds until a row's values replace it
SIGNATURE_SPACE = 4   # empty lines left for the signature and the seal
_DROPPED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e"
                      "\u2066-\u2069\ufffe\uffff\ud800-\udfff]")
_SPACES = re.compile("[\t\n\r]")
ALIGN = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER,
         "right": WD_ALIGN_PARAGRAPH.RIGHT, "justify": WD_ALIGN_PARAGRAPH.JUSTIFY}


def clean(value) -> str:
    """What a document prints of `value`: NFC, tabs and line breaks as spaces, the
    characters XML or a reader would trip on dropped, everything else literally."""
    return _DROPPED.sub("", _SPACES.sub(" ", text.nfc(str(value if value is not None else ""))))


def figures(amount: int) -> str:
    """1880000 -> "1.880.000": the list's money column, whose header says "đồng"."""
    return f"{amount:,}".replace(",", ".")


@dataclass(frozen=True)
class Signature:
    authority: str   # "TM. ỦY BAN NHÂN DÂN" or "KT. CHỦ TỊCH"
    title: str       # "CHỦ TỊCH" or "PHÓ CHỦ TỊCH"
    name: str        # the signer's full name, "" when not yet known


def signature(cfg, signer: str = "") -> Signature:
    """The chairman signs for the committee (TM.); anyone else named signs for the
    chairman (KT.). No name: the chairman of the configuration."""
    docs, chairman = cfg.documents, cfg.commune.chairman.strip()
    name = (signer or "").strip() or chairman
    if not name or text.fold(name) == text.fold(chairman):
        return Signature(docs.chairman_authority, docs.chairman_title, name)
    return Signature(docs.deputy_authority, docs.deputy_title, name)


def issuing_lines(cfg) -> list[str]:
    """["ỦY BAN NHÂN DÂN", "XÃ HÒA PHONG"]: the body over the commune's name, as the
    heading prints it. The name is always the commune's own (the profile's, see
    commune.py), so a body configured with another place ("... XÃ HÒA PHONG", copied
    from the defaults) cannot put that place on this commune's paper."""
    head = cfg.commune.issuing_body.upper().partition(" XÃ ")[0].strip()
    return [head, f"XÃ {cfg.commune.name}".upper()]


def _fonts(element, name: str = FONT) -> None:
    """Every script's font (Vietnamese letters are "cs"/"eastAsia" to some readers)."""
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), name)


def _borderless(table) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    table._tbl.tblPr.append(borders)


def _widths(table, widths) -> None:
    """Column widths both where Word reads them (cells) and where LibreOffice does (the
    table's grid)."""
    for col, width in zip(table._tbl.tblGrid.iterchildren(qn("w:gridCol")), widths):
        col.w = width
    for row in table.rows:
        for cell, width in zip(row.cells, widths):
            cell.width = width


def _repeat_header(row) -> None:
    """The row prints again at the top of every page the table reaches (w:tblHeader)."""
    trpr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    trpr.append(header)


class Document:
    """A document being laid out; `save` writes it."""

    def __init__(self, cfg):
        self.cfg = cfg
        self.docx = new_document()
        section = self.docx.sections[0]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = PAGE
        for side, value in MARGINS.items():
            setattr(section, f"{side}_margin", value)
        normal = self.docx.styles["Normal"]
        normal.font.name, normal.font.size = FONT, Pt(BODY)
        _fonts(normal.element)
        normal.paragraph_format.space_after = Pt(0)
        normal.paragraph_format.line_spacing = 1.0

    # --- lines ------------------------------------------------------------------------

    def paragraph(self, *, align: str = "center", indent: bool = False, within=None,
                  before: float = 0, after: float = 0):
        """A new paragraph in the body or in table cell `within` (a new cell's own empty
        paragraph first)."""
        if within is not None and len(within.paragraphs) == 1 and not within.paragraphs[0].runs:
            paragraph = within.paragraphs[0]
        else:
            paragraph = (within if within is not None else self.docx).add_paragraph()
        fmt = paragraph.paragraph_format
        fmt.alignment = ALIGN[align]
        fmt.space_before, fmt.space_after = Pt(before), Pt(after)
        if indent:
            fmt.first_line_indent = INDENT
        return paragraph

    def line(self, value: str = "", *, size: float = BODY, bold: bool = False,
             italic: bool = False, underline: bool = False, align: str = "center",
             within=None, before: float = 0, after: float = 0):
        """One paragraph of one run."""
        paragraph = self.paragraph(align=align, within=within, before=before, after=after)
        self.run(paragraph, value, size=size, bold=bold, italic=italic, underline=underline)
        return paragraph

    @staticmethod
    def run(paragraph, value: str, *, size: float = BODY, bold: bool = False,
            italic: bool = False, underline: bool = False):
        run = paragraph.add_run(clean(value))
        run.font.name, run.font.size = FONT, Pt(size)
        # None, not False: no w:b to override later (a total row turns bold).
        run.font.bold, run.font.italic, run.font.underline = bold or None, italic or None, \
            underline or None
        _fonts(run._r)
        return run

    def text(self, value: str, *, lead: str = "", italic: bool = False, after: float = 6):
        """A body paragraph: justified, first line indented; `lead` in bold before it
        ("Điều 1. ")."""
        paragraph = self.paragraph(align="justify", indent=True, after=after)
        if lead:
            self.run(paragraph, lead, bold=True)
        self.run(paragraph, value, italic=italic)
        return paragraph

    def page_break(self) -> None:
        self.docx.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    # --- the parts of Decree 30 ---------------------------------------------------------

    def heading(self, number: str, day: dt.date | None, *, body: list[str] | None = None):
        """Issuing body and number on the left, national heading and place-date on the
        right. `number` is the whole line ("Số: 05/QĐ-UBND"); `day` None leaves the
        date to be written by hand ("ngày ... tháng ... năm ...")."""
        table = self.docx.add_table(rows=2, cols=2)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        _borderless(table)
        _widths(table, (LEFT_COLUMN, RIGHT_COLUMN))
        left, right = table.cell(0, 0), table.cell(0, 1)
        lines = body if body is not None else issuing_lines(self.cfg)
        for i, value in enumerate(lines):
            self.line(value, size=HEADING, bold=True, underline=i == len(lines) - 1,
                      within=left)
        self.line(NATIONAL, size=NOTE, bold=True, within=right)
        self.line(MOTTO, size=HEADING, bold=True, underline=True, within=right)
        self.line(number, size=HEADING, within=table.cell(1, 0), before=6)
        self.line(self.place_date(day), size=BODY, italic=True, within=table.cell(1, 1),
                  before=6)
        return table

    def place_date(self, day: dt.date | None) -> str:
        place = self.cfg.commune.place_name
        if day is None:
            return f"{text.nfc(place.strip())}, ngày    tháng    năm    "
        return text.format_long_date(day, place)

    def title(self, kind: str, summary: str, authority: str = "") -> None:
        """"QUYẾT ĐỊNH" over its summary ("Về việc ..."), then who decides."""
        self.line(kind.upper(), bold=True, before=18)
        self.line(summary, bold=True)
        if authority:
            self.line(authority.upper(), bold=True, before=12, after=12)
        else:
            self.line("", after=6)

    def grounds(self, kind: str) -> None:
        """The configured "Căn cứ ..." lines of the document kind, in italics."""
        for value in self.cfg.documents.grounds.get(kind, ()):
            self.text(value, italic=True, after=3)

    def sign(self, signer: Signature, kind: str = "", *, recipients: bool = True,
             left: list[str] | None = None) -> None:
        """The signature block on the right; on the left "Nơi nhận:" and the kind's
        configured recipients ending "- Lưu: VT.", or `left` (another signature)."""
        table = self.docx.add_table(rows=1, cols=2)
        table.autofit = False
        _borderless(table)
        _widths(table, (LEFT_COLUMN, RIGHT_COLUMN))
        cells = table.rows[0].cells
        if left is not None:
            for i, value in enumerate(left):
                self.line(value, size=BODY, bold=True, within=cells[0], before=12 if not i else 0)
        elif recipients:
            self.line("Nơi nhận:", size=NOTE, bold=True, italic=True, align="left",
                      within=cells[0], before=12)
            for value in (*self.cfg.documents.recipients.get(kind, ()), KEPT[2:]):
                self.line("- " + value, size=RECIPIENTS, align="left", within=cells[0])
        self.line(signer.authority, size=BODY, bold=True, within=cells[1], before=12)
        self.line(signer.title, size=BODY, bold=True, within=cells[1])
        for _ in range(SIGNATURE_SPACE):
            self.line("", within=cells[1])
        self.line(signer.name, size=BODY, bold=True, within=cells[1])

    # --- lists ----------------------------------------------------------------------------

    def table(self, headers: list[tuple[str, float, str]], rows, total: list | None = None):
        """A bordered list: `headers` are (header, width in cm, alignment of the column);
        `rows` an iterable of lists of values, any length. The header row repeats on
        every page. Rows are copies of one laid-out row: thousands take a second."""
        table = self.docx.add_table(rows=2, cols=len(headers))
        table.style = self.docx.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        head, model = table.rows
        _repeat_header(head)
        _widths(table, [Cm(width) for _, width, _ in headers])
        for i, (header, _, align) in enumerate(headers):
            self.line(header, size=BODY_SMALL, bold=True, within=head.cells[i])
            self.line(MODEL_TEXT, size=BODY_SMALL, align=align, within=model.cells[i])
        tr = model._tr
        tr.getparent().remove(tr)
        count = 0
        for count, values in enumerate(rows, 1):
            self._copy_row(table, tr, values)
        if total is not None:
            self._copy_row(table, tr, total, bold=True)
        return count

    @staticmethod
    def _copy_row(table, model, values, bold: bool = False) -> None:
        tr = copy.deepcopy(model)
        for tc, value in zip(tr.iterchildren(qn("w:tc")), values):
            run = tc.find(qn("w:p")).find(qn("w:r"))
            t = run.find(qn("w:t"))
            t.text = clean(value)
            t.set(qn("xml:space"), "preserve")
            if bold:
                run.get_or_add_rPr().get_or_add_b()
        table._tbl.append(tr)

    # --- the file -----------------------------------------------------------------------

    def save(self, path) -> Path:
        """Write the .docx whole or not at all."""
        path = Path(path)
        tmp = path.with_name(path.name + ".tmp")
        try:
            self.docx.save(str(tmp))
            tmp.replace(path)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise StoreError(f"Không ghi được {path}: {exc.strerror or exc}.") from None
        return path
