"""Registration (đăng ký thi đua): a unit's targets, the collective title it aims
for and the individual titles its members aim for; draft -> submitted ->
approved, or returned with a reason by the Office."""
from __future__ import annotations

import datetime as dt

from models import fields, text
from models.cycle.reports import OFFICE, reason_text, transition
from models.cycle.tables import (REGISTRATION_STATES, Campaign, CampaignUnit, Registration,
                                 RegistrationTitle, StateChange)
from models.cycle.workflow import Step, Workflow
from models.errors import RuleError
from models.registry.access import Actor, require_unit
from models.registry.tables import Household, Person, Unit
from models.store import changelog, records
from models.store.tables import database

WHAT = "bản đăng ký thi đua"

UNSENT = frozenset({"draft", "returned"})
FLOW = Workflow(REGISTRATION_STATES, {
    "edit": Step(UNSENT, "sửa bản đăng ký thi đua",
                 "Bản đăng ký đang ở trạng thái “{state}”; chỉ sửa được bản nháp hoặc bản bị "
                 "trả lại."),
    "submit": Step(UNSENT, "gửi bản đăng ký thi đua",
                   "Chỉ gửi được bản nháp hoặc bản bị trả lại."),
    "approve": Step(frozenset({"submitted"}), "duyệt bản đăng ký thi đua",
                    "Chỉ duyệt được bản đăng ký đã gửi.", OFFICE),
    "return": Step(frozenset({"submitted", "approved"}), "trả lại bản đăng ký thi đua",
                   "Chỉ trả lại được bản đăng ký đã gửi hoặc đã duyệt.", OFFICE),
})


def allowed_actions(actor: Actor, row: Registration) -> frozenset[str]:
    """What `actor` may do to the registration now: "edit" (targets, titles), "submit",
    "approve", "return" (with a reason)."""
    return FLOW.allowed(actor, row)


def require_action(actor: Actor, row: Registration, action: str) -> None:
    """Refuse `action` on the registration, saying why, unless `allowed_actions` has it."""
    if action not in allowed_actions(actor, row):
        FLOW.refuse(actor, row, action)


def _title_choices(cfg, subjects: set[str]) -> dict[str, str]:
    return {code: t.name for code, t in cfg.titles.items() if set(t.subjects) & subjects}


def collective_titles(cfg, unit: Unit) -> dict[str, str]:
    """Titles a unit can aim for: collective ones, and village ones for a village."""
    return _title_choices(cfg, {"collective", "village"} if unit.kind == "village"
                          else {"collective"})


def individual_titles(cfg) -> dict[str, str]:
    return _title_choices(cfg, {"individual"})


def get(registration_id: int) -> Registration:
    return records.get(Registration, registration_id, WHAT)


def find(campaign_id: int, unit_id: int) -> Registration | None:
    return Registration.get_or_none((Registration.campaign == campaign_id)
                                    & (Registration.unit == unit_id))


def find_or_start(actor: Actor, campaign_id: int, unit_id: int) -> Registration | None:
    """The unit's registration. The unit's own officer's first look starts it as a
    draft; anyone else only finds what the unit has started."""
    found = find(campaign_id, unit_id)
    if found is None and unit_id in actor.unit_ids:
        return open_registration(actor, campaign_id, unit_id)
    return found


def open_registration(actor: Actor, campaign_id: int, unit_id: int) -> Registration:
    """The unit's registration, started as a draft when there is none yet."""
    require_unit(actor, unit_id, action="đăng ký thi đua")
    with database.atomic():
        records.get(Campaign, campaign_id, "phong trào")
        existing = find(campaign_id, unit_id)
        if existing is not None:
            return existing
        if not CampaignUnit.select().where((CampaignUnit.campaign == campaign_id)
                                           & (CampaignUnit.unit == unit_id)).exists():
            raise RuleError("Đơn vị này không tham gia phong trào này.")
        row = records.insert(actor, Registration, campaign=campaign_id, unit=unit_id)
        StateChange.create(entity="registration", row_id=row.id, from_state="",
                           to_state="draft", login=actor.login)
        return row


