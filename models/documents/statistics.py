"""The statistics the Office sends upward each year (Thông tư 02/2023/TT-BNV, the Home
Affairs statistics forms), as .xlsx in their layout: form 0601.N counts the emulation
movements launched in the year by scope, duration and method; the award forms count the
awards of the year's issued decisions by form (columns: the commune's own titles and
forms by their Vietnamese names), by subject (collectives, households, individuals, of
whom people working directly) and by method (regular, thematic, ad hoc).

A commune launches its movements itself, so they count under "Bộ, ngành, địa phương"
and in the column of the commune level. A person working directly (trực tiếp lao động)
is one with no recruitment date, as eligibility.py reads it."""
from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import peewee as pw

from models import text
from models.awards.history import title_name
from models.awards.tables import Decision, DecisionAward, Nomination
from models.cycle.tables import Campaign
from models.errors import RuleError, StoreError
from models.registry.tables import Person

MOVEMENT_FORM = "Biểu số 0601.N/BNV-TĐKT"
AWARD_FORM = "Biểu số 0602.N/BNV-TĐKT"
SCOPES = ["Toàn quốc", "Bộ, ngành, địa phương", "Cụm, khối thi đua", "Cơ quan, đơn vị"]
LOCAL = SCOPES[1]
DURATIONS = ["Dưới 1 năm", "1 năm", "Từ 1 năm đến dưới 3 năm", "Từ 3 năm đến dưới 5 năm",
             "Từ 5 năm trở lên"]
METHODS = ["Theo chuyên đề", "Thường xuyên hằng năm"]
SUBJECTS = ["Tập thể", "Hộ gia đình", "Cá nhân",
            "Trong đó: người trực tiếp lao động, sản xuất, công tác"]
AWARD_METHODS = ["Thường xuyên", "Chuyên đề", "Đột xuất"]
YEAR_DAYS = 365


@dataclass(frozen=True)
class Movements:
    total: int
    counts: Counter   # scope, duration or method -> number of movements


def find(value: str, year: int) -> int:
    """The year counted: `value` ("2025"), else `year`."""
    value = (value or "").strip()
    if value and not (value.isdigit() and len(value) == 4):
        raise RuleError(f"Năm thống kê “{text.visible(value)}” phải là năm, ví dụ 2025.")
    return int(value) if value else year


def duration(starts: dt.date, ends: dt.date) -> str:
    days = (ends - starts).days + 1
    if days < YEAR_DAYS - 5:   # a year's campaign may start a few days in
        return DURATIONS[0]
    if days <= YEAR_DAYS + 1:
        return DURATIONS[1]
    return DURATIONS[2] if days < 3 * YEAR_DAYS else (
        DURATIONS[3] if days < 5 * YEAR_DAYS else DURATIONS[4])


def movements(year: int) -> Movements:
    counts: Counter = Counter()
    found = list(Campaign.select().where(Campaign.year == year))
    for c in found:
        counts[LOCAL] += 1
        counts[duration(c.starts_on, c.ends_on)] += 1
        counts[METHODS[1] if c.kind == "yearly" else METHODS[0]] += 1
    return Movements(len(found), counts)


def awards(year: int) -> tuple[Counter, Counter]:
    """(subject, title code) -> awards and (method, title code) -> awards of the
    decisions issued in `year` (an amending decision's withdrawals aside)."""
    by_subject: Counter = Counter()
    by_method: Counter = Counter()
    query = (DecisionAward.select(DecisionAward.title_code, DecisionAward.person,
                                  DecisionAward.household, Person.recruited_on,
                                  Nomination.ad_hoc, Campaign.kind)
             .join(Decision).switch(DecisionAward)
             .join(Person, on=(DecisionAward.person == Person.id), join_type=pw.JOIN.LEFT_OUTER)
             .switch(DecisionAward)
             .join(Nomination, on=(DecisionAward.nomination == Nomination.id),
                   join_type=pw.JOIN.LEFT_OUTER)
             .join(Campaign, on=(Nomination.campaign == Campaign.id), join_type=pw.JOIN.LEFT_OUTER)
             .where(Decision.issued & (Decision.decided_on >= dt.date(year, 1, 1))
                    & (Decision.decided_on <= dt.date(year, 12, 31))
                    & DecisionAward.revokes.is_null()))
    for code, person, household, recruited, ad_hoc, kind in query.tuples().iterator():
        subject = SUBJECTS[2] if person else SUBJECTS[1] if household else SUBJECTS[0]
        by_subject[subject, code] += 1
        if person and recruited is None:
            by_subject[SUBJECTS[3], code] += 1
        method = AWARD_METHODS[2] if ad_hoc else (
            AWARD_METHODS[1] if kind in ("thematic", "periodic") else AWARD_METHODS[0])
        by_method[method, code] += 1
    return by_subject, by_method


