"""Decisions (quyết định khen thưởng): numbered per year and document type,
immutable once issued, corrected only by an amending decision.

A draft's money always follows its date and list: every change to it (its date, a
line added or removed, another decision paying the same person for the same year)
prices it again (models/awards/money.py). Issuing gives the number ("Số: 05/QĐ-UBND",
zero-padded below 10), fixes each line's money and the fund's balance at that moment,
writes the awards into the title history and marks the nominations decided. It refuses
a decision changed since the issuer was shown it: its version (title, date) or the
fingerprint of the priced list shown (a line added or removed, other money). The list
does not move the version: the Office may still add to a draft, only the chairman's
confirmation is pinned. A decision that would overdraw its year's fund is refused, or
issued only when the issuer confirms it (`accept_overdraw`), as `[fund] overdraw` says.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import peewee as pw

from models import fields, text
from models.awards import fund, money, nominations
from models.awards.tables import (DOC_TYPES, Decision, DecisionAward, DocumentNumber,
                                  HouseholdReview, Nomination, NominationBatch, ProposalItem,
                                  TitleAward)
from models.errors import NotFound, RuleError
from models.registry.access import Actor, require
from models.store import bulk as bulkio
from models.store import changelog, db, records, rowcheck
from models.store.paging import Listing
from models.store.tables import database, utcnow

WHAT = "quyết định"
PREPARE = ("admin",)
ISSUE = ("admin", "chairman")
IMMUTABLE = ("Quyết định đã ban hành thì không sửa được; muốn đính chính hãy ra quyết định "
             "sửa đổi, bổ sung.")
# Each action on one decision: the roles it needs, its name in a refusal, and whether it
# is taken on an issued decision (True) or on a draft (False).
ACTIONS = {
    "edit": (PREPARE, "sửa quyết định", False),
    "add": (PREPARE, "lập danh sách khen thưởng", False),
    "remove": (PREPARE, "bỏ một người khỏi quyết định", False),
    "revoke": (PREPARE, "bãi bỏ khen thưởng", False),
    "issue": (ISSUE, "ban hành quyết định", False),
    "amend": (PREPARE, "lập quyết định", True),
}
MAX_ROWS = 900  # bound parameters per statement


class Overdraw(RuleError):
    """Issuing would overdraw the fund: ask, then issue with accept_overdraw."""

    def __init__(self, message: str, impact: fund.Impact):
        super().__init__(message)
        self.impact = impact


class ChangedSinceShown(RuleError):
    """The decision would now issue another list or other money than the one shown."""


def format_number(number: int, doc_type: str = "QĐ", issuer: str = "UBND") -> str:
    """5 -> "05/QĐ-UBND"; 112 -> "112/QĐ-UBND"."""
    return f"{number:02d}/{doc_type}-{issuer}"


def reference(decision: Decision) -> str:
    if decision.number is None:
        return "(chưa cấp số)"
    return "Số: " + format_number(decision.number, decision.doc_type, decision.issuer)


# --- the register of numbers -------------------------------------------------------------

def next_number(year: int, doc_type: str = "QĐ", issuer: str = "UBND") -> int:
    last = (DocumentNumber.select(pw.fn.MAX(DocumentNumber.number))
            .where((DocumentNumber.year == year) & (DocumentNumber.doc_type == doc_type)
                   & (DocumentNumber.issuer == issuer)).scalar())
    return (last or 0) + 1


def reserve_number(actor: Actor, year: int, doc_type: str = "QĐ", issuer: str = "UBND",
                   what: str = "", number: int | None = None) -> int:
    """Take the next number of the series (or `number`, from the commune's paper
    register), unique within the year, type and issuer. Minutes of the council
    use doc_type "BB", issuer "HĐTĐKT"."""
    doc_type = fields.choice(doc_type, DOC_TYPES, "Loại văn bản")
    with database.atomic():
        if number is None:
            number = next_number(year, doc_type, issuer)
        elif number < 1:
            raise RuleError("Số văn bản phải từ 1 trở lên.")
        taken = number_taken(year, doc_type, issuer, number)
        if taken is not None:
            raise RuleError(f"Số {format_number(number, doc_type, issuer)} năm {year} đã được "
                            f"dùng ({text.visible(taken.what)}).")
        records.insert(actor, DocumentNumber, year=year, doc_type=doc_type, issuer=issuer,
                       number=number, what=what[:300], login=actor.login)
    return number


def number_taken(year: int, doc_type: str = "QĐ", issuer: str = "UBND",
                 number: int = 0) -> DocumentNumber | None:
    return DocumentNumber.get_or_none(
        (DocumentNumber.year == year) & (DocumentNumber.doc_type == doc_type)
        & (DocumentNumber.issuer == issuer) & (DocumentNumber.number == number))


def parse_number(value: str, year: int, doc_type: str = "QĐ", issuer: str = "UBND"
                 ) -> int | None:
    """The number typed from the paper register: empty = the next of the series;
    refused when not a whole number from 1 or already used in the year's series."""
    value = (value or "").strip()
    if not value:
        return None
    head = value.split("/")[0].strip()
    if not head.isdigit() or int(head) < 1:
        raise RuleError("Số văn bản phải là số nguyên từ 1 trở lên (ví dụ 112), hoặc để "
                        "trống để lấy số tiếp theo.")
    number = int(head)
    taken = number_taken(year, doc_type, issuer, number)
    if taken is not None:
        raise RuleError(f"Số {format_number(number, doc_type, issuer)} năm {year} đã được "
                        f"dùng ({text.visible(taken.what) or 'sổ văn bản'}); chọn số khác.")
    return number


