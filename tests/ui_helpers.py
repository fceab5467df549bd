"""Helpers for the pilot tests: a small fixed commune, the app at 80x24, and
the text actually on screen.

pytest-asyncio is not installed: each test is a plain function that calls
`run(body)`, where `body` is an async function taking the pilot.
"""
from __future__ import annotations

import asyncio
import datetime as dt
import os
import re
import subprocess
import sys
from pathlib import Path

from config import load_config
from models import store
from models.awards.tables import TitleAward
from models.registry import commune, people, units, users
from models.registry.access import SYSTEM
from models.store import records

TODAY = dt.date(2026, 11, 24)
SIZE = (80, 24)
REPO = Path(__file__).resolve().parent.parent

# Deliberately out of Vietnamese order, with one decomposed (NFD) name.
PEOPLE = [
    ("Trần Thị Bình", "12/03/1980", "F", "office"),
    ("Nguyễn Văn Hùng", "01/05/1950", "M", "thon1"),
    ("Lê Văn An", "20/10/1975", "M", "thon1"),
    ("Nguyễn Văn Hưng", "02/02/1982", "M", "thon2"),
    ("Phạm Thị Hoa", "", "F", "thon2"),
    ("Đặng Văn Đức", "09/09/1990", "M", "office"),
    ("Hoàng Minh Anh", "", "", None),
]


def load_cfg():
    """The shipped defaults only: no officer's own config file leaks in."""
    return load_config(env={"HOME": "/nonexistent/thidua-tests"})


def build_store(path: Path | str, with_people: bool = True) -> dict:
    """A fixed little commune: two villages and the Office, seven people,
    two households, an award history, an admin and a viewer. Returns ids."""
    store.open_store(str(path), create=True)
    commune.initialise("Hòa Phong", "Hòa Phong", "Quảng Ngãi", "Phạm Văn Chủ",
                       "vanphong", "Văn phòng UBND xã")
    users.add_user(SYSTEM, "xem", "Thường trực Đảng ủy", ["viewer"])
    ids: dict = {"units": {}, "people": {}, "households": {}}
    u = ids["units"]
    u["office"] = units.create_unit(SYSTEM, "Văn phòng", "department").id
    u["thon1"] = units.create_unit(SYSTEM, "Thôn 1", "village").id
    u["thon2"] = units.create_unit(SYSTEM, "Thôn 2", "village").id
    h = ids["households"]
    h["hung"] = people.create_household(SYSTEM, "Nguyễn Văn Hùng", u["thon1"], "xóm Đông").id
    h["hoa"] = people.create_household(SYSTEM, "Phạm Thị Hoa", u["thon2"]).id
    if not with_people:
        return ids
    for name, born, gender, unit in PEOPLE:
        person = people.create_person(SYSTEM, full_name=name, birth_date=born, gender=gender,
                                      unit_id=u[unit] if unit else None)
        ids["people"][name] = person.id
    hung = ids["people"]["Nguyễn Văn Hùng"]
    for year, code, ref, day in [(2019, "LDTT", "98/QĐ-UBND", dt.date(2019, 12, 20)),
                                 (2023, "LDTT", "112/QĐ-UBND", dt.date(2023, 12, 15)),
                                 (2023, "CSTDCS", "113/QĐ-UBND", dt.date(2023, 12, 15)),
                                 (2024, "GIAYKHEN", "07/QĐ-UBND", dt.date(2024, 3, 2))]:
        records.insert(SYSTEM, TitleAward, title_code=code, year=year, person=hung,
                       decision_ref=ref, decided_on=day)
    records.insert(SYSTEM, TitleAward, title_code="GDVH", year=2025, household=h["hung"],
                   decision_ref="201/QĐ-UBND", decided_on=dt.date(2025, 12, 5))
    records.insert(SYSTEM, TitleAward, title_code="THONVH", year=2024, unit=u["thon1"],
                   decision_ref="150/QĐ-UBND", decided_on=dt.date(2024, 12, 20))
    return ids


def ui_store(store_target):
    """Fixture body (wrap with pytest.fixture): the fixed commune in the test's store."""
    from models.store.tables import database
    ids = build_store(store_target)
    ids["path"] = store_target
    yield ids
    database.close()


HOSTILE_FILE = Path(__file__).resolve().parent / "data" / "hostile-inputs.txt"


def hostile_inputs() -> list[str]:
    """The strings of hostile-inputs.txt (a copy of /work/shared's), decoded."""
    import ast
    import warnings
    lines = HOSTILE_FILE.read_text(encoding="utf-8").split("\n")
    if lines and lines[-1] == "":
        lines = lines[:-1]  # the final newline; the real last entry is the blank line
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "\\[escaped]": an invalid escape, kept literally
        return [ast.literal_eval('"' + line.replace('"', '\\"') + '"')
                for line in lines if not line.startswith("#")]