def _columns(cfg, *counted: Counter) -> list[str]:
    """The commune's own titles and forms in the configuration's order, then any other
    form its decisions gave."""
    given = {code for counts in counted for _, code in counts}
    own = [code for code, t in cfg.titles.items() if t.decided_by == "chairman"]
    return own + sorted(given - set(own))


def _heading(ws, cfg, form: str, title: str, year: int, width: int) -> None:
    from openpyxl.styles import Alignment, Font

    ws.append([form])
    ws.append([title.upper()])
    ws.append([f"Năm {year}"])
    ws.append([f"Đơn vị báo cáo: Ủy ban nhân dân xã {cfg.commune.name}"])
    ws.append(["Đơn vị nhận báo cáo: Ủy ban nhân dân cấp trên (Phòng Nội vụ)"])
    ws.append([])
    for row in (2, 3):
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
        cell = ws.cell(row=row, column=1)
        cell.font, cell.alignment = Font(bold=True, size=13), Alignment(horizontal="center")
    ws.cell(row=1, column=1).font = Font(italic=True)


def _table(ws, headers: list[str], rows: list[list]) -> None:
    from openpyxl.styles import Alignment, Border, Font, Side

    line = Side(style="thin")
    box = Border(left=line, right=line, top=line, bottom=line)
    ws.append(headers)
    for cell in ws[ws.max_row]:
        cell.font, cell.border = Font(bold=True), box
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for values in rows:
        ws.append(values)
        for cell in ws[ws.max_row]:
            cell.border = box
        if not str(values[0]).startswith(("-", " ")):   # the totals and the parts
            for cell in ws[ws.max_row]:
                cell.font = Font(bold=True)


def _movement_sheet(ws, cfg, year: int) -> None:
    m = movements(year)
    _heading(ws, cfg, MOVEMENT_FORM, "Số phong trào thi đua", year, 4)
    rows = [["Tổng số phong trào thi đua", "01", m.total, m.total]]
    code = 2
    for part, names in (("1. Chia theo phạm vi", SCOPES), ("2. Chia theo thời gian", DURATIONS),
                        ("3. Chia theo hình thức", METHODS)):
        rows.append([part, "", "", ""])
        for name in names:
            rows.append([f"- {name}", f"{code:02d}", m.counts[name], m.counts[name]])
            code += 1
    _table(ws, ["Chỉ tiêu", "Mã số", "Tổng số", "Trong đó: cấp xã phát động"], rows)
    ws.column_dimensions["A"].width = 44
    for col in "BCD":
        ws.column_dimensions[col].width = 16


def _award_sheet(ws, cfg, year: int, title: str, names: list[str], counts: Counter,
                 codes: list[str], total_of: list[str]) -> None:
    from openpyxl.utils import get_column_letter

    _heading(ws, cfg, AWARD_FORM, title, year, len(codes) + 3)
    headers = ["Chỉ tiêu", "Mã số", "Tổng số"] + [title_name(cfg.titles, c) for c in codes]
    rows = [["Tổng số", "01", sum(counts[n, c] for n in total_of for c in codes),
             *[sum(counts[n, c] for n in total_of) for c in codes]]]
    for i, name in enumerate(names, 2):
        label = f"   {name}" if name.startswith("Trong đó") else f"{i - 1}. {name}"
        rows.append([label, f"{i:02d}", sum(counts[name, c] for c in codes),
                     *[counts[name, c] for c in codes]])
    _table(ws, headers, rows)
    ws.column_dimensions["A"].width = 44
    for i in range(2, len(headers) + 1):
        ws.column_dimensions[get_column_letter(i)].width = 14


def write_xlsx_list(cfg, year: int, path: Path) -> Path:
    import openpyxl

    by_subject, by_method = awards(year)
    codes = _columns(cfg, by_subject, by_method)
    book = openpyxl.Workbook()
    _movement_sheet(book.active, cfg, year)
    book.active.title = "Phong trào thi đua"
    _award_sheet(book.create_sheet("Khen thưởng theo đối tượng"), cfg, year,
                 "Số khen thưởng chia theo hình thức và đối tượng", SUBJECTS, by_subject, codes,
                 SUBJECTS[:3])
    _award_sheet(book.create_sheet("Khen thưởng theo phương thức"), cfg, year,
                 "Số khen thưởng chia theo hình thức và phương thức", AWARD_METHODS, by_method,
                 codes, AWARD_METHODS)
    tmp = path.with_name(path.name + ".tmp")
    try:
        book.save(tmp)
        tmp.replace(path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise StoreError(f"Không ghi được {path}: {exc.strerror or exc}.") from None
    return path
