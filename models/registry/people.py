"""People and households, and the search every list of them uses."""
from __future__ import annotations

import peewee as pw

from models import fields, text
from models.errors import RuleError
from models.registry.access import Actor, require_unit
from models.registry.tables import GENDERS, Household, Person, Unit
from models.store import records
from models.store.tables import database

PERSON = "hồ sơ người"
MAX_SEARCH_WORDS = 12
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
    return {"full_name": clean, "search_key": text.fold(clean), "sort_key": text.sort_key(clean),
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


def create_person(actor: Actor, **values) -> Person:
    clean = _person_values(**values)
    require_unit(actor, clean["unit"], action="thêm người vào danh sách")
    with database.atomic():
        _check_citizen_id_free(clean["citizen_id"], None)
        return records.insert(actor, Person, **clean)


def update_person(actor: Actor, person_id: int, version: int, **values) -> Person:
    clean = _person_values(**values)
    with database.atomic():
        current = records.get(Person, person_id, PERSON)
        require_unit(actor, current.unit_id, action="sửa hồ sơ người")
        require_unit(actor, clean["unit"], action="chuyển người sang đơn vị")
        _check_citizen_id_free(clean["citizen_id"], person_id)
        return records.update(actor, Person, person_id, version, PERSON, **clean)


def _household_values(head_name, village_id, address="") -> dict:
    clean = fields.name(head_name, "Chủ hộ")
    village = records.get(Unit, village_id, "thôn")
    if village.kind != "village":
        raise RuleError(f"{text.visible(village.name)} không phải là thôn.")
    return {"head_name": clean, "search_key": text.fold(clean), "sort_key": text.sort_key(clean),
            "village": village_id, "address": fields.optional_text(address, "Địa chỉ")}


def create_household(actor: Actor, head_name: str, village_id: int, address: str = "") -> Household:
    require_unit(actor, village_id, action="thêm hộ gia đình")
    return records.insert(actor, Household, **_household_values(head_name, village_id, address))


def update_household(actor: Actor, household_id: int, version: int, head_name: str,
                     village_id: int, address: str = "") -> Household:
    clean = _household_values(head_name, village_id, address)
    with database.atomic():
        current = records.get(Household, household_id, HOUSEHOLD)
        require_unit(actor, current.village_id, action="sửa hộ gia đình")
        require_unit(actor, village_id, action="chuyển hộ sang thôn")
        return records.update(actor, Household, household_id, version, HOUSEHOLD, **clean)


def _matching(model, query: str, extra=None) -> pw.ModelSelect:
    """Rows whose folded name contains every word typed, in Vietnamese name order."""
    select = model.select()
    # Distinct words only, and a bounded number of them: every word nests one more
    # AND, and a pasted paragraph overflowed SQLite's parser ("parser stack overflow").
    words = list(dict.fromkeys(text.fold(query).split()))[:MAX_SEARCH_WORDS]
    for word in words:
        select = select.where(model.search_key.contains(word))
    if extra is not None:
        select = select.where(extra)
    return select.order_by(model.sort_key, model.id)


def search_people(query: str = "", unit_id: int | None = None) -> pw.ModelSelect:
    return _matching(Person, query, None if unit_id is None else Person.unit == unit_id)


def search_households(query: str = "", village_id: int | None = None) -> pw.ModelSelect:
    return _matching(Household, query,
                     None if village_id is None else Household.village == village_id)
