"""Property tests: every models/ operation that takes text, and the importers, given random
Unicode and the hostile inputs, raise nothing but thidua's own errors, and store exactly
what was given (NFC, trimmed; a multi-line field with its line ends made LF)."""
from __future__ import annotations

import csv
import datetime as dt
import itertools
import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ui_helpers import hostile_inputs

from config import load_config
from models.awards import decisions, initiatives, nominations
from models.awards.tables import Decision, Initiative, Nomination
from models.cycle import campaigns
from models.cycle.tables import Campaign, ContentArea, Criterion
from models.errors import ThiduaError
from models.io import imports
from models.registry import commune, people, units, users
from models.registry.access import SYSTEM
from models.registry.tables import UNIT_KINDS, Commune, Household, Person, Unit, User
from models.store import audit, maintenance
from models.store.tables import database

CFG = load_config(env={})
TEXT = st.one_of(st.text(max_size=60), st.sampled_from(hostile_inputs()),
                 st.text(st.characters(codec="utf-8"), max_size=300))
PROPERTY = settings(max_examples=50, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])
_LOGINS = itertools.count()


def stored_form(given: str, multiline: bool = False) -> str:
    value = unicodedata.normalize("NFC", given)
    if multiline:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    return value.strip()


@pytest.fixture
def world(store):
    commune.initialise("Hòa Phong", "Hòa Phong", "Tỉnh", "Chủ tịch", "vanphong", "Văn phòng")
    admin = users.sign_in("vanphong")
    village = units.create_unit(admin, "Thôn Một", "village")
    campaign = campaigns.create_campaign(admin, "Phong trào", next(iter(
        campaigns.CAMPAIGN_KINDS)), 2024, starts_on="01/01/2024", ends_on="31/12/2024")
    person = people.create_person(admin, full_name="Nguyễn Văn An", unit_id=village.id)
    return admin, village, campaign, person


# (name, write(world, s) -> row id, read(id) -> stored text, multi-line)
OPERATIONS = [
    ("unit name", lambda w, s: units.create_unit(w[0], s, "village").id,
     lambda i: Unit.get_by_id(i).name, False),
    ("person name", lambda w, s: people.create_person(w[0], full_name=s).id,
     lambda i: Person.get_by_id(i).full_name, False),
    ("person position", lambda w, s: people.create_person(w[0], full_name="An",
                                                          position=s).id,
     lambda i: Person.get_by_id(i).position, False),
    ("household head", lambda w, s: people.create_household(w[0], s, w[1].id).id,
     lambda i: Household.get_by_id(i).head_name, False),
    ("household address", lambda w, s: people.create_household(w[0], "An", w[1].id, s).id,
     lambda i: Household.get_by_id(i).address, False),
    ("account name", lambda w, s: users.add_user(SYSTEM, f"tk{next(_LOGINS)}", s,
                                                 ["viewer"]).id,
     lambda i: User.get_by_id(i).display_name, False),
    ("campaign name", lambda w, s: campaigns.create_campaign(
        w[0], s, w[2].kind, 2025, starts_on="01/01/2025", ends_on="31/12/2025").id,
     lambda i: Campaign.get_by_id(i).name, False),
    ("content area", lambda w, s: campaigns.add_area(w[0], w[2].id, s).id,
     lambda i: ContentArea.get_by_id(i).title, False),
    ("initiative title", lambda w, s: initiatives.create(w[0], s).id,
     lambda i: Initiative.get_by_id(i).title, False),
    ("decision title", lambda w, s: decisions.create(w[0], s, dt.date(2024, 12, 20)).id,
     lambda i: Decision.get_by_id(i).title, False),
    ("decision note", lambda w, s: decisions.create(w[0], "QĐ", dt.date(2024, 12, 20),
                                                    note=s).id,
     lambda i: Decision.get_by_id(i).note, False),
    ("account rename", lambda w, s: users.update_user(
        w[0], 1, User.get_by_id(1).version, s, None).id,
     lambda i: User.get_by_id(i).display_name, False),
    ("commune chairman", lambda w, s: commune.update_profile(
        w[0], commune.profile().version, "Hòa Phong", "Hòa Phong", "Tỉnh", s).id,
     lambda i: Commune.get_by_id(i).chairman, False),
    ("criterion", lambda w, s: campaigns.add_criterion(
        w[0], campaigns.add_area(w[0], w[2].id, "Nội dung").id, s, 10).id,
     lambda i: Criterion.get_by_id(i).text, False),
    ("campaign theme", lambda w, s: campaigns.create_campaign(
        w[0], "Chuyên đề", w[2].kind, 2025, theme=s, starts_on="01/01/2025",
        ends_on="31/12/2025").id, lambda i: Campaign.get_by_id(i).theme, False),
    ("decision signer", lambda w, s: decisions.create(w[0], "QĐ", dt.date(2024, 12, 20),
                                                      signer=s).id,
     lambda i: Decision.get_by_id(i).signer, False),
    ("nomination summary", lambda w, s: nominations.create(
        w[0], CFG, subject_kind="individual", subject_id=w[3].id, title_code="LDTT",
        year=2024, summary=s).id, lambda i: Nomination.get_by_id(i).summary, True),
]


@pytest.mark.backends
@pytest.mark.parametrize("name, write, read, multiline", OPERATIONS,
                         ids=[op[0] for op in OPERATIONS])
def test_text_is_stored_as_given_or_refused_in_vietnamese(world, name, write, read,
                                                          multiline):
    @PROPERTY
    @given(TEXT)
    def run(value):
        try:
            with database.atomic():
                row_id = write(world, value)
        except ThiduaError:
            return
        assert read(row_id) == stored_form(value, multiline)

    run()
    assert maintenance.problems() == []


def test_searches_take_any_text(world):
    @PROPERTY
    @given(TEXT)
    def run(value):
        list(people.search_people(value).limit(5))
        list(people.search_households(value).limit(5))
        list(audit.search(world[0], value).limit(5))
    run()


# (kind, headers, the row for a value, the stored column the value lands in)
IMPORTS = [
    ("people", ["Họ và tên", "Chức vụ"], lambda v: [v, v], Person.full_name),
    ("units", ["Tên đơn vị", "Loại", "Ghi chú"], lambda v: [v, UNIT_KINDS["village"], v],
     Unit.name),
    ("households", ["Chủ hộ", "Thôn", "Địa chỉ"], lambda v: [v, "Thôn Một", v],
     Household.head_name),
]


@pytest.mark.parametrize("kind, headers, row, column", IMPORTS, ids=[i[0] for i in IMPORTS])
def test_an_import_takes_any_text_all_or_nothing(world, tmp_path, kind, headers, row, column):
    model = column.model

    @PROPERTY
    @given(st.lists(TEXT, min_size=1, max_size=4))
    def run(values):
        path = tmp_path / f"{kind}.csv"
        with open(path, "w", encoding="utf-8", newline="") as fh:
            out = csv.writer(fh)
            out.writerow(headers)
            out.writerows([row(value) for value in values])
        before = model.select().count()
        try:
            imports.apply(world[0], imports.prepare(kind, path, cfg=CFG))
        except ThiduaError:
            assert model.select().count() == before  # all or nothing
            return
        for value in filter(None, map(stored_form, values)):  # blank rows are skipped
            assert model.select().where(column == value).exists(), value
    run()
    assert maintenance.problems() == []
