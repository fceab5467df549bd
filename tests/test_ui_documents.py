"""The document key (Ctrl+W, "Xuất văn bản") on the screens of the records that have a
document, at 80x24: the prompt proposes the officer's own folder of the exchange folder,
the file is written, the message names it; Ctrl+K in the prompt prints where a queue is
configured (cups-client's lp, against a queue nobody serves)."""
from __future__ import annotations

import datetime as dt

import openpyxl
import pytest
from docx import Document
from ui_helpers import TODAY, load_cfg, make_app, run, screen_text, settle, ui_store

from config import load_config
from models.awards import decisions, nominations
from models.awards.tables import Nomination
from models.cycle import campaigns
from models.io.exchange import FilePolicy
from models.registry.access import SYSTEM
from tui.widgets.export import ExportScreen

store_ids = pytest.fixture(ui_store)
Y = TODAY.year


@pytest.fixture
def folder(tmp_path):
    """The exchange folder with vanphong's own folder in it, as `thidua key add` makes it."""
    (tmp_path / "vanphong").mkdir()
    return tmp_path


def issued_decision(store_ids) -> int:
    cfg = load_cfg()
    person = store_ids["people"]["Đặng Văn Đức"]
    nom = nominations.create(SYSTEM, cfg, subject_kind="individual", subject_id=person,
                             title_code="LDTT", year=Y)
    Nomination.update(state="passed").where(Nomination.id == nom.id).execute()
    d = decisions.create(SYSTEM, "Khen thưởng năm 2026", dt.date(Y, 11, 20))
    decisions.add_nominations(SYSTEM, cfg, d.id, [nom.id])
    decisions.issue(SYSTEM, cfg, d.id, decisions.get(d.id).version, accept_overdraw=True)
    return nom.id


def messages(app) -> str:
    """The notifications shown, whole (on screen they wrap)."""
    return "\n".join(n.message for n in app._notifications)


async def export_with_defaults(pilot) -> str:
    """Ctrl+W, then save the proposed name; the name and the messages once written."""
    await pilot.press("ctrl+w")
    await settle(pilot)
    assert isinstance(pilot.app.screen, ExportScreen), screen_text(pilot.app)
    proposed = pilot.app.screen.values()["file"]
    await pilot.press("ctrl+s")
    await settle(pilot, 6)
    return proposed + "\n" + messages(pilot.app)


def on_the_decision(store_ids, folder, then, cfg=None):
    """An issued decision's screen (F8, Enter) in a session over SSH whose exchange
    folder is `folder`; returns what `await then(pilot)` returns."""
    issued_decision(store_ids)
    app = make_app(open_screen="decisions", cfg=cfg)
    app.files = FilePolicy(str(folder), True, ())

    async def body(pilot):
        await pilot.press("enter")
        await settle(pilot)
        return await then(pilot)
    return run(app, body)


async def prompt(pilot) -> str:
    await pilot.press("ctrl+w")
    await settle(pilot)
    return screen_text(pilot.app)


def test_a_decision_is_written_to_the_officers_folder(store_ids, folder):
    async def then(pilot):
        assert "^w Xuất văn bản" in screen_text(pilot.app)
        return await export_with_defaults(pilot)

    shown = on_the_decision(store_ids, folder, then)
    path = folder / "vanphong" / "quyet-dinh-so-1-2026.docx"
    assert str(path) in shown
    assert "Đã xuất quyết định khen thưởng kèm danh sách vào tệp" in shown, shown
    said = "\n".join(p.text for p in Document(str(path)).paragraphs)
    assert "QUYẾT ĐỊNH" in said


def test_a_file_outside_the_exchange_folder_is_refused(store_ids, folder):
    async def then(pilot):
        await prompt(pilot)
        await pilot.press("ctrl+u", *"/tmp/ngoai.docx", "ctrl+s")
        await settle(pilot)
        return screen_text(pilot.app)

    assert "Chỉ được dùng tệp trong thư mục trao đổi" in on_the_decision(store_ids, folder, then)


