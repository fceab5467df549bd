"""The demo commune's award work in progress (issue 6), so that the nominations
(F6), decisions (F8) and council (F7) screens have something to show:

- the current year's nominations in every state: drafts, submitted, checked
  (one Chiến sĩ thi đua cơ sở failing for want of an initiative, journey 4),
  posted for public comment with a citizen's comment, at the council (a few
  Lao động tiên tiến, and an ad hoc Giấy khen for a good deed, journey 7);
- the staff's yearly assessment the rules read;
- the fund's allocations and a donation;
- every decision of the award history, issued, with its list and money (priced where the
  configured base salary reaches its date, else 0 đ), and its number in the register.

Like models/demo/build.py: deterministic from the seed, bulk inserts only (one
change-log entry per table, written by the caller), with explicit dates and
times instead of the clock's. The eligibility results are the real rules'
(models/awards/eligibility.py), computed once the rows they read are written.
"""
from __future__ import annotations

import datetime as dt

from models.awards import eligibility
from models.awards.money import award_amount
from models.awards.tables import (Decision, DecisionAward, DocumentNumber, DossierItem, FundEntry,
                                  MemberRating, Nomination, NominationEvent, Posting,
                                  PostingComment, Recognition)
from models.demo.names import OFFICE, THEMES
from models.errors import RuleError

YEAR = max(THEMES)               # the demo's current year (its newest movement): 2026
OFFICE_LOGIN, FINANCE_LOGIN, CHAIRMAN_LOGIN = "vanphong", "ketoan", "chutich"
RATING_WEIGHTS = (("excellent", 25), ("good", 60), ("completed", 15))
# How many Lao động tiên tiến nominations in each state, in this order.
LDTT_STATES = (("at_council", 5), ("posted", 3), ("checked", 2), ("submitted", 2),
               ("draft", 2))
PATH = ("draft", "submitted", "checked", "posted", "at_council")
# When each step happened: the year-end review of journey 4.
STEP_DAY = {"draft": dt.date(YEAR, 11, 2), "submitted": dt.date(YEAR, 11, 5),
            "checked": dt.date(YEAR, 11, 10), "posted": dt.date(YEAR, 11, 16),
            "at_council": dt.date(YEAR, 11, 18)}
POSTED_FROM = dt.date(YEAR, 11, 16)
COMMENT_DAY = dt.date(YEAR, 11, 20)
DEED_DAY = dt.date(YEAR, 11, 21)
DEED = ("Lao xuống sông Bàn Thạch cứu một cháu bé bị đuối nước, rồi sơ cứu cho cháu "
        "tỉnh lại trước khi đưa đến trạm y tế xã.")
COMMENT = ("Đề nghị làm rõ thêm kết quả công tác tiếp dân năm {year} trong báo cáo "
           "thành tích.")
# The past years' allocations pay for the history's decisions (issued in the store).
FUND = (*((year, "allocation", 60_000_000, dt.date(year, 1, 10),
           "Trích 1% chi thường xuyên ngân sách xã") for year in range(YEAR - 3, YEAR)),
        (YEAR, "allocation", 80_000_000, dt.date(YEAR, 1, 12),
         "Trích 1% chi thường xuyên ngân sách xã"),
        (YEAR, "donation", 5_000_000, dt.date(YEAR, 5, 19),
         "Hợp tác xã NN KD DV ủng hộ quỹ"))


def _at(day: dt.date, minute: int = 0) -> dt.datetime:
    """A time on `day` during office hours (UTC, as utcnow stores it)."""
    return dt.datetime(day.year, day.month, day.day, 1, 0) + dt.timedelta(minutes=minute)


def write(demo) -> None:
    """Add the award work to a demo being written (`demo` is models.demo._Demo,
    with its people, units and history already in the database)."""
    _Writer(demo).write()