def _editable(actor: Actor, registration_id: int) -> Registration:
    row = get(registration_id)
    require_action(actor, row, "edit")
    return row


def save(actor: Actor, cfg, registration_id: int, version: int, targets: str,
         collective_title: str) -> Registration:
    clean = fields.optional_text(targets, "Chỉ tiêu", max_len=20000, multiline=True)
    with database.atomic():
        row = _editable(actor, registration_id)
        if collective_title:
            fields.choice(collective_title, collective_titles(cfg, row.unit),
                          "Danh hiệu tập thể")
        return records.update(actor, Registration, registration_id, version, WHAT,
                              targets=clean, collective_title=collective_title or "")


def add_title(actor: Actor, cfg, registration_id: int, person_id: int,
              title_code: str) -> RegistrationTitle:
    fields.choice(title_code, individual_titles(cfg), "Danh hiệu cá nhân")
    with database.atomic():
        row = _editable(actor, registration_id)
        person = records.get(Person, person_id, "người")
        if not members(row.unit_id).where(Person.id == person_id).exists():
            raise RuleError(f"{text.visible(person.full_name)} không thuộc đơn vị này.")
        if RegistrationTitle.select().where(
                (RegistrationTitle.registration == registration_id)
                & (RegistrationTitle.person == person_id)
                & (RegistrationTitle.title_code == title_code)).exists():
            raise RuleError(f"{text.visible(person.full_name)} đã có trong danh sách "
                            "với danh hiệu này.")
        link = RegistrationTitle.create(registration=registration_id, person=person_id,
                                        title_code=title_code)
        changelog.record(actor.login, "registration_title", link.id, "insert",
                         after=changelog.snapshot(link))
        # The registration itself changed: sessions watching it refresh.
        records.update(actor, Registration, row.id, row.version, WHAT)
        return link


def remove_title(actor: Actor, link_id: int) -> None:
    with database.atomic():
        link = records.get(RegistrationTitle, link_id, "danh hiệu đăng ký")
        row = _editable(actor, link.registration_id)
        changelog.record(actor.login, "registration_title", link_id, "delete",
                         before=changelog.snapshot(link))
        link.delete_instance()
        records.update(actor, Registration, row.id, row.version, WHAT)


def members(unit_id: int):
    """Who a unit may register: its members, and for a village its residents too
    (people of the village's households)."""
    unit = records.get(Unit, unit_id, "đơn vị")
    query = Person.select().where(Person.unit == unit_id)
    if unit.kind == "village":
        query = Person.select().where((Person.unit == unit_id) | Person.household.in_(
            Household.select(Household.id).where(Household.village == unit_id)))
    return query.order_by(Person.sort_key, Person.id)


def titles(registration_id: int) -> list[RegistrationTitle]:
    return list(RegistrationTitle.select(RegistrationTitle, Person).join(Person)
                .where(RegistrationTitle.registration == registration_id)
                .order_by(Person.sort_key, RegistrationTitle.id))


def submit(actor: Actor, registration_id: int, version: int, today: dt.date) -> Registration:
    with database.atomic():
        row = get(registration_id)
        require_action(actor, row, "submit")
        if not row.targets.strip() and not row.collective_title:
            raise RuleError("Hãy ghi chỉ tiêu hoặc chọn danh hiệu tập thể trước khi gửi.")
        return transition(actor, Registration, row, "registration", WHAT, version, "submitted",
                          submitted_on=today, return_reason="")


def approve(actor: Actor, registration_id: int, version: int) -> Registration:
    with database.atomic():
        row = get(registration_id)
        require_action(actor, row, "approve")
        return transition(actor, Registration, row, "registration", WHAT, version, "approved")


def return_registration(actor: Actor, registration_id: int, version: int,
                        reason: str) -> Registration:
    with database.atomic():
        row = get(registration_id)
        require_action(actor, row, "return")
        why = reason_text(reason)
        return transition(actor, Registration, row, "registration", WHAT, version, "returned",
                          why, return_reason=why)

