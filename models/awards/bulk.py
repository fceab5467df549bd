"""Gia đình văn hóa in bulk (journey 8): each village reviews its households
in one list, one key per household; the commune then makes one nomination
list, checks, posts and puts it to the council as a whole, and issues one
decision for thousands of households.

Every step here is a handful of set-based statements whatever the size, so
12,000 households go from the review list to an issued decision in seconds
(benchmarks/awards_bulk.py).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from types import SimpleNamespace

import peewee as pw

from models import fields, text
from models.awards import decisions, eligibility, nominations
from models.awards.tables import (DossierItem, EligibilityOverride, HouseholdReview,
                                  LateVillageReview, Nomination, NominationBatch, NominationEvent,
                                  Posting)
from models.council import lists
from models.errors import RuleError
from models.registry.access import Actor, require, require_unit
from models.registry.tables import Household, Unit
from models.store import bulk as bulkio
from models.store import changelog, records
from models.store.paging import Listing
from models.store.tables import database, utcnow

MAX_ROWS = 900
# Each step of a list: the roles it needs and its name in a refusal. The Office runs
# the list; the council's roles record its vote.
STEPS = {
    "nominate": (nominations.OFFICE, "lập danh sách đề nghị"),
    "dossier": (nominations.OFFICE, "cập nhật hồ sơ"),
    "check": (nominations.OFFICE, "kiểm tra đề nghị"),
    "override": (nominations.OFFICE, "cho qua một điều kiện"),
    "late": (nominations.OFFICE, "chấp nhận thôn bình xét muộn"),
    "exclude": (nominations.OFFICE + nominations.COUNCIL_ROLES, "loại hộ khỏi danh sách"),
    "post": (nominations.OFFICE, "niêm yết công khai"),
    "council": (nominations.OFFICE, "trình Hội đồng"),
    "result": (nominations.COUNCIL_ROLES, "ghi kết quả biểu quyết"),
    "decide": (decisions.PREPARE, "lập quyết định"),
}
REVIEWERS = ("admin", "unit_officer", "viewer")  # who opens the villages' review
SEE_ALL = ("admin", "viewer")  # every village's review; a unit officer sees their own


def household_title(cfg) -> str:
    """The code of the title these lists are for: the one with `role = "household"`."""
    return cfg.title_with_role("household").code


def council_required(cfg) -> bool:
    """Whether the council votes the household lists (`council` of the title)."""
    return cfg.title(household_title(cfg)).council


def _chunks(items: list, size: int = MAX_ROWS):
    for i in range(0, len(items), size):
        yield items[i:i + size]


def allowed_actions(actor: Actor) -> frozenset[str]:
    """The steps of a list (keys of STEPS) `actor`'s roles allow; each step refuses
    by itself what the list's state does not allow."""
    return frozenset(step for step, (roles, _) in STEPS.items() if actor.has(*roles))


def _require(actor: Actor, step: str) -> None:
    roles, doing = STEPS[step]
    require(actor, *roles, action=doing)


def can_see_review(actor: Actor) -> bool:
    return actor.has(*REVIEWERS)


# --- the village review list ---------------------------------------------------------------

def review_query(village_id: int, year: int, query: str = "") -> pw.ModelSelect:
    """The village's households in name order, each with its review of `year`
    (`h.review` is None when not reviewed yet)."""
    from models.registry import people
    review = HouseholdReview.alias()
    select = (people.search_households(query, village_id)
              .select(Household, review.marked, review.reviewed_on)
              .join(review, pw.JOIN.LEFT_OUTER,
                    on=((review.household == Household.id) & (review.year == year)))
              .objects())
    return select


def review_listing(village_id: int, year: int) -> Listing:
    """The village's review list, paged."""
    return Listing(lambda query: review_query(village_id, year))


def is_marked(household_row) -> bool:
    return bool(getattr(household_row, "marked", None))


