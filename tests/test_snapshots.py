"""How the main screens look at 80x24, on the small fixed commune of ui_helpers
with today fixed at 24/11/2026: nothing on them depends on the clock.

Update after an intended change of look: pytest tests/test_snapshots.py --snapshot-update
and review the SVGs under tests/__snapshots__/ before committing them.
"""
from __future__ import annotations

import datetime as dt

import pytest
from ui_helpers import SIZE, load_cfg, make_app, report_movement, settle, ui_store

store = pytest.fixture(ui_store, name="store")


@pytest.fixture(autouse=True)
def plain_terminal(monkeypatch):
    """TERM=linux switches borders to ASCII: snapshots are taken as PuTTY (xterm)."""
    monkeypatch.setenv("TERM", "xterm")


async def _type(pilot, value: str) -> None:
    for char in value:
        await pilot.press("space" if char == " " else char)
    await settle(pilot)


def test_home(store, snap_compare):
    assert snap_compare(make_app(), terminal_size=SIZE)


def test_people_list(store, snap_compare):
    assert snap_compare(make_app(open_screen="people"), terminal_size=SIZE)


def test_people_list_as_viewer(store, snap_compare):
    """No Ctrl+N in the footer for someone who may only read."""
    assert snap_compare(make_app(login="xem", open_screen="people"), terminal_size=SIZE)


def test_person_form_new_with_date_error(store, snap_compare):
    async def before(pilot):
        await pilot.press("ctrl+n")
        await settle(pilot)
        await _type(pilot, "Vu Thi Lan")
        await pilot.press("enter")
        await _type(pilot, "31/02/2024")

    assert snap_compare(make_app(open_screen="people"), terminal_size=SIZE, run_before=before)


def test_person_form_edit(store, snap_compare):
    async def before(pilot):
        await _type(pilot, "hung")
        await pilot.press("enter")
        await settle(pilot)

    assert snap_compare(make_app(open_screen="people"), terminal_size=SIZE, run_before=before)


def test_help_on_people(store, snap_compare):
    async def before(pilot):
        await pilot.press("f1")
        await settle(pilot)

    assert snap_compare(make_app(open_screen="people"), terminal_size=SIZE, run_before=before)


def test_lookup_history(store, snap_compare):
    async def before(pilot):
        await _type(pilot, "nguyen van hung")

    assert snap_compare(make_app(open_screen="lookup"), terminal_size=SIZE, run_before=before)


def test_households(store, snap_compare):
    async def before(pilot):
        await pilot.press("ctrl+t")
        await settle(pilot)

    assert snap_compare(make_app(open_screen="people"), terminal_size=SIZE, run_before=before)


def test_too_small(store, snap_compare):
    assert snap_compare(make_app(), terminal_size=(60, 20))


# --- The council, the awards and the reports: a ballot, the chair's console, a
# nomination's record, the report dashboard, a decision ------------------------------

@pytest.fixture
def council(store):
    """The council of council_world on top of the fixed commune: a secret ballot open
    on the three Lao động tiên tiến nominations, one member having voted."""
    from council_world import actor, build

    from models.council import ballots
    world = build(with_admin=False)
    ballot = ballots.open_ballot(actor("chutich"), load_cfg(), world["session"], world["ldtt"])
    ballots.cast(actor("uv02"), load_cfg(), ballot.id, {n: "agree" for n in world["ldtt"]})
    return world


def test_ballot_of_a_member(council, snap_compare):
    assert snap_compare(make_app("uv01", open_screen="vote"), terminal_size=SIZE)


def test_council_console_of_the_chair(council, snap_compare):
    async def before(pilot):
        await pilot.press("escape")  # from the chair's own ballot to the console
        await settle(pilot)

    assert snap_compare(make_app("chutich", open_screen="vote"), terminal_size=SIZE,
                        run_before=before)


def _checked_nomination(store) -> int:
    """Đặng Văn Đức's Lao động tiên tiến for 2026, its dossier complete and checked."""
    from models.awards import nominations, ratings
    from models.awards.tables import NominationEvent
    from models.registry import people
    from models.registry.access import SYSTEM
    from models.registry.tables import Person

    cfg = load_cfg()
    person = Person.get_by_id(store["people"]["Đặng Văn Đức"])
    people.update_person(SYSTEM, person.id, person.version, full_name=person.full_name,
                         birth_date=person.birth_date, gender=person.gender,
                         citizen_id=person.citizen_id, unit_id=person.unit_id,
                         position=person.position, household_id=person.household_id,
                         recruited_on=dt.date(2015, 3, 1))
    ratings.set_person_rating(SYSTEM, person.id, 2026, "good")
    nom = nominations.create(SYSTEM, cfg, subject_kind="individual", subject_id=person.id,
                             title_code="LDTT", year=2026, summary="Hoàn thành tốt nhiệm vụ")
    for item in nominations.dossier(nom.id):
        nominations.mark_received(SYSTEM, item.id, item.version, True, dt.date(2026, 11, 20))
    nominations.submit(SYSTEM, nom.id)
    nominations.check(SYSTEM, cfg, nom.id)
    # Its history shows when each step happened: fixed, so the picture is the same any day.
    NominationEvent.update(at=dt.datetime(2026, 11, 20, 1, 30)).execute()
    return nom.id


def test_nomination_record(store, snap_compare):
    _checked_nomination(store)

    async def before(pilot):
        await pilot.press("enter")
        await settle(pilot)

    assert snap_compare(make_app(open_screen="nominations"), terminal_size=SIZE,
                        run_before=before)


def test_decision_record(store, snap_compare):
    from models.awards import decisions
    from models.awards.tables import Nomination
    from models.registry.access import SYSTEM

    nom_id = _checked_nomination(store)
    Nomination.update(state="passed").where(Nomination.id == nom_id).execute()
    d = decisions.create(SYSTEM, "Khen thưởng năm 2026", dt.date(2026, 11, 20))
    decisions.add_nominations(SYSTEM, load_cfg(), d.id, [nom_id])

    async def before(pilot):
        await pilot.press("enter")
        await settle(pilot)

    assert snap_compare(make_app(open_screen="decisions"), terminal_size=SIZE,
                        run_before=before)


def test_report_dashboard(store, snap_compare):
    report_movement(store)
    assert snap_compare(make_app(open_screen="reports"), terminal_size=SIZE)
