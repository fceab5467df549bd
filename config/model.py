"""The validated configuration as plain frozen dataclasses.

Every field here has a line in ``schema.py`` describing its TOML key, type and
check; add a key in both places (``tests/test_config.py`` checks they agree).

Numbers that are fractions or coefficients are ``fractions.Fraction``, never
``float``: ``0.7 * 10`` is ``7.000000000000001`` in floating point, so "7 of 10
agree" would fail a 70 % threshold, and ``0.6667`` (a float 2/3) would make 6 of 9
miss the quorum.  A ``Fraction`` is exact, works with ``int`` arithmetic,
``math.ceil`` and ``<``/``>=``, and prints with ``float(x)`` (``format`` of a
Fraction needs Python 3.12).  Note ``Fraction(3, 10) == 0.3`` is False: compare
with ``Fraction("0.3")``.
"""

from __future__ import annotations

import datetime as _dt
import math
import os
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from types import MappingProxyType

from .paths import data_dir, state_dir

__all__ = [
    "DayMonth", "Commune", "Title", "SalaryStep", "Money", "VotingRule", "Deadlines",
    "Posting", "Fund", "Eligibility", "Database", "Backup", "Ssh", "Ui", "Config",
]

DayMonth = tuple[int, int]
"""A yearly date as ``(day, month)``, read from ``"dd/mm"``."""


def on_year(day_month: DayMonth, year: int) -> _dt.date:
    """The date ``day_month`` falls on in ``year``."""
    day, month = day_month
    return _dt.date(year, month, day)


@dataclass(frozen=True, slots=True)
class Commune:
    name: str           # "Hòa Phong", without "xã"
    place_name: str     # on documents: "Hòa Phong, ngày 05 tháng 02 năm 2026"
    province: str
    chairman: str
    issuing_body: str   # "ỦY BAN NHÂN DÂN XÃ HÒA PHONG"
    remote_area: bool   # mountain, remote or island: raises the fund limit


@dataclass(frozen=True, slots=True)
class Title:
    """A title (danh hiệu) or form of commendation (hình thức), keyed by ``code``."""

    code: str
    name: str
    subjects: tuple[str, ...]       # individual | collective | household | village
    frequency: tuple[str, ...]      # yearly | campaign | thematic | ad_hoc | periodic
    prerequisites: tuple[str, ...]  # title codes the subject must hold the same year
    coefficient_individual: Fraction   # 0 = no money
    coefficient_collective: Fraction   # collectives and villages; 0 = no money
    coefficient_household: Fraction    # households; 0 = no money
    decided_by: str                 # chairman | district | province
    dossier: tuple[str, ...]        # checklist of documents in the dossier
    voting: str                     # name of a rule in Config.voting
    min_months_since_recruitment: int
    min_share_ldtt: Fraction        # share of members holding LĐTT; 0 = no rule
    min_share_ldtt_strict: bool     # True: "more than", False: "at least"
    min_share_tasks_completed: Fraction  # share of members completing tasks
    min_cstdcs: int                 # members holding CSTĐCS, at least
    review_before: DayMonth | None  # e.g. (25, 11) for Gia đình văn hóa
    posting_required: bool          # nominee list posted for public comment
    decide_within_days: int         # 0 = no limit
    min_share_households: Fraction = Fraction(0)  # villages: share of households holding Gia đình văn hóa
    min_years_between: int = 0      # years from one award of the title to the next; 0 = no rule
    highest_only: bool = False      # of several for one subject and year, the highest paid
    role: str = ""                  # what rules need it for: see schema.ROLES
    review_on: DayMonth = (15, 12)  # the yearly consideration: recruitment, pending matters
    standard_of: str = ""           # a title whose standard (recruitment, tasks) applies too
    achievement_any_of: tuple[str, ...] = ()  # excellent | initiative | research: one needed
    min_unit_rating: str = ""       # a collective's own yearly rating, at least this
    bar_member_discipline_from: str = ""  # no member disciplined this heavily that year
    council: bool = True            # the council votes the list; off: the chairman decides it

    @property
    def decided_by_commune(self) -> bool:
        """The commune chairman decides it; otherwise the commune only proposes it."""
        return self.decided_by == "chairman"

    def coefficient_for(self, subject: str) -> Fraction:
        """Coefficient of the base salary for a subject kind (0 = no money)."""
        if subject == "individual":
            return self.coefficient_individual
        if subject == "household":
            return self.coefficient_household
        if subject in ("collective", "village"):
            return self.coefficient_collective
        raise ValueError(f'Loại đối tượng không hợp lệ: "{subject}"')


