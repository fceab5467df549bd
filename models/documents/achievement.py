"""The achievement report (báo cáo thành tích) of a nomination's person, collective or
household, prefilled from the record (particulars, yearly ratings, initiatives, the award
history) for the officer to complete in Word."""
from __future__ import annotations

from pathlib import Path

from models import text
from models.awards import history, initiatives, nominations
from models.awards.tables import RATINGS, MemberRating, Nomination, UnitRating
from models.documents import builder, subjects
from models.documents.decision import SUBJECT_WORDS
from models.errors import RuleError
from models.registry.tables import GENDERS, Person, Unit

KIND = "achievement"
RATED_YEARS = 3   # the assessments a report usually quotes
FILL_IN = "(Cán bộ bổ sung tại đây.)"
AWARD_COLUMNS = [("Năm", 1.6, "center"), ("Danh hiệu, hình thức", 5.6, "left"),
                 ("Số, ngày quyết định", 5.4, "left"), ("Cấp quyết định", 3.9, "left")]


def find(value: str, year: int) -> int:
    """The nomination numbered `value` (its number on the F6 screen); `year` unused."""
    if not (value or "").strip().isdigit():
        raise RuleError(f"Số đề nghị “{text.visible(value)}” phải là một số (xem màn hình F6).")
    return nominations.get(int(value)).id


def _particulars(nom: Nomination, subject: subjects.Subject) -> list[str]:
    if nom.person_id:
        p = Person.get_by_id(nom.person_id)
        return [f"Họ và tên: {p.full_name}", f"Sinh ngày: {subject.birth}",
                f"Giới tính: {GENDERS.get(p.gender, '')}",
                f"Chức vụ: {p.position}", f"Đơn vị công tác: {subject.place}",
                "Ngày tuyển dụng: "
                + (text.format_date(p.recruited_on) if p.recruited_on else "")]
    if nom.household_id:
        return [f"Chủ hộ: {subject.name}", f"Thôn: {subject.place}",
                f"Địa chỉ: {subject.address}"]
    unit = Unit.get_by_id(nom.unit_id)
    head = Person.get_or_none(Person.id == unit.head_id) if unit.head_id else None
    return [f"Tên tập thể: {unit.name}", f"Đơn vị cấp trên: {subject.place}",
            f"Người đứng đầu: {head.full_name if head else ''}"]


def _ratings(nom: Nomination) -> list[str]:
    if nom.person_id:
        model, owner = MemberRating, MemberRating.person == nom.person_id
    elif nom.unit_id:
        model, owner = UnitRating, UnitRating.unit == nom.unit_id
    else:
        return []
    rows = (model.select(model.year, model.rating)
            .where(owner & (model.year > nom.year - RATED_YEARS) & (model.year <= nom.year))
            .order_by(model.year).tuples())
    return [f"Năm {year}: {RATINGS.get(rating, rating)}" for year, rating in rows]


def _subject_key(nom: Nomination) -> tuple[str, int]:
    if nom.person_id:
        return "person", nom.person_id
    if nom.household_id:
        return "household", nom.household_id
    return "unit", nom.unit_id


def build(cfg, nomination_id: int) -> builder.Document:
    nom = nominations.get(nomination_id)
    [line] = subjects.read(subjects.lines(Nomination, Nomination.id == nom.id, amounts=False))
    title = history.title_name(cfg.titles, nom.title_code)
    doc = builder.Document(cfg)
    doc.heading("", None, body=[line.subject.place.upper()] if line.subject.place else [])
    doc.title("Báo cáo thành tích",
              f"Đề nghị tặng {title} năm {nom.year} ({SUBJECT_WORDS[line.subject.kind]})")
    doc.line("I. SƠ LƯỢC LÝ LỊCH", bold=True, align="left", after=6)
    for value in _particulars(nom, line.subject):
        doc.text(value, after=0)
    doc.line("II. THÀNH TÍCH ĐẠT ĐƯỢC", bold=True, align="left", before=12, after=6)
    doc.text("1. Kết quả đánh giá, xếp loại:", after=0)
    for value in _ratings(nom) or [FILL_IN]:
        doc.text(f"- {value}", after=0)
    if nom.person_id:
        doc.text("2. Sáng kiến, đề tài nghiên cứu:", after=0)
        found = initiatives.of_person(nom.person_id)
        for ini in found:
            doc.text(f"- {ini.title} ({ini.decision_ref})", after=0)
        if not found:
            doc.text(f"- {FILL_IN}", after=0)
    doc.text("3. Tóm tắt thành tích:", after=0)
    doc.text(nom.summary or FILL_IN)
    doc.line("III. CÁC HÌNH THỨC ĐÃ ĐƯỢC KHEN THƯỞNG", bold=True, align="left", before=12,
             after=6)
    awards = history.history_of(*_subject_key(nom), cfg.titles)
    doc.table(AWARD_COLUMNS, ([a.year, a.title_name, f"{a.decision_ref} {a.date_text}".strip(),
                               a.level_name] for a in awards))
    doc.sign(builder.Signature("NGƯỜI BÁO CÁO THÀNH TÍCH", "(Ký, ghi rõ họ và tên)",
                               line.subject.name if nom.person_id else ""),
             left=["XÁC NHẬN CỦA", "THỦ TRƯỞNG ĐƠN VỊ"])
    return doc


def write_docx(cfg, nomination_id: int, path: Path) -> Path:
    return build(cfg, nomination_id).save(path)
