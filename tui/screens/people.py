"""People and households: find anyone among tens of thousands, edit, add."""
from __future__ import annotations

from textual.binding import Binding

from models import fields, text
from models.awards import discipline
from models.registry import access, codes, people, units
from models.registry.access import Actor
from models.registry.tables import GENDERS, Household, Person
from tui.screens.discipline import DisciplineScreen
from tui.screens.initiatives import InitiativesScreen
from tui.widgets.browse import BrowseScreen
from tui.widgets.form import Field, FormScreen, FormSpec
from tui.widgets.lazylist import RecordSource, Row


def _date(value) -> str:
    return text.format_date(value) if value else ""


def unit_choices() -> tuple[tuple[str, str], ...]:
    return tuple((str(u.id), "  " * depth + u.name) for u, depth in units.tree(False))


def person_values(person: Person | None) -> dict[str, str]:
    if person is None:
        return {"gender": "", "_version": "0"}
    return {"full_name": person.full_name, "birth_date": _date(person.birth_date),
            "gender": person.gender, "citizen_id": person.citizen_id or "",
            "unit": str(person.unit_id or ""), "position": person.position,
            "household": person.household.code if person.household_id else "",
            "recruited_on": _date(person.recruited_on), "_version": str(person.version)}


def person_form(actor: Actor, person: Person | None) -> FormScreen:
    def save(values: dict[str, str]):
        data = {"full_name": values["full_name"], "birth_date": values["birth_date"],
                "gender": values["gender"], "citizen_id": values["citizen_id"],
                "unit_id": int(values["unit"]) if values["unit"] else None,
                "position": values["position"],
                "household_id": people.household_by_code(values["household"]).id
                if values["household"].strip() else None,
                "recruited_on": values["recruited_on"]}
        if person is None:
            return people.create_person(actor, **data)
        return people.update_person(actor, person.id, int(values["_version"]), **data)

    def reload() -> dict[str, str]:
        return person_values(people.get_person(person.id))

    form_fields = [
        Field("full_name", "Họ và tên", required=True,
              check=lambda v: fields.name(v, "Họ và tên")),
        Field("birth_date", "Ngày sinh", placeholder="dd/mm/yyyy",
              check=lambda v: fields.optional_date(v, "Ngày sinh")),
        Field("gender", "Giới tính", choices=tuple((k, v) for k, v in GENDERS.items() if k)),
        Field("citizen_id", "Số CCCD", check=fields.citizen_id),
        Field("unit", "Đơn vị", choices=unit_choices()),
        Field("position", "Chức vụ", check=lambda v: fields.optional_text(v, "Chức vụ")),
        Field("household", "Mã hộ gia đình", check=people.household_by_code,
              placeholder="ví dụ HO00012 (danh sách hộ: Ctrl+T)"),
        Field("recruited_on", "Ngày tuyển dụng", placeholder="dd/mm/yyyy",
              check=lambda v: fields.optional_date(v, "Ngày tuyển dụng")),
    ]
    title = "Thêm người" if person is None else f"Sửa hồ sơ: {person.full_name}"
    return FormScreen(FormSpec(title, form_fields, person_values(person), save,
                               reload=None if person is None else reload,
                               watch=None if person is None else ("person", person.id)))


def _person_cells(p: Person) -> tuple[str, ...]:
    return (p.full_name, _date(p.birth_date), GENDERS[p.gender] if p.gender else "",
            p.unit.name if p.unit_id else "")