@dataclass(frozen=True, slots=True)
class SalaryStep:
    effective: _dt.date
    amount: int


@dataclass(frozen=True, slots=True)
class Money:
    rounding_step: int  # 10000: amounts are whole multiples of 10.000 đ
    rounding: str       # up | nearest | down

    def round(self, value: int | Fraction | Decimal) -> int:
        """Round an amount to the step, exactly (pass a Fraction, not a float)."""
        if isinstance(value, float):
            # A float has already lost exactness; read it as its shortest decimal.
            value = Fraction(repr(value))
        steps = Fraction(value) / self.rounding_step
        if self.rounding == "up":
            n = math.ceil(steps)
        elif self.rounding == "down":
            n = math.floor(steps)
        else:  # nearest, halves go up as on a receipt
            n = math.floor(steps + Fraction(1, 2))
        return n * self.rounding_step


@dataclass(frozen=True, slots=True)
class VotingRule:
    """How the council votes on a title; ``name`` is its key under [voting]."""

    name: str
    quorum: Fraction        # share of all members that must be present
    threshold: Fraction     # share of `base` that must agree
    base: str               # all | present | valid
    secret: bool
    count_written_opinions: bool  # absent members' written opinions count
    allow_vote_change: bool

    def quorum_met(self, present: int, members: int) -> bool:
        """True when ``present`` of ``members`` reach the quorum (exact)."""
        return members > 0 and present >= self.quorum * members

    def base_count(self, *, members: int, present: int, valid: int) -> int:
        """The number the threshold is a share of, chosen by ``base``."""
        return {"all": members, "present": present, "valid": valid}[self.base]

    def passes(self, agree: int, *, members: int, present: int, valid: int) -> bool:
        """True when ``agree`` reaches the threshold of the base (exact, "at least")."""
        base = self.base_count(members=members, present=present, valid=valid)
        return base > 0 and agree >= self.threshold * base


@dataclass(frozen=True, slots=True)
class Deadlines:
    registration: DayMonth
    six_month: DayMonth
    yearly: DayMonth

    def on(self, name: str, year: int) -> _dt.date:
        """E.g. ``deadlines.on("six_month", 2025) == date(2025, 6, 15)``."""
        return on_year(getattr(self, name), year)


@dataclass(frozen=True, slots=True)
class Posting:
    days: int
    count_first_day: bool = True    # False: the Civil Code's count, from the day after


@dataclass(frozen=True, slots=True)
class Fund:
    limit_fraction: Fraction         # of recurrent spending
    limit_fraction_remote: Fraction  # mountain, remote and island communes
    overdraw: str = "warn"           # warn | refuse: a decision paying more than the balance


@dataclass(frozen=True, slots=True)
class Eligibility:
    cstdcs_cap_enabled: bool
    cstdcs_cap: Fraction  # CSTĐCS at most this share of LĐTT holders


@dataclass(frozen=True, slots=True)
class Database:
    url: str  # "" = SQLite file in the XDG data dir; see Config.database_url()


@dataclass(frozen=True, slots=True)
class Backup:
    dir: str  # "" = XDG data dir/backups; see Config.backup_dir()
    daily: int  # `backup --rotate` keeps this many newest daily copies
    monthly: int  # and the first copy of this many newest months


@dataclass(frozen=True, slots=True)
class Audit:
    key_file: str  # "" = XDG state dir/changelog.key; see Config.audit_file()
    head_file: str  # "" = XDG state dir/changelog-heads.json


@dataclass(frozen=True, slots=True)
class Council:
    key_dir: str       # "" = XDG state dir/ballot-keys; see Config.ballot_key_dir()
    erase_wait: Fraction  # seconds a close waits for readers, then the erase is retried later
    committee_max: int    # the most members of a session's vote-counting committee


@dataclass(frozen=True, slots=True)
class Ssh:
    service_account: str
    authorized_keys: str
    exchange_dir: str
    sftp_group: str  # the files-only accounts sshd's Match block chroots into exchange_dir


@dataclass(frozen=True, slots=True)
class Ui:
    color_mode: str  # auto | 256 | 16 | mono; see ThiduaApp.use_color_mode
    keys: Mapping[str, str]  # binding id -> key, e.g. {"save": "ctrl+s"}


@dataclass(frozen=True, slots=True)
class Printing:
    queue: str  # CUPS queue documents are sent to with `lp -d`; "" = no printing


