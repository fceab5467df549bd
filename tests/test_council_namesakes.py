"""Namesakes told apart before the council: two "Trần Văn Bình" on one ballot show
their birth year and unit on the council's screens (names without a namesake stay
short), the highlighted name's detail line gives date of birth and unit, and the
tally and meeting minutes give every person's date of birth and unit."""
from __future__ import annotations

import pytest
from docx import Document

from models.awards.tables import Nomination
from models.council import ballots, committee, namesakes, sessions
from models.documents import kinds
from models.registry import people, units
from models.registry.access import SYSTEM
from tests.council_world import actor, build, nominate
from tests.test_documents_council import closed_ballot, words
from tests.test_ui_council import CFG
from tests.ui_helpers import make_app, run, screen_text, settle

BINH = "Trần Văn Bình"


def _namesakes(w, second_born: str = "15/06/1985") -> list[int]:
    """Two "Trần Văn Bình" of different villages and years, nominated and on the
    session's agenda; returns their nominations."""
    west = units.create_unit(SYSTEM, "Thôn Tây", "village").id
    noms = []
    for born, unit in (("01/02/1980", w["unit"]), (second_born, west)):
        person = people.create_person(SYSTEM, full_name=BINH, birth_date=born, unit_id=unit)
        noms.append(nominate("LDTT", person_id=person.id).id)
    sessions.add_to_agenda(SYSTEM, w["session"], noms)
    return noms


def _noms(ids: list[int]) -> list[Nomination]:
    return list(Nomination.select().where(Nomination.id.in_(ids)).order_by(Nomination.id))


@pytest.mark.backends
def test_only_namesakes_carry_birth_year_and_unit(store):
    w = build()
    a, b = _namesakes(w)
    names = namesakes.names(_noms([a, b, w["ldtt"][0]]))
    assert names.labels[a] == f"{BINH} (1980, Thôn Đông)"
    assert names.labels[b] == f"{BINH} (1985, Thôn Tây)"
    assert names.labels[w["ldtt"][0]] == "Người đề nghị 1"  # no namesake: short
    assert names.details[a] == "Sinh ngày 01/02/1980, Thôn Đông"
    assert names.details[w["ldtt"][0]] == "Chưa có ngày sinh, Thôn Đông"
    # A namesake elsewhere on the agenda counts; one on no list given does not.
    assert namesakes.names(_noms([a]), _noms([b])).labels[a] == f"{BINH} (1980, Thôn Đông)"
    assert namesakes.names(_noms([a])).labels[a] == BINH


@pytest.mark.backends
def test_namesakes_alike_in_year_and_unit_still_differ(store):
    w = build()
    first = people.create_person(SYSTEM, full_name=BINH, birth_date="03/03/1980",
                                 unit_id=w["unit"])
    other = people.create_person(SYSTEM, full_name="TRẦN VĂN BÌNH", birth_date="04/04/1980",
                                 unit_id=w["unit"])
    ids = [nominate("LDTT", person_id=p.id).id for p in (first, other)]
    labels = namesakes.names(_noms(ids)).labels
    assert labels[ids[0]] == f"{BINH} (1980, Thôn Đông, đề nghị số {ids[0]})"
    assert labels[ids[1]] == f"TRẦN VĂN BÌNH (1980, Thôn Đông, đề nghị số {ids[1]})"
    written = namesakes.written(_noms(ids))
    assert written[ids[0]] == f"{BINH} (sinh ngày 03/03/1980, Thôn Đông)"


@pytest.mark.backends
def test_the_tally_and_the_minutes_give_each_persons_birth_and_unit(store, tmp_path):
    w = build()
    a, b = _namesakes(w)
    chair = actor("chutich")
    committee.record(actor("thuky"), CFG, w["session"], [w["members"]["uv03"]])
    ballot = closed_ballot(w, [a, b, w["ldtt"][0]])
    doc = Document(str(kinds.write(CFG, "tally", ballot.id, tmp_path / "kp.docx", chair)))
    table = doc.tables[-2]
    names = [row.cells[1].text for row in table.rows[1:]]
    assert names == [f"{BINH} (sinh ngày 01/02/1980, Thôn Đông)",
                     f"{BINH} (sinh ngày 15/06/1985, Thôn Tây)",
                     "Người đề nghị 1 (Thôn Đông)"]
    said = words(kinds.write(CFG, "minutes", w["session"], tmp_path / "bb.docx", chair))
    assert f"1. {BINH} (sinh ngày 01/02/1980, Thôn Đông) - đề nghị" in said
    assert f"2. {BINH} (sinh ngày 15/06/1985, Thôn Tây) - đề nghị" in said


@pytest.fixture
def world(store_target):
    from models import store
    database = store.open_store(store_target, create=True)
    yield build()
    database.close()


def test_the_ballot_tells_two_namesakes_apart(world):
    noms = _namesakes(world)
    ballots.open_ballot(actor("chutich"), CFG, world["session"], [*noms, world["ldtt"][0]])

    async def body(pilot):
        await settle(pilot)
        shown = screen_text(pilot.app)
        assert f"{BINH} (1980, Thôn Đông)" in shown, shown
        assert f"{BINH} (1985, Thôn Tây)" in shown
        assert "Người đề nghị 1 " in shown and "Người đề nghị 1 (" not in shown
        assert "Sinh ngày 01/02/1980, Thôn Đông" in shown  # the cursor's name, in full
        await pilot.press("1")  # the choice moves the cursor to the namesake
        await settle(pilot)
        shown = screen_text(pilot.app)
        assert "Sinh ngày 15/06/1985, Thôn Tây" in shown, shown
        assert "Phiếu số" in shown and "Enter: gửi phiếu" in shown  # still in the panel
        await pilot.press("escape")  # the console: the same labels, the same detail
        await settle(pilot)
        shown = screen_text(pilot.app)
        assert f"{BINH} (1985, Thôn Tây)" in shown, shown
        assert "Sinh ngày 01/02/1980, Thôn Đông" in shown
        return True

    assert run(make_app("uv01", open_screen="vote"), body)
