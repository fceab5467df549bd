"""A unit officer cannot reach another unit's data through a reference: a household of
another village, another unit's person as head, nominating another unit's subjects."""
from __future__ import annotations

import pytest

from config import load_config
from models.awards import nominations
from models.errors import PermissionDenied
from models.registry import people, units
from models.registry.access import SYSTEM
from models.store.tables import ChangeLog

CFG = load_config(env={})
backends = pytest.mark.backends


@pytest.fixture
def world(officer):
    """Thôn 1 (the officer's) and Thôn 2, each with a household and a person."""
    own_home = people.create_household(SYSTEM, "Nguyễn Văn Một", officer.own.id)
    other_home = people.create_household(SYSTEM, "Trần Văn Hai", officer.other.id)
    mine = people.create_person(SYSTEM, full_name="Lê Thị Ba", unit_id=officer.own.id,
                                household_id=own_home.id)
    theirs = people.create_person(SYSTEM, full_name="Phạm Văn Bốn", unit_id=officer.other.id,
                                  household_id=other_home.id)
    return officer, own_home, other_home, mine, theirs


def _refused(call, *words):
    before = ChangeLog.select().count()
    with pytest.raises(PermissionDenied) as info:
        call()
    assert all(word in str(info.value) for word in words), str(info.value)
    assert ChangeLog.select().count() == before  # nothing written


@backends
def test_own_person_into_another_villages_household_is_refused(world):
    officer, _own_home, other_home, mine, _theirs = world
    _refused(lambda: people.create_person(officer.actor, full_name="Đỗ Văn Năm",
                                          unit_id=officer.own.id, household_id=other_home.id),
             "hộ gia đình")
    _refused(lambda: people.update_person(officer.actor, mine.id, mine.version,
                                          full_name=mine.full_name, unit_id=officer.own.id,
                                          household_id=other_home.id), "hộ gia đình")


@backends
def test_a_person_already_in_a_household_keeps_it_when_edited(world):
    """An Office-made placement stays; the officer can still edit the person's name."""
    officer, _own_home, other_home, mine, _theirs = world
    moved = people.update_person(SYSTEM, mine.id, mine.version, full_name=mine.full_name,
                                 unit_id=officer.own.id, household_id=other_home.id)
    saved = people.update_person(officer.actor, mine.id, moved.version, full_name="Lê Thị Bà",
                                 unit_id=officer.own.id, household_id=other_home.id)
    assert saved.full_name == "Lê Thị Bà"


@backends
def test_another_units_person_as_head_is_refused(world):
    officer, *_rest, mine, theirs = world
    unit = units.get(officer.own.id)
    _refused(lambda: units.set_head(officer.actor, unit.id, unit.version, theirs.id),
             "người đứng đầu")
    assert units.set_head(officer.actor, unit.id, unit.version, mine.id).head_id == mine.id


@backends
@pytest.mark.parametrize("kind", ["individual", "household", "village"])
def test_nominating_another_units_subject_is_refused(world, kind):
    officer, own_home, other_home, mine, theirs = world
    subject = {"individual": theirs.id, "household": other_home.id,
               "village": officer.other.id}[kind]
    title = next(code for code, t in CFG.titles.items() if kind in t.subjects)
    _refused(lambda: nominations.create(officer.actor, CFG, subject_kind=kind,
                                        subject_id=subject, title_code=title, year=2024,
                                        proposing_unit_id=officer.own.id),
             "đơn vị khác")
    own = {"individual": mine.id, "household": own_home.id, "village": officer.own.id}[kind]
    made = nominations.create(officer.actor, CFG, subject_kind=kind, subject_id=own,
                              title_code=title, year=2024, proposing_unit_id=officer.own.id)
    assert made.proposing_unit_id == officer.own.id