def mark(actor: Actor, year: int, household_id: int, marked: bool, today: dt.date
         ) -> HouseholdReview:
    """One key in the review list: the household is (or is no longer) proposed."""
    household = records.get(Household, household_id, "hộ gia đình")
    require_unit(actor, household.village_id, action="bình xét hộ gia đình")
    with database.atomic():
        row = HouseholdReview.get_or_none((HouseholdReview.year == year)
                                          & (HouseholdReview.household == household_id))
        if row is None:
            return records.insert(actor, HouseholdReview, household=household_id,
                                  village=household.village_id, year=year, marked=marked,
                                  reviewed_on=today, login=actor.login)
        before = changelog.snapshot(row)
        HouseholdReview.update(marked=marked, reviewed_on=today, login=actor.login).where(
            HouseholdReview.id == row.id).execute()
        row = HouseholdReview.get_by_id(row.id)
        changelog.record(actor.login, "household_review", row.id, "update", before=before,
                         after=changelog.snapshot(row))
        return row


def mark_all(actor: Actor, year: int, village_id: int, marked: bool, today: dt.date) -> int:
    """Mark (or unmark) every household of the village at once."""
    require_unit(actor, village_id, action="bình xét hộ gia đình")
    village = records.get(Unit, village_id, "thôn")
    if village.kind != "village":
        raise RuleError(f"{text.visible(village.name)} không phải là thôn.")
    ids = [h for (h,) in Household.select(Household.id)
           .where(Household.village == village_id).tuples()]
    with database.atomic():
        for chunk in _chunks(ids):
            HouseholdReview.delete().where((HouseholdReview.year == year)
                                           & HouseholdReview.household.in_(chunk)).execute()
        rows = [(h, village_id, year, marked, today, actor.login) for h in ids]
        for chunk in pw.chunked(rows, 4000):
            bulkio.insert_rows(HouseholdReview, [
                HouseholdReview.household, HouseholdReview.village, HouseholdReview.year,
                HouseholdReview.marked, HouseholdReview.reviewed_on,
                HouseholdReview.login], chunk)
        changelog.record(actor.login, "household_review", None, "bulk",
                         after={"village": village_id, "year": year, "marked": marked,
                                "rows": len(ids)})
    return len(ids)


def review_deadline(cfg, year: int) -> dt.date | None:
    """The day the villages' review must come before (25/11), or None."""
    title = cfg.title(household_title(cfg))
    if title.review_before is None:
        return None
    day, month = title.review_before
    return dt.date(year, month, day)


def is_late(cfg, year: int, reviewed_on: dt.date) -> bool:
    """A review on the deadline itself is late: the decree says "before" 25/11."""
    deadline = review_deadline(cfg, year)
    return deadline is not None and reviewed_on >= deadline


def late_review_warning(cfg, year: int, today: dt.date) -> str:
    """In Vietnamese, when a review entered today comes too late; else ""."""
    if not is_late(cfg, year, today):
        return ""
    return (f"Quá hạn bình xét {text.format_date(review_deadline(cfg, year))}: thôn bình xét "
            "muộn cần Văn phòng chấp nhận một lần cho cả thôn.")


# --- a village's late review: one answer of the Office for the whole village ------------

@dataclass(frozen=True)
class LateVillage:
    village_id: int
    name: str
    late: int                    # households marked on or after the deadline
    answer: LateVillageReview | None


def late_villages(cfg, year: int) -> list[LateVillage]:
    """The villages that marked households on or after the deadline, with the Office's
    answer when given."""
    deadline = review_deadline(cfg, year)
    if deadline is None:
        return []
    answers = {a.village_id: a for a in LateVillageReview.select()
               .where(LateVillageReview.year == year)}
    rows = (HouseholdReview.select(HouseholdReview.village, pw.fn.COUNT(HouseholdReview.id))
            .where((HouseholdReview.year == year) & HouseholdReview.marked
                   & (HouseholdReview.reviewed_on >= deadline))
            .group_by(HouseholdReview.village).tuples())
    names = dict(Unit.select(Unit.id, Unit.name).where(Unit.kind == "village").tuples())
    return sorted((LateVillage(v, names.get(v, ""), n, answers.get(v)) for v, n in rows),
                  key=lambda lv: text.fold(lv.name))


def late_village(cfg, year: int, village_id: int) -> LateVillage | None:
    """The village's late review and the Office's answer; None when it was on time."""
    return next((lv for lv in late_villages(cfg, year) if lv.village_id == village_id), None)


