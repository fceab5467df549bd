"""Pilot tests for nominations (F6) and decisions (F8) at 80x24: journeys 4, 6, 7, 8."""
from __future__ import annotations

import datetime as dt

import pytest
from ui_helpers import TODAY, load_cfg, make_app, run, screen_text, settle, type_text, ui_store

from models.awards import bulk as bulk_awards
from models.awards import decisions, fund, nominations, ratings
from models.awards.tables import Decision, Nomination, TitleAward
from models.registry import people
from models.registry.access import SYSTEM
from models.registry.tables import Person

store_ids = pytest.fixture(ui_store)
Y = TODAY.year


def _staff(ids, name="Đặng Văn Đức"):
    """A cán bộ of the Office, recruited long ago, rated well this year."""
    person = Person.get_by_id(ids["people"][name])
    people.update_person(SYSTEM, person.id, person.version, full_name=person.full_name,
                         birth_date=person.birth_date, gender=person.gender,
                         citizen_id=person.citizen_id, unit_id=person.unit_id,
                         position=person.position, household_id=person.household_id,
                         recruited_on=dt.date(2015, 3, 1))
    ratings.set_person_rating(SYSTEM, person.id, Y, "good")
    return person.id


async def _open_nomination_for(pilot, app, name: str, title_downs: int) -> None:
    await pilot.press("ctrl+n")
    await settle(pilot)
    await type_text(pilot, name)
    await pilot.press("enter")
    await settle(pilot)
    if title_downs:
        await pilot.press("enter")  # open the drop-down of titles
        for _ in range(title_downs):
            await pilot.press("down")
        await pilot.press("enter")
    await pilot.press("ctrl+s")
    await settle(pilot)


def _jump(app, kind: str) -> None:
    lazy = app.screen.list
    index = next(i for i in range(lazy.total) if lazy.row_at(i).kind == kind)
    lazy.action_jump(index)


def test_cstdcs_fails_its_check_with_the_reason_in_words(store_ids):
    """Journey 4: no recognised initiative, shown as a failed line."""
    _staff(store_ids)
    app = make_app(open_screen="nominations")

    async def body(pilot):
        await _open_nomination_for(pilot, app, "dang van duc", 1)  # Chiến sĩ thi đua cơ sở
        assert type(app.screen).__name__ == "NominationScreen"
        await pilot.press("ctrl+s")   # submit
        await settle(pilot)
        await pilot.press("ctrl+r")   # check
        await settle(pilot)
        return screen_text(app)

    shown = run(app, body)
    assert "Chưa đủ ĐK" in shown
    # Issue 12 (Art. 23): the LĐTT standard is judged, not the award, and an excellent
    # rating, an initiative or research is enough: the lines say so.
    assert "[Không đạt] Năm 2026 chưa đạt điều kiện nào trong" in shown
    assert "Chưa đạt Lao động tiên tiến" not in shown
    nom = Nomination.get()
    assert nom.state == "checked" and nom.eligible is False
    for line in shown.splitlines():
        assert len(line) <= 80


