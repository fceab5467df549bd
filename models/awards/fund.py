"""The emulation-commendation fund (quỹ thi đua, khen thưởng) of each year:
allocation, donations, payouts by issued decisions, and the balance.

A decision's payout counts in the year of its date. The finance officer sees
the balance before and after each decision; a decision that would overdraw
the fund is flagged before it is issued (models/awards/decisions.py asks here).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import peewee as pw

from models import fields, text
from models.awards.tables import FUND_KINDS, Decision, DecisionAward, FundEntry
from models.errors import RuleError
from models.registry.access import Actor, require
from models.store import records

KEEPERS = ("finance", "admin")  # who enters money into the fund


@dataclass(frozen=True)
class FundYear:
    year: int
    allocation: int
    donations: int
    adjustments: int
    payouts: int

    @property
    def income(self) -> int:
        return self.allocation + self.donations + self.adjustments

    @property
    def balance(self) -> int:
        return self.income - self.payouts


@dataclass(frozen=True)
class Impact:
    """What a decision does to its year's fund."""
    year: int
    before: int
    payout: int

    @property
    def after(self) -> int:
        return self.before - self.payout

    @property
    def overdraws(self) -> bool:
        return self.payout > 0 and self.after < 0

    def line(self) -> str:
        return (f"Quỹ {self.year}: trước {text.format_vnd(self.before)} · chi "
                f"{text.format_vnd(self.payout)} · sau {text.format_vnd(self.after)}"
                + (" · VƯỢT QUỸ" if self.overdraws else ""))


def can_add(actor: Actor) -> bool:
    return actor.has(*KEEPERS)


def add_entry(actor: Actor, year, kind: str, amount, entered_on, source: str = "",
              note: str = "") -> FundEntry:
    """Money into the fund: the year's allocation, a donation, an adjustment."""
    require(actor, *KEEPERS, action="ghi thu quỹ thi đua, khen thưởng")
    kind = fields.choice(kind, FUND_KINDS, "Loại khoản thu")
    value = amount if isinstance(amount, int) else text.parse_vnd(str(amount), "Số tiền")
    if kind != "adjustment" and value <= 0:
        raise RuleError("Số tiền phải lớn hơn 0.")
    return records.insert(actor, FundEntry, year=fields.year(year), kind=kind, amount=value,
                          entered_on=fields.required_date(entered_on, "Ngày"),
                          source=fields.optional_text(source, "Nguồn", max_len=300),
                          note=fields.optional_text(note, "Ghi chú", max_len=1000,
                                                    multiline=True),
                          login=actor.login)


def payouts(year: int) -> int:
    total = (DecisionAward.select(pw.fn.SUM(DecisionAward.amount)).join(Decision)
             .where(Decision.issued & (Decision.decided_on >= dt.date(year, 1, 1))
                    & (Decision.decided_on <= dt.date(year, 12, 31))).scalar())
    return int(total or 0)


def state(year: int) -> FundYear:
    sums = {kind: int(total or 0) for kind, total in
            FundEntry.select(FundEntry.kind, pw.fn.SUM(FundEntry.amount))
            .where(FundEntry.year == year).group_by(FundEntry.kind).tuples()}
    return FundYear(year, sums.get("allocation", 0), sums.get("donation", 0),
                    sums.get("adjustment", 0), payouts(year))


def impact(year: int, payout: int) -> Impact:
    return Impact(year, state(year).balance, payout)


def entries(year: int) -> list[FundEntry]:
    return list(FundEntry.select().where(FundEntry.year == year)
                .order_by(FundEntry.entered_on, FundEntry.id))


def allocation_limit(cfg, recurrent_spending: int) -> int:
    """The most the year's allocation may be: 1.0% of recurrent spending (1.5% for
    mountain, remote and island communes), as configured."""
    return int(cfg.fund_limit_fraction * recurrent_spending)
