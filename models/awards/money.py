"""Award money (Nghị định 152/2025/NĐ-CP, Art. 49-50, 54): coefficient × the base salary
in force on the decision date, rounded as the configuration says (up to 10,000 đ), and
what a decision pays for each of its lines.

A subject awarded several titles marked `highest_only` for the same year is paid for the
highest only (Art. 49(5): "nhận mức tiền thưởng cao nhất"). The Decree speaks of what the
subject receives, not of what one decision pays, so the rule reaches across decisions: a
later decision pays the difference between its title's amount and what the subject
already received for that year's titles, or 0 when that is not more. Forms such as Giấy
khen are not titles and are paid on their own.

A draft's lines are priced from its date and the configuration whenever it changes;
issuing fixes them (models/awards/decisions.py), so an issued decision never moves.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

import peewee as pw

from models import text
from models.awards.tables import Decision, DecisionAward
from models.errors import RuleError

SUBJECTS = ("person", "unit", "household")  # a line's subject is exactly one of these
CHUNK = 900  # bound parameters per statement
LAW = "Nghị định 152/2025/NĐ-CP, Điều 49 khoản 5"


def award_amount(cfg, title_code: str, subject: str, decided_on: dt.date) -> int:
    """The amount for one award, in đồng; 0 for titles that carry no money."""
    try:
        title = cfg.title(title_code)
        coefficient = title.coefficient_for(subject)
        base = cfg.base_salary_on(decided_on)
    except (KeyError, ValueError) as exc:
        raise RuleError(str(exc).strip("'\"")) from None
    return cfg.money.round(coefficient * base) if coefficient else 0


@dataclass(frozen=True)
class Line:
    """What one line of a decision pays, and why when it is less than its title's amount."""
    award_id: int
    title_code: str
    subject: tuple[str, int]  # ("person", 12)
    year: int
    amount: int
    note: str = ""
    revocation: bool = False  # an amendment's withdrawal of an earlier award


@dataclass(frozen=True)
class Priced:
    decision_id: int
    decided_on: dt.date
    lines: tuple[Line, ...]  # in the order of the list

    @property
    def total(self) -> int:
        return sum(line.amount for line in self.lines)

    @property
    def fingerprint(self) -> str:
        """Names exactly this list and its money: the chairman's confirmation shows it,
        and issuing refuses when the decision would now issue anything else."""
        body = repr((self.decision_id, self.decided_on.isoformat(),
                     [(ln.award_id, ln.title_code, ln.subject, ln.year, ln.amount, ln.note,
                       ln.revocation) for ln in self.lines]))
        return hashlib.sha256(body.encode()).hexdigest()


def _rows(decision_id: int) -> list[tuple]:
    return list(DecisionAward.select(
        DecisionAward.id, DecisionAward.title_code, DecisionAward.subject_kind,
        DecisionAward.person, DecisionAward.unit, DecisionAward.household, DecisionAward.year,
        DecisionAward.revokes, DecisionAward.amount, DecisionAward.money_note)
        .where(DecisionAward.decision == decision_id).order_by(DecisionAward.id).tuples())


def _subject(person, unit, household) -> tuple[str, int]:
    return next((name, value) for name, value in zip(SUBJECTS, (person, unit, household))
                if value is not None)


def highest_only_codes(cfg) -> list[str]:
    return [code for code, title in cfg.titles.items() if title.highest_only]


