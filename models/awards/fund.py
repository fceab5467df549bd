"""The emulation-commendation fund (quỹ thi đua, khen thưởng) of each year:
allocation, donations, other spending, payouts by issued decisions, and the balance.

Money of any year can be entered, not only of the current one: a decision dated in an
earlier year pays from that year's fund. A decision's payout counts in the year of its
date. The finance officer sees the balance before and after each decision; a decision
that would overdraw the fund is warned or refused before it is issued, as configured
(models/awards/decisions.py asks here), and the balance it was issued against is kept
with it.

The year's allocation is at most `[fund] limit_fraction` of the year's recurrent
spending (Nghị định 152/2025/NĐ-CP): once that spending is entered, an allocation over
the limit is refused.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import peewee as pw

from models import fields, text
from models.awards.tables import (FUND_KINDS, FUND_OUTGOING, Decision, DecisionAward, FundBudget,
                                  FundEntry)
from models.errors import RuleError
from models.registry.access import Actor, require
from models.store import records
from models.store.tables import database

KEEPERS = ("finance", "admin")  # who enters money into the fund


@dataclass(frozen=True)
class FundYear:
    year: int
    by_kind: dict[str, int] = field(default_factory=dict)  # the entries' sums by kind
    payouts: int = 0                                        # issued decisions of the year

    @property
    def allocation(self) -> int:
        return self.by_kind.get("allocation", 0)

    @property
    def income(self) -> int:
        return sum(v for k, v in self.by_kind.items() if k not in FUND_OUTGOING)

    @property
    def spent(self) -> int:
        """Award money paid by decisions and the other spending entered."""
        return self.payouts + sum(v for k, v in self.by_kind.items() if k in FUND_OUTGOING)

    @property
    def balance(self) -> int:
        return self.income - self.spent


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
    """Money into the fund (the year's allocation, a donation, an adjustment) or out of
    it other than award money (printing, frames): for any year."""
    require(actor, *KEEPERS, action="ghi thu chi quỹ thi đua, khen thưởng")
    kind = fields.choice(kind, FUND_KINDS, "Loại khoản thu chi")
    value = amount if isinstance(amount, int) else text.parse_vnd(str(amount), "Số tiền")
    if kind != "adjustment" and value <= 0:
        raise RuleError("Số tiền phải lớn hơn 0.")
    year = fields.year(year)
    with database.atomic():
        if kind == "allocation":
            _check_allocation(year, state(year).allocation + value)
        return records.insert(actor, FundEntry, year=year, kind=kind, amount=value,
                              entered_on=fields.required_date(entered_on, "Ngày"),
                              source=fields.optional_text(source, "Nguồn", max_len=300),
                              note=fields.optional_text(note, "Ghi chú", max_len=1000,
                                                        multiline=True),
                              login=actor.login)


def record_recovery(actor: Actor, year: int, amount: int, entered_on, source: str) -> FundEntry:
    """Award money recovered by a revocation (models/awards/revocation.py), a receipt of
    the year it comes back in: the revoking decision, not the fund keeper, is its
    authority, so its issuer writes it."""
    return records.insert(actor, FundEntry, year=year, kind="recovery", amount=amount,
                          entered_on=entered_on, source=source[:300], login=actor.login)


def _check_allocation(year: int, allocated: int) -> None:
    plan = budget(year)
    if plan is not None and allocated > plan.allocation_limit:
        raise RuleError(f"Trích lập quỹ năm {year} vượt hạn mức: tổng trích lập "
                        f"{text.format_vnd(allocated)}, hạn mức "
                        f"{text.format_vnd(plan.allocation_limit)} (theo chi thường xuyên "
                        f"{text.format_vnd(plan.recurrent_spending)}).")


def allocation_limit(cfg, recurrent_spending: int) -> int:
    """The most the year's allocation may be: 1.0% of recurrent spending (1.5% for
    mountain, remote and island communes), as configured."""
    return int(cfg.fund_limit_fraction * recurrent_spending)


def budget(year: int) -> FundBudget | None:
    return FundBudget.get_or_none(FundBudget.year == year)


def set_budget(actor: Actor, cfg, year, recurrent_spending) -> FundBudget:
    """The year's recurrent spending, and with it the allocation limit under the fraction
    configured now: a limit below what is already allocated is refused."""
    require(actor, *KEEPERS, action="ghi chi thường xuyên của năm")
    year = fields.year(year)
    value = (recurrent_spending if isinstance(recurrent_spending, int)
             else text.parse_vnd(str(recurrent_spending), "Chi thường xuyên"))
    if value <= 0:
        raise RuleError("Chi thường xuyên phải lớn hơn 0.")
    limit = allocation_limit(cfg, value)
    with database.atomic():
        allocated = state(year).allocation
        if allocated > limit:
            raise RuleError(f"Quỹ năm {year} đã trích lập {text.format_vnd(allocated)}, "
                            f"vượt hạn mức {text.format_vnd(limit)} của chi thường xuyên "
                            f"{text.format_vnd(value)}: xem lại các khoản trích lập.")
        row = budget(year)
        if row is None:
            return records.insert(actor, FundBudget, year=year, recurrent_spending=value,
                                  allocation_limit=limit, login=actor.login)
        return records.update(actor, FundBudget, row.id, row.version, "chi thường xuyên",
                              recurrent_spending=value, allocation_limit=limit,
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
    return FundYear(year, sums, payouts(year))


def impact(year: int, payout: int) -> Impact:
    return Impact(year, state(year).balance, payout)


def issued_impact(decision: Decision, payout: int) -> Impact:
    """An issued decision's effect as it was when it was issued. A decision issued before
    the balance was kept with it (schema 8) gets the balance without it today."""
    year = decision.decided_on.year
    before = decision.fund_before
    if before is None:
        before = state(year).balance + payout
    return Impact(year, before, payout)


def limit_line(year: int) -> str:
    """The year's allocation against its limit, for the finance officer."""
    plan = budget(year)
    if plan is None:
        return f"Chưa ghi chi thường xuyên năm {year}: chưa kiểm được hạn mức trích lập."
    return (f"Trích lập {text.format_vnd(state(year).allocation)} / hạn mức "
            f"{text.format_vnd(plan.allocation_limit)} (chi TX "
            f"{text.format_vnd(plan.recurrent_spending)})")