def test_nomination_from_draft_to_decided_with_the_keyboard(store_ids):
    """Draft → submitted → checked → at council → passed → decided (journey 6)."""
    person_id = _staff(store_ids)
    fund.add_entry(SYSTEM, Y, "allocation", 500_000, dt.date(Y, 1, 5), "Ngân sách xã")
    app = make_app(open_screen="nominations")

    async def body(pilot):
        await _open_nomination_for(pilot, app, "dang van duc", 0)  # Lao động tiên tiến
        for _ in range(3):  # the three documents of the dossier, one key each
            _jump(app, "dossier")
            lazy = app.screen.list
            while lazy.current.cells[0].strip().startswith("[x]"):
                lazy.action_move(1)
            await pilot.press("space")
            await settle(pilot)
        await pilot.press("ctrl+s")   # submit
        await settle(pilot)
        await pilot.press("ctrl+r")   # check: eligible
        await settle(pilot)
        assert "Đủ ĐK" in screen_text(app)
        await pilot.press("ctrl+t")   # to the council (no posting for LĐTT)
        await settle(pilot)
        await pilot.press("ctrl+n")   # the council's result
        await settle(pilot)
        await pilot.press("tab")
        await type_text(pilot, "7/9 dong y")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "Hội đồng thông qua" in screen_text(app)
        await pilot.press("escape")
        await pilot.press("f8")
        await settle(pilot)
        await pilot.press("ctrl+n")   # a new decision
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert type(app.screen).__name__ == "DecisionScreen"
        await pilot.press("ctrl+t")   # the passed nominations
        await settle(pilot)
        await pilot.press("space")
        await pilot.press("ctrl+s")
        await settle(pilot)
        app.clear_notifications()
        await settle(pilot)
        draft = screen_text(app)
        await pilot.press("ctrl+s")   # issue: asks, with the fund before and after
        await settle(pilot)
        question = screen_text(app)
        await pilot.press("ctrl+s")   # the number left empty: the next of the series
        await settle(pilot)
        overdraw = screen_text(app)
        await pilot.press("enter")    # issue anyway
        await settle(pilot)
        return draft, question, overdraw, screen_text(app)

    draft, question, overdraw, issued = run(app, body)
    assert "Đặng Văn Đức" in draft and "760.000 đ" in draft
    assert "Quỹ 2026: trước 500.000 đ · chi 760.000 đ · sau -260.000 đ · VƯỢT QUỸ" in draft
    assert "Ban hành quyết định Số: 01/QĐ-UBND" in question
    assert "bị âm" in overdraw and "Vẫn ban hành?" in overdraw
    assert "Số: 01/QĐ-UBND" in issued and "đã ban hành" in issued
    assert Nomination.get().state == "decided"
    assert TitleAward.select().where((TitleAward.person == person_id)
                                     & (TitleAward.year == Y)).count() == 1
    assert Decision.get().issued


def test_ad_hoc_award_from_a_good_deed(store_ids):
    """Journey 7: recorded and proposed in one form, at the council the same day."""
    app = make_app(open_screen="nominations")

    async def body(pilot):
        await pilot.press("ctrl+t")
        await settle(pilot)
        await type_text(pilot, "le van an")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("tab", "tab")
        await type_text(pilot, "Cuu chau be duoi nuoc")
        await pilot.press("ctrl+s")
        await settle(pilot)
        return screen_text(app)

    shown = run(app, body)
    nom = Nomination.get()
    assert nom.ad_hoc and nom.state == "at_council", nom.check_notes
    assert "Chờ Hội đồng" in shown and "Khen đột xuất" in shown


def test_cultured_families_review_one_key_per_household(store_ids):
    """Journey 8: the village list, Space marks a household, saved at once."""
    village = store_ids["units"]["thon1"]
    for i in range(5):
        people.create_household(SYSTEM, f"Trần Văn Hộ {i}", village)
    app = make_app(open_screen="nominations")

    async def body(pilot):
        await pilot.press("ctrl+g")
        await settle(pilot)
        villages = screen_text(app)
        await pilot.press("enter")    # Thôn 1
        await settle(pilot)
        for _ in range(3):
            await pilot.press("space")
            await settle(pilot)
        review = screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("ctrl+n")   # one nomination list
        await settle(pilot)
        return villages, review, screen_text(app)

    villages, review, listed = run(app, body)
    assert "Thôn 1" in villages and "Thôn 2" in villages
    assert "đạt 3/6 hộ" in review and review.count("[x]") == 3
    assert "đã gửi 3" in listed
    assert bulk_awards.counts(bulk_awards.batches(Y)[0].id) == {"submitted": 3}


def test_decisions_list_and_fund_fit_80x24(store_ids):
    fund.add_entry(SYSTEM, Y, "donation", 2_000_000, dt.date(Y, 3, 1), "Doanh nghiệp [b]A[/b]")
    app = make_app(open_screen="decisions")

    async def body(pilot):
        await pilot.press("ctrl+f")
        await settle(pilot)
        funds = screen_text(app)
        await pilot.press("escape")
        await pilot.press("ctrl+r")
        await settle(pilot)
        return funds, screen_text(app)

    funds, stats = run(app, body)
    assert "Quỹ 2026: thu 2.000.000 đ · đã chi 0 đ · còn 2.000.000 đ" in funds
    assert "Doanh nghiệp [b]A[/b]" in funds
    assert "Năm 2025:" in stats and "Gia đình văn hóa: 1" in stats