def answer_late_village(actor: Actor, cfg, year: int, village_id: int, accepted: bool,
                        reason: str) -> LateVillageReview:
    """The Office accepts (or refuses) a village's late review once, for all its
    households, with a reason; the next check (Ctrl+R) applies it."""
    _require(actor, "late")
    clean = text.clean_text(reason, "Lý do", required=True, max_len=1000)
    if late_village(cfg, year, village_id) is None:
        raise RuleError("Thôn này bình xét đúng hạn: không cần chấp nhận.")
    with database.atomic():
        row = LateVillageReview.get_or_none((LateVillageReview.year == year)
                                            & (LateVillageReview.village == village_id))
        if row is None:
            return records.insert(actor, LateVillageReview, village=village_id, year=year,
                                  accepted=bool(accepted), reason=clean, login=actor.login)
        return records.update(actor, LateVillageReview, row.id, row.version,
                              "ý kiến về thôn bình xét muộn", accepted=bool(accepted),
                              reason=clean, login=actor.login)


def _accepted_late(year: int) -> dict[int, str]:
    """Village id -> the override reason its households' late review passes with."""
    return {a.village_id: f"Văn phòng chấp nhận thôn bình xét muộn: {a.reason}"
            for a in LateVillageReview.select().where((LateVillageReview.year == year)
                                                      & LateVillageReview.accepted)}


# --- one household of the list: its check, and the Office's override ---------------------

def household_nomination(household_id: int, year: int) -> Nomination | None:
    """The household's newest nomination on a list of the year, if any (lists are
    only ever of the household title)."""
    return (Nomination.select().where((Nomination.household == household_id)
                                      & (Nomination.year == year)
                                      & Nomination.batch.is_null(False))
            .order_by(Nomination.id.desc()).first())


def _overrides(nomination_ids: list[int], year: int, villages: dict[int, int]
               ) -> dict[int, dict[str, str]]:
    """Each nomination's overridden rules: its own, and its village's late review
    when the Office accepted it (`villages`: nomination id -> village id)."""
    out: dict[int, dict[str, str]] = {}
    accepted = _accepted_late(year)
    for nom_id, village in villages.items():
        if village in accepted:
            out.setdefault(nom_id, {})["review"] = accepted[village]
    for chunk in _chunks(nomination_ids):
        for o in EligibilityOverride.select().where(EligibilityOverride.nomination.in_(chunk)):
            out.setdefault(o.nomination_id, {})[o.rule] = o.reason
    return out


def failed_rules(cfg, nomination: Nomination) -> list[eligibility.RuleResult]:
    """The rules the household fails now (overridden ones are not failed)."""
    overrides = _overrides([nomination.id], nomination.year,
                           {nomination.id: nomination.proposing_unit_id})
    return eligibility.evaluate(cfg, nomination, overrides=overrides.get(nomination.id, {})
                                ).failed


def overridable(cfg, household_id: int, year: int
                ) -> tuple[Nomination, list[eligibility.RuleResult]]:
    """The household's nomination found short of the rules, with the rules it fails
    now: what the Office may let pass. Refused when there is nothing to let pass."""
    nom = household_nomination(household_id, year)
    if nom is None or not nominations.not_eligible(nom):
        raise RuleError("Hộ này không có đề nghị chưa đủ điều kiện để cho qua (kiểm tra danh "
                        "sách trước: Ctrl+R ở màn hình Gia đình văn hóa).")
    failed = failed_rules(cfg, nom)
    if not failed:
        raise RuleError("Hộ này không còn điều kiện nào không đạt; kiểm tra lại danh sách.")
    return nom, failed


def override(actor: Actor, cfg, nomination_id: int, rule: str, reason: str):
    """The Office lets one failed rule pass for one household of a list, with a
    reason (kept), and checks that household again; returns (nomination, check)."""
    _require(actor, "override")
    nom = nominations.get(nomination_id)
    if nom.batch_id is None:
        raise RuleError(f"Đề nghị số {nom.id} không thuộc danh sách bình xét.")
    if nom.state != "checked":
        raise RuleError(f"Chỉ cho qua được khi đề nghị đã được kiểm tra, chưa niêm yết "
                        f"(đang “{nominations.state_name(nom.state)}”).")
    with database.atomic():
        return nominations.override(actor, cfg, nomination_id, rule, reason)