def received(codes: list[str], keys: set[tuple[str, int, int]], *, besides: int | None = None
             ) -> dict[tuple[str, int, int], int]:
    """What issued decisions (other than `besides`) paid each (subject, id, year) in
    `keys` for the titles `codes` and the subject still holds: money already received.
    An award withdrawn by an issued decision counts for nothing, whether the withdrawing
    line paid it back (an amendment's -amount) or the fund recovered it (a revocation's
    receipt), so withdrawing lines and what they withdraw are both left out."""
    out: dict[tuple[str, int, int], int] = {}
    if not codes or not keys:
        return out
    years = sorted({year for _, _, year in keys})
    withdrawing, issuer = DecisionAward.alias(), Decision.alias()
    withdrawn = (withdrawing.select(withdrawing.revokes)
                 .join(issuer, on=(withdrawing.decision == issuer.id))
                 .where(issuer.issued & withdrawing.revokes.is_null(False)))
    for name in SUBJECTS:
        column = getattr(DecisionAward, name)
        ids = sorted({value for subject, value, _ in keys if subject == name})
        for i in range(0, len(ids), CHUNK):
            query = (DecisionAward.select(column, DecisionAward.year,
                                          pw.fn.SUM(DecisionAward.amount))
                     .join(Decision)
                     .where(Decision.issued & column.in_(ids[i:i + CHUNK])
                            & DecisionAward.year.in_(years)
                            & DecisionAward.title_code.in_(codes)
                            & DecisionAward.revokes.is_null()
                            & DecisionAward.id.not_in(withdrawn))
                     .group_by(column, DecisionAward.year))
            if besides is not None:
                query = query.where(Decision.id != besides)
            for value, year, paid in query.tuples():
                if (name, value, year) in keys:
                    out[name, value, year] = int(paid or 0)
    return out


def price(cfg, decision: Decision) -> Priced:
    """What `decision` pays, line by line: as fixed when it was issued, or, for a draft,
    from its date and the configuration now."""
    rows = _rows(decision.id)
    if decision.issued:
        return Priced(decision.id, decision.decided_on, tuple(
            Line(aid, code, _subject(p, u, h), year, amount, note, revokes is not None)
            for aid, code, _, p, u, h, year, revokes, amount, note in rows))
    amounts: dict[tuple[str, str], int] = {}
    lines: dict[int, Line] = {}
    ranked: dict[tuple[str, int, int], list[Line]] = {}
    codes = highest_only_codes(cfg)
    # This draft's own revocations give back money received for the same year.
    given_back: dict[tuple[str, int, int], int] = {}
    for aid, code, kind, p, u, h, year, revokes, stored, _ in rows:
        subject = _subject(p, u, h)
        if revokes is not None:  # a revocation recovers what was paid: fixed when made
            lines[aid] = Line(aid, code, subject, year, stored, revocation=True)
            if code in codes:
                given_back[(*subject, year)] = given_back.get((*subject, year), 0) + stored
            continue
        if (code, kind) not in amounts:
            amounts[code, kind] = award_amount(cfg, code, kind, decision.decided_on)
        line = Line(aid, code, subject, year, amounts[code, kind])
        lines[aid] = line
        if code in codes:
            ranked.setdefault((*subject, year), []).append(line)
    before = received(codes, set(ranked), besides=decision.id)
    for key, group in ranked.items():
        paid = before.get(key, 0) + given_back.get(key, 0)
        from_here = False  # whether the level reached was set by a line of this draft
        for line in sorted(group, key=lambda ln: (-ln.amount, ln.award_id)):
            pay = min(line.amount, max(0, line.amount - paid))
            if pay < line.amount:
                lines[line.award_id] = Line(line.award_id, line.title_code, line.subject,
                                            line.year, pay,
                                            _note(cfg, line, paid, pay, from_here, group))
            if pay:
                from_here = True
            paid += pay
    return Priced(decision.id, decision.decided_on, tuple(lines[aid] for aid, *_ in rows))


def _note(cfg, line: Line, paid: int, pay: int, from_here: bool, group: list[Line]) -> str:
    if pay == 0 and from_here:
        top = max(group, key=lambda ln: (ln.amount, -ln.award_id))
        name = cfg.titles[top.title_code].name
        return (f"0 đ: chỉ nhận tiền thưởng của danh hiệu cao nhất năm {line.year} "
                f"({name}; {LAW})")
    if pay == 0:
        return (f"0 đ: đã nhận {text.format_vnd(paid)} cho danh hiệu cao hơn hoặc bằng "
                f"năm {line.year} ({LAW})")
    return (f"Trừ {text.format_vnd(line.amount - pay)} đã nhận cho danh hiệu khác năm "
            f"{line.year} ({LAW})")