def test_viewer_cannot_act_on_nominations(store_ids):
    app = make_app("xem", open_screen="nominations")

    async def body(pilot):
        await pilot.press("ctrl+n")
        await settle(pilot)
        return type(app.screen).__name__

    assert run(app, body) == "NominationsScreen"
    assert not Nomination.select().exists()


def test_markup_names_stay_literal_in_nominations_and_decisions(store_ids):
    names = ["[/]", "[@click=app.quit]Bấm vào đây[/]", "[bold red]Nguyễn Văn A[/]"]
    unit = store_ids["units"]["office"]
    nom_ids = []
    for name in names:
        p = people.create_person(SYSTEM, full_name=name, unit_id=unit)
        nom = nominations.create(SYSTEM, load_cfg(), subject_kind="individual", subject_id=p.id,
                                 title_code="GIAYKHEN", year=Y, summary=f"Thành tích {name}")
        Nomination.update(state="passed").where(Nomination.id == nom.id).execute()
        nom_ids.append(nom.id)
    d = decisions.create(SYSTEM, "Khen [b]thưởng[/b]", dt.date(Y, 11, 20))
    decisions.add_nominations(SYSTEM, load_cfg(), d.id, nom_ids)
    app = make_app(open_screen="nominations")

    async def body(pilot):
        listed = screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        one = screen_text(app)
        await pilot.press("escape")
        await pilot.press("f8")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        return listed, one, screen_text(app), app.is_running

    listed, one, decision, running = run(app, body)
    assert running
    for name in names:  # long ones are cut with … to fit the column
        assert name[:20] in listed and name[:20] in decision
    assert "[bold red]Nguyễn Văn A[/]" in one and "Khen [b]thưởng[/b]" in decision


def test_finance_exports_the_award_list_to_excel(store_ids, tmp_path):
    import openpyxl

    from models.io.exchange import FilePolicy
    person_id = _staff(store_ids)
    nom = nominations.create(SYSTEM, load_cfg(), subject_kind="individual", subject_id=person_id,
                             title_code="LDTT", year=Y)
    Nomination.update(state="passed").where(Nomination.id == nom.id).execute()
    d = decisions.create(SYSTEM, "Khen thưởng năm 2026", dt.date(Y, 11, 20))
    decisions.add_nominations(SYSTEM, load_cfg(), d.id, [nom.id])
    decisions.issue(SYSTEM, load_cfg(), d.id, decisions.get(d.id).version, accept_overdraw=True)
    app = make_app(open_screen="decisions")
    app.files = FilePolicy(str(tmp_path), True, ())

    async def body(pilot):
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("ctrl+g")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        return screen_text(app)

    shown = run(app, body)
    path = tmp_path / "QD-1-2026.xlsx"
    assert path.exists(), shown
    sheet = openpyxl.load_workbook(path).active
    assert sheet.title == "QĐ 01-2026"   # the finance officer's list (models/documents)
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][-1] == "Ký nhận"
    assert rows[1][:3] == (1, "Đặng Văn Đức", "09/09/1990")
    assert rows[1][4:7] == ("Lao động tiên tiến", Y, 760_000)


def test_office_posts_the_list_and_records_a_citizens_comment(store_ids):
    """Journey 4: the checked list posted for public comment, then a comment recorded."""
    cfg = load_cfg()
    person_id = _staff(store_ids)
    nom = nominations.create(SYSTEM, cfg, subject_kind="individual", subject_id=person_id,
                             title_code="LDTT", year=Y)
    for item in nominations.dossier(nom.id):
        nominations.mark_received(SYSTEM, item.id, item.version, True, TODAY)
    nominations.submit(SYSTEM, nom.id)
    nominations.check(SYSTEM, cfg, nom.id)
    app = make_app(open_screen="nominations")

    async def body(pilot):
        await pilot.press("ctrl+y")
        await settle(pilot)
        ticking = screen_text(app)
        await pilot.press("space")
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("enter")    # open the nomination
        await settle(pilot)
        await pilot.press("ctrl+f")   # a citizen's comment
        await settle(pilot)
        await pilot.press("tab")
        await type_text(pilot, "Ong Nguyen Van Ba")
        await pilot.press("tab")
        await type_text(pilot, "Dong y de nghi")
        await pilot.press("ctrl+s")
        await settle(pilot)
        app.clear_notifications()
        await settle(pilot)
        return ticking, screen_text(app)

    ticking, shown = run(app, body)
    assert "Niêm yết công khai: đã chọn 0" in ticking and "Đặng Văn Đức" in ticking
    assert "Niêm yết công khai từ 24/11/2026 đến 03/12/2026, 1 ý kiến" in shown
    assert "24/11/2026 Ong Nguyen Van Ba: Dong y de nghi" in shown
    assert Nomination.get().state == "posted"


