"""The demo commune: a realistic, reproducible database to try the app on.

`build` fills an empty store from a seed. The same seed and size always give the
same rows (ids, names, dates), so whatever is seen in a demo can be replayed; only
the change-log timestamps and `created_at` come from the clock. Everything is
generated in memory first and written with bulk inserts in one transaction; the
change log gets one "bulk" entry per table instead of one per row, which is what
lets 50,000 people be built in seconds.
"""
from __future__ import annotations

import datetime as dt
import itertools
import random
from dataclasses import dataclass, replace
from fractions import Fraction
from typing import NamedTuple

import peewee as pw

from models import text
from models.awards.tables import Initiative, InitiativeAuthor, Nomination, TitleAward
from models.council.tables import CouncilMember
from models.cycle.tables import Campaign, CampaignUnit, ContentArea, Criterion
from models.demo.names import (AREAS, ASSOCIATIONS, FAMILY_NAMES, FINANCE, FRONT, GIVEN_NAMES,
                               INITIATIVES, LEADERS, MEMBERSHIPS, MERIT_NOTES, MIDDLE_NAMES,
                               NATIONAL_MOVEMENTS, OFFICE, THEMES, UNITS, VILLAGES, Post)
from models.errors import RuleError
from models.registry import codes, commune
from models.registry.access import SYSTEM
from models.registry.tables import Commune, Household, Person, Unit, User, UserUnit
from models.store import changelog, db, records
from models.store.tables import database

MAX_PERSONS = 200_000        # citizen-id suffixes are drawn from a million, unique
HISTORY_YEARS = range(2021, 2026)
THONVH_YEARS = (2023, 2025)  # reviewed every other year; awarded per min_years_between
LAST_BIRTH_YEAR = 2008
PROVINCE_CODE = "054"        # Phú Yên: the first three digits of its citizens' ids
# Bound parameters per INSERT, under SQLite's limit (32,766) and PostgreSQL's.
MAX_PARAMETERS = 30_000
# About 3.6 people per household, the national average.
HOUSEHOLD_SIZES, HOUSEHOLD_WEIGHTS = (2, 3, 4, 5, 6), (22, 26, 28, 15, 9)
LEADERSHIP = "lãnh đạo UBND xã"  # key of the leaders among the posts (not a unit)
# Recruitment dates run to autumn 2025, so the newest staff are too new for LĐTT 2025.
LAST_RECRUITED = dt.date(2025, 10, 1)
COUNCIL_TERM_FROM = dt.date(2021, 7, 1)


@dataclass(slots=True)
class _Person:
    full_name: str
    gender: str
    born: dt.date
    village: int                  # index in VILLAGES
    unit: str | None = None       # UnitSpec name
    position: str = ""
    recruited_on: dt.date | None = None
    citizen_id: str | None = None


@dataclass(slots=True)
class _Household:
    village: int
    address: str
    members: list[int]            # indices into the people; the first is the head


class _Account(NamedTuple):
    login: str
    roles: tuple[str, ...]
    person: int | None            # index into the people
    units: tuple[str, ...]        # UnitSpec names a unit officer may edit
    label: str                    # display name when nobody holds the post


def _fits(person: _Person, post: Post) -> bool:
    return (not person.position and post.gender in ("", person.gender)
            and post.born[0] <= person.born.year <= post.born[1])


def build(cfg, persons: int, seed: int) -> str:
    """Fill the bound, empty store with a demo commune; returns a Vietnamese summary."""
    if not 0 <= persons <= MAX_PERSONS:
        raise RuleError(f"Số người của xã mẫu phải từ 0 đến "
                        f"{_number(MAX_PERSONS)}.")
    demo = _Demo(cfg, random.Random(seed), seed)
    with database.atomic():
        _refuse_unless_empty()
        demo.populate(persons)
        demo.write()
        for model in (Unit, Household):
            codes.fill_missing(model)
    db.after_bulk_load(database)
    return demo.summary()


def _refuse_unless_empty() -> None:
    existing = Commune.select().first()
    if existing is not None:
        raise RuleError(f"Cơ sở dữ liệu này đã có dữ liệu của xã "
                        f"{text.visible(existing.name)}; xã mẫu chỉ tạo được "
                        "trong một cơ sở dữ liệu trống.")
    if not commune.is_empty():
        raise RuleError("Cơ sở dữ liệu này đã có dữ liệu; "
                        "xã mẫu chỉ tạo được trong một cơ sở dữ liệu trống.")