# --- who may do what ------------------------------------------------------------------------

def can_prepare(actor: Actor) -> bool:
    """Whether to offer a new decision."""
    return actor.has(*PREPARE)


def _state_refusal(decision: Decision, action: str) -> str:
    """Why the decision as it stands forbids `action`; "" when it does not."""
    on_issued = ACTIONS[action][2]
    if decision.issued != on_issued:
        return IMMUTABLE if decision.issued else ("Chỉ sửa đổi được quyết định đã ban hành; "
                                                  "bản nháp thì sửa trực tiếp.")
    if action == "revoke" and decision.amends_id is None:
        return "Chỉ quyết định sửa đổi mới bãi bỏ được khen thưởng đã ban hành."
    return ""


def allowed_actions(actor: Actor, decision: Decision) -> frozenset[str]:
    """What `actor` may do to `decision` now (keys of ACTIONS): a draft is prepared and
    issued, an issued decision only amended by a new one."""
    return frozenset(name for name, (roles, _, _) in ACTIONS.items()
                     if actor.has(*roles) and not _state_refusal(decision, name))


def require_action(actor: Actor, decision: Decision, action: str) -> None:
    """Refuse `action` on `decision`, saying why, unless `allowed_actions` has it:
    PermissionDenied for the roles, RuleError for the decision's state."""
    if action in allowed_actions(actor, decision):
        return
    roles, doing, _ = ACTIONS[action]
    require(actor, *roles, action=doing)
    raise RuleError(_state_refusal(decision, action))


# --- preparing -----------------------------------------------------------------------------

def get(decision_id: int) -> Decision:
    return records.get(Decision, decision_id, WHAT)


def _checked(actor: Actor, decision_id: int, action: str) -> Decision:
    decision = get(decision_id)
    require_action(actor, decision, action)
    return decision


def create(actor: Actor, title: str, decided_on, signer: str = "", note: str = "",
           amends_id: int | None = None) -> Decision:
    if amends_id is None:
        require(actor, *PREPARE, action="lập quyết định")
    else:
        _checked(actor, amends_id, "amend")
    return records.insert(actor, Decision,
                          title=fields.name(title, "Trích yếu", max_len=400),
                          decided_on=fields.required_date(decided_on, "Ngày quyết định"),
                          signer=fields.optional_text(signer, "Người ký", max_len=200),
                          note=fields.optional_text(note, "Ghi chú", max_len=2000,
                                                    multiline=True),
                          amends=amends_id, created_by=actor.login)


