"""People and households, and the search every list of them uses."""
from __future__ import annotations

import peewee as pw

from models import fields, text
from models.errors import RuleError
from models.registry import codes
from models.registry.access import Actor, require_unit
from models.registry.tables import GENDERS, Household, Person, Unit
from models.store import records
from models.store.paging import Listing
from models.store.tables import database

PERSON = "hồ sơ người"
HOUSEHOLD = "hộ gia đình"


def _person_values(full_name, birth_date=None, gender="", citizen_id=None, unit_id=None,
                   position="", household_id=None, recruited_on=None) -> dict:
    clean = fields.name(full_name, "Họ và tên")
    born = fields.optional_date(birth_date, "Ngày sinh")
    recruited = fields.optional_date(recruited_on, "Ngày tuyển dụng")
    if born and recruited and recruited < born:
        raise RuleError("Ngày tuyển dụng không thể trước ngày sinh.")
    if unit_id is not None:
        records.get(Unit, unit_id, "đơn vị")
    if household_id is not None:
        records.get(Household, household_id, HOUSEHOLD)
    return {"full_name": clean, "search_key": text.search_key(clean), "sort_key": text.sort_key(clean),
            "birth_date": born, "gender": fields.choice(gender or "", GENDERS, "Giới tính"),
            "citizen_id": fields.citizen_id(citizen_id), "unit": unit_id,
            "position": fields.optional_text(position, "Chức vụ", max_len=200),
            "household": household_id, "recruited_on": recruited}


def _check_citizen_id_free(citizen_id: str | None, person_id: int | None) -> None:
    if citizen_id is None:
        return
    other = Person.get_or_none((Person.citizen_id == citizen_id) & (Person.id != (person_id or 0)))
    if other is not None:
        raise RuleError(f"Số định danh {citizen_id} đã thuộc về {text.visible(other.full_name)}.")


def require_household(actor: Actor, household_id: int | None,
                      current_id: int | None = None) -> None:
    """A person goes into a household only of a village the actor looks after (one they
    are already in may stay)."""
    if household_id is not None and household_id != current_id:
        village = Household.get_by_id(household_id).village_id
        require_unit(actor, village, action="đưa người vào hộ gia đình")


def create_person(actor: Actor, **values) -> Person:
    clean = _person_values(**values)
    require_unit(actor, clean["unit"], action="thêm người vào danh sách")
    require_household(actor, clean["household"])
    with database.atomic():
        _check_citizen_id_free(clean["citizen_id"], None)
        return records.insert(actor, Person, **clean)


def update_person(actor: Actor, person_id: int, version: int, **values) -> Person:
    clean = _person_values(**values)
    with database.atomic():
        current = records.get(Person, person_id, PERSON)
        require_unit(actor, current.unit_id, action="sửa hồ sơ người")
        require_unit(actor, clean["unit"], action="chuyển người sang đơn vị")
        require_household(actor, clean["household"], current.household_id)
        _check_citizen_id_free(clean["citizen_id"], person_id)
        return records.update(actor, Person, person_id, version, PERSON, **clean)


def _household_values(head_name, village_id, address="") -> dict:
    clean = fields.name(head_name, "Chủ hộ")
    village = records.get(Unit, village_id, "thôn")
    if village.kind != "village":
        raise RuleError(f"{text.visible(village.name)} không phải là thôn.")
    return {"head_name": clean, "search_key": text.search_key(clean), "sort_key": text.sort_key(clean),
            "village": village_id, "address": fields.optional_text(address, "Địa chỉ")}


def create_household(actor: Actor, head_name: str, village_id: int, address: str = "",
                     code: str = "") -> Household:
    """`code` blank: one is made ("HO00042")."""
    require_unit(actor, village_id, action="thêm hộ gia đình")
    with database.atomic():
        return records.insert(actor, Household, code=codes.given_or_made(Household, code),
                              **_household_values(head_name, village_id, address))


