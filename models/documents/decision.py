"""The commendation decision (quyết định khen thưởng) with its attached list, and the
same list as the finance officer's workbook with a column to sign for the money.

The list tells subjects apart (date of birth and unit, a household's village and address),
names titles and forms by their Vietnamese names and ends with the total in figures and
in words. A Gia đình văn hóa decision lists households only: head, village, address. An
amending decision cites the one it amends with its date ("Số: 05/QĐ-UBND ngày
30/06/2024"); its list shows what it withdraws, with the money recovered.
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path

from models import text
from models.awards import decisions
from models.awards.history import title_name
from models.awards.tables import Decision, DecisionAward
from models.documents import builder, subjects
from models.documents.words import vnd_words
from models.io.writer import Sheet, write_xlsx

KIND = "decision"
SUBJECT_WORDS = {"person": "cá nhân", "household": "hộ gia đình", "unit": "tập thể"}
# (header, width in cm, alignment) of the attached list's columns.
MIXED = [("TT", 0.9, "center"), ("Họ và tên / Tập thể", 4.3, "left"),
         ("Ngày sinh", 2.8, "center"), ("Đơn vị, thôn", 3.1, "left"),
         ("Danh hiệu, hình thức", 3.0, "left"), ("Số tiền (đồng)", 2.4, "right")]
HOUSEHOLDS = [("TT", 1.1, "center"), ("Chủ hộ", 4.6, "left"), ("Thôn", 3.0, "left"),
              ("Địa chỉ", 5.4, "left"), ("Số tiền (đồng)", 2.4, "right")]


def cited(decision: Decision) -> str:
    """"Số: 05/QĐ-UBND ngày 30/06/2024": a decision as another one names it."""
    return f"{decisions.reference(decision)} ngày {text.format_date(decision.decided_on)}"


def _number_line(decision: Decision) -> str:
    if decision.number is not None:
        return decisions.reference(decision)
    return f"Số:       /{decision.doc_type}-{decision.issuer}"   # a draft: filled in by hand


def find(value: str, year: int) -> int:
    """The issued decision numbered `value` ("112" or "112/QĐ-UBND") in `year`."""
    return decisions.by_number(value, year).id


def _lines(decision_id: int):
    return subjects.read(subjects.lines(DecisionAward, DecisionAward.decision == decision_id))


def households_only(decision_id: int) -> bool:
    """Whether every line is a household's (the Gia đình văn hóa list)."""
    awards = DecisionAward.select().where(DecisionAward.decision == decision_id)
    return (awards.exists()
            and not awards.where(DecisionAward.household.is_null()).exists())


def _counts(cfg, decision_id: int) -> list[str]:
    """"Lao động tiên tiến: 12 cá nhân" for each title of the decision, revocations apart."""
    counts: Counter = Counter()
    for line in _lines(decision_id):
        counts[line.revokes, line.title_code, line.subject.kind] += 1
    out = []
    for (revokes, code, kind), n in sorted(counts.items()):
        out.append(f"{'Bãi bỏ khen thưởng ' if revokes else ''}{title_name(cfg.titles, code)}: "
                   f"{n} {SUBJECT_WORDS[kind]}")
    return out


def _articles(doc: builder.Document, cfg, d: Decision, paid: int) -> None:
    body = cfg.commune.name
    if d.amends_id:
        doc.text(f"Sửa đổi, bổ sung Quyết định {cited(d.amends)} của Chủ tịch Ủy ban nhân "
                 f"dân xã {body} ({d.amends.title}), như sau:", lead="Điều 1. ")
    else:
        doc.text("Khen thưởng các tập thể, cá nhân, hộ gia đình có thành tích trong phong "
                 "trào thi đua, có tên trong danh sách kèm theo Quyết định này:",
                 lead="Điều 1. ")
    for value in _counts(cfg, d.id):
        doc.text(f"- {value};", after=0)
    doc.text("(Có danh sách kèm theo)", italic=True)
    if paid >= 0:
        doc.text(f"Tiền thưởng kèm theo: {builder.figures(paid)} đồng (Bằng chữ: "
                 f"{vnd_words(paid)}), chi từ Quỹ Thi đua, khen thưởng của xã năm "
                 f"{d.decided_on.year}.", lead="Điều 2. ")
    else:
        doc.text(f"Thu hồi tiền thưởng đã nhận: {builder.figures(-paid)} đồng (Bằng chữ: "
                 f"{vnd_words(-paid)}), nộp lại Quỹ Thi đua, khen thưởng của xã.",
                 lead="Điều 2. ")
    doc.text("Quyết định này có hiệu lực kể từ ngày ký. Văn phòng HĐND và UBND xã, bộ phận "
             "Tài chính - Kế toán và các tập thể, cá nhân, hộ gia đình có tên tại Điều 1 "
             "chịu trách nhiệm thi hành Quyết định này./.", lead="Điều 3. ")