def test_good_deeds_are_listed(store_ids):
    from models.awards import recognition
    recognition.record(SYSTEM, "good_deed", TODAY, "Trả lại ví nhặt được",
                       name="Cháu [i]Lan[/i]")
    app = make_app(open_screen="nominations")

    async def body(pilot):
        await pilot.press("ctrl+b")
        await settle(pilot)
        return screen_text(app)

    shown = run(app, body)
    assert "Người tốt, việc tốt" in shown and "Cháu [i]Lan[/i]" in shown
    assert "Trả lại ví nhặt được" in shown


def test_issued_decision_is_corrected_by_an_amending_one(store_ids):
    cfg = load_cfg()
    person_id = _staff(store_ids)
    nom = nominations.create(SYSTEM, cfg, subject_kind="individual", subject_id=person_id,
                             title_code="LDTT", year=Y)
    Nomination.update(state="passed").where(Nomination.id == nom.id).execute()
    d = decisions.create(SYSTEM, "Khen thưởng năm 2026", dt.date(Y, 11, 20))
    decisions.add_nominations(SYSTEM, cfg, d.id, [nom.id])
    decisions.issue(SYSTEM, cfg, d.id, decisions.get(d.id).version, accept_overdraw=True)
    app = make_app(open_screen="decisions")

    async def body(pilot):
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("ctrl+y")   # no editing keys on an issued decision
        await settle(pilot)
        await pilot.press("ctrl+b")   # an amending decision
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        revoke = screen_text(app)
        await pilot.press("space")
        await pilot.press("ctrl+s")
        await settle(pilot)
        app.clear_notifications()
        await settle(pilot)
        return revoke, screen_text(app)

    revoke, amended = run(app, body)
    assert "Bãi bỏ khen thưởng của Số: 01/QĐ-UBND" in revoke
    assert "Bãi bỏ: Lao động tiên tiến" in amended and "-760.000 đ" in amended
    assert "dự thảo · Sửa đổi, bổ sung Số: 01/QĐ-UBND" in amended
    assert decisions.awards(d.id).count() == 1


def _families_batch(village, names, review_day, late=None):
    """A checked Gia đình văn hóa list; `late` is reviewed after the 25/11 deadline."""
    cfg = load_cfg()
    hs = [people.create_household(SYSTEM, name, village) for name in names]
    for h in hs:
        bulk_awards.mark(SYSTEM, Y, h.id, True, review_day)
    batch = bulk_awards.nominate(SYSTEM, cfg, Y)
    bulk_awards.mark_dossier_received(SYSTEM, batch.id, review_day)
    if late is not None:
        bulk_awards.mark(SYSTEM, Y, hs[late].id, True, dt.date(Y, 11, 28))
    bulk_awards.check(SYSTEM, cfg, batch.id)
    return hs, batch