@dataclass(frozen=True)
class LedgerLine:
    """One line of the year's fund: an entry (id > 0) or an issued decision (id < 0)."""
    id: int
    day: dt.date
    what: str
    source: str                     # an entry's; a decision is named by its number
    amount: int                     # negative: money out
    decision: Decision | None = None
    impact: Impact | None = None    # a decision's, as at its issue


def ledger(year: int) -> list[LedgerLine]:
    """The year's entries and issued decisions, by date."""
    out = [LedgerLine(e.id, e.entered_on, FUND_KINDS.get(e.kind, e.kind), e.source,
                      -e.amount if e.kind in FUND_OUTGOING else e.amount)
           for e in FundEntry.select().where(FundEntry.year == year)]
    issued = list(Decision.select().where(
        Decision.issued & (Decision.decided_on >= dt.date(year, 1, 1))
        & (Decision.decided_on <= dt.date(year, 12, 31))))
    paid = dict(DecisionAward.select(DecisionAward.decision, pw.fn.SUM(DecisionAward.amount))
                .where(DecisionAward.decision.in_([d.id for d in issued]))
                .group_by(DecisionAward.decision).tuples()) if issued else {}
    for d in issued:
        payout = int(paid.get(d.id) or 0)
        out.append(LedgerLine(-d.id, d.decided_on, "Chi tiền thưởng", "", -payout, d,
                              issued_impact(d, payout)))
    return sorted(out, key=lambda line: (line.day, line.id < 0, abs(line.id)))