def _list(doc: builder.Document, cfg, d: Decision, paid: int) -> int:
    """The attached list on its own pages; returns its rows."""
    doc.page_break()
    homes = households_only(d.id)
    heading = "DANH SÁCH KHEN THƯỞNG"
    if homes:
        codes = {line.title_code for line in _lines(d.id)}
        heading = "DANH SÁCH " + ", ".join(title_name(cfg.titles, c) for c in sorted(codes))
    doc.line(heading.upper(), bold=True)
    doc.line(f"(Kèm theo Quyết định {cited(d) if d.number else 'số ... ngày ...'} của Chủ tịch "
             f"Ủy ban nhân dân xã {cfg.commune.name})", italic=True, after=12)

    def row(n: int, line: subjects.Line) -> list:
        s = line.subject
        if homes:
            return [n, s.name, s.place, s.address, builder.figures(line.amount)]
        title = title_name(cfg.titles, line.title_code)
        return [n, s.label, s.birth, s.where, f"Bãi bỏ: {title}" if line.revokes else title,
                builder.figures(line.amount)]

    columns = HOUSEHOLDS if homes else MIXED
    total = ["", "Tổng cộng", *[""] * (len(columns) - 3), builder.figures(paid)]
    count = doc.table(columns, (row(n, line) for n, line in enumerate(_lines(d.id), 1)),
                      total)
    doc.line(f"Bằng chữ: {vnd_words(paid)}.", italic=True, align="left", before=6)
    return count


def build(cfg, decision_id: int) -> builder.Document:
    d = decisions.get(decision_id)
    paid = decisions.total(decision_id)
    doc = builder.Document(cfg)
    doc.heading(_number_line(d), d.decided_on if d.issued else None)
    doc.title("Quyết định", d.title,
              f"Chủ tịch Ủy ban nhân dân xã {cfg.commune.name}")
    doc.grounds(KIND)
    doc.line("QUYẾT ĐỊNH:", bold=True, before=6, after=6)
    _articles(doc, cfg, d, paid)
    doc.sign(builder.signature(cfg, d.signer), KIND)
    _list(doc, cfg, d, paid)
    return doc


def finance_sheet(cfg, decision_id: int) -> Sheet:
    """The list as the finance officer pays it: one line a subject, the amount, and an
    empty column for the recipient's signature (ký nhận)."""
    d = decisions.get(decision_id)
    headers = [("STT", "number", 6), ("Họ và tên / Tập thể / Chủ hộ", "text", 32),
               ("Ngày sinh", "text", 12), ("Đơn vị, thôn, địa chỉ", "text", 30),
               ("Danh hiệu, hình thức", "text", 26), ("Năm", "number", 7),
               ("Số tiền (đồng)", "money", 14), ("Ghi chú", "text", 30),
               ("Ký nhận", "text", 16)]
    rows = []
    for n, line in enumerate(_lines(decision_id), 1):
        title = title_name(cfg.titles, line.title_code)
        rows.append([n, line.subject.label, line.subject.birth, line.subject.where,
                     f"Bãi bỏ: {title}" if line.revokes else title, line.year, line.amount,
                     line.note, ""])
    rows.append(["", "Tổng cộng", "", "", "", "", decisions.total(decision_id),
                 "Bằng chữ: " + vnd_words(decisions.total(decision_id)), ""])
    sheet_name = f"QĐ {d.number:02d}-{d.decided_on.year}" if d.number else "Dự thảo QĐ"
    return Sheet(sheet_name, headers, rows)


def write_docx(cfg, decision_id: int, path: Path) -> Path:
    return build(cfg, decision_id).save(path)


def write_xlsx_list(cfg, decision_id: int, path: Path) -> Path:
    return write_xlsx(path, finance_sheet(cfg, decision_id))