def test_office_overrides_one_household_of_the_review_list(store_ids):
    """Journey 8: the one household the village entered late passes with a reason."""
    hs, _ = _families_batch(store_ids["units"]["thon1"], ["Trần Văn Hộ A", "Trần Văn Hộ B"],
                            dt.date(Y, 11, 20), late=1)
    nom = bulk_awards.household_nomination(hs[1].id, Y)
    assert not nom.eligible
    app = make_app(open_screen="nominations")

    async def body(pilot):
        await pilot.press("ctrl+g")
        await settle(pilot)
        await pilot.press("enter")    # Thôn 1
        await settle(pilot)
        lazy = app.screen.list
        lazy.action_jump(next(i for i in range(lazy.total) if lazy.row_at(i).id == hs[1].id))
        await settle(pilot)
        before = screen_text(app)
        await pilot.press("ctrl+y")
        await settle(pilot)
        await pilot.press("ctrl+s")   # no reason yet: refused
        await settle(pilot)
        empty = screen_text(app)      # the focus is now on the reason
        await type_text(pilot, "Thon hop dung han, nhap may cham")
        await pilot.press("ctrl+s")
        await settle(pilot)
        return before, empty, screen_text(app)

    before, empty, after = run(app, body)
    assert "Chưa đủ ĐK: Thôn bình xét ngày 28/11/2026, sau hạn 25/11/2026." in before
    assert "Ctrl+Y: cho qua" in before
    assert "Cho qua điều kiện: Hộ Trần Văn Hộ B" in empty and "Chưa lưu" in empty
    nom = Nomination.get_by_id(nom.id)
    assert nom.eligible and "Thon hop dung han" in nom.check_notes
    assert "Trong danh sách đề nghị: Đủ ĐK" in after
    for line in "\n".join((before, empty, after)).splitlines():
        assert len(line) <= 80


def test_unit_officer_has_no_override_key_on_the_review_list(store_ids):
    from models.registry import users
    users.add_user(SYSTEM, "thon1", "Cán bộ thôn 1", ["unit_officer"],
                   [store_ids["units"]["thon1"]])
    app = make_app("thon1", open_screen="nominations")

    async def body(pilot):
        await pilot.press("ctrl+g")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        return type(app.screen).__name__, app.screen.check_action("override", ())

    name, allowed = run(app, body)
    assert name == "ReviewScreen" and allowed is False


def test_late_decision_warned_and_register_number_typed(store_ids):
    """The decision comes 14 days after the posting ended (10 allowed): warned on the
    screen and when issuing; the Office types the paper register's number, a used
    one is refused in the form."""
    cfg = load_cfg()
    _, batch = _families_batch(store_ids["units"]["thon1"], ["Trần Văn Hộ C"],
                               dt.date(Y, 10, 20))
    bulk_awards.post(SYSTEM, cfg, batch.id, dt.date(Y, 11, 1))     # to 10/11
    bulk_awards.to_council(SYSTEM, cfg, batch.id, dt.date(Y, 11, 11))
    bulk_awards.record_result(SYSTEM, batch.id, True)
    d = bulk_awards.decide(SYSTEM, cfg, batch.id, "Công nhận Gia đình văn hóa", TODAY)
    decisions.reserve_number(SYSTEM, Y, "QĐ", "UBND", "Quyết định khác", number=5)
    app = make_app(open_screen="decisions")

    async def body(pilot):
        await pilot.press("enter")
        await settle(pilot)
        shown = screen_text(app)
        await pilot.press("ctrl+s")
        await settle(pilot)
        await type_text(pilot, "5")
        await pilot.press("ctrl+s")
        await settle(pilot)
        refused = screen_text(app)
        await pilot.press("backspace")
        await type_text(pilot, "112")
        await pilot.press("ctrl+s")
        await settle(pilot)
        return shown, refused, screen_text(app)

    shown, refused, issued = run(app, body)
    assert "CẢNH BÁO: Quá hạn: Gia đình văn hóa phải quyết định trong 10 ngày" in shown
    assert "Ban hành quyết định Số: 06/QĐ-UBND ngày 24/11/2026" in refused
    # The dossier came on 20/10: the chairman's 10 days ended on 30/10 (Nghị định 86/2023).
    assert "CẢNH BÁO: Quá hạn" in refused and "chậm nhất 30/10/2026" in refused
    assert "Số 05/QĐ-UBND năm 2026 đã được dùng (Quyết định khác)" in refused
    assert "Số: 112/QĐ-UBND" in issued and "đã ban hành" in issued
    assert decisions.reference(Decision.get_by_id(d.id)) == "Số: 112/QĐ-UBND"
    for line in "\n".join((shown, refused, issued)).splitlines():
        assert len(line) <= 80