def _number(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def _day_in(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    return first + dt.timedelta(days=rng.randint(0, (last - first).days))


def _months_before(day: dt.date, months: int) -> dt.date:
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    return dt.date(year, month + 1, min(day.day, 28))


class _Names:
    """Vietnamese full names: family name by frequency, then middle and given name."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.families = [name for name, _ in FAMILY_NAMES]
        self.cumulative = list(itertools.accumulate(share for _, share in FAMILY_NAMES))

    def family(self) -> str:
        return self.rng.choices(self.families, cum_weights=self.cumulative)[0]

    def full(self, family: str, gender: str, year: int) -> str:
        middles = MIDDLE_NAMES[gender]
        traditional = 0.6 if year < 1980 else 0.25  # Văn and Thị grow rarer
        middle = middles[0] if self.rng.random() < traditional else self.rng.choice(middles[1:])
        return f"{family} {middle} {self.rng.choice(GIVEN_NAMES[gender])}"


class _Decisions:
    """Decision numbers, unique within a year and rising through it as a commune's
    register does (about 250 decisions a year)."""

    def __init__(self):
        self.used: set[tuple[int, int]] = set()
        self.register: list[tuple[int, int, dt.date, str]] = []  # year, number, day, what

    def ref(self, day: dt.date, what: str = "Quyết định khen thưởng") -> str:
        number = day.timetuple().tm_yday * 2 // 3
        while (day.year, number) in self.used:
            number += 1
        self.used.add((day.year, number))
        self.register.append((day.year, number, day, what))
        return f"Số: {number:02d}/QĐ-UBND"


class _Demo:
    def __init__(self, cfg, rng: random.Random, seed: int):
        self.cfg, self.rng, self.seed = cfg, rng, seed
        self.people: list[_Person] = []
        self.households: list[_Household] = []
        self.posts: dict[str, list[int]] = {}  # unit (or LEADERSHIP) -> people, head first
        self.rows: dict[type[pw.Model], int] = {}  # rows written per table
        self.decisions = _Decisions()
        # Database ids, known once written: unit by UnitSpec name, person and
        # household by their index above.
        self.unit_ids: dict[str, int] = {}
        self.person_ids: list[int] = []
        self.household_ids: list[int] = []
        self.campaign_ids: dict[int, int] = {}  # year -> the yearly movement
        # The award history's rows (TitleAward's columns, ids resolved): models/demo/awards.py
        # issues each of its decisions as a real decision, so that any can be printed.
        self.history: list[tuple] = []
        self.thonvh_last: dict[str, int] = {}  # village -> last year of Thôn văn hóa

    # --- people, in memory ------------------------------------------------------

    def populate(self, persons: int) -> None:
        names = _Names(self.rng)
        village_weights = [self.rng.uniform(0.7, 1.3) for _ in VILLAGES]
        hamlets = [self.rng.randint(3, 6) for _ in VILLAGES]
        while len(self.people) < persons:
            size = min(self.rng.choices(HOUSEHOLD_SIZES, HOUSEHOLD_WEIGHTS)[0],
                       persons - len(self.people))
            village = self.rng.choices(range(len(VILLAGES)), village_weights)[0]
            first = len(self.people)
            self.people += [_Person(name, gender, born, village)
                            for name, gender, born in self._family(names, size)]
            address = f"Xóm {self.rng.randint(1, hamlets[village])}, {VILLAGES[village].name}"
            members = list(range(first, len(self.people)))
            self.households.append(_Household(village, address, members))
        self._fill_posts()
        self._join_units()
        self._give_citizen_ids()

    def _family(self, names: _Names, size: int) -> list[tuple[str, str, dt.date]]:
        rng = self.rng
        head_gender = "M" if rng.random() < 0.8 else "F"
        # Two-person households may be young couples; larger ones need grown children.
        head_year = rng.randint(1945, 1984 if size > 2 else 2000)
        family = names.family()
        members = [(family, head_gender, head_year)]
        if size > 1 and (head_year > 1984 or rng.random() < 0.92):
            spouse_gender = "F" if head_gender == "M" else "M"
            gap = rng.randint(-2, 6)  # the husband is usually the elder
            spouse_year = head_year + (gap if head_gender == "M" else -gap)
            members.append((names.family(), spouse_gender,
                            min(max(spouse_year, 1940), LAST_BIRTH_YEAR)))
        fathers = [f for f, gender, _ in members if gender == "M"]
        while len(members) < size:
            year = rng.randint(head_year + 22, min(head_year + 40, LAST_BIRTH_YEAR))
            members.append((fathers[0] if fathers else family, rng.choice("MF"), year))
        return [(names.full(f, gender, year), gender,
                 _day_in(rng, dt.date(year, 1, 1), dt.date(year, 12, 31)))
                for f, gender, year in members]

    def _fill_posts(self) -> None:
        """Heads and staff, picked in a shuffled order among people of fitting age and
        gender; a village head lives in the village."""
        order = list(range(len(self.people)))
        self.rng.shuffle(order)

        def pick(unit: str | None, post: Post, village: int | None = None) -> None:
            for i in order:
                p = self.people[i]
                if _fits(p, post) and village in (None, p.village):
                    p.unit, p.position = unit, post.position
                    self.posts.setdefault(unit or LEADERSHIP, []).append(i)
                    return

        chairman = self.cfg.commune.chairman
        leaders = list(LEADERS)
        if chairman:  # the configured chairman's name goes to someone of matching gender
            words = chairman.split()
            leaders[0] = replace(leaders[0], gender="F" if "Thị" in words else
                                 "M" if "Văn" in words else "")
        for post in leaders:
            pick(None, post)
        for spec in UNITS:
            village = VILLAGES.index(spec) if spec.kind == "village" else None
            pick(spec.name, spec.head, village)
            for _ in range(spec.size - 1):
                pick(spec.name, spec.staff)
        if chairman and self.posts.get(LEADERSHIP):
            self.people[self.posts[LEADERSHIP][0]].full_name = text.nfc(chairman)
        for i in self._staff():
            p = self.people[i]
            first = max(dt.date(1995, 1, 1), dt.date(p.born.year + 22, 1, 1))
            p.recruited_on = _day_in(self.rng, first, LAST_RECRUITED)

    def _staff(self) -> list[int]:
        """Cán bộ, công chức: the leaders and the departments' people."""
        units = [LEADERSHIP] + [spec.name for spec in UNITS if spec.kind == "department"]
        return [i for unit in units for i in self.posts.get(unit, [])]

    def _join_units(self) -> None:
        for p in self.people:
            for m in MEMBERSHIPS:
                if _fits(p, m.post) and self.rng.random() < m.share:
                    p.unit, p.position = m.unit, m.post.position

    def _give_citizen_ids(self) -> None:
        """12 digits: province, century and gender, year of birth, then a serial drawn
        without repeats, so the ids are unique. A few records lack one, as in real lists."""
        serials = self.rng.sample(range(1_000_000), len(self.people))
        for p, serial in zip(self.people, serials):
            if self.rng.random() < 0.97:
                code = 2 * (p.born.year // 100 - 19) + (p.gender == "F")
                p.citizen_id = f"{PROVINCE_CODE}{code}{p.born.year % 100:02d}{serial:06d}"

    # --- writing ------------------------------------------------------------------

    def insert(self, model: type[pw.Model], fields: list[pw.Field],
               rows: list[tuple]) -> list[int]:
        """Bulk-insert and return the new ids in row order: ids rise in insertion
        order (SQLite rowids, PostgreSQL sequences) and nobody else writes meanwhile."""
        if not rows:
            return []
        before = model.select(pw.fn.MAX(model.id)).scalar() or 0
        for batch in pw.chunked(rows, MAX_PARAMETERS // len(model._meta.fields)):
            model.insert_many(batch, fields=fields).execute()
        self.rows[model] = self.rows.get(model, 0) + len(rows)
        return [i for (i,) in model.select(model.id).where(model.id > before)
                .order_by(model.id).tuples()]

    def write(self) -> None:
        c = self.cfg.commune
        leaders = self.posts.get(LEADERSHIP, [])
        chairman = c.chairman or (self.people[leaders[0]].full_name if leaders else "")
        self.insert(Commune, [Commune.name, Commune.place_name, Commune.province,
                              Commune.chairman],
                    [(c.name, c.place_name, c.province, chairman)])
        self._write_units()
        self._write_people()
        self._write_heads()
        self._write_users()
        self._write_campaigns()
        self._write_history()
        from models.demo import awards as demo_awards
        demo_awards.write(self)
        for model, count in self.rows.items():
            changelog.record(SYSTEM.login, records.table_of(model), None, "bulk",
                             after={"rows": count, "seed": self.seed})

    def _write_units(self) -> None:
        fields = [Unit.name, Unit.search_key, Unit.kind, Unit.parent]
        for level in ([s for s in UNITS if s.parent is None], [s for s in UNITS if s.parent]):
            names = [text.nfc(s.name.format(commune=self.cfg.commune.name)) for s in level]
            new = self.insert(Unit, fields, [(name, text.fold(name), s.kind,
                                              self.unit_ids.get(s.parent))
                                             for s, name in zip(level, names)])
            self.unit_ids.update(zip((s.name for s in level), new))

    def _write_people(self) -> None:
        self.household_ids = self.insert(
            Household, [Household.head_name, Household.search_key, Household.sort_key,
                        Household.village, Household.address],
            [(*self._keys(self.people[h.members[0]].full_name),
              self.unit_ids[VILLAGES[h.village].name], h.address) for h in self.households])
        household_of = {i: hid for h, hid in zip(self.households, self.household_ids)
                        for i in h.members}
        self.person_ids = self.insert(
            Person, [Person.full_name, Person.search_key, Person.sort_key, Person.birth_date,
                     Person.gender, Person.citizen_id, Person.unit, Person.position,
                     Person.household, Person.recruited_on],
            [(*self._keys(p.full_name), p.born, p.gender, p.citizen_id,
              self.unit_ids.get(p.unit), p.position, household_of[i], p.recruited_on)
             for i, p in enumerate(self.people)])

    @staticmethod
    def _keys(name: str) -> tuple[str, str, str]:
        return name, text.fold(name), text.sort_key(name)

    def _write_heads(self) -> None:
        for unit, members in self.posts.items():
            if unit in self.unit_ids:
                Unit.update(head=self.person_ids[members[0]]).where(
                    Unit.id == self.unit_ids[unit]).execute()

    def _holder(self, unit: str, index: int = 0) -> int | None:
        members = self.posts.get(unit, [])
        return members[index] if index < len(members) else None

    def _accounts(self) -> list[_Account]:
        """The Office, the chairman, finance, an officer per village and for two
        departments, the council (chairman, nine members and the secretary), a viewer.
        The council members are the vice-chairmen and the heads of the Front, the
        associations, the police and the military, as communes usually appoint."""
        council = [(LEADERSHIP, 1), (LEADERSHIP, 2), (FRONT.name, 0),
                   *((a.name, 0) for a in ASSOCIATIONS[:4]), ("Công an xã", 0),
                   ("Quân sự xã", 0)]
        culture = ("Văn hóa - Xã hội", "Đài truyền thanh xã")
        land = "Địa chính - Xây dựng"
        return [
            _Account("vanphong", ("admin",), self._holder(OFFICE), (), "Văn phòng UBND xã"),
            _Account("chutich", ("chairman", "council_member"), self._holder(LEADERSHIP), (),
                     "Chủ tịch UBND xã"),
            _Account("ketoan", ("finance",), self._holder(FINANCE), (), FINANCE),
            *(_Account(f"thon{n}", ("unit_officer",), self._holder(v.name), (v.name,),
                       f"Trưởng {v.name}") for n, v in enumerate(VILLAGES, 1)),
            _Account("vhxh", ("unit_officer",), self._holder(culture[0]), culture, culture[0]),
            _Account("diachinh", ("unit_officer",), self._holder(land), (land,), land),
            *(_Account(f"hd{n}", ("council_member",), self._holder(unit, i), (),
                       f"Thành viên Hội đồng số {n}")
              for n, (unit, i) in enumerate(council, 1)),
            _Account("thuky", ("council_member", "council_secretary"), self._holder(OFFICE, 1),
                     (), "Thư ký Hội đồng Thi đua - Khen thưởng"),
            _Account("xem", ("viewer",), None, (), "Văn phòng Đảng ủy xã"),
        ]

    def _write_users(self) -> None:
        accounts = self._accounts()
        user_ids = self.insert(
            User, [User.login, User.display_name, User.roles, User.person],
            [(a.login, a.label if a.person is None else self.people[a.person].full_name,
              ",".join(sorted(a.roles)), None if a.person is None else self.person_ids[a.person])
             for a in accounts])
        self.insert(UserUnit, [UserUnit.user, UserUnit.unit],
                    [(uid, self.unit_ids[unit]) for uid, a in zip(user_ids, accounts)
                     for unit in a.units])
        self._write_council(dict(zip((a.login for a in accounts), user_ids)))

    def _write_council(self, user_ids: dict[str, int]) -> None:
        """The council for the 2021-2026 term: the chairman chairs it, the first two
        members are vice-chairs, the third the standing member, `thuky` its secretary."""
        roles = {"chutich": "chair", "hd1": "vice_chair", "hd2": "vice_chair",
                 "hd3": "standing", "thuky": "secretary"}
        logins = ["chutich", *sorted(login for login in user_ids if login.startswith("hd")),
                  "thuky"]
        self.insert(CouncilMember, [CouncilMember.user, CouncilMember.role,
                                    CouncilMember.term_from, CouncilMember.position],
                    [(user_ids[login], roles.get(login, "member"), COUNCIL_TERM_FROM, i)
                     for i, login in enumerate(logins) if login in user_ids])

    def _write_campaigns(self) -> None:
        years = list(THEMES)
        fields = [Campaign.name, Campaign.kind, Campaign.year, Campaign.theme,
                  Campaign.starts_on, Campaign.ends_on, Campaign.parent]
        yearly = self.insert(Campaign, fields, [
            (f"Phong trào thi đua yêu nước năm {y}", "yearly", y, THEMES[y],
             dt.date(y, 1, 1), dt.date(y, 12, 31), None) for y in years])
        self.campaign_ids = dict(zip(years, yearly))
        thematic = self.insert(Campaign, fields, [
            (name, "thematic", y, "", dt.date(y, 1, 1), dt.date(y, 12, 31), parent)
            for y, parent in zip(years, yearly) for name in NATIONAL_MOVEMENTS])
        self.insert(CampaignUnit, [CampaignUnit.campaign, CampaignUnit.unit],
                    [(c, u) for c in yearly + thematic for u in self.unit_ids.values()])
        area_ids = self.insert(ContentArea, [ContentArea.campaign, ContentArea.position,
                                             ContentArea.title],
                               [(c, n, title.format(year=y)) for y, c in zip(years, yearly)
                                for n, (title, _) in enumerate(AREAS, 1)])
        self.insert(Criterion, [Criterion.area, Criterion.position, Criterion.text,
                                Criterion.max_points],
                    [(area, n, criterion, points)
                     for area, (_, criteria) in zip(area_ids, AREAS * len(years))
                     for n, (criterion, points) in enumerate(criteria, 1)])

    # --- initiatives and title history ---------------------------------------------

    def _write_initiatives(self) -> dict[int, list[int]]:
        """A few recognised initiatives by the staff; returns their authors by year."""
        authors_by_year: dict[int, list[int]] = {}
        rows, links = [], []
        for n, title in enumerate(INITIATIVES):
            year = HISTORY_YEARS[n % len(HISTORY_YEARS)]
            eligible = [i for i in self._staff() if self.people[i].recruited_on.year < year]
            if not eligible:
                continue
            authors = self.rng.sample(eligible, min(len(eligible), self.rng.choice((1, 1, 2))))
            day = dt.date(year, self.rng.randint(8, 11), self.rng.randint(1, 28))
            rows.append((title, ", ".join(self.people[i].full_name for i in authors),
                         self.decisions.ref(day, "Công nhận sáng kiến"), day, "Cấp cơ sở"))
            links.append(authors)
            authors_by_year.setdefault(year, []).extend(authors)
        ids = self.insert(Initiative, [Initiative.title, Initiative.authors,
                                       Initiative.decision_ref, Initiative.recognised_on,
                                       Initiative.scope], rows)
        self.insert(InitiativeAuthor, [InitiativeAuthor.initiative, InitiativeAuthor.person],
                    [(iid, self.person_ids[i]) for iid, authors in zip(ids, links)
                     for i in authors])
        return authors_by_year

    def _write_history(self) -> None:
        authors_by_year = self._write_initiatives()
        awards: list[tuple] = []
        held_gdvh: list[bool | None] = [None] * len(self.households)
        for year in HISTORY_YEARS:
            ldtt, cstdcs = self._individual_titles(year, set(authors_by_year.get(year, [])),
                                                   awards)
            self._collective_titles(year, ldtt, cstdcs, awards)
            held_gdvh = self._household_titles(year, held_gdvh, awards)
            self._merit_certificates(year, awards)
        self.insert(TitleAward, [TitleAward.title_code, TitleAward.year, TitleAward.person,
                                 TitleAward.unit, TitleAward.household, TitleAward.decision_ref,
                                 TitleAward.decided_on, TitleAward.note], awards)
        self.history = awards

    def _decision(self, year: int) -> tuple[str, dt.date]:
        day = dt.date(year, 12, self.rng.randint(10, 20))
        return self.decisions.ref(day), day

    def _award(self, awards: list[tuple], code: str, year: int, decision: tuple[str, dt.date],
               person: int | None = None, unit: str | None = None,
               household: int | None = None, note: str = "") -> None:
        awards.append((code, year, None if person is None else self.person_ids[person],
                       None if unit is None else self.unit_ids[unit],
                       None if household is None else self.household_ids[household],
                       *decision, note))

    def _individual_titles(self, year: int, authors: set[int],
                           awards: list[tuple]) -> tuple[set[int], set[int]]:
        """LĐTT for about 70% of the staff recruited long enough before the decision
        (always for the year's initiative authors), CSTĐCS for those authors; returns
        the holders of each."""
        decision = self._decision(year)
        months = self.cfg.title("LDTT").min_months_since_recruitment
        cutoff = _months_before(decision[1], months)
        ldtt = [i for i in self._staff() if self.people[i].recruited_on <= cutoff
                and (i in authors or self.rng.random() < 0.7)]
        for i in ldtt:
            self._award(awards, "LDTT", year, decision, person=i)
        cstdcs = sorted(authors & set(ldtt))
        decision = self._decision(year)
        for i in cstdcs:
            self._award(awards, "CSTDCS", year, decision, person=i)
        return set(ldtt), set(cstdcs)

    def _collective_titles(self, year: int, ldtt: set[int], cstdcs: set[int],
                           awards: list[tuple]) -> None:
        """The best collective title each department meets under the configured rules."""
        decision = self._decision(year)
        for spec in UNITS:
            members = self.posts.get(spec.name, []) if spec.kind == "department" else []
            if not members:
                continue
            share = Fraction(sum(i in ldtt for i in members), len(members))
            champions = sum(i in cstdcs for i in members)
            for code in ("TTLDXS", "TTLDTT"):
                rule = self.cfg.title(code)
                enough = (share > rule.min_share_ldtt if rule.min_share_ldtt_strict
                          else share >= rule.min_share_ldtt)
                if enough and champions >= rule.min_cstdcs:
                    self._award(awards, code, year, decision, unit=spec.name)
                    break

    def _household_titles(self, year: int, held: list[bool | None],
                          awards: list[tuple]) -> list[bool | None]:
        """Gia đình văn hóa for about 80% of households, mostly the same ones each
        year; Thôn văn hóa for some villages in the review years."""
        decision = self._decision(year)
        now = [self.rng.random() < (0.8 if before is None else 0.9 if before else 0.5)
               for before in held]
        for h, gets in enumerate(now):
            if gets:
                self._award(awards, "GDVH", year, decision, household=h)
        if year in THONVH_YEARS:
            decision = self._decision(year)
            wait = self.cfg.title("THONVH").min_years_between
            for village in VILLAGES:
                last = self.thonvh_last.get(village.name)
                # The draw comes first, so the configured wait changes no other row.
                if self.rng.random() < 0.6 and (last is None or year - last >= wait):
                    self._award(awards, "THONVH", year, decision, unit=village.name)
                    self.thonvh_last[village.name] = year
        return now

    def _merit_certificates(self, year: int, awards: list[tuple]) -> None:
        """Giấy khen of the chairman for a few residents, units and households."""
        decision = self._decision(year)
        recipients = [
            *({"person": i} for i in self.rng.sample(range(len(self.people)),
                                                     min(4, len(self.people)))),
            *({"unit": s.name} for s in self.rng.sample([*VILLAGES, *ASSOCIATIONS], 2)),
            *({"household": h} for h in self.rng.sample(range(len(self.households)),
                                                        min(3, len(self.households)))),
        ]
        for recipient in recipients:
            self._award(awards, "GIAYKHEN", year, decision,
                        note=self.rng.choice(MERIT_NOTES), **recipient)

    def summary(self) -> str:
        def count(model: type[pw.Model]) -> str:
            return _number(self.rows.get(model, 0))

        return (f"Đã tạo xã mẫu {self.cfg.commune.name} (hạt giống {self.seed}): "
                f"{count(Unit)} đơn vị, trong đó {len(VILLAGES)} thôn; "
                f"{count(Person)} người trong {count(Household)} hộ; "
                f"{count(User)} tài khoản (Văn phòng đăng nhập bằng “vanphong”); "
                f"{count(Campaign)} phong trào các năm {' và '.join(map(str, THEMES))}; "
                f"{count(Initiative)} sáng kiến; {count(TitleAward)} danh hiệu các năm "
                f"{HISTORY_YEARS[0]}-{HISTORY_YEARS[-1]}; {count(Nomination)} đề nghị "
                f"khen thưởng năm {max(THEMES)}.")