@dataclass(frozen=True, slots=True)
class Session:
    idle_timeout: int  # minutes without a key before the app signs out; 0 = never


@dataclass(frozen=True, slots=True)
class Documents:
    """What the commune's documents say besides the record: see models/documents."""
    chairman_authority: str  # "TM. ỦY BAN NHÂN DÂN": the chairman signs for the committee
    chairman_title: str      # "CHỦ TỊCH"
    deputy_authority: str    # "KT. CHỦ TỊCH": a vice-chairman signs for the chairman
    deputy_title: str        # "PHÓ CHỦ TỊCH"
    grounds: Mapping[str, tuple[str, ...]]      # document kind -> its "Căn cứ ..." lines
    recipients: Mapping[str, tuple[str, ...]]   # document kind -> its "Nơi nhận:" lines


@dataclass(frozen=True, slots=True)
class Config:
    commune: Commune
    titles: Mapping[str, Title]  # read-only, in file order
    base_salary: tuple[SalaryStep, ...]  # strictly increasing by date
    money: Money
    voting: Mapping[str, VotingRule]  # read-only
    deadlines: Deadlines
    posting: Posting
    fund: Fund
    eligibility: Eligibility
    database: Database
    backup: Backup
    audit: Audit
    council: Council
    ssh: Ssh
    ui: Ui
    session: Session
    documents: Documents
    print: Printing
    sources: tuple[str, ...]  # files read, shipped default first

    def title(self, code: str) -> Title:
        try:
            return self.titles[code]
        except KeyError:
            raise KeyError(f'Không có danh hiệu "{code}" trong cấu hình') from None

    def title_with_role(self, role: str) -> Title:
        """The title that plays `role` (``role = "household"`` in its table)."""
        for title in self.titles.values():
            if title.role == role:
                return title
        raise KeyError(f'Không có danh hiệu nào có role = "{role}" trong cấu hình')

    def code_with_role(self, role: str) -> str:
        """The code of the title that plays `role`, or "" when none does (a form's default)."""
        return next((code for code, t in self.titles.items() if t.role == role), "")

    def voting_rule(self, title_code: str) -> VotingRule:
        """The voting rule the council uses for this title."""
        return self.voting[self.title(title_code).voting]

    def base_salary_on(self, day: _dt.date) -> int:
        """The base salary in force on ``day`` (e.g. a decision date)."""
        if isinstance(day, _dt.datetime):
            day = day.date()
        amount = None
        for step in self.base_salary:
            if step.effective > day:
                break
            amount = step.amount
        if amount is None:
            first = self.base_salary[0].effective
            raise ValueError(
                f"Không có mức lương cơ sở cho ngày {day:%d/%m/%Y}: bảng lương cơ sở "
                f"trong cấu hình bắt đầu từ {first:%d/%m/%Y}"
            )
        return amount

    @property
    def fund_limit_fraction(self) -> Fraction:
        """The fund limit that applies to this commune."""
        return self.fund.limit_fraction_remote if self.commune.remote_area else self.fund.limit_fraction

    def database_url(self, env: Mapping[str, str] | None = None) -> str:
        """``database.url``, or a SQLite URL for a file in the XDG data dir."""
        if self.database.url:
            return self.database.url
        return "sqlite:///" + str(data_dir(env) / "thidua.sqlite")

    def backup_dir(self, env: Mapping[str, str] | None = None) -> Path:
        """``backup.dir`` (``~`` expanded), or the XDG data dir's ``backups``."""
        if self.backup.dir:
            return Path(os.path.expanduser(self.backup.dir))
        return data_dir(env) / "backups"

    def ballot_key_dir(self, env: Mapping[str, str] | None = None) -> Path:
        """``council.key_dir`` (``~`` expanded), or the XDG state dir's ``ballot-keys``."""
        if self.council.key_dir:
            return Path(os.path.expanduser(self.council.key_dir))
        return state_dir(env) / "ballot-keys"

    def audit_file(self, name: str, env: Mapping[str, str] | None = None) -> Path:
        """``audit.key_file`` or ``audit.head_file`` (``~`` expanded), else beside each
        other in the XDG state dir: never in the database's folder, never in a backup."""
        given = getattr(self.audit, name)
        if given:
            return Path(os.path.expanduser(given))
        default = {"key_file": "changelog.key", "head_file": "changelog-heads.json"}[name]
        return state_dir(env) / default


def freeze(mapping: dict) -> Mapping:
    """A read-only view keeping insertion order, for the Config's tables."""
    return MappingProxyType(dict(mapping))