@dataclass(frozen=True)
class VillageProgress:
    village_id: int
    name: str
    households: int
    reviewed: int
    marked: int


def progress(year: int, actor: Actor | None = None) -> list[VillageProgress]:
    """Each village (those `actor` follows, when given): households, how many
    reviewed and how many marked."""
    totals = dict(Household.select(Household.village, pw.fn.COUNT(Household.id))
                  .group_by(Household.village).tuples())
    reviewed: dict[int, list[int]] = {}
    for village, marked, count in (HouseholdReview.select(
            HouseholdReview.village, HouseholdReview.marked, pw.fn.COUNT(HouseholdReview.id))
            .where(HouseholdReview.year == year)
            .group_by(HouseholdReview.village, HouseholdReview.marked).tuples()):
        entry = reviewed.setdefault(village, [0, 0])
        entry[0] += count
        if marked:
            entry[1] += count
    villages = Unit.select().where(Unit.kind == "village")
    if actor is not None and not actor.has(*SEE_ALL):
        villages = villages.where(Unit.id.in_(list(actor.unit_ids)))
    out = []
    for v in villages.order_by(Unit.search_key):
        done, yes = reviewed.get(v.id, [0, 0])
        out.append(VillageProgress(v.id, v.name, totals.get(v.id, 0), done, yes))
    return out


def village_progress(year: int, village_id: int) -> VillageProgress:
    """One village's review: its name, households, how many reviewed and marked."""
    village = records.get(Unit, village_id, "thôn")
    households = Household.select().where(Household.village == village_id).count()
    reviews = HouseholdReview.select().where((HouseholdReview.village == village_id)
                                             & (HouseholdReview.year == year))
    return VillageProgress(village.id, village.name, households, reviews.count(),
                           reviews.where(HouseholdReview.marked).count())


# --- one nomination list, checked, posted, voted, decided --------------------------------------

def nominate(actor: Actor, cfg, year: int, village_ids: list[int] | None = None,
             name: str = "") -> NominationBatch:
    """One nomination list of every household marked in the villages' reviews (all
    villages unless named) and not yet on another list of the year."""
    _require(actor, "nominate")
    title_code = household_title(cfg)
    title = cfg.title(title_code)
    if "household" not in title.subjects:
        raise RuleError(f"{title.name} không xét cho hộ gia đình.")
    year = fields.year(year)
    with database.atomic():
        already = (Nomination.select(Nomination.household)
                   .where((Nomination.title_code == title_code) & (Nomination.year == year)
                          & Nomination.state.in_(eligibility.LIVE)
                          & Nomination.household.is_null(False)))
        query = (HouseholdReview.select(HouseholdReview.household, HouseholdReview.village)
                 .where((HouseholdReview.year == year) & HouseholdReview.marked
                        & HouseholdReview.household.not_in(already)))
        if village_ids:
            query = query.where(HouseholdReview.village.in_(village_ids))
        marked = list(query.order_by(HouseholdReview.village, HouseholdReview.household).tuples())
        if not marked:
            raise RuleError("Chưa có hộ nào được thôn bình xét đạt (hoặc đã có trong danh "
                            "sách khác).")
        batch = records.insert(actor, NominationBatch, title_code=title_code, year=year,
                               name=fields.optional_text(name, "Tên danh sách", max_len=300)
                               or f"Đề nghị công nhận {title.name} năm {year}",
                               created_by=actor.login)
        for position, label in enumerate(title.dossier, 1):
            records.insert(actor, DossierItem, batch=batch.id, position=position, label=label)
        now = utcnow()
        first = Nomination.select(pw.fn.MAX(Nomination.id)).scalar() or 0
        rows = [("household", h, title_code, year, village, actor.login, "submitted", batch.id,
                 now) for h, village in marked]
        for chunk in pw.chunked(rows, 3000):
            bulkio.insert_rows(Nomination, [
                Nomination.subject_kind, Nomination.household, Nomination.title_code,
                Nomination.year, Nomination.proposing_unit, Nomination.proposed_by,
                Nomination.state, Nomination.batch, Nomination.created_at], chunk)
        ids = [i for (i,) in Nomination.select(Nomination.id)
               .where((Nomination.id > first) & (Nomination.batch == batch.id)).tuples()]
        events = [(i, "", "submitted", now, actor.login, f"Danh sách “{batch.name}”")
                  for i in ids]
        for chunk in pw.chunked(events, 4000):
            bulkio.insert_rows(NominationEvent, nominations.EVENT_FIELDS, chunk)
        changelog.record(actor.login, "nomination", None, "bulk",
                         after={"batch": batch.id, "rows": len(ids)})
    return batch


