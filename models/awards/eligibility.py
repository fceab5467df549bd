"""Eligibility of a nomination, rule by rule, each with a Vietnamese explanation.

`evaluate()` reads the data and the configuration and changes nothing; the
nominations module stores its result when the Office checks a nomination.
The facts a rule needs (who holds which title, who is under discipline...)
come through a `Facts` object: the plain one asks the database per
nomination, `HouseholdFacts` reads a whole Gia đình văn hóa list at once.

What counts towards a title (DOMAIN.md, further rules): awards in the title
history and nominations still under way, but never ad hoc (đột xuất) or
thematic (chuyên đề) ones; one achievement earns one award.

Rules never name a title code: what a rule needs (the basic individual title, the
household title...) is the title's `role` in the configuration.  A title is considered
on its `review_on` day of the year (an ad hoc act, on the day it is proposed): the
recruitment period runs to it, and a matter pending on it bars the award (Nghị định
152/2025/NĐ-CP, Art. 4).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from fractions import Fraction

import peewee as pw

from models import text
from models.awards.ratings import person_rating, unit_rating
from models.awards.tables import (DISCIPLINE_FORMS, FLAG_KINDS, INITIATIVE_KINDS, RATINGS,
                                  SUBJECT_KINDS, DossierItem, EligibilityOverride, HouseholdReview,
                                  Initiative, InitiativeAuthor, MemberRating, Nomination,
                                  PersonFlag, TitleAward)
from models.cycle.tables import Campaign, CampaignUnit
from models.errors import RuleError
from models.registry.access import Actor, require
from models.registry.tables import Household, Person
from models.store import records
from models.store.tables import database

# Nominations that still count: not returned, withdrawn, failed or a draft.
LIVE = ("submitted", "checked", "posted", "at_council", "passed", "decided")
TASKS_WELL = ("excellent", "good")
TASKS_DONE = ("excellent", "good", "completed")
RATING_ORDER = tuple(RATINGS)           # best first
FORM_ORDER = tuple(DISCIPLINE_FORMS)    # lightest first
DECIDERS = {"province": "cấp tỉnh", "district": "cấp huyện"}
ACHIEVEMENT_WORDS = {"excellent": "hoàn thành xuất sắc nhiệm vụ",
                     "initiative": "sáng kiến được công nhận",
                     "research": "đề tài nghiên cứu được nghiệm thu"}

FAILED = "[Không đạt]"  # a failed rule's line starts so, in the check kept on a nomination
RULE_NAMES = {
    "subject": "Đối tượng", "ad_hoc": "Khen đột xuất", "recruitment": "Thời gian công tác",
    "tasks": "Kết quả thực hiện nhiệm vụ", "participation": "Tham gia phong trào",
    "prerequisite": "Danh hiệu cần có",
    "initiative": "Hoàn thành xuất sắc nhiệm vụ, sáng kiến hoặc đề tài",
    "unit_rating": "Xếp loại của tập thể", "member_discipline": "Thành viên bị kỷ luật",
    "decided_by": "Cấp quyết định",
    "share_ldtt": "Tỷ lệ Lao động tiên tiến", "share_tasks": "Tỷ lệ hoàn thành nhiệm vụ",
    "min_cstdcs": "Số Chiến sĩ thi đua cơ sở", "share_households": "Tỷ lệ Gia đình văn hóa",
    "review": "Bình xét ở thôn", "flags": "Kỷ luật, điều tra, khiếu nại",
    "duplicate": "Một thành tích một lần khen", "cap": "Giới hạn Chiến sĩ thi đua cơ sở",
    "dossier": "Hồ sơ", "frequency": "Thời gian giữa hai lần công nhận",
}


@dataclass(frozen=True)
class RuleResult:
    rule: str
    passed: bool
    explanation: str
    override: str = ""        # the Office's reason when it let a failed rule pass

    @property
    def ok(self) -> bool:
        return self.passed or bool(self.override)

    def line(self) -> str:
        if self.passed:
            return f"[Đạt] {self.explanation}"
        if self.override:
            return f"[Cho qua] {self.explanation} (Văn phòng cho qua: {self.override})"
        return f"{FAILED} {self.explanation}"


@dataclass
class Check:
    results: list[RuleResult] = field(default_factory=list)

    @property
    def eligible(self) -> bool:
        return all(r.ok for r in self.results)

    @property
    def failed(self) -> list[RuleResult]:
        return [r for r in self.results if not r.ok]

    def lines(self) -> list[str]:
        return [r.line() for r in self.results]

    def text(self) -> str:
        return "\n".join(self.lines())


def _pct(share: Fraction) -> str:
    value = float(share) * 100
    return (f"{value:.0f}" if value == int(value) else f"{value:.1f}".replace(".", ",")) + "%"


def year_start(year: int) -> dt.date:
    return dt.date(year, 1, 1)


def year_end(year: int) -> dt.date:
    return dt.date(year, 12, 31)


def _months_after(day: dt.date, months: int) -> dt.date:
    y, m = divmod(day.year * 12 + day.month - 1 + months, 12)
    import calendar
    return dt.date(y, m + 1, min(day.day, calendar.monthrange(y, m + 1)[1]))


SUBJECT_FIELD = {"individual": "person", "collective": "unit", "village": "unit",
                 "household": "household"}


def subject_id(nom: Nomination) -> int:
    return getattr(nom, SUBJECT_FIELD[nom.subject_kind] + "_id")


def _counting_nominations():
    """Live nominations that count towards other titles: not ad hoc, not thematic."""
    return (Nomination.select(Nomination.id).join(Campaign, pw.JOIN.LEFT_OUTER)
            .where(Nomination.state.in_(LIVE) & (Nomination.ad_hoc == False)  # noqa: E712
                   & ((Campaign.kind.is_null()) | (Campaign.kind != "thematic"))))


def considered_on(title, nom: Nomination) -> dt.date:
    """The time of consideration: the title's review date in the nomination's year; an
    ad hoc act is considered on the day it is proposed."""
    if nom.ad_hoc:
        return nom.created_at.date()
    day, month = title.review_on
    return dt.date(nom.year, month, day)


def counted_from(title, nom: Nomination) -> dt.date:
    """Where the achievements considered start: the year's first day for a yearly title,
    the act itself when ad hoc."""
    return considered_on(title, nom) if nom.ad_hoc else year_start(nom.year)


def _in_year(year: int):
    """Matters that touch `year` at all: the candidates `blocks` decides on."""
    return (PersonFlag.starts_on <= year_end(year)) & (
        PersonFlag.ends_on.is_null() | (PersonFlag.ends_on >= year_start(year)))


def pending(flag: PersonFlag, day: dt.date) -> bool:
    """Opened by `day` and not yet ended (served, resolved) on it."""
    return flag.starts_on <= day and (flag.ends_on is None or flag.ends_on > day)


def blocks(flag: PersonFlag, day: dt.date, since: dt.date) -> bool:
    """Nghị định 152/2025 Art. 4: no award while a discipline, investigation, inspection or
    complaint is pending on the day of consideration; after a discipline, achievements
    count from its end, so one served after `since` leaves the period short. A matter
    resolved before the day, or opened after it, does not bar."""
    served_within = (flag.kind == "discipline" and flag.starts_on <= day
                     and flag.ends_on is not None and flag.ends_on >= since)
    return pending(flag, day) or served_within


class Facts:
    """What the rules read, one nomination at a time."""

    def holds(self, kind_field: str, row_id: int, code: str, year: int,
              exclude: int | None = None) -> str | None:
        """How the subject holds `code` in `year`, in words, or None."""
        award = (TitleAward.standing().where((getattr(TitleAward, kind_field) == row_id)
                                           & (TitleAward.title_code == code)
                                           & (TitleAward.year == year)).first())
        if award is not None:
            ref = award.decision_ref or "không ghi số quyết định"
            return f"đã đạt ({text.visible(ref)})"
        nominated = (_counting_nominations()
                     .where((getattr(Nomination, kind_field) == row_id)
                            & (Nomination.title_code == code) & (Nomination.year == year)
                            & (Nomination.id != (exclude or 0))).first())
        if nominated is not None:
            return f"đang được đề nghị (đề nghị số {nominated.id})"
        return None

    def holders(self, person_ids: list[int], code: str, year: int) -> set[int]:
        if not person_ids:
            return set()
        awarded = {a.person_id for a in TitleAward.standing(TitleAward.person)
                   .where(TitleAward.person.in_(person_ids) & (TitleAward.title_code == code)
                          & (TitleAward.year == year))}
        nominated = {n.person_id for n in _counting_nominations().select(Nomination.person)
                     .where(Nomination.person.in_(person_ids) & (Nomination.title_code == code)
                            & (Nomination.year == year))}
        return awarded | nominated

    def household_holders(self, household_ids: list[int], code: str, year: int) -> set[int]:
        if not household_ids:
            return set()
        awarded = {a.household_id for a in TitleAward.standing(TitleAward.household)
                   .where(TitleAward.household.in_(household_ids)
                          & (TitleAward.title_code == code) & (TitleAward.year == year))}
        nominated = {n.household_id for n in _counting_nominations().select(Nomination.household)
                     .where(Nomination.household.in_(household_ids)
                            & (Nomination.title_code == code) & (Nomination.year == year))}
        return awarded | nominated

    def rating(self, person_id: int, year: int) -> str | None:
        return person_rating(person_id, year)

    def ratings(self, person_ids: list[int], year: int) -> dict[int, str]:
        return {r.person_id: r.rating for r in MemberRating.select()
                .where(MemberRating.person.in_(person_ids) & (MemberRating.year == year))}

    def flags(self, nom: Nomination, day: dt.date, since: dt.date) -> list[PersonFlag]:
        """The subject's matters that bar an award considered on `day` whose
        achievements count from `since` (see `blocks`)."""
        if nom.subject_kind == "individual":
            who = PersonFlag.person == nom.person_id
        elif nom.subject_kind == "household":
            members = Person.select(Person.id).where(Person.household == nom.household_id)
            who = PersonFlag.person.in_(members)
        else:
            who = PersonFlag.unit == nom.unit_id
        return [f for f in PersonFlag.select().where(who & _in_year(nom.year))
                if blocks(f, day, since)]

    def member_disciplines(self, person_ids: list[int], year: int,
                           forms: tuple[str, ...]) -> list[PersonFlag]:
        """Members disciplined in `year` by one of `forms`."""
        return list(PersonFlag.select(PersonFlag, Person).join(Person)
                    .where(PersonFlag.person.in_(person_ids) & _in_year(year)
                           & (PersonFlag.kind == "discipline") & PersonFlag.form.in_(forms))
                    .order_by(PersonFlag.starts_on))

    def unit_rating(self, unit_id: int, year: int) -> str | None:
        return unit_rating(unit_id, year)

    def review(self, household_id: int, year: int) -> HouseholdReview | None:
        return HouseholdReview.get_or_none((HouseholdReview.household == household_id)
                                           & (HouseholdReview.year == year))

    def duplicate(self, nom: Nomination, yearly: bool) -> str | None:
        kind_field = SUBJECT_FIELD[nom.subject_kind]
        row_id = subject_id(nom)
        if yearly:
            award = (TitleAward.standing().where((getattr(TitleAward, kind_field) == row_id)
                                               & (TitleAward.title_code == nom.title_code)
                                               & (TitleAward.year == nom.year)).first())
            if award is not None:
                ref = text.visible(award.decision_ref)
                return f"đã được khen danh hiệu này năm {nom.year} ({ref})"
        same = (Nomination.select().where((getattr(Nomination, kind_field) == row_id)
                                          & (Nomination.title_code == nom.title_code)
                                          & (Nomination.year == nom.year)
                                          & (Nomination.state.in_(LIVE))
                                          & (Nomination.id != nom.id)))
        if not yearly and nom.campaign_id is not None:
            same = same.where(Nomination.campaign == nom.campaign_id)
        elif not yearly:
            # An ad hoc act is its own achievement: the same act is the same account of it.
            act = text.fold(nom.summary)
            same = [n for n in same.where(Nomination.ad_hoc == True)  # noqa: E712
                    if text.fold(n.summary) == act]
        other = next(iter(same), None)
        return f"đã có đề nghị số {other.id} cho cùng thành tích" if other else None

    def dossier(self, nom: Nomination) -> list[DossierItem]:
        where = (DossierItem.batch == nom.batch_id) if nom.batch_id else (
            DossierItem.nomination == nom.id)
        return list(DossierItem.select().where(where).order_by(DossierItem.position))


class HouseholdFacts(Facts):
    """The facts of a whole Gia đình văn hóa list, read in a few queries."""

    def __init__(self, noms: list[Nomination], year: int, code: str):
        ids = [n.household_id for n in noms]
        self.reviews = {r.household: r for r in HouseholdReview.select(
            HouseholdReview.household, HouseholdReview.marked, HouseholdReview.reviewed_on)
            .where((HouseholdReview.year == year)).namedtuples()}
        self.awarded = {a.household_id: a.decision_ref for a in TitleAward.standing(
            TitleAward.household, TitleAward.decision_ref)
            .where((TitleAward.title_code == code) & (TitleAward.year == year)
                   & TitleAward.household.is_null(False))}
        counts: dict[int, list[int]] = {}
        for n in (Nomination.select(Nomination.id, Nomination.household)
                  .where((Nomination.title_code == code) & (Nomination.year == year)
                         & Nomination.state.in_(LIVE) & Nomination.household.is_null(False))
                  .tuples()):
            counts.setdefault(n[1], []).append(n[0])
        self.nominated = counts
        self.flagged: dict[int, list[PersonFlag]] = {}
        for flag in (PersonFlag.select(PersonFlag, Person).join(Person)
                     .where(_in_year(year) & Person.household.is_null(False))):
            self.flagged.setdefault(flag.person.household_id, []).append(flag)
        self.batch_dossier: dict[int | None, list[DossierItem]] = {}
        self._ids = set(ids)

    def review(self, household_id: int, year: int):
        return self.reviews.get(household_id)

    def flags(self, nom: Nomination, day: dt.date, since: dt.date):
        return [f for f in self.flagged.get(nom.household_id, []) if blocks(f, day, since)]

    def duplicate(self, nom: Nomination, yearly: bool):
        if nom.household_id in self.awarded:
            return (f"đã được công nhận năm {nom.year} "
                    f"({text.visible(self.awarded[nom.household_id])})")
        others = [i for i in self.nominated.get(nom.household_id, []) if i != nom.id]
        return f"đã có đề nghị số {others[0]} cho cùng thành tích" if others else None

    def dossier(self, nom: Nomination):
        key = nom.batch_id
        if key not in self.batch_dossier:
            self.batch_dossier[key] = super().dossier(nom)
        return self.batch_dossier[key]


# --- the rules ---------------------------------------------------------------------------

def _r(rule: str, passed: bool, explanation: str) -> RuleResult:
    return RuleResult(rule, passed, explanation)


def _subject_rule(title, nom) -> RuleResult:
    kind = SUBJECT_KINDS.get(nom.subject_kind, nom.subject_kind)
    if nom.subject_kind in title.subjects:
        return _r("subject", True, f"{kind} thuộc đối tượng được xét {title.name}.")
    return _r("subject", False, f"{kind} không thuộc đối tượng được xét {title.name}.")


def _ad_hoc_rule(title, nom) -> RuleResult | None:
    if not nom.ad_hoc:
        return None
    if "ad_hoc" in title.frequency:
        return _r("ad_hoc", True, f"{title.name} được khen đột xuất; không tính để xét "
                                  "danh hiệu cao hơn.")
    return _r("ad_hoc", False, f"{title.name} không có hình thức khen đột xuất.")


def _standard(cfg, title):
    """The title whose standard an individual must meet: `standard_of` (CSTĐCS is judged by
    the LĐTT standard, not by holding LĐTT), else the title itself."""
    return cfg.title(title.standard_of) if title.standard_of else title


def _recruitment_rule(cfg, title, nom) -> RuleResult | None:
    months = _standard(cfg, title).min_months_since_recruitment
    if not months or nom.subject_kind != "individual":
        return None
    recruited = nom.person.recruited_on
    if recruited is None:
        # A farmer, a worker, a villager: no recruitment to count from (Art. 24(3)).
        return _r("recruitment", True, "Không có ngày tuyển dụng: xét theo tiêu chuẩn người "
                                       "trực tiếp lao động (Luật Thi đua, khen thưởng 2022, "
                                       "Điều 24 khoản 3).")
    end = text.format_date(considered_on(title, nom))
    shown = text.format_date(recruited)
    if _months_after(recruited, months) <= considered_on(title, nom):
        return _r("recruitment", True, f"Tuyển dụng {shown}: đủ {months} tháng công tác "
                                       f"đến ngày xét {end}.")
    return _r("recruitment", False, f"Tuyển dụng {shown}: chưa đủ {months} tháng công tác "
                                    f"đến ngày xét {end}, chưa được xét.")


def _tasks_rule(title, nom, facts: Facts) -> RuleResult | None:
    if nom.subject_kind != "individual" or "yearly" not in title.frequency or nom.ad_hoc:
        return None
    rating = facts.rating(nom.person_id, nom.year)
    if rating in TASKS_WELL:
        return _r("tasks", True, f"Năm {nom.year}: {RATINGS[rating].lower()}.")
    if rating is None:
        return _r("tasks", False, f"Chưa có kết quả đánh giá, xếp loại năm {nom.year} "
                                  "(cần hoàn thành tốt nhiệm vụ trở lên).")
    return _r("tasks", False, f"Năm {nom.year}: {RATINGS[rating].lower()}; cần hoàn thành "
                              "tốt nhiệm vụ trở lên.")


def _participation_rule(nom) -> RuleResult | None:
    if nom.campaign_id is None or nom.proposing_unit_id is None:
        return None
    taking_part = CampaignUnit.select().where((CampaignUnit.campaign == nom.campaign_id)
                                              & (CampaignUnit.unit == nom.proposing_unit_id)
                                              ).exists()
    name = text.visible(nom.proposing_unit.name)
    if taking_part:
        return _r("participation", True, f"{name} tham gia phong trào.")
    return _r("participation", False, f"{name} không có trong danh sách đơn vị tham gia "
                                      "phong trào.")


def _prerequisite_rules(cfg, title, nom, facts: Facts) -> list[RuleResult]:
    out = []
    kind_field = SUBJECT_FIELD[nom.subject_kind]
    for code in title.prerequisites:
        name = cfg.titles[code].name if code in cfg.titles else code
        how = facts.holds(kind_field, subject_id(nom), code, nom.year, exclude=nom.id)
        if how:
            out.append(_r("prerequisite", True, f"{name} năm {nom.year}: {how}."))
        else:
            out.append(_r("prerequisite", False, f"Chưa đạt {name} năm {nom.year} (khen đột "
                                                 "xuất, chuyên đề không được tính)."))
    return out


def initiative_for(nom: Nomination, kinds=("initiative", "research")) -> Initiative | None:
    """A recognised initiative (or accepted research) of the person in the nomination's
    year, not already used by another nomination (one achievement, one award)."""
    used = (Nomination.select(Nomination.initiative)
            .where(Nomination.initiative.is_null(False) & Nomination.state.in_(LIVE)
                   & (Nomination.id != nom.id)))
    query = (Initiative.select().join(InitiativeAuthor)
             .where((InitiativeAuthor.person == nom.person_id)
                    & Initiative.recognised_on.is_null(False) & Initiative.kind.in_(kinds)
                    & (Initiative.recognised_on >= year_start(nom.year))
                    & (Initiative.recognised_on <= year_end(nom.year))
                    & Initiative.id.not_in(used))
             .order_by(Initiative.recognised_on))
    return query.first()


def _excellent(title, nom, facts: Facts) -> bool:
    return ("excellent" in title.achievement_any_of
            and facts.rating(nom.person_id, nom.year) == "excellent")


def _work_kinds(title) -> tuple[str, ...]:
    return tuple(k for k in title.achievement_any_of if k != "excellent")


def initiative_counted(cfg, nom: Nomination) -> int | None:
    """The initiative an eligible nomination uses up (one achievement, one award): none
    when the title asks for none or the excellent rating already meets it."""
    title = cfg.title(nom.title_code)
    if not _work_kinds(title) or _excellent(title, nom, Facts()):
        return None
    found = initiative_for(nom, _work_kinds(title))
    return found.id if found else None


def _achievement_rule(title, nom, facts: Facts) -> RuleResult | None:
    """Luật 2022 Art. 23: one of the achievements the title lists."""
    if not title.achievement_any_of or nom.subject_kind != "individual":
        return None
    if _excellent(title, nom, facts):
        return _r("initiative", True, f"Năm {nom.year}: {RATINGS['excellent'].lower()}.")
    found = initiative_for(nom, _work_kinds(title)) if _work_kinds(title) else None
    if found is None:
        wanted = ", ".join(ACHIEVEMENT_WORDS[k] for k in title.achievement_any_of)
        return _r("initiative", False, f"Năm {nom.year} chưa đạt điều kiện nào trong: {wanted} "
                                       "(sáng kiến, đề tài đã dùng cho lần khen khác không "
                                       "tính).")
    ref = f", {text.visible(found.decision_ref)}" if found.decision_ref else ""
    kind = INITIATIVE_KINDS.get(found.kind, found.kind)
    return _r("initiative", True, f"{kind} “{text.visible(found.title)}” được công nhận "
                                  f"{text.format_date(found.recognised_on)}{ref}.")


def _members(unit_id: int) -> list[int]:
    return [p.id for p in Person.select(Person.id)
            .where((Person.unit == unit_id) & (Person.active == True))]  # noqa: E712


def _collective_rules(cfg, title, nom, facts: Facts) -> list[RuleResult]:
    if nom.subject_kind != "collective":
        return []
    wanted = (title.min_share_ldtt or title.min_share_tasks_completed or title.min_cstdcs
              or title.min_unit_rating or title.bar_member_discipline_from)
    if not wanted:
        return []
    members = _members(nom.unit_id)
    if not members:
        return [_r("share_ldtt", False, "Đơn vị chưa có thành viên nào trong danh sách.")]
    n = len(members)
    out = [_unit_rating_rule(title, nom, facts), _member_discipline_rule(title, nom, members,
                                                                          facts)]
    if title.min_share_ldtt:
        holders = facts.holders(members, cfg.title_with_role("basic_individual").code,
                                nom.year)
        share = Fraction(len(holders), n)
        need = title.min_share_ldtt
        ok = share > need if title.min_share_ldtt_strict else share >= need
        word = "trên" if title.min_share_ldtt_strict else "từ"
        tail = "" if title.min_share_ldtt_strict else " trở lên"
        out.append(_r("share_ldtt", ok, f"{len(holders)}/{n} thành viên đạt Lao động tiên "
                                        f"tiến ({_pct(share)}); cần {word} {_pct(need)}{tail}."))
    if title.min_share_tasks_completed:
        ratings = facts.ratings(members, nom.year)
        done = sum(1 for r in ratings.values() if r in TASKS_DONE)
        share = Fraction(done, n)
        out.append(_r("share_tasks", share >= title.min_share_tasks_completed,
                      f"{done}/{n} thành viên hoàn thành nhiệm vụ ({_pct(share)}); cần "
                      f"{_pct(title.min_share_tasks_completed)}."))
    if title.min_cstdcs:
        champions = facts.holders(members, cfg.title_with_role("champion").code, nom.year)
        out.append(_r("min_cstdcs", len(champions) >= title.min_cstdcs,
                      f"{len(champions)} thành viên đạt Chiến sĩ thi đua cơ sở; cần ít nhất "
                      f"{title.min_cstdcs}."))
    return [r for r in out if r is not None]


def _unit_rating_rule(title, nom, facts: Facts) -> RuleResult | None:
    """Luật 2022 Art. 28: the collective itself completes its tasks well (its own rating)."""
    need = title.min_unit_rating
    if not need:
        return None
    rating = facts.unit_rating(nom.unit_id, nom.year)
    wanted = f"cần {RATINGS[need].lower()} trở lên"
    if rating is None:
        return _r("unit_rating", False, f"Tập thể chưa có xếp loại năm {nom.year} ({wanted}).")
    ok = RATING_ORDER.index(rating) <= RATING_ORDER.index(need)
    return _r("unit_rating", ok, f"Tập thể năm {nom.year}: {RATINGS[rating].lower()}"
                                 + ("." if ok else f"; {wanted}."))


def _member_discipline_rule(title, nom, members: list[int], facts: Facts
                            ) -> RuleResult | None:
    """Luật 2022 Art. 28: no member disciplined that year at the form named or heavier."""
    lightest = title.bar_member_discipline_from
    if not lightest:
        return None
    forms = FORM_ORDER[FORM_ORDER.index(lightest):]
    found = facts.member_disciplines(members, nom.year, forms)
    bar = DISCIPLINE_FORMS[lightest].lower()
    if not found:
        return _r("member_discipline", True, f"Không thành viên nào bị kỷ luật từ {bar} trở "
                                             f"lên năm {nom.year}.")
    first = found[0]
    return _r("member_discipline", False,
              f"{text.visible(first.person.full_name)} bị kỷ luật "
              f"{DISCIPLINE_FORMS[first.form].lower()} từ {text.format_date(first.starts_on)}"
              f": tập thể có thành viên bị kỷ luật từ {bar} trở lên năm {nom.year}.")


def _village_rule(cfg, title, nom, facts: Facts) -> RuleResult | None:
    if nom.subject_kind != "village" or not title.min_share_households:
        return None
    households = [h.id for h in Household.select(Household.id)
                  .where(Household.village == nom.unit_id)]
    if not households:
        return _r("share_households", False, "Thôn chưa có hộ gia đình nào trong danh sách.")
    holders = facts.household_holders(households, cfg.title_with_role("household").code,
                                      nom.year)
    share = Fraction(len(holders), len(households))
    need = title.min_share_households
    named = cfg.title_with_role("household").name
    return _r("share_households", share >= need,
              f"{len(holders)}/{len(households)} hộ đạt {named} năm {nom.year} "
              f"({_pct(share)}); cần từ {_pct(need)} trở lên.")


def _frequency_rule(title, nom) -> RuleResult | None:
    """A periodic title (Thôn văn hóa): at least `min_years_between` years since the
    subject last received it (from the title history)."""
    years = title.min_years_between
    if not years:
        return None
    kind_field = SUBJECT_FIELD[nom.subject_kind]
    last = (TitleAward.standing().where((getattr(TitleAward, kind_field) == subject_id(nom))
                                      & (TitleAward.title_code == nom.title_code)
                                      & (TitleAward.year < nom.year))
            .order_by(TitleAward.year.desc()).first())
    if last is None:
        return _r("frequency", True, f"Chưa được công nhận {title.name} trước năm {nom.year}.")
    ref = text.visible(last.decision_ref or "không ghi số quyết định")
    if nom.year - last.year >= years:
        return _r("frequency", True, f"Công nhận lần trước năm {last.year} ({ref}): đã đủ "
                                     f"{years} năm.")
    return _r("frequency", False, f"Đã được công nhận năm {last.year} ({ref}); phải sau "
                                  f"{years} năm mới xét lại, tức từ năm {last.year + years}.")


def _review_rule(title, nom, facts: Facts) -> RuleResult | None:
    if nom.subject_kind != "household" or title.review_before is None:
        return None
    review = facts.review(nom.household_id, nom.year)
    day, month = title.review_before
    deadline = dt.date(nom.year, month, day)
    if review is None or not review.marked:
        return _r("review", False, f"Thôn chưa bình xét đạt cho hộ này năm {nom.year}.")
    if review.reviewed_on >= deadline:  # "before 25/11": the 25th itself is late
        return _r("review", False, f"Thôn bình xét ngày {text.format_date(review.reviewed_on)}, "
                                   f"sau hạn {text.format_date(deadline)}.")
    return _r("review", True, f"Thôn bình xét đạt ngày {text.format_date(review.reviewed_on)} "
                              f"(hạn {text.format_date(deadline)}).")


def _flags_rule(title, nom, facts: Facts) -> RuleResult:
    day, since = considered_on(title, nom), counted_from(title, nom)
    shown = text.format_date(day)
    flags = facts.flags(nom, day, since)
    if not flags:
        return _r("flags", True, "Không có kỷ luật, điều tra, thanh tra hay khiếu nại chưa "
                                 f"giải quyết vào ngày xét {shown}.")
    first = flags[0]
    who = ""
    if nom.subject_kind == "household" and first.person_id:
        who = f" (thành viên {text.visible(first.person.full_name)})"
    opened = f"{FLAG_KINDS.get(first.kind, first.kind)} từ {text.format_date(first.starts_on)}"
    if pending(first, day):
        return _r("flags", False, f"{opened}{who}, chưa kết thúc vào ngày xét {shown}: "
                                  "không được khen thưởng.")
    ended = text.format_date(first.ends_on)
    return _r("flags", False, f"{opened} đến {ended}{who}: thành tích chỉ tính từ sau ngày "
                              f"{ended}, không đủ cho lần khen này.")


def _decided_by_rule(title) -> RuleResult | None:
    """A title decided above the commune (Luật 2022 Art. 80) never goes in a commune
    decision: the commune reviews it and proposes it."""
    if title.decided_by_commune:
        return None
    above = DECIDERS.get(title.decided_by, title.decided_by)
    return _r("decided_by", True, f"{title.name} do {above} quyết định: xã xét rồi lập tờ "
                                  "trình đề nghị, không đưa vào quyết định khen thưởng của xã.")


def _duplicate_rule(title, nom, facts: Facts) -> RuleResult:
    yearly = "yearly" in title.frequency and not nom.ad_hoc
    found = facts.duplicate(nom, yearly)
    if found:
        return _r("duplicate", False, f"Mỗi thành tích chỉ khen một lần: {found}.")
    return _r("duplicate", True, "Không trùng với lần khen hay đề nghị khác.")


def _cap_rule(cfg, title, nom, facts: Facts) -> RuleResult | None:
    if not (cfg.eligibility.cstdcs_cap_enabled and title.role == "champion"):
        return None
    base = cfg.title_with_role("basic_individual").code

    def count(code: str) -> int:
        awarded = TitleAward.standing().where((TitleAward.title_code == code)
                                            & (TitleAward.year == nom.year)
                                            & TitleAward.person.is_null(False))
        live = _counting_nominations().where((Nomination.title_code == code)
                                             & (Nomination.year == nom.year)
                                             & Nomination.person.not_in(
                                                 awarded.select(TitleAward.person)))
        return awarded.count() + live.count()

    champions = count(nom.title_code) + (0 if nom.state in LIVE else 1)
    base_count = count(base)
    limit = cfg.eligibility.cstdcs_cap * base_count
    ok = champions <= limit
    return _r("cap", ok, f"{champions} Chiến sĩ thi đua cơ sở trên {base_count} Lao động tiên "
                         f"tiến năm {nom.year}; tối đa {_pct(cfg.eligibility.cstdcs_cap)}.")


def _dossier_rule(nom, facts: Facts) -> RuleResult | None:
    items = facts.dossier(nom)
    if not items:
        return None
    missing = [i.label for i in items if not i.received]
    if missing:
        return _r("dossier", False, f"Hồ sơ còn thiếu {len(missing)}/{len(items)}: "
                                    + "; ".join(text.visible(m) for m in missing) + ".")
    return _r("dossier", True, f"Hồ sơ đủ {len(items)} giấy tờ.")


def evaluate(cfg, nom: Nomination, facts: Facts | None = None,
             overrides: dict[str, str] | None = None) -> Check:
    """Every rule that applies to the nomination, passed or failed, in order."""
    facts = facts or Facts()
    try:
        title = cfg.title(nom.title_code)
    except KeyError as exc:
        raise RuleError(str(exc).strip("'\"")) from None
    results: list[RuleResult | None] = [
        _subject_rule(title, nom), _decided_by_rule(title), _ad_hoc_rule(title, nom),
        _recruitment_rule(cfg, title, nom), _tasks_rule(title, nom, facts),
        _participation_rule(nom), *_prerequisite_rules(cfg, title, nom, facts),
        _achievement_rule(title, nom, facts), *_collective_rules(cfg, title, nom, facts),
        _village_rule(cfg, title, nom, facts), _frequency_rule(title, nom),
        _review_rule(title, nom, facts), _flags_rule(title, nom, facts),
        _duplicate_rule(title, nom, facts), _cap_rule(cfg, title, nom, facts),
        _dossier_rule(nom, facts)]
    if overrides is None:
        overrides = {o.rule: o.reason for o in
                     EligibilityOverride.select().where(EligibilityOverride.nomination == nom.id)}
    out = []
    for r in results:
        if r is None:
            continue
        if not r.passed and r.rule in overrides:
            r = RuleResult(r.rule, False, r.explanation, overrides[r.rule])
        out.append(r)
    return Check(out)


# --- overrides ------------------------------------------------------------------------------

def override(actor: Actor, nomination_id: int, rule: str, reason: str) -> EligibilityOverride:
    """The Office lets one failed rule pass; the reason is required and kept."""
    require(actor, "admin", action="cho qua một điều kiện")
    if rule not in RULE_NAMES:
        raise RuleError(f"Không có điều kiện “{text.visible(rule)}”.")
    clean = text.clean_text(reason, "Lý do cho qua", required=True, max_len=1000,
                            multiline=True)
    with database.atomic():
        records.get(Nomination, nomination_id, "đề nghị")
        existing = EligibilityOverride.get_or_none((EligibilityOverride.nomination == nomination_id)
                                                   & (EligibilityOverride.rule == rule))
        if existing is not None:
            raise RuleError("Điều kiện này đã được cho qua trước đó.")
        return records.insert(actor, EligibilityOverride, nomination=nomination_id, rule=rule,
                              reason=clean, login=actor.login)
