"""Every configuration key: its type, its default and what values make sense.

To add a key: add a line here and a field to the dataclass in ``model.py``.
``default=REQUIRED`` (the default) means the merged configuration must have it;
the shipped ``default.toml`` provides all such keys except inside tables a user
adds (a new title or voting rule must then be complete).
Checks that relate keys to each other are in ``CROSS_CHECKS`` at the end.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from . import model as m
from .kinds import (BOOL, DATE, DAY_MONTH, EXACT, INT, STR, ArrayOf, Field, Invalid, KeyPath, MapOf,
                    Table, above, between, distinct, each, list_of, matches, nonempty,
                    nonempty_list, not_negative, one_of, show)

SUBJECTS = ("individual", "collective", "household", "village")
FREQUENCIES = ("yearly", "campaign", "thematic", "ad_hoc", "periodic")
DECIDERS = ("chairman", "district", "province")
VOTE_BASES = ("all", "present", "valid")
ROUNDINGS = ("up", "nearest", "down")
COLOR_MODES = ("auto", "256", "16", "mono")
OVERDRAW = ("warn", "refuse")
# What a rule needs a title for, so that the code never names a title code: the basic
# individual title (its holders make a collective's share), the champion (counted by the
# cap and by collectives), the household title (a village's share, the bulk list), the
# form proposed for an ad hoc act.
ROLES = ("", "basic_individual", "champion", "household", "ad_hoc_form")
ACHIEVEMENTS = ("excellent", "initiative", "research")
# The codes of models.awards.tables RATINGS and DISCIPLINE_FORMS (config imports nothing of
# ours): a title names the lowest rating it accepts and the lightest form that bars it.
RATING_CODES = ("excellent", "good", "completed", "not_completed")
DISCIPLINE_CODES = ("reprimand", "warning", "salary_cut", "demotion", "dismissal", "discharge")

FRACTION = (between(0, 1),)           # a share: 0 to 1 inclusive
SHARE_ABOVE_ZERO = (between(0, 1), above(0))
COEFFICIENT = (not_negative,)
CODE = matches(r"[A-Za-z0-9_]+", "chỉ gồm chữ cái không dấu, chữ số và dấu gạch dưới")
TEXT = (nonempty,)


COMMUNE = Table({
    "name": Field(STR, TEXT),
    "place_name": Field(STR, TEXT),
    "province": Field(STR, TEXT),
    "chairman": Field(STR, default=""),
    "issuing_body": Field(STR, TEXT),
    "remote_area": Field(BOOL, default=False),
}, m.Commune)

TITLE = Table({
    "name": Field(STR, TEXT),
    "subjects": Field(list_of(STR), (nonempty_list, each(one_of(*SUBJECTS)), distinct)),
    "frequency": Field(list_of(STR), (nonempty_list, each(one_of(*FREQUENCIES)), distinct)),
    "prerequisites": Field(list_of(STR), (distinct,), default=[]),
    "coefficient_individual": Field(EXACT, COEFFICIENT, default=0),
    "coefficient_collective": Field(EXACT, COEFFICIENT, default=0),
    "coefficient_household": Field(EXACT, COEFFICIENT, default=0),
    "decided_by": Field(STR, (one_of(*DECIDERS),), default="chairman"),
    "dossier": Field(list_of(STR), (each(nonempty),), default=[]),
    "voting": Field(STR, TEXT, default="title"),
    "min_months_since_recruitment": Field(INT, (between(0, 120),), default=0),
    "min_share_ldtt": Field(EXACT, FRACTION, default=0),
    "min_share_ldtt_strict": Field(BOOL, default=False),
    "min_share_tasks_completed": Field(EXACT, FRACTION, default=0),
    "min_cstdcs": Field(INT, (not_negative,), default=0),
    "review_before": Field(DAY_MONTH, default=None),
    "posting_required": Field(BOOL, default=False),
    "decide_within_days": Field(INT, (between(0, 365),), default=0),
    "min_share_households": Field(EXACT, FRACTION, default=0),
    "min_years_between": Field(INT, (between(0, 50),), default=0),
    "highest_only": Field(BOOL, default=False),
    "council": Field(BOOL, default=True),
    "role": Field(STR, (one_of(*ROLES),), default=""),
    "review_on": Field(DAY_MONTH, default="15/12"),
    "standard_of": Field(STR, default=""),
    "achievement_any_of": Field(list_of(STR), (each(one_of(*ACHIEVEMENTS)), distinct),
                                default=[]),
    "min_unit_rating": Field(STR, (one_of("", *RATING_CODES),), default=""),
    "bar_member_discipline_from": Field(STR, (one_of("", *DISCIPLINE_CODES),), default=""),
}, m.Title)

SALARY_STEP = Table({
    "effective": Field(DATE),
    "amount": Field(INT, (above(0),)),
}, m.SalaryStep)


def _salary_dates_increase(steps: tuple[m.SalaryStep, ...], path: KeyPath) -> None:
    for i in range(1, len(steps)):
        before, step = steps[i - 1].effective, steps[i].effective
        if step == before:
            raise Invalid((*path, i, "effective"),
                          f"ngày hiệu lực {show(step)} trùng với mục thứ {i}")
        if step < before:
            raise Invalid((*path, i, "effective"),
                          f"ngày hiệu lực {show(step)} phải sau ngày của mục thứ {i} "
                          f"({show(before)}): xếp các mức theo thứ tự ngày tăng dần")


def _not_empty(steps: tuple, path: KeyPath) -> None:
    if not steps:
        raise Invalid(path, "phải có ít nhất một mức lương cơ sở")


VOTING_RULE = Table({
    "quorum": Field(EXACT, SHARE_ABOVE_ZERO),
    "threshold": Field(EXACT, SHARE_ABOVE_ZERO),
    "base": Field(STR, (one_of(*VOTE_BASES),)),
    "secret": Field(BOOL),
    "count_written_opinions": Field(BOOL, default=True),
    "allow_vote_change": Field(BOOL, default=False),
}, m.VotingRule)

SCHEMA = Table({
    "commune": COMMUNE,
    "titles": MapOf(TITLE, key_checks=(CODE,), key_field="code"),
    "base_salary": ArrayOf(SALARY_STEP, (_not_empty, _salary_dates_increase)),
    "money": Table({
        "rounding_step": Field(INT, (above(0),)),
        "rounding": Field(STR, (one_of(*ROUNDINGS),)),
    }, m.Money),
    "voting": MapOf(VOTING_RULE, key_checks=(CODE,), key_field="name"),
    "deadlines": Table({
        "registration": Field(DAY_MONTH),
        "six_month": Field(DAY_MONTH),
        "yearly": Field(DAY_MONTH),
    }, m.Deadlines),
    "posting": Table({
        "days": Field(INT, (between(1, 60),)),
        "count_first_day": Field(BOOL, default=True),
    }, m.Posting),
    "fund": Table({
        "limit_fraction": Field(EXACT, FRACTION),
        "limit_fraction_remote": Field(EXACT, FRACTION),
        "overdraw": Field(STR, (one_of(*OVERDRAW),), default="warn"),
    }, m.Fund),
    "eligibility": Table({
        "cstdcs_cap_enabled": Field(BOOL, default=False),
        "cstdcs_cap": Field(EXACT, SHARE_ABOVE_ZERO),
    }, m.Eligibility),
    "database": Table({
        "url": Field(STR, (matches(r"|(sqlite|postgres|postgresql)://.+",
                                   'để trống, hoặc "sqlite:///..." hoặc "postgresql://..."'),),
                     default=""),
    }, m.Database),
    "backup": Table({
        "dir": Field(STR, default=""),
        "daily": Field(INT, (between(1, 366),), default=7),
        "monthly": Field(INT, (between(0, 120),), default=12),
    }, m.Backup),
    "council": Table({
        "key_dir": Field(STR, default=""),
        "erase_wait": Field(EXACT, (between(0, 10),), default=Fraction(1, 2)),
        "committee_max": Field(INT, (between(1, 15),), default=5),
    }, m.Council),
    "audit": Table({
        "key_file": Field(STR, default=""),
        "head_file": Field(STR, default=""),
    }, m.Audit),
    "ssh": Table({
        "service_account": Field(STR, (matches(r"[a-z_][a-z0-9_-]*",
                                               "tên tài khoản Linux viết thường, không dấu"),)),
        "authorized_keys": Field(STR, default=""),
        "exchange_dir": Field(STR, default=""),
        "sftp_group": Field(STR, (matches(r"[a-z_][a-z0-9_-]*",
                                          "tên nhóm Linux viết thường, không dấu"),),
                            default="thidua-sftp"),
    }, m.Ssh),
    "ui": Table({
        "color_mode": Field(STR, (one_of(*COLOR_MODES),)),
        "keys": MapOf(Field(STR, TEXT), default={}),
    }, m.Ui),
    "session": Table({
        "idle_timeout": Field(INT, (between(0, 24 * 60),), default=0),
    }, m.Session),
    "documents": Table({
        "chairman_authority": Field(STR, TEXT),
        "chairman_title": Field(STR, TEXT),
        "deputy_authority": Field(STR, TEXT),
        "deputy_title": Field(STR, TEXT),
        "grounds": MapOf(Field(list_of(STR), (each(nonempty),)), default={}),
        "recipients": MapOf(Field(list_of(STR), (each(nonempty),)), default={}),
    }, m.Documents),
    "print": Table({
        "queue": Field(STR, (matches(r"|[A-Za-z0-9_.-]+", "tên hàng đợi CUPS, không dấu cách"),),
                       default=""),
    }, m.Printing),
}, m.Config)


# --- checks across keys, run on the built Config ----------------------------

def _prerequisites_known(cfg: m.Config) -> None:
    for code, title in cfg.titles.items():
        for need in title.prerequisites:
            if need not in cfg.titles:
                raise Invalid(("titles", code, "prerequisites"),
                              f"danh hiệu {show(need)} không có trong [titles]")
            if need == code:
                raise Invalid(("titles", code, "prerequisites"),
                              "danh hiệu không thể là điều kiện của chính nó")


def _prerequisites_acyclic(cfg: m.Config) -> None:
    # A cycle (A needs B, B needs A) would make both titles impossible to award.
    done: set[str] = set()

    def visit(code: str, trail: tuple[str, ...]) -> None:
        if code in trail:
            cycle = " → ".join((*trail[trail.index(code):], code))
            raise Invalid(("titles", trail[0], "prerequisites"),
                          f"điều kiện lặp vòng: {cycle}")
        if code in done:
            return
        for need in cfg.titles[code].prerequisites:
            visit(need, (*trail, code))
        done.add(code)

    for code in cfg.titles:
        visit(code, ())


def _voting_rules_known(cfg: m.Config) -> None:
    for code, title in cfg.titles.items():
        if title.voting not in cfg.voting:
            known = ", ".join(f'"{name}"' for name in cfg.voting)
            raise Invalid(("titles", code, "voting"),
                          f"quy tắc biểu quyết {show(title.voting)} không có trong [voting]"
                          f" (có: {known})")


def _standards_known(cfg: m.Config) -> None:
    for code, title in cfg.titles.items():
        if title.standard_of and title.standard_of not in cfg.titles:
            raise Invalid(("titles", code, "standard_of"),
                          f"danh hiệu {show(title.standard_of)} không có trong [titles]")


def _roles_distinct(cfg: m.Config) -> None:
    # A role names one title: two would leave the rule not knowing which to count.
    seen: dict[str, str] = {}
    for code, title in cfg.titles.items():
        if title.role and title.role in seen:
            other = show(seen[title.role])
            raise Invalid(("titles", code, "role"),
                          f"vai trò {show(title.role)} đã thuộc danh hiệu {other}")
        seen[title.role] = code


CROSS_CHECKS: tuple[Any, ...] = (_prerequisites_known, _prerequisites_acyclic,
                                 _voting_rules_known, _standards_known, _roles_distinct)