def members(batch_id: int, state: str | tuple[str, ...] | None = None) -> list[int]:
    query = Nomination.select(Nomination.id).where(Nomination.batch == batch_id)
    if state is not None:
        states = (state,) if isinstance(state, str) else state
        query = query.where(Nomination.state.in_(states))
    return [i for (i,) in query.order_by(Nomination.id).tuples()]


def counts(batch_id: int) -> dict[str, int]:
    return dict(Nomination.select(Nomination.state, pw.fn.COUNT(Nomination.id))
                .where(Nomination.batch == batch_id).group_by(Nomination.state).tuples())


def mark_dossier_received(actor: Actor, batch_id: int, received_on) -> None:
    """The commune received the list's papers (the village's proposal, the list with
    the residents' comments, the review minutes) on `received_on`."""
    _require(actor, "dossier")
    day = fields.required_date(received_on, "Ngày nhận hồ sơ")
    for item in DossierItem.select().where(DossierItem.batch == batch_id):
        if not item.received:
            records.update(actor, DossierItem, item.id, item.version, "giấy tờ hồ sơ",
                           received=True, received_on=day)


def dossier_complete_on(batch_id: int) -> dt.date | None:
    """The day the list's last paper arrived; None while one is missing."""
    items = list(DossierItem.select().where(DossierItem.batch == batch_id))
    if not items or not all(i.received for i in items):
        return None
    return max(i.received_on for i in items)


def decision_deadline(cfg, batch: NominationBatch) -> dt.date | None:
    """The chairman decides within `decide_within_days` of receiving the complete
    dossier (Nghị định 86/2023 Art. 8); None without a limit or a complete dossier."""
    days = cfg.title(batch.title_code).decide_within_days
    complete = dossier_complete_on(batch.id)
    if not days or complete is None:
        return None
    return complete + dt.timedelta(days=days)


def posting_ends(cfg, starts: dt.date) -> dt.date:
    """The last day of a posting of `[posting] days` days from `starts`: counted from
    the next day when the first is not counted (the Civil Code's way)."""
    return starts + dt.timedelta(days=cfg.posting.days - int(cfg.posting.count_first_day))


def receive_and_check(actor: Actor, cfg, batch_id: int, received_on) -> tuple[int, int]:
    """One key (the Office's check): the papers received and every household checked,
    in one transaction, so that a kill between the two leaves neither."""
    with database.atomic():
        mark_dossier_received(actor, batch_id, received_on)
        return check(actor, cfg, batch_id)