def test_review_after_the_deadline_is_warned_on_the_review_list(store_ids):
    """25/11 is the village's last day: on 26/11 the list says so, before and after a key."""
    people.create_household(SYSTEM, "Trần Văn Hộ D", store_ids["units"]["thon1"])
    app = make_app(open_screen="nominations")
    app.today = dt.date(Y, 11, 26)

    async def body(pilot):
        await pilot.press("ctrl+g")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        shown = screen_text(app)
        await pilot.press("space")
        await settle(pilot)
        marked = screen_text(app)
        await pilot.press("ctrl+t")
        await settle(pilot)
        return shown, marked, screen_text(app)

    shown, marked, asked = run(app, body)
    assert "Quá hạn bình xét 25/11/2026" in shown
    assert "Quá hạn bình xét 25/11/2026" in marked and "[x]" in marked
    assert "Quá hạn bình xét 25/11/2026" in asked and "mọi hộ của thôn?" in asked


def test_a_returned_nomination_is_corrected_with_ctrl_e_and_sent_again(store_ids):
    person_id = _staff(store_ids)
    nom = nominations.create(SYSTEM, load_cfg(), subject_kind="individual", subject_id=person_id,
                             title_code="LDTT", year=Y, summary="Thiếu")
    nominations.submit(SYSTEM, nom.id)
    nominations.return_(SYSTEM, nom.id, "Bổ sung thành tích")
    app = make_app(open_screen="nominations")

    async def body(pilot):
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("ctrl+e")
        await settle(pilot)
        assert "Sửa đề nghị" in screen_text(app)
        await pilot.press("tab")
        for _ in range(len("Thiếu")):
            await pilot.press("backspace")
        await type_text(pilot, "Hoan thanh tot nhiem vu [b]2026[/b]")
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("ctrl+s")  # sent again as corrected
        await settle(pilot)
        return screen_text(app)

    shown = run(app, body)
    nom = nominations.get(nom.id)
    assert nom.summary == "Hoan thanh tot nhiem vu [b]2026[/b]", shown
    assert nom.state == "submitted"


def _checked(store_ids) -> Nomination:
    """A Lao động tiên tiến nomination, sent and checked by the Office."""
    person_id = _staff(store_ids)
    nom = nominations.create(SYSTEM, load_cfg(), subject_kind="individual", subject_id=person_id,
                             title_code="LDTT", year=Y, summary="Đủ")
    nominations.submit(SYSTEM, nom.id)
    return nominations.check(SYSTEM, load_cfg(), nom.id)[0]


def test_ctrl_e_is_refused_once_the_nomination_is_checked(store_ids):
    nom = _checked(store_ids)
    app = make_app(open_screen="nominations")

    async def body(pilot):
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("ctrl+e")
        await settle(pilot)
        return screen_text(app)

    shown = run(app, body)
    assert "Sửa đề nghị" not in shown
    assert nominations.get(nom.id).summary == "Đủ"


def test_a_checked_nomination_does_not_offer_ctrl_s(store_ids):
    """Keys follow the nomination's state, not only the officer's roles."""
    nom = _checked(store_ids)
    app = make_app(open_screen="nominations")

    async def body(pilot):
        await pilot.press("enter")
        await settle(pilot)
        footer = screen_text(app).splitlines()[-1]
        offered = app.screen.check_action("review", ("submit",))
        await pilot.press("ctrl+s")
        await settle(pilot)
        return footer, offered

    footer, offered = run(app, body)
    assert "Gửi" not in footer and "Kiểm tra" in footer, footer
    assert not offered
    assert nominations.get(nom.id).state == "checked"


# --- money (issue 12): the confirmation, a 0 đ line's reason, the fund of any year -------------

def _passed(person_id: int, code: str, year: int = Y) -> int:
    nom = nominations.create(SYSTEM, load_cfg(), subject_kind="individual", subject_id=person_id,
                             title_code=code, year=year)
    Nomination.update(state="passed").where(Nomination.id == nom.id).execute()
    return nom.id


def _flat(app) -> str:
    """The screen's words on one line: a long message wraps where the width says."""
    return " ".join(screen_text(app).split())


