"""A council ready to vote, for the council tests, the SSH test and the benchmark:
members (chair, secretary, others) signed in as users, a session with the
nominations at council on its agenda, and attendance marked.

Logins: "chutich" (chairman, council chair), "thuky" (council secretary),
"uv01".."uvNN" (members). Nominations: LĐTT for a few people (secret ballot
by default) and a Giấy khen (open ballot).
"""
from __future__ import annotations

import datetime as dt

from models.awards.tables import Nomination
from models.council import members, sessions
from models.registry import people, units, users
from models.registry.access import SYSTEM
from models.store import records

HELD_ON = dt.date(2026, 11, 24)


def nominate(title_code: str, *, person_id: int | None = None, unit_id: int | None = None,
             year: int = 2026) -> Nomination:
    """A nomination put straight at the council stage (the nominations issue's
    path to it is tested there)."""
    kind = "individual" if person_id else "collective"
    return records.insert(SYSTEM, Nomination, subject_kind=kind, person=person_id, unit=unit_id,
                          title_code=title_code, year=year, proposed_by="system",
                          state="at_council", eligible=True)


def build(n_members: int = 9, n_present: int = 7, n_ldtt: int = 3, *, giaykhen: bool = True,
          written: int = 0, with_admin: bool = True) -> dict:
    """On the bound store: returns {"logins", "members", "session", "ldtt", "gk", "unit",
    "people"} (ids). Members 1..n_present are present; the next `written` are
    absent with a written opinion; the rest absent. The chair and the secretary
    are members 1 and 2. n_members counts everyone on the council."""
    if with_admin and not users.User.select().where(users.User.login == "vanphong").exists():
        users.add_user(SYSTEM, "vanphong", "Văn phòng UBND xã", ["admin"])
    unit = units.create_unit(SYSTEM, "Thôn Đông", "village")
    logins = ["chutich", "thuky"] + [f"uv{i:02d}" for i in range(1, n_members - 1)]
    roles = {"chutich": (["chairman", "council_member"], "chair"),
             "thuky": (["council_secretary", "council_member"], "secretary")}
    member_ids = {}
    person_ids = {}
    for i, login in enumerate(logins, 1):
        person = people.create_person(SYSTEM, full_name=f"Thành viên {login.upper()}",
                                      unit_id=unit.id)
        person_ids[login] = person.id
        app_roles, role = roles.get(login, (["council_member"], "member"))
        users.add_user(SYSTEM, login, f"Ông/bà {login.upper()}", app_roles, person_id=person.id)
        member_ids[login] = members.add_member(SYSTEM, login, role, dt.date(2021, 7, 1),
                                               position=i).id
    ldtt = []
    for i in range(n_ldtt):
        person = people.create_person(SYSTEM, full_name=f"Người đề nghị {i + 1}", unit_id=unit.id)
        ldtt.append(nominate("LDTT", person_id=person.id).id)
    gk = nominate("GIAYKHEN", person_id=person_ids[logins[-1]]).id if giaykhen else None
    session = sessions.create_session(SYSTEM, HELD_ON, "Hội trường UBND xã", "08:00")
    for i, login in enumerate(logins):
        status = "present" if i < n_present else (
            "written" if i < n_present + written else "absent")
        sessions.set_attendance(SYSTEM, session.id, member_ids[login], status)
    return {"logins": logins, "members": member_ids, "session": session.id, "ldtt": ldtt,
            "gk": gk, "unit": unit.id, "people": person_ids}


def actor(login: str):
    return users.sign_in(login)