def test_plan_achievement_and_statistics_from_their_screens(store_ids, folder):
    nom = issued_decision(store_ids)
    c = campaigns.create_campaign(SYSTEM, "Phong trào năm 2026", "yearly", Y, "",
                                  "01/01/2026", "31/12/2026")
    campaigns.add_area(SYSTEM, c.id, "[b]Tuyên truyền[/b]")
    from tui.screens.campaigns import CampaignDetailScreen
    from tui.screens.decisions.stats import StatsScreen
    from tui.screens.nominations.record import NominationScreen
    for screen, name in ((CampaignDetailScreen(c.id), f"ke-hoach-{c.id}.docx"),
                         (NominationScreen(nom), f"bao-cao-thanh-tich-{nom}.docx"),
                         (StatsScreen(Y), f"thong-ke-{Y}.xlsx")):
        app = make_app()
        app.files = FilePolicy(str(folder), True, ())

        async def body(pilot, screen=screen):
            pilot.app.push_screen(screen)
            await settle(pilot)
            return await export_with_defaults(pilot)

        shown = run(app, body)
        assert (folder / "vanphong" / name).exists(), shown
        assert "Đã xuất" in shown
    doc = Document(str(folder / "vanphong" / f"ke-hoach-{c.id}.docx"))
    assert any(p.text == "1. [b]Tuyên truyền[/b]" for p in doc.paragraphs)
    book = openpyxl.load_workbook(folder / "vanphong" / f"thong-ke-{Y}.xlsx")
    assert "Khen thưởng theo đối tượng" in book.sheetnames


def test_print_sends_to_the_queue_and_says_what_it_answered(store_ids, folder, tmp_path):
    settings = tmp_path / "thidua.toml"
    settings.write_text('[print]\nqueue = "khong-co-may-in"\n', encoding="utf-8")
    cfg = load_config(settings, env={"HOME": "/nonexistent/thidua-tests"})

    async def then(pilot):
        assert "In ra máy in" in await prompt(pilot)
        await pilot.press("ctrl+k")
        for _ in range(100):   # LibreOffice makes the PDF first
            await pilot.pause(0.2)
            if "Máy in" in messages(pilot.app):
                break
        return messages(pilot.app)

    assert "Máy in “khong-co-may-in” không nhận tệp" in on_the_decision(store_ids, folder, then,
                                                                          cfg)


def test_no_print_key_without_a_queue(store_ids, folder):
    assert "In ra máy in" not in on_the_decision(store_ids, folder, prompt)


def test_a_report_and_the_kept_synthesis_only(store_ids, folder):
    from models.cycle import reports, synthesis
    from tui.screens.reports.report import ReportScreen
    from tui.screens.reports.synthesis import SynthesisScreen
    c = campaigns.create_campaign(SYSTEM, "Phong trào năm 2026", "yearly", Y, "",
                                  "01/01/2026", "31/12/2026")
    unit = store_ids["units"]["thon1"]
    campaigns.set_units(SYSTEM, c.id, [unit])
    report = reports.open_report(SYSTEM, c.id, unit, "six_month")
    app = make_app()
    app.files = FilePolicy(str(folder), True, ())

    async def body(pilot):
        pilot.app.push_screen(ReportScreen(report.id))
        await settle(pilot)
        written = await export_with_defaults(pilot)
        pilot.app.push_screen(SynthesisScreen(c.id, "six_month"))
        await settle(pilot)
        await pilot.press("ctrl+w")   # assembled, not kept yet: nothing to print
        await settle(pilot)
        refused = screen_text(pilot.app)
        await pilot.press("ctrl+s")
        await settle(pilot)
        return written, refused, await export_with_defaults(pilot)

    written, refused, kept = run(app, body)
    assert (folder / "vanphong" / f"bao-cao-{report.id}.docx").exists(), written
    assert "Lưu (Ctrl+S) trước khi xuất" in refused
    kept_id = synthesis.current(c.id, "six_month").id
    assert kept_id and "Đã xuất báo cáo tổng hợp vào tệp" in kept
    assert (folder / "vanphong" / f"bao-cao-tong-hop-{c.id}-six-month.docx").exists()


def test_an_earlier_sessions_minutes_from_the_console(store_target, tmp_path):
    """The chair on F7 picks the session of 24/11 after a later one was created."""
    from models import store
    from models.council import ballots, sessions
    from models.store.tables import database
    from tests.council_world import HELD_ON, actor, build
    store.open_store(store_target, create=True)
    try:
        w = build()
        later = sessions.create_session(SYSTEM, HELD_ON.replace(day=28), "Phòng họp", "14:00")
        chair = actor("chutich")
        ballot = ballots.open_ballot(chair, load_cfg(), w["session"], w["ldtt"][:1])
        ballots.close(chair, load_cfg(), ballot.id)
        target = tmp_path / "cu.docx"

        async def body(pilot):
            await pilot.press("ctrl+w")
            await settle(pilot)
            shown = screen_text(pilot.app)
            await pilot.press("ctrl+u", *str(target), "tab", "enter", "down", "enter")
            await settle(pilot)
            await pilot.press("ctrl+s")
            await settle(pilot, 6)
            return shown

        shown = run(make_app("chutich", open_screen="vote"), body)
        assert f"Số {later.id} · 28/11/2026 · Phòng họp" in shown
        said = "\n".join(p.text for p in Document(str(target)).paragraphs)
        assert "Thời gian: bắt đầu 08:00" in said and "Phiếu số 1" in said
    finally:
        database.close()
