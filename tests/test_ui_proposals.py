"""Pilot tests at 80x24: proposals to the province (F8, Ctrl+O) and the revocation of an
issued award (F8, a decision, Ctrl+X)."""
from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from ui_helpers import (TODAY, hostile_inputs, load_cfg, make_app, run, screen_text, settle,
                        type_text, ui_store)

from models.awards import decisions, fund, history, nominations, proposals, revocation
from models.awards.tables import Nomination
from models.registry import people, units
from models.registry.access import SYSTEM

store_ids = pytest.fixture(ui_store)
Y = TODAY.year


def _province_cfg():
    cfg = load_cfg()
    return dataclasses.replace(cfg, titles={**cfg.titles, "TTLDXS": dataclasses.replace(
        cfg.titles["TTLDXS"], decided_by="province")})


def _passed(cfg, code: str, kind: str, subject: int, year: int = Y) -> int:
    nom = nominations.create(SYSTEM, cfg, subject_kind=kind, subject_id=subject,
                             title_code=code, year=year)
    Nomination.update(state="passed").where(Nomination.id == nom.id).execute()
    return nom.id


def test_a_proposal_goes_up_and_the_province_decides(store_ids):
    cfg = _province_cfg()
    name = hostile_inputs()[0]
    unit = units.create_unit(SYSTEM, f"Trường {name}", "department").id
    nom = _passed(cfg, "TTLDXS", "collective", unit)
    app = make_app(open_screen="decisions", cfg=cfg)

    async def body(pilot):
        await pilot.press("ctrl+o")
        await settle(pilot)
        await pilot.press("ctrl+n")            # the form comes filled in
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("ctrl+t")            # the passed province titles
        await settle(pilot)
        offered = screen_text(app)
        await pilot.press("space", "ctrl+s")
        await settle(pilot)
        await pilot.press("ctrl+s")            # submit: asks first
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        app.clear_notifications()
        await settle(pilot)
        submitted = screen_text(app)
        await pilot.press("ctrl+e")            # the province's decision
        await settle(pilot)
        await type_text(pilot, "1234/QĐ-UBND")
        await pilot.press("tab")
        await type_text(pilot, "15/01/2027")
        await pilot.press("ctrl+s")
        await settle(pilot)
        return offered, submitted, screen_text(app)

    offered, submitted, decided = run(app, body)
    assert f"Trường {name}" in offered and "Tập thể lao động xuất sắc" in offered
    assert "Tờ trình Số: 01/TTr-UBND" in submitted and "Đã trình tỉnh" in submitted
    assert f"Trường {name}" in submitted
    assert "Tỉnh đã quyết định" in decided and "1234/QĐ-UBND" in decided
    [row] = history.history_of_unit(unit, cfg.titles)
    assert (row.level, row.decision_ref) == ("province", "1234/QĐ-UBND")
    assert Nomination.get_by_id(nom).state == "decided"
    assert proposals.get(1).province_body == "UBND tỉnh"


def _issued_ldtt(cfg, store_ids, name: str) -> tuple[int, int]:
    """A person with an issued LĐTT of 2025: (person id, decision id)."""
    person = people.create_person(SYSTEM, full_name=name, unit_id=store_ids["units"]["office"],
                                  recruited_on="01/01/2020").id
    d = decisions.create(SYSTEM, "Khen thưởng năm 2025", dt.date(2025, 12, 20))
    decisions.add_nominations(SYSTEM, cfg, d.id, [_passed(cfg, "LDTT", "individual", person, 2025)])
    decisions.issue(SYSTEM, cfg, d.id, decisions.get(d.id).version, accept_overdraw=True)
    return person, d.id


def test_an_issued_award_is_revoked_with_its_reason(store_ids):
    cfg = load_cfg()
    person, _ = _issued_ldtt(cfg, store_ids, "Lê Văn [b]Cường[/b]")
    reason = hostile_inputs()[1]
    app = make_app(open_screen="decisions")

    async def body(pilot):
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("ctrl+x")            # revoke the award under the cursor
        await settle(pilot)
        form = screen_text(app)
        await type_text(pilot, reason)
        await pilot.press("ctrl+s")
        await settle(pilot)
        return form

    form = run(app, body)
    assert "Hủy bỏ khen thưởng: Lê Văn [b]Cường[/b], Lao động tiên tiến 2025" in form
    [row] = history.history_of_person(person, cfg.titles)
    assert row.revoked.startswith(f"Đã hủy bỏ: Quyết định Số: 01/QĐ-UBND ngày "
                                  f"{TODAY:%d/%m/%Y}")
    assert reason.strip() in row.revoked
    assert fund.state(Y).by_kind == {"recovery": 710_000}


def test_a_viewer_is_not_offered_revocation(store_ids):
    cfg = load_cfg()
    person = people.create_person(SYSTEM, full_name="Lê Văn Cường",
                                  unit_id=store_ids["units"]["office"]).id
    d = decisions.create(SYSTEM, "Khen thưởng năm 2025", dt.date(2025, 12, 20))
    decisions.add_nominations(SYSTEM, cfg, d.id, [_passed(cfg, "GIAYKHEN", "individual",
                                                          person, 2025)])
    decisions.issue(SYSTEM, cfg, d.id, decisions.get(d.id).version, accept_overdraw=True)
    app = make_app("xem", open_screen="decisions")

    async def body(pilot):
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("ctrl+x")
        await settle(pilot)
        return screen_text(app)

    assert "Hủy bỏ khen thưởng:" not in run(app, body)
    assert history.history_of_person(person, cfg.titles)[0].revoked == ""


def test_f9_shows_a_revoked_award_marked_with_its_revoking_decision(store_ids):
    """The look-up keeps a revoked award, marked, and says which decision revoked it:
    in the list's detail and in the whole history (Enter)."""
    cfg = load_cfg()
    _, decision = _issued_ldtt(cfg, store_ids, "Đỗ Văn Khoa")
    revocation.revoke(SYSTEM, cfg, decisions.awards(decision).first().id, TODAY,
                      hostile_inputs()[1])
    revoked = f"Đã hủy bỏ: Quyết định Số: 01/QĐ-UBND ngày {TODAY:%d/%m/%Y}"
    app = make_app(open_screen="lookup")

    async def body(pilot):
        await type_text(pilot, "do van khoa")
        await settle(pilot)
        detail = screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        return detail, screen_text(app)

    detail, whole = run(app, body)
    assert "1 lần khen thưởng (1 đã hủy bỏ), 2025:" in detail
    assert "Lao động tiên tiến (đã hủy bỏ)" in detail and revoked in detail
    assert "Lao động tiên tiến (đã hủy bỏ)" in whole and revoked in whole
    for shown in (detail, whole):
        assert "\x1b" not in shown