async def _after(pilot, app, *keys: str) -> str:
    """Press `keys`, let the app settle, and read the screen's words."""
    for key in keys:
        await pilot.press(key)
    await settle(pilot)
    return _flat(app)


async def _money_in(pilot, app, *values: str) -> str:
    """Ctrl+N on the fund: the kind as offered (allocation), each value in the next field,
    Ctrl+S; returns what the screen says then."""
    await _after(pilot, app, "ctrl+n")
    for value in values:
        await pilot.press("tab")
        await type_text(pilot, value)
    return await _after(pilot, app, "ctrl+s")


def test_issuing_confirms_the_exact_list_and_refuses_one_changed_meanwhile(store_ids):
    """LĐTT and CSTĐCS of one person: the LĐTT line pays 0 đ and says why; the chairman
    sees every line and the total; a line the Office adds while he looks is refused."""
    cfg = load_cfg()
    duc = _staff(store_ids)
    d = decisions.create(SYSTEM, "Khen thưởng năm 2026", TODAY)
    decisions.add_nominations(SYSTEM, cfg, d.id, [_passed(duc, "LDTT"), _passed(duc, "CSTDCS")])
    app = make_app(open_screen="decisions")

    async def body(pilot):
        record = await _after(pilot, app, "enter")
        await _after(pilot, app, "ctrl+s")
        confirmation = screen_text(app)
        hung = store_ids["people"]["Nguyễn Văn Hùng"]
        decisions.add_nominations(SYSTEM, cfg, d.id, [_passed(hung, "GIAYKHEN")])
        refused = await _after(pilot, app, "ctrl+s")
        assert not decisions.get(d.id).issued
        again = await _after(pilot, app, "escape", "ctrl+s")
        await _after(pilot, app, "ctrl+s", "enter")  # the fund is empty: issue anyway
        return record, confirmation, refused, again

    record, confirmation, refused, again = run(app, body)
    assert "tổng 2.530.000 đ" in record
    assert ("0 đ: chỉ nhận tiền thưởng của danh hiệu cao nhất năm 2026 (Chiến sĩ thi đua cơ sở; "
            "Nghị định 152/2025/NĐ-CP, Điều 49 khoản 5)") in record
    assert "2 khen thưởng, tổng 2.530.000 đ" in confirmation
    lines = [line for line in confirmation.splitlines() if "Đặng Văn Đức" in line]
    assert len(lines) == 2
    assert "Lao động tiên tiến" in lines[0] and " 0 đ " in lines[0] and "0 đ: chỉ" in lines[0]
    assert "Chiến sĩ thi đua cơ sở" in lines[1] and "2.530.000 đ" in lines[1]
    # Refused on Ctrl+S; when the change poll comes first, it says so before the key.
    assert ("Chưa lưu: Danh sách hoặc số tiền của quyết định đã thay đổi" in refused
            or "vừa được sửa ở nơi khác: ban hành bây giờ sẽ bị từ chối" in refused), refused
    assert "3 khen thưởng, tổng 3.290.000 đ" in again and "Nguyễn Văn Hùng" in again
    issued = decisions.get(d.id)
    assert issued.issued and decisions.total(d.id) == 3_290_000
    assert decisions.summary(d.id).impact.before == 0
    for line in confirmation.splitlines():
        assert len(line) <= 80


def test_a_back_dated_decision_gets_its_years_income_from_its_own_screen(store_ids):
    """A decision of 20/12/2024 is over the 2024 fund until 2024's income is entered:
    Ctrl+F opens that year's fund, Ctrl+N enters it."""
    d = decisions.create(SYSTEM, "Khen thưởng năm 2024", dt.date(2024, 12, 20))
    decisions.add_nominations(SYSTEM, load_cfg(), d.id, [_passed(_staff(store_ids), "LDTT", 2024)])
    app = make_app(open_screen="decisions")

    async def body(pilot):
        before = await _after(pilot, app, "enter")
        empty = await _after(pilot, app, "ctrl+f")
        funded = await _money_in(pilot, app, "1.000.000", "05/01/2024",
                                 "Ngan sach xa [b]2024[/b]")
        return before, empty, funded, await _after(pilot, app, "escape")

    before, empty, funded, after = run(app, body)
    assert "Quỹ 2024: trước 0 đ · chi 710.000 đ · sau -710.000 đ · VƯỢT QUỸ" in before
    assert "Quỹ 2024: thu 0 đ · đã chi 0 đ · còn 0 đ" in empty
    assert "Chưa ghi chi thường xuyên năm 2024" in empty
    assert "Quỹ 2024: thu 1.000.000 đ · đã chi 0 đ · còn 1.000.000 đ" in funded
    assert "Ngan sach xa [b]2024[/b]" in funded
    assert "Quỹ 2024: trước 1.000.000 đ · chi 710.000 đ · sau 290.000 đ" in after
    assert "VƯỢT QUỸ" not in after