def check(actor: Actor, cfg, batch_id: int) -> tuple[int, int]:
    """Check every household of the list; returns (eligible, not eligible)."""
    _require(actor, "check")
    batch = records.get(NominationBatch, batch_id, "danh sách đề nghị")
    with database.atomic():
        cols = [Nomination.id, Nomination.subject_kind, Nomination.household,
                Nomination.title_code, Nomination.year, Nomination.ad_hoc, Nomination.state,
                Nomination.batch, Nomination.proposing_unit]
        # Plain rows, not models: the rules read these attributes only, and building
        # thousands of model instances would cost more than the rules themselves.
        noms = [SimpleNamespace(id=i, subject_kind=kind, household_id=h, person_id=None,
                                unit_id=None, title_code=code, year=y, ad_hoc=adhoc,
                                state=st, batch_id=b, campaign_id=None, proposing_unit_id=v)
                for i, kind, h, code, y, adhoc, st, b, v in Nomination.select(*cols)
                .where((Nomination.batch == batch_id)
                       & Nomination.state.in_(("submitted", "checked"))).tuples()]
        facts = eligibility.HouseholdFacts(noms, batch.year, batch.title_code)
        overrides = _overrides([n.id for n in noms], batch.year,
                               {n.id: n.proposing_unit_id for n in noms})
        groups: dict[tuple[bool, str], list[int]] = {}
        old_state = {}
        for nom in noms:
            result = eligibility.evaluate(cfg, nom, facts, overrides.get(nom.id, {}))
            groups.setdefault((result.eligible, result.text()), []).append(nom.id)
            old_state[nom.id] = nom.state
        ok = bad = 0
        now = utcnow()
        for (eligible, notes), ids in groups.items():
            for chunk in _chunks(ids):
                Nomination.update(state="checked", eligible=eligible, check_notes=notes,
                                  version=Nomination.version + 1).where(
                    Nomination.id.in_(chunk)).execute()
            verdict = "Đủ điều kiện" if eligible else "Chưa đủ điều kiện"
            bulkio.insert_rows(NominationEvent, nominations.EVENT_FIELDS,
                               [(i, old_state[i], "checked", now, actor.login, verdict)
                                for i in ids])
            if eligible:
                ok += len(ids)
            else:
                bad += len(ids)
        changelog.record(actor.login, "nomination", None, "bulk",
                         after={"batch": batch_id, "checked": ok + bad, "eligible": ok})
    return ok, bad


def post(actor: Actor, cfg, batch_id: int, starts_on, place: str = "") -> Posting:
    """Post the list's eligible households for public comment."""
    _require(actor, "post")
    batch = records.get(NominationBatch, batch_id, "danh sách đề nghị")
    starts = fields.required_date(starts_on, "Ngày bắt đầu niêm yết")
    ends = posting_ends(cfg, starts)
    ids = [i for (i,) in Nomination.select(Nomination.id)
           .where((Nomination.batch == batch_id) & (Nomination.state == "checked")
                  & (Nomination.eligible == True)).tuples()]  # noqa: E712
    if not ids:
        raise RuleError("Danh sách chưa có hộ nào đủ điều kiện để niêm yết.")
    with database.atomic():
        posting = records.insert(actor, Posting, title=batch.name, starts_on=starts,
                                 ends_on=ends, place=fields.optional_text(place, "Nơi niêm yết"),
                                 created_by=actor.login)
        nominations.bulk_move(actor, ids, ("checked",), "posted",
                              f"Niêm yết từ {text.format_date(starts)} đến "
                              f"{text.format_date(ends)}", posting=posting.id)
    return posting


def _after_posting(cfg, batch_id: int, today: dt.date, next_step: str) -> list[int]:
    """The households ready for the next step: posted, once the posting is over, or
    checked eligible when the title needs no posting."""
    ids = members(batch_id, "posted")
    if not ids:
        title = cfg.title(records.get(NominationBatch, batch_id, "danh sách").title_code)
        if members(batch_id, "checked") and title.posting_required:
            raise RuleError(f"{title.name} phải niêm yết công khai trước khi {next_step}.")
        return [i for (i,) in Nomination.select(Nomination.id).where(
            (Nomination.batch == batch_id) & (Nomination.state == "checked")
            & (Nomination.eligible == True)).tuples()]  # noqa: E712
    posting = Nomination.get_by_id(ids[0]).posting
    if posting is not None and today <= posting.ends_on:
        raise RuleError(f"Đang niêm yết đến hết {text.format_date(posting.ends_on)}: chưa "
                        f"{next_step} được.")
    return ids


def to_council(actor: Actor, cfg, batch_id: int, today: dt.date) -> int:
    """The list goes before the council. With the title's `council` switch on, each
    village's households become one line of the council's ballots (council/lists.py):
    the session's agenda takes them and the line's result goes to every household."""
    _require(actor, "council")
    ids = _after_posting(cfg, batch_id, today, "trình Hội đồng")
    with database.atomic():
        moved = nominations.bulk_move(actor, ids, ("posted", "checked"), "at_council",
                                      "Trình Hội đồng")
        if council_required(cfg):
            lists.put_before_council(actor, cfg, batch_id, ids)
        return moved