def amend(actor: Actor, decision_id: int, title: str, decided_on, signer: str = "",
          note: str = "") -> Decision:
    """A new draft decision that amends an issued one (the correction path)."""
    return create(actor, title, decided_on, signer, note, amends_id=decision_id)


def update(actor: Actor, cfg, decision_id: int, version: int, title: str, decided_on,
           signer: str = "", note: str = "") -> Decision:
    """Edit a draft; its money follows a new date at once."""
    with database.atomic():
        _checked(actor, decision_id, "edit")
        row = records.update(actor, Decision, decision_id, version, WHAT,
                             title=fields.name(title, "Trích yếu", max_len=400),
                             decided_on=fields.required_date(decided_on, "Ngày quyết định"),
                             signer=fields.optional_text(signer, "Người ký", max_len=200),
                             note=fields.optional_text(note, "Ghi chú", max_len=2000,
                                                       multiline=True))
        _reprice(actor, cfg, row)
    return row


def _reprice(actor: Actor, cfg, decision: Decision) -> money.Priced:
    """Price the draft's lines again and store what changed (amount and reason)."""
    priced = money.price(cfg, decision)
    stored = {aid: (amount, note) for aid, amount, note in
              DecisionAward.select(DecisionAward.id, DecisionAward.amount,
                                   DecisionAward.money_note)
              .where(DecisionAward.decision == decision.id).tuples()}
    _store_lines(actor, decision.id,
                 [ln for ln in priced.lines if stored.get(ln.award_id) != (ln.amount, ln.note)])
    return priced


def _store_lines(actor: Actor, decision_id: int, lines: list[money.Line]) -> None:
    """Write the lines' amounts and reasons, one statement per distinct pair."""
    groups: dict[tuple[int, str], list[int]] = {}
    for line in lines:
        groups.setdefault((line.amount, line.note), []).append(line.award_id)
    for (amount, note), ids in groups.items():
        for chunk in _chunks(ids):
            (DecisionAward.update(amount=amount, money_note=note)
             .where(DecisionAward.id.in_(chunk)).execute())
    if lines:  # with the lines' digests: an amount edited in the file is then seen
        changelog.record(actor.login, "decision_award", decision_id, "bulk",
                         after={"priced": len(lines)},
                         digest=rowcheck.of_rows(DecisionAward, [ln.award_id for ln in lines]))


def add_nominations(actor: Actor, cfg, decision_id: int, nomination_ids: list[int]) -> int:
    """Put passed nominations on the draft decision; returns how many were added."""
    ids = sorted(set(nomination_ids))
    with database.atomic():
        decision = _checked(actor, decision_id, "add")
        taken = set()
        for chunk in _chunks(ids):
            taken |= {a for (a,) in DecisionAward.select(DecisionAward.nomination)
                      .where(DecisionAward.nomination.in_(chunk)).tuples()}
        rows = []
        for chunk in _chunks([i for i in ids if i not in taken]):
            for (nid, state, code, kind, person, unit, household, year) in (
                    Nomination.select(Nomination.id, Nomination.state, Nomination.title_code,
                                      Nomination.subject_kind, Nomination.person,
                                      Nomination.unit, Nomination.household, Nomination.year)
                    .where(Nomination.id.in_(chunk)).tuples()):
                if state != "passed":
                    raise RuleError(f"Đề nghị số {nid} chưa được Hội đồng thông qua "
                                    f"(đang “{nominations.state_name(state)}”).")
                if not cfg.title(code).decided_by_commune:
                    raise RuleError(f"{cfg.title(code).name} không do Chủ tịch UBND xã quyết "
                                    "định (xem decided_by trong cấu hình): trình cấp trên.")
                rows.append((decision_id, nid, code, kind, person, unit, household, year))
        missing = len(ids) - len(taken) - len(rows)
        if missing:
            raise RuleError(f"{missing} đề nghị không còn tồn tại; tải lại danh sách.")
        _insert_awards(rows)
        changelog.record(actor.login, "decision_award", decision_id, "bulk",
                         after={"added": len(rows)})
        if rows:
            _reprice(actor, cfg, decision)
    return len(rows)