def test_the_fund_turns_to_another_year_and_refuses_an_allocation_over_its_limit(store_ids):
    from ui_helpers import hostile_inputs

    from models.errors import ThiduaError
    for value in hostile_inputs():
        try:
            fund.add_entry(SYSTEM, 2023, "donation", 1_000, dt.date(2023, 3, 1), value)
        except ThiduaError:
            pass  # refused in words is fine; taken and shown literally is too
    app = make_app(open_screen="decisions")

    async def body(pilot):
        await _after(pilot, app, "ctrl+f", "ctrl+o", *["backspace"] * 4)
        await type_text(pilot, "2023")
        turned = await _after(pilot, app, "ctrl+s")
        await _after(pilot, app, "ctrl+e")
        await type_text(pilot, "5.000.000.000")
        limited = await _after(pilot, app, "ctrl+s")
        refused = await _money_in(pilot, app, "60.000.000", "05/01/2023")
        return turned, limited, refused, app.is_running

    turned, limited, refused, running = run(app, body)
    assert running and "Quỹ 2023: thu" in turned
    assert "[bold red]Nguyễn Văn A[/]" in turned and "[@click=app.quit]Bấm vào đây[/]" in turned
    assert "Trích lập 0 đ / hạn mức 50.000.000 đ (chi TX 5.000.000.000 đ)" in limited
    assert "Chưa lưu: Trích lập quỹ năm 2023 vượt hạn mức" in refused
    assert fund.state(2023).allocation == 0 and fund.budget(2023).allocation_limit == 50_000_000


def test_a_late_village_is_accepted_once_and_a_household_excluded_with_a_reason(store_ids):
    """Issue 12: Ctrl+L answers a village's late review once for all its households;
    Ctrl+X on the review list takes one household off the list with its reason."""
    hs, batch = _families_batch(store_ids["units"]["thon1"], ["Trần Văn Hộ E", "Trần Văn Hộ F"],
                                dt.date(Y, 11, 20), late=1)
    app = make_app(open_screen="nominations")

    async def body(pilot):
        await pilot.press("ctrl+g")
        await settle(pilot)
        shown = screen_text(app)
        await pilot.press("ctrl+l")
        await settle(pilot)
        await pilot.press("tab")
        await type_text(pilot, "Thon hop 20/11, nhap cham")
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("ctrl+r")
        await settle(pilot)
        answered = screen_text(app)
        await pilot.press("enter")    # Thôn 1
        await settle(pilot)
        lazy = app.screen.list
        lazy.action_jump(next(i for i in range(lazy.total) if lazy.row_at(i).id == hs[0].id))
        await settle(pilot)
        await pilot.press("ctrl+x")
        await settle(pilot)
        await type_text(pilot, "Y kien cua nhan dan")
        await pilot.press("ctrl+s")
        await settle(pilot)
        return shown, answered, screen_text(app)

    shown, answered, excluded = run(app, body)
    assert "Bình xét muộn 1 hộ · chưa trả lời (Ctrl+L)" in shown
    assert "Đủ điều kiện 2 hộ, chưa đủ 0 hộ." in answered
    assert bulk_awards.late_village(load_cfg(), Y, store_ids["units"]["thon1"]).answer.accepted
    assert bulk_awards.household_nomination(hs[1].id, Y).eligible
    assert bulk_awards.household_nomination(hs[0].id, Y).state == "withdrawn"
    for line in "\n".join((shown, answered, excluded)).splitlines():
        assert len(line) <= 80
