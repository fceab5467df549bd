"""Units (đơn vị): departments, villages, the cooperative, the Front, associations."""
from __future__ import annotations

from dataclasses import dataclass

import peewee as pw

from models import fields, text
from models.errors import NotFound, PermissionDenied, RuleError
from models.registry import codes
from models.registry.access import Actor, may_edit_unit, require, require_unit
from models.registry.people import contains_words
from models.registry.tables import UNIT_KINDS, Person, Unit
from models.store import records
from models.store.tables import database

WHAT = "đơn vị"
MANAGERS = ("admin",)  # create units, deactivate and reopen them


def can_manage(actor: Actor) -> bool:
    return actor.has(*MANAGERS)


def _values(name: str, kind: str, parent_id: int | None, note: str) -> dict:
    clean = fields.name(name, "Tên đơn vị")
    return {"name": clean, "search_key": text.search_key(clean),
            "kind": fields.choice(kind, UNIT_KINDS, "Loại đơn vị"),
            "parent": parent_id, "note": fields.optional_text(note, "Ghi chú", multiline=True,
                                                             max_len=2000)}


def _check_parent(unit_id: int | None, parent_id: int | None) -> None:
    seen = {unit_id}
    while parent_id is not None:
        if parent_id in seen:
            raise RuleError("Đơn vị cấp trên không được là chính nó hay đơn vị con của nó.")
        seen.add(parent_id)
        parent_id = records.get(Unit, parent_id, "đơn vị cấp trên").parent_id


def create_unit(actor: Actor, name: str, kind: str, parent_id: int | None = None,
                note: str = "", code: str = "") -> Unit:
    """`code` blank: one is made ("DV007")."""
    require(actor, *MANAGERS, action="tạo đơn vị")
    values = _values(name, kind, parent_id, note)
    with database.atomic():
        _check_parent(None, parent_id)
        return records.insert(actor, Unit, code=codes.given_or_made(Unit, code), **values)


def update_unit(actor: Actor, unit_id: int, version: int, name: str, kind: str,
                parent_id: int | None, note: str = "", code: str | None = None) -> Unit:
    """`code` None keeps the unit's code; blank gives it one made from its id."""
    require_unit(actor, unit_id, action="sửa thông tin")
    values = _values(name, kind, parent_id, note)
    with database.atomic():
        current = records.get(Unit, unit_id, WHAT)
        if code is not None:
            values["code"] = codes.given_or_made(Unit, code, unit_id)
        # Codes are how the Office's spreadsheets and commands name a unit.
        if not actor.is_admin and (values["kind"], parent_id, values.get("code", current.code)) \
                != (current.kind, current.parent_id, current.code):
            raise RuleError("Chỉ Văn phòng được đổi loại, mã hoặc đơn vị cấp trên.")
        _check_parent(unit_id, parent_id)
        return records.update(actor, Unit, unit_id, version, WHAT, **values)


def get(unit_id: int) -> Unit:
    return records.get(Unit, unit_id, WHAT)


def named(value: str) -> Unit:
    """The unit a command line option names: by its code ("T01", any case) or by its
    exact name ("Thôn 1"); an unknown or ambiguous name is refused in one line."""
    typed = text.nfc(value or "").strip()
    if not typed:
        raise RuleError("Thiếu mã hoặc tên đơn vị.")
    found = Unit.get_or_none(Unit.code == typed)
    if found is not None:
        return found
    by_code = list(Unit.select().where(pw.fn.UPPER(Unit.code) == typed.upper()))
    if len(by_code) == 1:
        return by_code[0]
    by_name = list(Unit.select().where(Unit.name == typed).order_by(Unit.code))
    if len(by_name) == 1:
        return by_name[0]
    if by_name:
        raise RuleError(f"Có {len(by_name)} đơn vị tên “{text.visible(typed)}”; ghi mã: "
                        + ", ".join(text.visible(u.code or "") for u in by_name) + ".")
    raise NotFound(f"Không có đơn vị mã hay tên “{text.visible(typed)}” "
                   "(xem mã ở màn hình Đơn vị, F2).")


def editable(actor: Actor, unit_id: int) -> Unit:
    """The unit, when the actor may change it; else PermissionDenied saying so."""
    require_unit(actor, unit_id, action="sửa thông tin")
    return get(unit_id)


def set_head(actor: Actor, unit_id: int, version: int, person_id: int | None) -> Unit:
    require_unit(actor, unit_id, action="đổi người đứng đầu")
    if person_id is not None:
        person = records.get(Person, person_id, "người")
        if person.unit_id != unit_id and not may_edit_unit(actor, person.unit_id):
            raise PermissionDenied("Bạn không có quyền đặt người của đơn vị khác làm người "
                                   "đứng đầu.")
    return records.update(actor, Unit, unit_id, version, WHAT, head=person_id)


def set_active(actor: Actor, unit_id: int, version: int, active: bool) -> Unit:
    """Units with history are never deleted: they are deactivated and stay on record."""
    require(actor, *MANAGERS, action="ngừng hoạt động hay mở lại đơn vị")
    return records.update(actor, Unit, unit_id, version, WHAT, active=active)


def tree(include_inactive: bool = True) -> list[tuple[Unit, int]]:
    """Units in display order: by kind, then name, children under their parent."""
    query = Unit.select()
    if not include_inactive:
        query = query.where(Unit.active == True)  # noqa: E712 - peewee expression
    units = list(query)
    kind_rank = {kind: i for i, kind in enumerate(UNIT_KINDS)}
    children: dict[int | None, list[Unit]] = {}
    for unit in units:
        children.setdefault(unit.parent_id, []).append(unit)
    for siblings in children.values():
        siblings.sort(key=lambda u: (kind_rank.get(u.kind, 99), u.search_key, u.id))
    ordered: list[tuple[Unit, int]] = []

    def walk(parent: int | None, depth: int) -> None:
        for unit in children.get(parent, []):
            ordered.append((unit, depth))
            walk(unit.id, depth + 1)

    walk(None, 0)
    known = {u.id for u, _ in ordered}
    ordered += [(u, 0) for u in units if u.id not in known]  # parent filtered out
    return ordered


def villages() -> list[Unit]:
    return list(Unit.select().where(Unit.kind == "village").order_by(Unit.search_key))


def head_names(units: list[Unit]) -> dict[int, str]:
    """Unit id -> its head's full name, for the units that have one (one query)."""
    heads = {u.head_id for u in units if u.head_id}
    if not heads:
        return {}
    found = Person.select(Person.id, Person.full_name).where(Person.id.in_(sorted(heads)))
    names = {p.id: p.full_name for p in found}
    return {u.id: names[u.head_id] for u in units if u.head_id in names}


@dataclass(frozen=True)
class Summary:
    """What the Units list says under the cursor."""
    unit: Unit
    head_name: str        # "" without a head
    parent_name: str      # "" at the top of the tree
    members: int


def summary(unit_id: int) -> Summary:
    unit = get(unit_id)
    parent = unit.parent.name if unit.parent_id else ""
    return Summary(unit, head_names([unit]).get(unit.id, ""), parent,
                   Person.select().where(Person.unit == unit.id).count())


def search_units(query: str = "") -> pw.ModelSelect:
    """Units whose folded name contains every word typed, in name order."""
    return contains_words(Unit, query).order_by(Unit.search_key, Unit.id)