def _insert_awards(rows: list[tuple]) -> None:
    """The lines, priced by _reprice afterwards."""
    cols = [DecisionAward.decision, DecisionAward.nomination, DecisionAward.title_code,
            DecisionAward.subject_kind, DecisionAward.person, DecisionAward.unit,
            DecisionAward.household, DecisionAward.year]
    bulkio.insert_rows(DecisionAward, cols, rows)


def remove_award(actor: Actor, cfg, decision_id: int, award_id: int) -> None:
    """Take a line off the draft; the others are priced again (a title paid 0 đ beside
    a higher one is paid once the higher one goes)."""
    with database.atomic():
        decision = _checked(actor, decision_id, "remove")
        award = records.get(DecisionAward, award_id, "dòng khen thưởng")
        if award.decision_id != decision_id:
            raise RuleError("Dòng này không thuộc quyết định đang mở.")
        before = changelog.snapshot(award)
        award.delete_instance()
        changelog.record(actor.login, "decision_award", award_id, "delete", before=before)
        _reprice(actor, cfg, decision)


def revoke_award(actor: Actor, decision_id: int, original_award_id: int) -> DecisionAward:
    """On an amending decision: withdraw an award of the decision it amends.
    The award leaves the title history when the amendment is issued."""
    with database.atomic():
        decision = _checked(actor, decision_id, "revoke")
        original = records.get(DecisionAward, original_award_id, "dòng khen thưởng")
        if original.decision_id != decision.amends_id or original.revokes_id is not None:
            raise RuleError("Dòng này không thuộc quyết định được sửa đổi.")
        refuse_revoked(original)
        return records.insert(actor, DecisionAward, decision=decision_id, nomination=None,
                              title_code=original.title_code,
                              subject_kind=original.subject_kind, person=original.person_id,
                              unit=original.unit_id, household=original.household_id,
                              year=original.year, amount=-original.amount,
                              revokes=original.id)


def refuse_revoked(original: DecisionAward) -> None:
    """An award is withdrawn once, by an amendment or a revocation."""
    if DecisionAward.select().where(DecisionAward.revokes == original.id).exists():
        raise RuleError("Khen thưởng này đã bị bãi bỏ.")


# --- reading ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Summary:
    decision_id: int
    reference: str
    issued: bool
    awards: int
    revoked: int
    total: int
    impact: fund.Impact


def awards(decision_id: int):
    return (DecisionAward.select().where(DecisionAward.decision == decision_id)
            .order_by(DecisionAward.id))


def award_count(decision_id: int) -> int:
    """How many lines the decision lists, revocations included."""
    return awards(decision_id).count()


def granted(decision_id: int):
    """The decision's awards that grant a title (an amendment's revocations left out)."""
    return awards(decision_id).where(DecisionAward.revokes.is_null())


def awards_with_subjects(decision_id: int):
    """The awards with their person, unit or household read in the same query."""
    return (nominations.with_subjects(DecisionAward)
            .where(DecisionAward.decision == decision_id).order_by(DecisionAward.id))


def award_listing(decision_id: int) -> Listing:
    """A decision's awards, paged: a Gia đình văn hóa decision lists thousands."""
    return Listing(lambda query: awards_with_subjects(decision_id))