def exclude(actor: Actor, household_id: int, year: int, reason: str) -> Nomination:
    """Take one household off the year's list, with its reason (a resident's objection
    during the posting, the council's view): before the council it is withdrawn; on
    a village's line before the council, the list is voted without it (it fails,
    named in the minutes, when the list passes); otherwise at the council it fails."""
    _require(actor, "exclude")
    clean = text.clean_text(reason, "Lý do loại", required=True, max_len=1000)
    nom = household_nomination(household_id, year)
    if nom is None or nom.state not in ("checked", "posted", "at_council"):
        raise RuleError("Hộ này không có đề nghị đang chờ quyết định để loại khỏi danh sách.")
    with database.atomic():
        if nom.state == "at_council" and lists.member_of(nom.id) is not None:
            lists.exclude(actor, nom.id, clean)
        else:
            to = "failed" if nom.state == "at_council" else "withdrawn"
            nominations.bulk_move(actor, [nom.id], (nom.state,), to,
                                  f"Loại khỏi danh sách: {clean}")
    return Nomination.get_by_id(nom.id)


def exclusion(household_id: int, year: int) -> str:
    """Why the council takes the household off its village's line ("" when it does not)."""
    nom = household_nomination(household_id, year)
    member = lists.member_of(nom.id) if nom is not None else None
    return member.excluded if member is not None and nom.state == "at_council" else ""


def record_result(actor: Actor, batch_id: int, passed: bool, reason: str = "",
                  except_ids: list[int] = ()) -> int:
    """The council votes the list as a whole; `except_ids` get the other outcome.
    Refused for a list on the council's ballots: their close records the result."""
    _require(actor, "result")
    ids = members(batch_id, "at_council")
    if lists.on_a_line(ids):
        raise RuleError("Danh sách đang chờ Hội đồng bỏ phiếu (mỗi thôn một dòng trên phiếu): "
                        "kết quả ghi khi kết thúc phiếu ở mục Hội đồng.")
    others = set(except_ids)
    main = [i for i in ids if i not in others]
    rest = [i for i in ids if i in others]
    default = "Hội đồng thông qua" if passed else "Hội đồng không thông qua"
    clean = fields.optional_text(reason, "Kết quả", max_len=1000) or default
    with database.atomic():
        n = nominations.bulk_move(actor, main, ("at_council",), "passed" if passed else "failed",
                                  clean)
        nominations.bulk_move(actor, rest, ("at_council",), "failed" if passed else "passed",
                              clean)
    return n


def decide(actor: Actor, cfg, batch_id: int, title: str, decided_on, signer: str = ""):
    """One draft decision listing every passed household of the list. Without a
    council step (`council = false`) the households come straight from the posting,
    once it is over (the check already required the complete dossier)."""
    _require(actor, "decide")
    day = fields.required_date(decided_on, "Ngày quyết định")
    with database.atomic():
        if not council_required(cfg) and not members(batch_id, ("at_council", "passed")):
            nominations.bulk_move(actor, _after_posting(cfg, batch_id, day, "lập quyết định"),
                                  ("posted", "checked"), "passed",
                                  "Hết niêm yết, trình Chủ tịch (không qua Hội đồng)")
        passed = members(batch_id, "passed")
        if not passed:
            raise RuleError("Danh sách chưa có hộ nào được thông qua để lập quyết định.")
        decision = decisions.create(actor, title, day, signer)
        decisions.add_nominations(actor, cfg, decision.id, passed)
    return decision


def batches(year: int | None = None) -> list[NominationBatch]:
    query = NominationBatch.select()
    if year is not None:
        query = query.where(NominationBatch.year == year)
    return list(query.order_by(NominationBatch.id.desc()))


def latest_batch(year: int) -> NominationBatch | None:
    """The year's newest list, the one the Office works on; None before the first."""
    found = batches(year)
    return found[0] if found else None
