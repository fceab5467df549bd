"""Discipline, investigation, inspection, complaints: the Office's records, of everyone (from
the units list or the command palette) or of one person (from the people list). A unit
officer never reaches this screen: its keys and its palette entry are the Office's only."""
from __future__ import annotations

from textual.binding import Binding

from models import fields, text
from models.awards import discipline
from models.awards.tables import DISCIPLINE_FORMS, PersonFlag
from models.registry import people
from tui.screens.nominations.forms import PickSubjectScreen
from tui.widgets.browse import BrowseScreen
from tui.widgets.form import Field, FormScreen, FormSpec
from tui.widgets.lazylist import RecordSource, Row

SUBJECT_IDS = {"person": "person_id", "unit": "unit_id"}


def _date(value) -> str:
    return text.format_date(value) if value else ""


def _cells(flag: PersonFlag) -> tuple[str, ...]:
    return (discipline.subject_name(flag), discipline.KIND_NAMES[flag.kind],
            DISCIPLINE_FORMS.get(flag.form, ""), _date(flag.starts_on),
            _date(flag.ends_on) or "chưa xong", flag.document)


def flag_values(flag: PersonFlag | None) -> dict[str, str]:
    if flag is None:
        return {"kind": "discipline", "_version": "0"}
    return {"kind": flag.kind, "form": flag.form, "starts_on": _date(flag.starts_on),
            "ends_on": _date(flag.ends_on), "document": flag.document, "note": flag.note,
            "_version": str(flag.version)}


def flag_form(actor, subject: str, flag: PersonFlag | None = None,
              **subject_id: int) -> FormScreen:
    """A new record of the person or unit named by `subject_id`, or `flag` corrected."""
    def save(values: dict[str, str]):
        data = {"form": values["form"], "ends_on": values["ends_on"],
                "document": values["document"], "note": values["note"]}
        if flag is None:
            return discipline.record(actor, values["kind"], values["starts_on"], **subject_id,
                                     **data)
        return discipline.update(actor, flag.id, int(values["_version"]), values["kind"],
                                 values["starts_on"], **data)

    form_fields = [
        Field("kind", "Loại", required=True, choices=tuple(discipline.KIND_NAMES.items())),
        Field("form", "Hình thức kỷ luật", choices=tuple(DISCIPLINE_FORMS.items())),
        Field("starts_on", "Từ ngày", required=True, placeholder="dd/mm/yyyy",
              check=lambda v: fields.required_date(v, "Từ ngày")),
        Field("ends_on", "Đến ngày (xong)", placeholder="dd/mm/yyyy; trống: chưa xong",
              check=lambda v: fields.optional_date(v, "Đến ngày")),
        Field("document", "Văn bản", placeholder="số quyết định, kết luận...",
              check=discipline.clean_document),
        Field("note", "Ghi chú", check=discipline.clean_note),
    ]
    doing = "Ghi" if flag is None else "Sửa"
    reload = None if flag is None else (lambda: flag_values(discipline.get(flag.id)))
    return FormScreen(FormSpec(f"{doing} kỷ luật, điều tra, thanh tra, khiếu nại: "
                               f"{text.visible(subject)}", form_fields, flag_values(flag), save,
                               reload=reload,
                               watch=None if flag is None else ("person_flag", flag.id)))


def close_form(actor, flag: PersonFlag, today) -> FormScreen:
    """The end date of a record: served, or resolved."""
    def save(values: dict[str, str]):
        return discipline.close(actor, flag.id, flag.version, values["ends_on"])

    return FormScreen(FormSpec(
        f"Kết thúc: {text.visible(discipline.subject_name(flag))} · "
        f"{discipline.KIND_NAMES[flag.kind]} từ {_date(flag.starts_on)}",
        [Field("ends_on", "Đến ngày", required=True, placeholder="dd/mm/yyyy",
               check=lambda v: fields.required_date(v, "Đến ngày"))],
        {"ends_on": _date(flag.ends_on or today)}, save))


class DisciplineScreen(BrowseScreen):
    """Every record, newest first, or one person's (`person_id`)."""

    heading = "Kỷ luật, điều tra"
    tables = ("person_flag", "person", "unit")
    BINDINGS = [Binding("ctrl+t", "close_flag", "Kết thúc", id="discipline.close")]

    def __init__(self, person_id: int | None = None) -> None:
        super().__init__()
        self.person_id = person_id
        if person_id is not None:
            self.heading = f"Kỷ luật: {text.visible(people.get_person(person_id).full_name)}"

    def make_source(self):
        return RecordSource((("Người/đơn vị", 0), ("Loại", 10), ("Hình thức", 11),
                             ("Từ", 10), ("Đến", 10), ("Văn bản", 12)),
                            discipline.paged(self.app.actor, self.person_id), _cells)

    def can_create(self) -> bool:
        return discipline.can_see(self.app.actor)

    def detail(self, row: Row) -> str:
        flag = discipline.get(row.id)
        return (f"{text.visible(discipline.subject_name(flag))} · {discipline.describe(flag)}\n"
                "Enter: sửa · Ctrl+T: kết thúc · Ctrl+N: thêm")

    def open_row(self, row: Row) -> None:
        flag = discipline.get(row.id)
        self.app.push_screen(flag_form(self.app.actor, discipline.subject_name(flag), flag),
                             self.edited)

    def new_row(self) -> None:
        if self.person_id is not None:
            person = people.get_person(self.person_id)
            self.app.push_screen(flag_form(self.app.actor, person.full_name,
                                           person_id=person.id), self.edited)
            return

        def picked(row) -> None:
            if row is None:
                return
            if row.kind not in SUBJECT_IDS:
                self.notify("Kỷ luật, điều tra ghi cho một người hoặc một đơn vị, không cho "
                            "hộ gia đình.", severity="warning", markup=False)
                return
            self.app.push_screen(flag_form(self.app.actor, row.cells[1],
                                           **{SUBJECT_IDS[row.kind]: row.id}), self.edited)
        self.app.push_screen(PickSubjectScreen(), picked)

    def action_close_flag(self) -> None:
        row = self.list.current
        if row is not None:
            self.app.push_screen(close_form(self.app.actor, discipline.get(row.id),
                                            self.app.today), self.edited)

    def action_back(self) -> None:
        box = self.query_one("#filter")
        if box.value:
            box.value = ""
        elif len(self.app.screen_stack) > 1:   # opened from the units or people list
            self.app.pop_screen()
        else:                                  # opened from the command palette
            self.app.switch_mode("home")