def passed_undecided(limit: int = 2000) -> list[Nomination]:
    """What the council passed that no decision or proposal lists yet (nominations on a
    list go with their list), by title: what a draft decision may take."""
    listed = DecisionAward.select(DecisionAward.nomination).where(
        DecisionAward.nomination.is_null(False))
    return list(nominations.with_subjects(Nomination)
                .where((Nomination.state == "passed") & Nomination.id.not_in(listed)
                       & Nomination.id.not_in(ProposalItem.select(ProposalItem.nomination))
                       & Nomination.batch.is_null())
                .order_by(Nomination.title_code, Nomination.id).limit(limit))


def total(decision_id: int) -> int:
    return int(DecisionAward.select(pw.fn.SUM(DecisionAward.amount))
               .where(DecisionAward.decision == decision_id).scalar() or 0)


def summary(decision_id: int) -> Summary:
    """The awards, the money and the fund before and after: for the screen and the
    finance officer. A draft is set against the year's balance now; an issued decision
    shows the balance as it was when it was issued."""
    d = get(decision_id)
    paid = total(decision_id)
    impact = (fund.issued_impact(d, paid) if d.issued
              else fund.impact(d.decided_on.year, paid))
    count = granted(decision_id).count()
    revoked = awards(decision_id).where(DecisionAward.revokes.is_null(False)).count()
    return Summary(d.id, reference(d), d.issued, count, revoked, paid, impact)


def money_note(award_id: int) -> str:
    """Why a line pays less than its title's amount ("" when it does not)."""
    return (DecisionAward.select(DecisionAward.money_note)
            .where(DecisionAward.id == award_id).scalar() or "")


def to_issue(cfg, decision_id: int) -> money.Priced:
    """The lines and money issuing would fix now: what the confirmation shows, whose
    fingerprint `issue` checks."""
    return money.price(cfg, get(decision_id))


def by_number(value: str, year: int) -> Decision:
    """The issued decision numbered `value` ("112" or "112/QĐ-UBND") in `year`."""
    match = re.fullmatch(r"\s*(?:Số:\s*)?0*(\d+)\s*(?:/\s*([^-\s/]+)\s*-\s*(\S+))?\s*",
                         text.nfc(value or ""))
    if match is None:
        raise RuleError(f"Số quyết định “{text.visible(value)}” không đúng dạng: ghi ví dụ "
                        "112 hoặc 112/QĐ-UBND.")
    number = int(match.group(1))
    doc_type, issuer = match.group(2) or "QĐ", match.group(3) or "UBND"
    found = (Decision.select().where((Decision.number == number) & Decision.issued
                                     & (Decision.doc_type == doc_type)
                                     & (Decision.issuer == issuer)
                                     & (Decision.decided_on >= dt.date(year, 1, 1))
                                     & (Decision.decided_on <= dt.date(year, 12, 31))).first())
    if found is None:
        raise NotFound(f"Không có quyết định đã ban hành "
                       f"Số: {format_number(number, doc_type, issuer)} năm {year}.")
    return found


def search(query: str = "") -> pw.ModelSelect:
    """Decisions newest first; `query` is a decision's number or words of its title."""
    select = Decision.select()
    folded = text.fold(query)
    if folded.isdigit():
        select = select.where(Decision.number == int(folded))
    elif folded:
        select = select.where(Decision.title.contains(query.strip()))
    return select.order_by(Decision.decided_on.desc(), Decision.id.desc())


def listing() -> Listing:
    """The decisions list (F8), paged for the number or title typed."""
    return Listing(search)