def make_app(login: str = "vanphong", open_screen: str | None = None, cfg=None):
    from tui.app import ThiduaApp
    return ThiduaApp(cfg or load_cfg(), users.sign_in(login), open_screen=open_screen,
                     today=TODAY)


def run(app, body, size=SIZE):
    """Run `await body(pilot)` inside the app at 80x24; returns its result."""
    async def main():
        async with app.run_test(size=size, notifications=True) as pilot:
            await pilot.pause()
            return await body(pilot)
    return asyncio.run(main())


def screen_lines(app) -> list[str]:
    """The text of every line of the screen as the terminal would show it
    (modal screens include what shows through around them)."""
    strips = app.screen._compositor.render_strips()
    return ["".join(segment.text for segment in strip) for strip in strips]


def screen_text(app) -> str:
    return "\n".join(screen_lines(app))


async def type_text(pilot, value: str) -> None:
    """Key by key, as an officer types (letters, digits, spaces, '/')."""
    for char in value:
        await pilot.press(char)
    await pilot.pause()


NAMED_KEYS = {"tab", "enter", "escape", "backspace", "up", "down"}


async def burst(pilot, *keys: str) -> None:
    """Keys arriving together, as over a slow link: all of them are handed to the
    app before it has handled the first (Pilot's press waits after each one).
    Each argument is a key name ("ctrl+n", "f3", "tab") or text typed as it is."""
    from textual import events
    for item in keys:
        if item in NAMED_KEYS or "+" in item or re.fullmatch(r"f\d+", item):
            pilot.app.post_message(events.Key(item, None))
            continue
        for char in item:
            pilot.app.post_message(events.Key("space" if char == " " else char, char))
    await settle(pilot, 5)


async def settle(pilot, times: int = 3) -> None:
    for _ in range(times):
        await pilot.pause()


def other_session(db: Path, code: str) -> None:
    """Run `code` in another process on the same database, as a second officer
    would; `code` sees `SYSTEM`, `people`, `records` and the open store."""
    script = ("import sys\n"
              "from models import store\n"
              "from models.registry import people\n"
              "from models.registry.access import SYSTEM\n"
              "from models.store import records\n"
              "from models.registry.tables import Person\n"
              f"store.open_store({str(db)!r})\n" + code)
    done = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True,
                          text=True, timeout=60, env={**os.environ, "PYTHONPATH": str(REPO)})
    assert done.returncode == 0, done.stderr


def rename_elsewhere(db: Path, person_id: int, new_name: str) -> None:
    """Another officer, in another process, renames a person and saves."""
    other_session(db, f"""
p = Person.get_by_id({person_id})
people.update_person(SYSTEM, p.id, p.version, full_name={new_name!r}, birth_date=p.birth_date,
                     gender=p.gender, citizen_id=p.citizen_id, unit_id=p.unit_id,
                     position=p.position, household_id=p.household_id,
                     recruited_on=p.recruited_on)
""")


def list_names(app) -> list[str]:
    """The names in the current list screen, in order, as shown."""
    lazy = app.screen.list
    return [lazy.row_at(i).cells[0] for i in range(lazy.total)]


def report_movement(store: dict) -> dict:
    """The 2026 movement on the fixed commune: Thôn 1 has sent its 6-month report on
    time, Thôn 2 sent its report late, the Office has not reported. Officers thon1 and
    thon2."""
    from models.cycle import campaigns, reports, scoring

    u = store["units"]
    c = campaigns.create_campaign(SYSTEM, "Phong trào thi đua yêu nước năm 2026", "yearly",
                                  2026, "", "01/01/2026", "31/12/2026")
    campaigns.set_units(SYSTEM, c.id, [u["office"], u["thon1"], u["thon2"]])
    area = campaigns.add_area(SYSTEM, c.id, "Tuyên truyền")
    crit = campaigns.add_criterion(SYSTEM, area.id, "Tổ chức tuyên truyền", 10)
    users.add_user(SYSTEM, "thon1", "Trưởng thôn 1", ["unit_officer"], [u["thon1"]])
    users.add_user(SYSTEM, "thon2", "Trưởng thôn 2", ["unit_officer"], [u["thon2"]])
    for unit, day, points in (("thon1", dt.date(2026, 6, 10), "8"),
                              ("thon2", dt.date(2026, 6, 20), "9")):
        r = reports.open_report(SYSTEM, c.id, u[unit], "six_month")
        reports.write_section(SYSTEM, r.id, area.id, f"Báo cáo của {unit}")
        scoring.self_assess(SYSTEM, r.id, crit.id, points)
        reports.submit(SYSTEM, r.id, r.version, day)
    return {"c": c, "area": area, "crit": crit, **store}
