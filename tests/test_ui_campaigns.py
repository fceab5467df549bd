"""The campaigns screens by keys at 80x24: a new movement, its content areas and
criteria, their order, the units taking part, the plan import; a unit officer
only reads; hostile area titles shown literally."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from ui_helpers import (hostile_inputs, make_app, run, screen_lines, screen_text, settle, type_text,
                        ui_store)

from models import text
from models.cycle import campaigns
from models.cycle.tables import Campaign, ContentArea
from models.registry import users
from models.registry.access import SYSTEM
from tui.screens.campaigns import CampaignDetailScreen, CampaignsScreen, TakingPartScreen
from tui.screens.plan_import import PlanImportScreen
from tui.widgets.form import FormScreen

store = pytest.fixture(ui_store, name="store")
PLAN = Path(__file__).resolve().parent / "data" / "plan_2023.txt"


@pytest.fixture
def movement(store):
    return campaigns.create_campaign(SYSTEM, "Phong trào thi đua yêu nước năm 2026", "yearly",
                                     2026, "Đoàn kết", "01/01/2026", "31/12/2026")


async def open_detail(pilot) -> None:
    await pilot.press("f4")
    await settle(pilot)
    assert isinstance(pilot.app.screen, CampaignsScreen)
    await pilot.press("enter")
    await settle(pilot)
    assert isinstance(pilot.app.screen, CampaignDetailScreen)


async def save_form(pilot) -> None:
    await pilot.press("ctrl+s")
    await settle(pilot)
    assert not isinstance(pilot.app.screen, FormScreen), screen_text(pilot.app)


def test_create_campaign_by_keys(store):
    app = make_app()

    async def body(pilot):
        await pilot.press("f4")
        await settle(pilot)
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert isinstance(app.screen, FormScreen)
        await type_text(pilot, "Phong trào thi đua yêu nước năm 2026")
        await pilot.press("tab", "tab", "tab")         # kind (yearly) and year (2026) preset
        await type_text(pilot, "Đoàn kết kỷ cương")
        await pilot.press("tab")
        await type_text(pilot, "01/01/2026")
        await pilot.press("tab")
        await type_text(pilot, "31/12/2026")
        await save_form(pilot)
        return screen_lines(app)

    lines = run(app, body)
    c = Campaign.get()
    assert (c.name, c.kind, c.year, c.theme) == ("Phong trào thi đua yêu nước năm 2026", "yearly",
                                                 2026, "Đoàn kết kỷ cương")
    assert text.format_date(c.starts_on) == "01/01/2026"
    assert any("2026 Phong trào năm Phong trào thi đua yêu nước năm 2026" in l for l in lines)


def test_areas_criteria_order_and_total_by_keys(movement):
    app = make_app()

    async def body(pilot):
        await open_detail(pilot)
        for title in ("Tuyên truyền", "Cải cách hành chính"):
            await pilot.press("ctrl+n")
            await settle(pilot)
            await type_text(pilot, title)
            await save_form(pilot)
        # the cursor is on the first area: two criteria for it
        for crit, points in (("Số buổi", "10"), ("Tỷ lệ", "2,5")):
            await pilot.press("ctrl+t")
            await settle(pilot)
            await type_text(pilot, crit)
            await pilot.press("tab")
            await type_text(pilot, points)
            await save_form(pilot)
        before = screen_lines(app)
        # move "Cải cách hành chính" (row 4) up, then the criterion "Tỷ lệ" up
        await pilot.press("down", "down", "down", "ctrl+u")
        await settle(pilot)
        await pilot.press("down", "down", "down", "ctrl+u")
        await settle(pilot)
        # edit a criterion's points
        await pilot.press("down", "enter")
        await settle(pilot)
        await pilot.press("tab", "end", "ctrl+u")
        await type_text(pilot, "5")
        await save_form(pilot)
        return before, screen_lines(app)

    before, after = run(app, body)
    shown_before = "\n".join(before)
    assert "1. Tuyên truyền" in shown_before and "    1.1 Số buổi" in shown_before
    assert "Tổng điểm tối đa" in shown_before and "12,5" in shown_before
    assert [a.title for a in campaigns.areas(movement.id)] == ["Cải cách hành chính",
                                                                "Tuyên truyền"]
    second = campaigns.areas(movement.id)[1]
    assert [(c.text, Decimal(c.max_points)) for c in campaigns.criteria(second.id)] == [
        ("Tỷ lệ", Decimal("2.5")), ("Số buổi", Decimal("5"))]
    shown = "\n".join(after)
    assert "2. Tuyên truyền" in shown and "    2.1 Tỷ lệ" in shown
    total = next(line for line in after if "Tổng điểm tối đa" in line)
    assert total.rstrip().endswith("7,5")


def test_tick_units_taking_part(movement, store):
    app = make_app()

    async def body(pilot):
        await open_detail(pilot)
        await pilot.press("ctrl+o")
        await settle(pilot)
        assert isinstance(app.screen, TakingPartScreen)
        await pilot.press("space", "down", "enter", "down", "space", "space")
        await settle(pilot)
        shown = screen_text(app)
        await pilot.press("ctrl+s")
        await settle(pilot)
        return shown, isinstance(app.screen, CampaignDetailScreen)

    shown, back = run(app, body)
    assert "[x] Văn phòng" in shown and "[x] Thôn 1" in shown and "[ ] Thôn 2" in shown
    assert "đã chọn 2" in shown
    assert back
    assert campaigns.participating(movement.id) == {store["units"]["office"],
                                                    store["units"]["thon1"]}


def test_import_the_plan_and_accept_nine_areas(movement):
    app = make_app()

    async def body(pilot):
        await open_detail(pilot)
        await pilot.press("ctrl+l")
        await settle(pilot)
        assert isinstance(app.screen, PlanImportScreen)
        await type_text(pilot, "/nonexistent/ke-hoach.docx")
        await pilot.press("enter")
        await settle(pilot)
        missing = screen_text(app)
        box = app.screen.query_one("#path")
        box.value = str(PLAN)
        await pilot.press("enter")
        await settle(pilot)
        listed = screen_text(app) + "\n".join(str(n.message) for n in app._notifications)
        await pilot.press("down", "space", "space")   # drop item 2, take it back
        await pilot.press("up", "enter")              # edit item 1
        await settle(pilot)
        assert isinstance(app.screen, FormScreen)
        await pilot.press("end")
        await type_text(pilot, " (bổ sung)")
        await save_form(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        return missing, listed, type(app.screen)

    missing, listed, back_on = run(app, body)
    assert "Không tìm thấy tệp" in missing
    assert "Tìm thấy 9 nội dung" in listed and "Nhận 9. Đề nghị Thường trực" in listed
    assert back_on is CampaignDetailScreen
    titles = [a.title for a in campaigns.areas(movement.id)]
    assert len(titles) == 9
    assert titles[0].startswith(
        "Tiếp tục tuyên truyền, quán triệt tư tưởng của Chủ tịch Hồ Chí Minh")
    assert titles[0].endswith(" (bổ sung)")


def test_dropped_items_are_not_added(movement):
    app = make_app()

    async def body(pilot):
        await open_detail(pilot)
        await pilot.press("ctrl+l")
        await settle(pilot)
        app.screen.query_one("#path").value = str(PLAN)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("space", "down", "space", "ctrl+s")
        await settle(pilot)

    run(app, body)
    titles = [a.title for a in campaigns.areas(movement.id)]
    assert len(titles) == 7 and titles[0].startswith("Đẩy mạnh thực hiện")


def test_unit_officer_only_reads(movement, store):
    users.add_user(SYSTEM, "thon1", "Cán bộ thôn 1", ["unit_officer"], [store["units"]["thon1"]])
    campaigns.add_area(SYSTEM, movement.id, "Tuyên truyền")
    app = make_app("thon1")

    async def body(pilot):
        await pilot.press("f4")
        await settle(pilot)
        list_footer = screen_lines(app)[-1]
        await pilot.press("ctrl+n")
        await settle(pilot)
        list_new = type(app.screen)
        await pilot.press("enter")
        await settle(pilot)
        detail_footer = screen_lines(app)[-1]
        for key in ("ctrl+n", "ctrl+t", "ctrl+o", "ctrl+l", "ctrl+e", "ctrl+d", "enter"):
            await pilot.press(key)
            await settle(pilot)
            assert isinstance(app.screen, CampaignDetailScreen), key
        return list_footer, list_new, detail_footer, screen_text(app)

    list_footer, list_new, detail_footer, shown = run(app, body)
    assert "Thêm" not in list_footer and list_new is CampaignsScreen
    assert "Nội dung" not in detail_footer and "Xuống" not in detail_footer
    assert "Chỉ xem." in shown
    assert [a.title for a in campaigns.areas(movement.id)] == ["Tuyên truyền"]


def test_hostile_area_titles_are_stored_literally_or_refused(movement):
    inputs = hostile_inputs()
    app = make_app()

    async def body(pilot):
        await open_detail(pilot)
        outcomes = []
        for value in inputs:
            await pilot.press("ctrl+n")
            await settle(pilot)
            app.screen.query_one("#f-title").value = value
            await pilot.press("ctrl+s")
            await settle(pilot)
            if isinstance(app.screen, FormScreen):
                outcomes.append((value, None, screen_text(app)))
                app.screen.dismiss(None)
                await settle(pilot)
                continue
            stored = ContentArea.select().order_by(ContentArea.id.desc()).first()
            lazy = app.screen.list
            index = next(i for i in range(lazy.total) if lazy.row_at(i).id == stored.id
                         and lazy.row_at(i).kind == "area")
            lazy.action_jump(index)
            await settle(pilot)
            outcomes.append((value, stored.title, screen_text(app)))
        return outcomes, app.is_running

    outcomes, running = run(app, body)
    assert running
    stored = {v: title for v, title, _ in outcomes if title is not None}
    assert "[/]" in stored and "[@click=app.quit]Bấm vào đây[/]" in stored
    assert "NUL\x00byte" not in stored and "" not in stored
    for value, title, shown in outcomes:
        if title is None:
            assert "Chưa lưu" in shown or "không" in shown, (value, shown)
        else:
            assert title == text.nfc(value).strip()
            assert text.visible(title)[:20] in shown, (value, shown)


def test_imported_items_with_markup_are_shown_and_added_literally(movement, tmp_path):
    plan = tmp_path / "ke-hoach.txt"
    plan.write_text("II. NỘI DUNG\n1. [bold red]Tuyên truyền[/]\n2. [@click=app.quit]x[/]\n"
                    "III. TỔ CHỨC THỰC HIỆN\n", encoding="utf-8")
    app = make_app()

    async def body(pilot):
        await open_detail(pilot)
        await pilot.press("ctrl+l")
        await settle(pilot)
        app.screen.query_one("#path").value = str(plan)
        await pilot.press("enter")
        await settle(pilot)
        listed = screen_text(app)
        await pilot.press("ctrl+s")
        await settle(pilot)
        return listed, screen_text(app), app.is_running

    listed, detail, running = run(app, body)
    assert running
    assert "Nhận 1. [bold red]Tuyên truyền[/]" in listed
    assert "Nhận 2. [@click=app.quit]x[/]" in listed
    assert "1. [bold red]Tuyên truyền[/]" in detail
    assert [a.title for a in campaigns.areas(movement.id)] == ["[bold red]Tuyên truyền[/]",
                                                                "[@click=app.quit]x[/]"]