class _Writer:
    def __init__(self, demo):
        self.demo, self.cfg, self.rng = demo, demo.cfg, demo.rng

    def write(self) -> None:
        self._fund()
        self._history_decisions()
        staff = self.demo._staff()
        ratings = self._ratings(staff)
        if YEAR in self.demo.campaign_ids:
            self._nominations(staff, ratings)

    # --- money -------------------------------------------------------------------------

    def _fund(self) -> None:
        self.demo.insert(FundEntry, [FundEntry.year, FundEntry.kind, FundEntry.amount,
                                     FundEntry.entered_on, FundEntry.source, FundEntry.login],
                         [(*row, FINANCE_LOGIN) for row in FUND])

    def _history_decisions(self) -> None:
        """Every number the history used in the register (typed numbers are checked
        there), and each of its commendation decisions as an issued decision listing the
        awards the history names it for."""
        demo = self.demo
        self.demo.insert(DocumentNumber, [DocumentNumber.year, DocumentNumber.doc_type,
                                          DocumentNumber.issuer, DocumentNumber.number,
                                          DocumentNumber.what, DocumentNumber.at,
                                          DocumentNumber.login],
                         [(year, "QĐ", "UBND", number, what, _at(day), OFFICE_LOGIN)
                          for year, number, day, what in sorted(demo.decisions.register)])
        by_decision: dict[tuple[dt.date, str], list[tuple]] = {}
        for row in demo.history:
            by_decision.setdefault((row[6], row[5]), []).append(row)
        from models.demo.build import LEADERSHIP
        leaders = demo.posts.get(LEADERSHIP, [])
        chairman = demo.cfg.commune.chairman or (
            demo.people[leaders[0]].full_name if leaders else "")
        keys = sorted(by_decision)
        ids = demo.insert(Decision, [
            Decision.title, Decision.decided_on, Decision.signer, Decision.doc_type,
            Decision.issuer, Decision.number, Decision.issued, Decision.issued_at,
            Decision.issued_by, Decision.note, Decision.created_by],
            [(self._title(by_decision[day, ref]), day, chairman, "QĐ", "UBND",
              int(ref.removeprefix("Số: ").split("/")[0]), True, _at(day, 120),
              CHAIRMAN_LOGIN, "", OFFICE_LOGIN) for day, ref in keys])
        rows = []
        for decision_id, key in zip(ids, keys):
            for code, year, person, unit, household, _, day, _ in by_decision[key]:
                kind = self._kind(code, person, household)
                rows.append((decision_id, code, kind, person, unit, household, year,
                             self._amount(code, kind, day)))
        demo.insert(DecisionAward, [DecisionAward.decision, DecisionAward.title_code,
                                    DecisionAward.subject_kind, DecisionAward.person,
                                    DecisionAward.unit, DecisionAward.household,
                                    DecisionAward.year, DecisionAward.amount], rows)

    def _title(self, rows: list[tuple]) -> str:
        names = dict.fromkeys(self.cfg.title(code).name for code, *_ in rows)
        return f"Về việc khen thưởng {', '.join(names)} năm {rows[0][1]}"

    def _kind(self, code: str, person, household) -> str:
        if person is not None:
            return "individual"
        if household is not None:
            return "household"
        return "village" if "village" in self.cfg.title(code).subjects else "collective"

    def _amount(self, code: str, kind: str, day: dt.date) -> int:
        """What the award paid; 0 before the configuration's first base salary (the
        demo's early years), whose money the commune's books hold, not thidua."""
        try:
            return award_amount(self.cfg, code, kind, day)
        except RuleError:
            return 0

    # --- the year's nominations -------------------------------------------------------

    def _ratings(self, staff: list[int]) -> dict[int, str]:
        codes = [c for c, _ in RATING_WEIGHTS]
        weights = [w for _, w in RATING_WEIGHTS]
        ratings = {i: self.rng.choices(codes, weights)[0] for i in staff}
        self.demo.insert(MemberRating, [MemberRating.person, MemberRating.year,
                                        MemberRating.rating],
                         [(self.demo.person_ids[i], YEAR, r) for i, r in ratings.items()])
        return ratings

    def _unit_of(self, i: int) -> int | None:
        unit = self.demo.people[i].unit
        return self.demo.unit_ids.get(unit) or self.demo.unit_ids.get(OFFICE)

    def _nominations(self, staff: list[int], ratings: dict[int, str]) -> None:
        demo = self.demo
        campaign = demo.campaign_ids[YEAR]
        pool = [i for i in staff if ratings[i] in eligibility.TASKS_WELL]
        self.rng.shuffle(pool)
        # (person index, title, state, ad hoc, summary)
        planned: list[tuple[int, str, str, bool, str]] = []
        for state, count in LDTT_STATES:
            for i in pool[:count]:
                planned.append((i, "LDTT", state, False,
                                f"Hoàn thành tốt nhiệm vụ năm {YEAR}: "
                                f"{demo.people[i].position or 'cán bộ'}."))
            pool = pool[count:]
        champion = next((p for p in planned if p[2] == "at_council"), None)
        if champion is not None:  # journey 4: no recognised initiative this year
            planned.append((champion[0], "CSTDCS", "checked", False,
                            f"Hoàn thành xuất sắc nhiệm vụ năm {YEAR}; đề nghị Chiến sĩ "
                            "thi đua cơ sở."))
        residents = [i for i, p in enumerate(demo.people) if p.recruited_on is None]
        hero = self.rng.choice(residents) if residents else None
        if hero is not None:
            planned.append((hero, "GIAYKHEN", "at_council", True, DEED))
        if not planned:
            return
        ids = demo.insert(Nomination, [
            Nomination.subject_kind, Nomination.person, Nomination.title_code,
            Nomination.campaign, Nomination.year, Nomination.summary,
            Nomination.proposing_unit, Nomination.proposed_by, Nomination.state,
            Nomination.ad_hoc, Nomination.created_at],
            [("individual", demo.person_ids[i], code, None if ad_hoc else campaign, YEAR,
              summary, self._unit_of(i), OFFICE_LOGIN, state, ad_hoc,
              _at(DEED_DAY if ad_hoc else STEP_DAY["draft"], n))
             for n, (i, code, state, ad_hoc, summary) in enumerate(planned)])
        self._dossiers(ids, planned)
        posting = self._posting(ids, planned)
        verdicts = self._check(ids, planned)
        self._events(ids, planned, verdicts, posting)
        if hero is not None:
            demo.insert(Recognition, [Recognition.kind, Recognition.person, Recognition.name,
                                      Recognition.happened_on, Recognition.year,
                                      Recognition.description, Recognition.nomination,
                                      Recognition.recorded_by],
                        [("good_deed", demo.person_ids[hero], demo.people[hero].full_name,
                          DEED_DAY, YEAR, DEED, ids[-1], OFFICE_LOGIN)])

    def _dossiers(self, ids: list[int], planned: list[tuple]) -> None:
        rows = []
        for nid, (_, code, state, ad_hoc, _) in zip(ids, planned):
            day = DEED_DAY if ad_hoc else STEP_DAY["submitted"]
            for position, label in enumerate(self.cfg.title(code).dossier, 1):
                received = state != "draft" or position == 1
                rows.append((nid, position, label, received, day if received else None))
        self.demo.insert(DossierItem, [DossierItem.nomination, DossierItem.position,
                                       DossierItem.label, DossierItem.received,
                                       DossierItem.received_on], rows)

    def _posting(self, ids: list[int], planned: list[tuple]) -> int | None:
        posted = [nid for nid, p in zip(ids, planned) if p[2] == "posted"]
        if not posted:
            return None
        ends = POSTED_FROM + dt.timedelta(days=self.cfg.posting.days - 1)
        [posting] = self.demo.insert(Posting, [
            Posting.title, Posting.starts_on, Posting.ends_on, Posting.place,
            Posting.created_by],
            [(f"Danh sách đề nghị khen thưởng năm {YEAR}", POSTED_FROM, ends,
              "Trụ sở UBND xã và Đài truyền thanh xã", OFFICE_LOGIN)])
        Nomination.update(posting=posting).where(Nomination.id.in_(posted)).execute()
        citizens = [p for p in self.demo.people if p.recruited_on is None]
        author = self.rng.choice(citizens).full_name if citizens else ""
        self.demo.insert(PostingComment, [
            PostingComment.posting, PostingComment.nomination, PostingComment.received_on,
            PostingComment.author, PostingComment.text, PostingComment.recorded_by],
            [(posting, posted[0], COMMENT_DAY, author, COMMENT.format(year=YEAR),
              OFFICE_LOGIN)])
        return posting

    def _check(self, ids: list[int], planned: list[tuple]) -> dict[int, str]:
        """The Office's check of every nomination past "submitted", by the real rules;
        returns each one's verdict (the reason of its "checked" event)."""
        verdicts = {}
        for nid, (_, _, state, _, _) in zip(ids, planned):
            if state in ("draft", "submitted"):
                continue
            nom = Nomination.get_by_id(nid)
            result = eligibility.evaluate(self.cfg, nom)
            initiative = (eligibility.initiative_counted(self.cfg, nom) if result.eligible
                          else None)
            Nomination.update(eligible=result.eligible, check_notes=result.text(),
                              initiative=initiative).where(Nomination.id == nid).execute()
            verdicts[nid] = "Đủ điều kiện" if result.eligible else (
                "Chưa đủ điều kiện: " + "; ".join(r.explanation for r in result.failed))
        return verdicts

    def _events(self, ids: list[int], planned: list[tuple], verdicts: dict[int, str],
                posting: int | None) -> None:
        ends = POSTED_FROM + dt.timedelta(days=self.cfg.posting.days - 1)
        reasons = {"draft": "Lập đề nghị", "submitted": "Gửi Văn phòng",
                   "posted": (f"Niêm yết từ {POSTED_FROM:%d/%m/%Y} đến {ends:%d/%m/%Y}"),
                   "at_council": "Trình Hội đồng"}
        rows = []
        for n, (nid, (_, code, state, ad_hoc, _)) in enumerate(zip(ids, planned)):
            steps = list(PATH[:PATH.index(state) + 1])
            if state == "at_council" and not ad_hoc and code == "LDTT":
                steps.remove("posted")  # no posting required for Lao động tiên tiến
            if ad_hoc:
                steps.remove("posted")
            before = ""
            for step in steps:
                reason = verdicts.get(nid, "") if step == "checked" else reasons[step]
                if ad_hoc:
                    reason = {"draft": "Lập đề nghị", "submitted": "Khen đột xuất",
                              "at_council": "Khen đột xuất: trình Hội đồng ngay"}.get(
                                  step, reason)
                when = _at(DEED_DAY, 60 + 5 * len(rows)) if ad_hoc else _at(STEP_DAY[step], n)
                rows.append((nid, before, step, when, OFFICE_LOGIN, reason))
                before = step
        self.demo.insert(NominationEvent, [
            NominationEvent.nomination, NominationEvent.from_state, NominationEvent.to_state,
            NominationEvent.at, NominationEvent.login, NominationEvent.reason], rows)