class PeopleScreen(BrowseScreen):
    heading = "Người"
    tables = ("person", "unit", "household")
    BINDINGS = [Binding("ctrl+t", "households", "Hộ gia đình", id="people.households"),
                # Off the footer (80 columns): F1 and the command palette list them.
                Binding("ctrl+g", "discipline", "Kỷ luật", id="people.discipline", show=False),
                Binding("ctrl+b", "initiatives", "Sáng kiến", id="people.initiatives",
                        show=False)]

    def make_source(self):
        return RecordSource((("Họ và tên", 0), ("Ngày sinh", 10), ("Giới", 5), ("Đơn vị", 20)),
                            people.people_listing(), _person_cells)

    def can_edit(self) -> bool:
        return access.edits_units(self.app.actor)

    def detail(self, row: Row) -> str:
        person = people.person_with_household(row.id)
        household = person.household
        parts = [f"CCCD: {person.citizen_id or '—'}", f"Chức vụ: {person.position or '—'}"]
        if household is not None:
            parts.append(f"Hộ {household.code}: {household.head_name}, {household.village.name}")
        return text.visible(" · ".join(parts))

    def open_row(self, row: Row) -> None:
        person = people.get_person(row.id)
        if not self.can_edit():
            self.notify("Bạn chỉ có quyền xem.", markup=False)
            return
        self.app.push_screen(person_form(self.app.actor, person), self.edited)

    def new_row(self) -> None:
        self.app.push_screen(person_form(self.app.actor, None), self.edited)

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "discipline":
            return discipline.can_see(self.app.actor)
        return super().check_action(action, parameters)

    def action_households(self) -> None:
        self.app.push_screen(HouseholdsScreen())

    def action_initiatives(self) -> None:
        """The highlighted person's initiatives (Ctrl+T there: everyone's)."""
        row = self.list.current
        self.app.push_screen(InitiativesScreen(row.id if row is not None else None))

    def action_discipline(self) -> None:
        row = self.list.current
        if row is not None:
            self.app.push_screen(DisciplineScreen(row.id))


def household_form(actor: Actor, household: Household | None) -> FormScreen:
    def values_of(h: Household | None) -> dict[str, str]:
        if h is None:
            return {"_version": "0"}
        return {"code": h.code or "", "head_name": h.head_name, "village": str(h.village_id),
                "address": h.address, "_version": str(h.version)}

    def save(values: dict[str, str]):
        village = int(values["village"]) if values["village"] else 0
        if household is None:
            return people.create_household(actor, values["head_name"], village, values["address"],
                                           values["code"])
        return people.update_household(actor, household.id, int(values["_version"]),
                                       values["head_name"], village, values["address"],
                                       values["code"])

    form_fields = [
        Field("head_name", "Chủ hộ", required=True, check=lambda v: fields.name(v, "Chủ hộ")),
        Field("village", "Thôn", required=True,
              choices=tuple((str(v.id), v.name) for v in units.villages())),
        Field("address", "Địa chỉ", check=lambda v: fields.optional_text(v, "Địa chỉ")),
        Field("code", "Mã hộ", check=lambda v: codes.typed(Household, v),
              placeholder="để trống: tự đặt"),
    ]
    title = "Thêm hộ gia đình" if household is None else f"Sửa hộ: {household.head_name}"
    reload = None if household is None else (
        lambda: values_of(people.get_household(household.id)))
    return FormScreen(FormSpec(title, form_fields, values_of(household), save, reload=reload,
                               watch=None if household is None else ("household", household.id)))


class HouseholdsScreen(BrowseScreen):
    heading = "Hộ gia đình"
    tables = ("household", "unit")
    BINDINGS = [Binding("ctrl+t", "app.pop_screen", "Người", id="households.people")]

    def make_source(self):
        return RecordSource((("Mã hộ", 8), ("Chủ hộ", 0), ("Thôn", 18), ("Địa chỉ", 22)),
                            people.households_listing(),
                            lambda h: (h.code or "", h.head_name, h.village.name, h.address))

    def can_edit(self) -> bool:
        return access.edits_units(self.app.actor)

    def detail(self, row: Row) -> str:
        members = people.household_members(row.id)
        code = people.get_household(row.id).code
        return text.visible(f"Mã hộ {code} · Thành viên: "
                            + (", ".join(p.full_name for p in members) or "chưa có"))

    def open_row(self, row: Row) -> None:
        if self.can_edit():
            household = people.get_household(row.id)
            self.app.push_screen(household_form(self.app.actor, household), self.edited)

    def new_row(self) -> None:
        self.app.push_screen(household_form(self.app.actor, None), self.edited)

    def action_back(self) -> None:
        box = self.query_one("#filter")
        if box.value:
            box.value = ""
        else:
            self.app.pop_screen()
