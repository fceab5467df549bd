"""Revocation of an issued award (hủy bỏ quyết định khen thưởng, Luật Thi đua, khen thưởng
2022, chapter VII): a new decision with its own number and the reason.

The original decision is never edited. The revoking decision lists the award as a line
that `revokes` it, paying nothing; the money paid is recovered into the fund as a receipt
entry of the revoking decision's year (when it comes back), so the original decision's
payout stays as it was issued. The title history keeps the award, marked with the
revoking decision (TitleAward.revoked_by): the history shows it revoked and the rules
reading it skip it (history.standing). The nomination leaves "decided" for "revoked", so
it no longer counts either.

This differs from an amending decision's "bãi bỏ" (decisions.revoke_award), which
corrects an error in the list: the award then leaves the history, as if never made.
"""
from __future__ import annotations

from models import fields, text
from models.awards import decisions, fund, history, nominations
from models.awards.tables import Decision, DecisionAward, TitleAward
from models.errors import NotFound, RuleError
from models.registry.access import Actor, require
from models.store import records
from models.store.tables import database, utcnow

DOING = "hủy bỏ khen thưởng"


def may_revoke_in(actor: Actor, decision: Decision) -> bool:
    """Whether to offer revoking the awards of `decision`: an issued one, to the chairman
    (or the administrator), who signs the revoking decision."""
    return decision.issued and actor.has(*decisions.ISSUE)


def can_revoke(actor: Actor, award: DecisionAward) -> bool:
    """Whether `actor` may revoke this line: one that granted a title in an issued
    decision, not withdrawn yet."""
    return (may_revoke_in(actor, award.decision) and award.revokes_id is None
            and not withdrawn(award.id))


def withdrawn(award_id: int) -> bool:
    return DecisionAward.select().where(DecisionAward.revokes == award_id).exists()


def revocable(actor: Actor, award_id: int) -> DecisionAward:
    """The award with its subject, for the revoking form; refused, saying why, when
    `actor` may not revoke it."""
    award = (nominations.with_subjects(DecisionAward).where(DecisionAward.id == award_id)
             .first())
    if award is None:
        raise NotFound("Không còn dòng khen thưởng này; tải lại danh sách.")
    if not can_revoke(actor, award):
        require(actor, *decisions.ISSUE, action=DOING)
        raise RuleError("Dòng này không hủy bỏ được: chỉ khen thưởng đã ban hành, chưa bị "
                        "bãi bỏ.")
    return award


def revoke(actor: Actor, cfg, award_id: int, decided_on, reason: str, signer: str = "",
           number: int | None = None) -> Decision:
    """Issue the decision revoking an award; returns it."""
    require(actor, *decisions.ISSUE, action=DOING)
    with database.atomic():
        original = records.get(DecisionAward, award_id, "dòng khen thưởng")
        if original.revokes_id is not None or not original.decision.issued:
            raise RuleError("Chỉ hủy bỏ được khen thưởng của quyết định đã ban hành.")
        decisions.refuse_revoked(original)
        reason = fields.name(reason, "Lý do hủy bỏ", max_len=1000)
        day = fields.required_date(decided_on, "Ngày quyết định")
        if day < original.decision.decided_on:
            raise RuleError("Ngày quyết định hủy bỏ không được trước ngày của quyết định "
                            f"khen thưởng ({text.format_date(original.decision.decided_on)}).")
        old_ref = decisions.reference(original.decision)
        title = history.title_name(cfg.titles, original.title_code)
        subject = nominations.subject_label(original)
        year = day.year
        number = decisions.reserve_number(actor, year, what=f"Hủy bỏ khen thưởng {subject}",
                                          number=number)
        recovered = max(original.amount, 0)
        revoking = records.insert(
            actor, Decision, title=(f"Hủy bỏ khen thưởng {title} năm {original.year} đối với "
                                    f"{subject} tại Quyết định {old_ref}")[:400],
            decided_on=day, signer=fields.optional_text(signer, "Người ký", max_len=200),
            note=reason, amends=original.decision_id, number=number, issued=True,
            issued_at=utcnow(), issued_by=actor.login, fund_before=fund.state(year).balance,
            created_by=actor.login)
        ref = decisions.reference(revoking)
        records.insert(actor, DecisionAward, decision=revoking.id, nomination=None,
                       title_code=original.title_code, subject_kind=original.subject_kind,
                       person=original.person_id, unit=original.unit_id,
                       household=original.household_id, year=original.year, amount=0,
                       revokes=original.id,
                       money_note=(f"Thu hồi {text.format_vnd(recovered)} vào quỹ năm {year}"
                                   if recovered else ""))
        for row in decisions.history_rows(original):
            records.update(actor, TitleAward, row.id, row.version, "lịch sử khen thưởng",
                           revoked_by=revoking.id)
        if recovered:
            fund.record_recovery(actor, year, recovered, day,
                                 f"Thu hồi theo Quyết định {ref} ({subject})")
        if original.nomination_id is not None:
            nominations.bulk_move(actor, [original.nomination_id], ("decided",), "revoked",
                                  f"Hủy bỏ theo Quyết định {ref}: {reason}")
    return revoking