def _late_for_dossier(cfg, d: Decision, mine, title) -> list[str]:
    """The lists (batches) of `mine` whose chairman's days ran out before `d`'s date."""
    # Imported here: models.awards.bulk builds on this module at import time.
    from models.awards import bulk

    per_batch = dict(DecisionAward.select(Nomination.batch, pw.fn.COUNT(DecisionAward.id))
                     .join(Nomination, on=(DecisionAward.nomination == Nomination.id))
                     .where(mine & Nomination.batch.is_null(False))
                     .group_by(Nomination.batch).tuples())
    late = []
    for batch in NominationBatch.select().where(NominationBatch.id.in_(sorted(per_batch))):
        limit = bulk.decision_deadline(cfg, batch)
        if limit is not None and d.decided_on > limit:
            late.append((limit, per_batch[batch.id]))
    if not late:
        return []
    limit = min(day for day, _ in late)
    received = limit - dt.timedelta(days=title.decide_within_days)
    return [f"Quá hạn: {title.name} phải quyết định trong {title.decide_within_days} ngày "
            f"sau khi nhận đủ hồ sơ ({text.format_date(received)}), tức chậm nhất "
            f"{text.format_date(limit)}; ngày quyết định {text.format_date(d.decided_on)} "
            f"({sum(n for _, n in late)} khen thưởng)."]


def deadline_warnings(cfg, decision_id: int) -> list[str]:
    """What the configured time limits say about this decision, in Vietnamese:
    decided later than `decide_within_days` after receiving a list's complete dossier
    (Nghị định 86/2023 Art. 8), or listing households the village reviewed after
    `review_before`. Warnings, not refusals: a late decision is still the commune's."""
    d = get(decision_id)
    out = []
    listed = ((DecisionAward.decision == decision_id) & DecisionAward.revokes.is_null())
    codes = [c for (c,) in DecisionAward.select(DecisionAward.title_code).where(listed)
             .distinct().tuples()]
    for code in codes:
        if code not in cfg.titles:
            continue
        title = cfg.titles[code]
        mine = listed & (DecisionAward.title_code == code)
        if title.decide_within_days:
            out += _late_for_dossier(cfg, d, mine, title)
        if title.review_before is not None:
            day, month = title.review_before
            count = 0
            years = [y for (y,) in DecisionAward.select(DecisionAward.year).where(mine)
                     .distinct().tuples()]
            for year in years:
                count += (DecisionAward.select(DecisionAward.id)
                          .join(HouseholdReview, on=(
                              (HouseholdReview.household == DecisionAward.household)
                              & (HouseholdReview.year == year)))
                          .where(mine & (DecisionAward.year == year)
                                 & (HouseholdReview.reviewed_on > dt.date(year, month, day)))
                          .count())
            if count:
                out.append(f"{count} hộ được thôn bình xét sau hạn {day:02d}/{month:02d} "
                           f"({title.name}).")
    return out


# --- issuing ------------------------------------------------------------------------------------

def issue(actor: Actor, cfg, decision_id: int, version: int, number: int | None = None,
          accept_overdraw: bool = False, shown: str | None = None) -> Decision:
    """Sign and issue: number, money, title history, nominations decided. `shown` is the
    fingerprint of the list the issuer confirmed (`to_issue`): anything else is refused."""
    with database.atomic():
        if not db.is_sqlite(database.obj):
            # What a line pays depends on what other decisions paid the same person: one
            # issue at a time, reading after the last one committed (SQLite's IMMEDIATE
            # transactions already serialise writers).
            database.execute_sql('LOCK TABLE "decision_award" IN SHARE ROW EXCLUSIVE MODE')
        decision = _checked(actor, decision_id, "issue")
        if decision.version != version:
            records.update(actor, Decision, decision_id, version, WHAT)  # raises StaleRecord
        if not awards(decision_id).exists():
            raise RuleError("Quyết định chưa có ai trong danh sách khen thưởng.")
        priced = _reprice(actor, cfg, decision)
        if shown is not None and shown != priced.fingerprint:
            raise ChangedSinceShown("Danh sách hoặc số tiền của quyết định đã thay đổi từ lúc "
                                    "hiện để xác nhận: chưa ban hành. Xem lại rồi ban hành.")
        impact = fund.impact(decision.decided_on.year, priced.total)
        if impact.overdraws and (cfg.fund.overdraw == "refuse" or not accept_overdraw):
            message = (f"Quyết định này làm quỹ năm {impact.year} bị âm: trước "
                       f"{text.format_vnd(impact.before)}, chi "
                       f"{text.format_vnd(impact.payout)}, sau "
                       f"{text.format_vnd(impact.after)}.")
            if cfg.fund.overdraw == "refuse":
                raise RuleError(message + " Cấu hình không cho chi quá số dư quỹ: ghi thêm "
                                "nguồn thu của năm hoặc bớt người trong danh sách.")
            raise Overdraw(message, impact)
        year = decision.decided_on.year
        number = reserve_number(actor, year, decision.doc_type, decision.issuer,
                                what=decision.title, number=number)
        ref = "Số: " + format_number(number, decision.doc_type, decision.issuer)
        row = records.update(actor, Decision, decision_id, version, WHAT, number=number,
                             issued=True, issued_at=utcnow(), issued_by=actor.login,
                             fund_before=impact.before)
        _write_history(actor, row, ref)
        _reprice_others(actor, cfg, priced)
    return row