def update_household(actor: Actor, household_id: int, version: int, head_name: str,
                     village_id: int, address: str = "", code: str | None = None) -> Household:
    """`code` None keeps the household's code; blank gives it one made from its id."""
    clean = _household_values(head_name, village_id, address)
    with database.atomic():
        current = records.get(Household, household_id, HOUSEHOLD)
        require_unit(actor, current.village_id, action="sửa hộ gia đình")
        require_unit(actor, village_id, action="chuyển hộ sang thôn")
        if code is not None:
            clean["code"] = codes.given_or_made(Household, code, household_id)
        return records.update(actor, Household, household_id, version, HOUSEHOLD, **clean)


def household_by_code(value: str) -> Household:
    """The household whose code (mã hộ, as the Households list shows it) is typed."""
    code = codes.typed(Household, value)
    found = Household.get_or_none(Household.code == code) or \
        Household.get_or_none(pw.fn.UPPER(Household.code) == code.upper())
    if found is None:
        raise RuleError(f"Không có hộ mang mã “{text.visible(code)}” "
                        "(xem mã ở danh sách hộ, Ctrl+T).")
    return found


def contains_words(model, query: str) -> pw.ModelSelect:
    """Rows of `model` whose folded search key contains every word typed."""
    select = model.select()
    for word in text.search_words(query):
        select = select.where(model.search_key.contains(word))
    return select


def _matching(model, query: str, extra=None) -> pw.ModelSelect:
    """Rows matching `query`, in Vietnamese name order."""
    select = contains_words(model, query)
    if extra is not None:
        select = select.where(extra)
    return select.order_by(model.sort_key, model.id)


def search_people(query: str = "", unit_id: int | None = None) -> pw.ModelSelect:
    return _matching(Person, query, None if unit_id is None else Person.unit == unit_id)


def search_households(query: str = "", village_id: int | None = None) -> pw.ModelSelect:
    return _matching(Household, query,
                     None if village_id is None else Household.village == village_id)


def people_with_units(query: str = "") -> pw.ModelSelect:
    """People matching `query`, each with their unit read in the same query."""
    return search_people(query).join(Unit, pw.JOIN.LEFT_OUTER).select(Person, Unit)


def households_with_villages(query: str = "") -> pw.ModelSelect:
    """Households matching `query`, each with its village read in the same query."""
    return search_households(query).join(Unit).select(Household, Unit)


def people_listing() -> Listing:
    """The People list (F3): everyone, with their unit, paged for the filter typed."""
    return Listing(people_with_units)


def households_listing() -> Listing:
    """The Households list: every household with its village, paged for the filter typed."""
    return Listing(households_with_villages)


def get_person(person_id: int) -> Person:
    return records.get(Person, person_id, PERSON)


def get_household(household_id: int) -> Household:
    return records.get(Household, household_id, HOUSEHOLD)


def person_with_household(person_id: int) -> Person:
    """One person, with their household and its village read in the same query."""
    found = (Person.select(Person, Household, Unit).join(Household, pw.JOIN.LEFT_OUTER)
             .join(Unit, pw.JOIN.LEFT_OUTER).where(Person.id == person_id).first())
    if found is None:
        raise records.missing(PERSON, person_id)
    return found


def household_members(household_id: int) -> list[Person]:
    return list(search_people().where(Person.household == household_id))


def active_members(unit_id: int) -> list[Person]:
    """A unit's active members, in name order."""
    return list(search_people(unit_id=unit_id).where(Person.active))


def by_number(value: str) -> Person:
    """A person by citizen id (CCCD: 9 or 12 digits, as the People list shows it) or
    by record number: how an officer names someone who is in no list at hand."""
    value = value.strip()
    if not value.isdigit():
        raise RuleError("Gõ số CCCD (12 chữ số) hoặc mã số của người.")
    if len(value) in (9, 12):
        person = Person.get_or_none(Person.citizen_id == value)
        if person is None:
            raise RuleError(f"Không có ai mang số CCCD {value}.")
        return person
    return records.get(Person, int(value), "người")