def _reprice_others(actor: Actor, cfg, priced: money.Priced) -> None:
    """The drafts that list a highest-only title for a subject and year this decision
    paid: what they pay is now less (models/awards/money.py)."""
    codes = money.highest_only_codes(cfg)
    keys = {(*ln.subject, ln.year) for ln in priced.lines if ln.title_code in codes}
    drafts: set[int] = set()
    for name in money.SUBJECTS:
        column = getattr(DecisionAward, name)
        ids = sorted({value for subject, value, _ in keys if subject == name})
        for chunk in _chunks(ids):
            drafts |= {d for (d,) in DecisionAward.select(DecisionAward.decision).join(Decision)
                       .where(~Decision.issued & column.in_(chunk)
                              & DecisionAward.title_code.in_(codes)).distinct().tuples()}
    for draft_id in sorted(drafts):
        _reprice(actor, cfg, get(draft_id))


def _write_history(actor: Actor, decision: Decision, ref: str) -> None:
    granted_rows = list(granted(decision.id).tuples()
                        .select(DecisionAward.title_code, DecisionAward.year,
                                DecisionAward.person, DecisionAward.unit,
                                DecisionAward.household, DecisionAward.nomination))
    note = ""
    if decision.amends_id:
        note = f"sửa đổi, bổ sung {reference(decision.amends)}"
    cols = [TitleAward.title_code, TitleAward.year, TitleAward.person, TitleAward.unit,
            TitleAward.household, TitleAward.decision_ref, TitleAward.decided_on,
            TitleAward.note]
    rows = [(code, year, person, unit, household, ref, decision.decided_on, note)
            for code, year, person, unit, household, _ in granted_rows]
    bulkio.insert_rows(TitleAward, cols, rows)
    changelog.record(actor.login, "title_award", None, "bulk",
                     after={"rows": len(rows), "decision": ref})
    nomination_ids = [n for *_, n in granted_rows if n is not None]
    nominations.bulk_move(actor, nomination_ids, ("passed",), "decided", f"Quyết định {ref}")
    # Revocations: the amended awards leave the title history.
    for revoked in awards(decision.id).where(DecisionAward.revokes.is_null(False)):
        for award in history_rows(revoked.revokes):
            before = changelog.snapshot(award)
            award.delete_instance()
            changelog.record(actor.login, "title_award", award.id, "delete", before=before,
                             after={"revoked_by": ref})


def history_rows(award: DecisionAward) -> pw.ModelSelect:
    """The title history rows an issued decision's award wrote."""
    return TitleAward.select().where(
        (TitleAward.decision_ref == reference(award.decision))
        & (TitleAward.title_code == award.title_code) & (TitleAward.year == award.year)
        & (TitleAward.person == award.person_id if award.person_id else
           TitleAward.unit == award.unit_id if award.unit_id else
           TitleAward.household == award.household_id))


def _chunks(items: list, size: int = MAX_ROWS):
    for i in range(0, len(items), size):
        yield items[i:i + size]
