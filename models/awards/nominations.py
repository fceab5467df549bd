"""Nominations (đề nghị khen thưởng): proposal, dossier, check, public posting,
the council's result, and every change of state with who, when and why.

    draft → submitted → checked → (posted →) at_council → passed | failed
    passed → decided (by issuing a decision, models/awards/decisions.py)
    returned (with a reason; edited and submitted again) · withdrawn (final)

The ad hoc short path (`propose_ad_hoc`) goes from nothing to the council in
one call when the rules are met: no posting, no waiting.

For the council (issue 7): `at_council()` lists what awaits a vote,
`record_council_result()` writes a ballot's outcome.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import peewee as pw

from models import fields, text
from models.awards import eligibility
from models.awards.tables import (STATES, SUBJECT_KINDS, DossierItem, Nomination, NominationEvent,
                                  Posting, PostingComment)
from models.cycle.tables import Campaign
from models.errors import PermissionDenied, RuleError
from models.registry.access import Actor, may_edit_unit, require, require_unit
from models.registry.tables import Household, Person, Unit
from models.store import bulk as bulkio
from models.store import changelog, records
from models.store.paging import Listing
from models.store.tables import database, utcnow

WHAT = "đề nghị"
TRANSITIONS: dict[str, set[str]] = {
    "draft": {"submitted", "withdrawn"},
    "submitted": {"checked", "returned", "withdrawn"},
    "checked": {"checked", "posted", "at_council", "returned", "withdrawn"},
    "posted": {"at_council", "returned", "withdrawn"},
    "at_council": {"passed", "failed", "returned", "withdrawn"},
    "passed": {"decided", "withdrawn", "at_council"},   # at_council: voted again
    "returned": {"submitted", "withdrawn"},  # corrected in place, then sent again
    "failed": {"at_council"},
    "decided": set(), "withdrawn": set(),
}
EDITABLE = ("draft", "returned")
EVENT_FIELDS = [NominationEvent.nomination, NominationEvent.from_state, NominationEvent.to_state,
                NominationEvent.at, NominationEvent.login, NominationEvent.reason]
COUNCIL_ROLES = ("admin", "chairman", "council_secretary")
OFFICE = ("admin",)  # the commune's Office runs the process
PROPOSERS = ("admin", "unit_officer")
# Who follows every unit's nominations; anyone else only their own units'.
SEE_ALL = ("admin", "viewer", "chairman", "council_secretary", "finance")


def get(nomination_id: int) -> Nomination:
    return records.get(Nomination, nomination_id, WHAT)


def state_name(state: str) -> str:
    return STATES.get(state, state)


def not_eligible(nom: Nomination) -> bool:
    """Checked, and found short of the rules."""
    return nom.state == "checked" and not nom.eligible


def state_label(nom: Nomination) -> str:
    """The state as a list shows it: a checked nomination says whether it passed."""
    if nom.state == "checked":
        return "Chưa đủ ĐK" if not_eligible(nom) else "Đủ ĐK"
    return state_name(nom.state)


def subject_label(row) -> str:
    """Whom a nomination, or an award of a decision, is for: a person, "Hộ <head>"
    for a household, or a unit (read through the joins of `with_subjects`)."""
    if row.person_id:
        return row.person.full_name
    if row.household_id:
        return f"Hộ {row.household.head_name}"
    return row.unit.name if row.unit_id else ""


def with_subjects(model) -> pw.ModelSelect:
    """Nominations or decision awards (`model`) with their person, unit or household
    read in the same query."""
    return (model.select(model, Person, Unit, Household)
            .join(Person, pw.JOIN.LEFT_OUTER, on=(model.person == Person.id))
            .switch(model).join(Unit, pw.JOIN.LEFT_OUTER, on=(model.unit == Unit.id))
            .switch(model)
            .join(Household, pw.JOIN.LEFT_OUTER, on=(model.household == Household.id)))


# --- who may do what ------------------------------------------------------------------------

def is_office(actor: Actor) -> bool:
    """The Office checks, posts, returns, takes to the council and proposes ad hoc awards."""
    return actor.has(*OFFICE)


def can_propose(actor: Actor) -> bool:
    """Whether to offer a new nomination; `create` then checks the proposing unit."""
    return actor.has(*PROPOSERS)


def seen_units(actor: Actor) -> frozenset[int] | None:
    """The units whose nominations `actor` follows; None: every unit."""
    return None if actor.has(*SEE_ALL) else actor.unit_ids


@dataclass(frozen=True)
class Rule:
    """One action on one nomination. `doing` names it in a refusal; `roles`: anyone
    holding one may take it, none: the Office or the proposing unit's officer; `to`:
    the state it moves the nomination to (TRANSITIONS says from which)."""

    doing: str
    roles: tuple[str, ...] = ()
    to: str = ""

    def permits(self, actor: Actor, nom: Nomination) -> bool:
        if self.roles:
            return actor.has(*self.roles)
        return may_edit_unit(actor, nom.proposing_unit_id)


RULES = {
    "edit": Rule("sửa đề nghị"),
    "dossier": Rule("cập nhật hồ sơ"),
    "submit": Rule("gửi đề nghị", to="submitted"),
    "withdraw": Rule("rút đề nghị", to="withdrawn"),
    "check": Rule("kiểm tra đề nghị", OFFICE, "checked"),
    "override": Rule("cho qua một điều kiện", OFFICE, "checked"),
    "return": Rule("trả lại đề nghị", OFFICE, "returned"),
    "post": Rule("niêm yết công khai", OFFICE, "posted"),
    "comment": Rule("ghi ý kiến góp ý", OFFICE),
    "council": Rule("trình Hội đồng", OFFICE, "at_council"),
    "result": Rule("ghi kết quả biểu quyết", COUNCIL_ROLES, "passed"),
}


def _no_move(nom: Nomination, to: str) -> str:
    return (f"Không chuyển được đề nghị từ “{state_name(nom.state)}” sang "
            f"“{state_name(to)}”.")


def _state_refusal(nom: Nomination, action: str) -> str:
    """Why the nomination as it stands forbids `action`; "" when it does not."""
    if action == "edit" and nom.state not in EDITABLE:
        return (f"Đề nghị đang ở trạng thái “{state_name(nom.state)}”: chỉ sửa được khi còn "
                "nháp hoặc bị trả lại.")
    if action == "post" and (nom.state != "checked" or not nom.eligible):
        return f"Đề nghị số {nom.id} chưa được kiểm tra đủ điều kiện: chưa niêm yết được."
    if action == "comment" and nom.posting_id is None:
        return "Đề nghị chưa được niêm yết."
    if action == "result" and nom.state != "at_council":
        return f"Đề nghị số {nom.id} không chờ Hội đồng (đang “{state_name(nom.state)}”)."
    to = RULES[action].to
    return _no_move(nom, to) if to and to not in TRANSITIONS.get(nom.state, set()) else ""


# The steps that judge a nomination: nobody takes them on their own.
JUDGING = frozenset({"check", "override", "return", "post", "council", "result"})
OWN = "Không tự xét đề nghị khen thưởng cho chính mình: việc này do người khác làm."


def _own(actor: Actor, nom: Nomination) -> bool:
    return actor.person_id is not None and actor.person_id == nom.person_id


def offered_actions(actor: Actor, nom: Nomination) -> frozenset[str]:
    """The actions (keys of RULES) `actor`'s roles and units allow on `nom` in some
    state: a screen offers their keys, and one the state refuses says why when pressed."""
    return frozenset(name for name, rule in RULES.items() if rule.permits(actor, nom)
                     and not (name in JUDGING and _own(actor, nom)))


def allowed_actions(actor: Actor, nom: Nomination) -> frozenset[str]:
    """What `actor` may do to `nom` now: their roles allow it and its state does."""
    return frozenset(name for name in offered_actions(actor, nom)
                     if not _state_refusal(nom, name))


def require_action(actor: Actor, nom: Nomination, action: str) -> None:
    """Refuse `action` on `nom`, saying why, unless `allowed_actions` has it:
    PermissionDenied for the roles or the unit, RuleError for the state."""
    if action in allowed_actions(actor, nom):
        return
    if action in JUDGING and _own(actor, nom):
        raise PermissionDenied(OWN)
    rule = RULES[action]
    if rule.roles:
        require(actor, *rule.roles, action=rule.doing)
    else:
        require_unit(actor, nom.proposing_unit_id, action=rule.doing)
    raise RuleError(_state_refusal(nom, action))


# --- proposing ---------------------------------------------------------------------------

def _subject(subject_kind: str, subject_id: int) -> dict:
    kind = fields.choice(subject_kind, SUBJECT_KINDS, "Đối tượng")
    if kind == "individual":
        records.get(Person, subject_id, "người")
        return {"person": subject_id}
    if kind == "household":
        records.get(Household, subject_id, "hộ gia đình")
        return {"household": subject_id}
    unit = records.get(Unit, subject_id, "đơn vị")
    if kind == "village" and unit.kind != "village":
        raise RuleError(f"{text.visible(unit.name)} không phải là thôn.")
    return {"unit": subject_id}


def subject_units(kind: str, ids: dict) -> set[int | None]:
    """The units a subject belongs to: a person's unit and their household's village, a
    household's village, a unit itself."""
    if kind == "individual":
        person = Person.get_by_id(ids["person"])
        household = person.household_id and Household.get_by_id(person.household_id)
        return {person.unit_id, household.village_id if household else None}
    return {_default_unit(kind, ids)}


def may_nominate(actor: Actor, kind: str, ids: dict) -> bool:
    """A unit officer nominates only the people, households and units of their own units,
    whatever proposing unit they name."""
    return any(may_edit_unit(actor, unit_id) for unit_id in subject_units(kind, ids))


def _default_unit(kind: str, ids: dict) -> int | None:
    if kind == "individual":
        return Person.get_by_id(ids["person"]).unit_id
    if kind == "household":
        return Household.get_by_id(ids["household"]).village_id
    return ids["unit"]


def _dossier_rows(cfg, title_code: str) -> list[str]:
    return list(cfg.title(title_code).dossier)


def create(actor: Actor, cfg, *, subject_kind: str, subject_id: int, title_code: str,
           year, summary: str = "", campaign_id: int | None = None,
           proposing_unit_id: int | None = None, ad_hoc: bool = False) -> Nomination:
    """A draft nomination with its dossier checklist from the configuration."""
    try:
        title = cfg.title(title_code)
    except KeyError as exc:
        raise RuleError(str(exc).strip("'\"")) from None
    ids = _subject(subject_kind, subject_id)
    if subject_kind not in title.subjects:
        raise RuleError(f"{title.name} không xét cho {SUBJECT_KINDS[subject_kind].lower()}.")
    if ad_hoc and "ad_hoc" not in title.frequency:
        raise RuleError(f"{title.name} không có hình thức khen đột xuất.")
    if campaign_id is not None:
        records.get(Campaign, campaign_id, "phong trào")
    unit_id = proposing_unit_id if proposing_unit_id is not None else _default_unit(
        subject_kind, ids)
    if unit_id is not None:
        records.get(Unit, unit_id, "đơn vị đề nghị")
    require_unit(actor, unit_id, action="lập đề nghị khen thưởng")
    if not may_nominate(actor, subject_kind, ids):
        raise PermissionDenied(f"Bạn không có quyền đề nghị khen thưởng cho "
                               f"{SUBJECT_KINDS[subject_kind].lower()} của đơn vị khác.")
    clean = {"subject_kind": subject_kind, **ids, "title_code": title_code,
             "year": fields.year(year), "campaign": campaign_id, "proposing_unit": unit_id,
             "summary": fields.optional_text(summary, "Tóm tắt thành tích", max_len=4000,
                                             multiline=True),
             "proposed_by": actor.login, "ad_hoc": bool(ad_hoc), "state": "draft"}
    with database.atomic():
        nom = records.insert(actor, Nomination, **clean)
        for position, label in enumerate(_dossier_rows(cfg, title_code), 1):
            records.insert(actor, DossierItem, nomination=nom.id, position=position, label=label)
        records.insert(actor, NominationEvent, nomination=nom.id, from_state="",
                       to_state="draft", login=actor.login, reason="Lập đề nghị")
    return nom


def update(actor: Actor, nomination_id: int, version: int, *, summary: str,
           campaign_id: int | None = None) -> Nomination:
    """Edit a draft or a returned nomination."""
    with database.atomic():
        require_action(actor, get(nomination_id), "edit")
        if campaign_id is not None:
            records.get(Campaign, campaign_id, "phong trào")
        return records.update(actor, Nomination, nomination_id, version, WHAT,
                              summary=fields.optional_text(summary, "Tóm tắt thành tích",
                                                           max_len=4000, multiline=True),
                              campaign=campaign_id)


def _move(actor: Actor, nom: Nomination, to: str, reason: str = "",
          version: int | None = None, **more) -> Nomination:
    if to not in TRANSITIONS.get(nom.state, set()):
        raise RuleError(_no_move(nom, to))
    with database.atomic():
        row = records.update(actor, Nomination, nom.id,
                             nom.version if version is None else version, WHAT, state=to, **more)
        records.insert(actor, NominationEvent, nomination=nom.id, from_state=nom.state,
                       to_state=to, login=actor.login, reason=reason)
    return row


def _reason(reason: str, label: str = "Lý do") -> str:
    return text.clean_text(reason, label, required=True, max_len=1000, multiline=True)


def submit(actor: Actor, nomination_id: int, version: int | None = None,
           reason: str = "") -> Nomination:
    nom = get(nomination_id)
    require_action(actor, nom, "submit")
    clean = fields.optional_text(reason, "Ghi chú", max_len=1000, multiline=True)
    return _move(actor, nom, "submitted", clean or "Gửi Văn phòng", version)


def check(actor: Actor, cfg, nomination_id: int, version: int | None = None
          ) -> tuple[Nomination, eligibility.Check]:
    """The Office checks the rules; the result (eligible or not, with every reason)
    is kept on the nomination and in its history."""
    with database.atomic():
        nom = get(nomination_id)
        require_action(actor, nom, "check")
        result = eligibility.evaluate(cfg, nom)
        initiative = eligibility.initiative_counted(cfg, nom) if result.eligible else None
        verdict = "Đủ điều kiện" if result.eligible else (
            "Chưa đủ điều kiện: " + "; ".join(r.explanation for r in result.failed))
        row = _move(actor, nom, "checked", verdict, version, eligible=result.eligible,
                    check_notes=result.text(), initiative=initiative)
    return row, result


def override(actor: Actor, cfg, nomination_id: int, rule: str, reason: str
             ) -> tuple[Nomination, eligibility.Check]:
    """The Office lets a failed rule pass, with a reason, and checks again."""
    require_action(actor, get(nomination_id), "override")
    eligibility.override(actor, nomination_id, rule, reason)
    return check(actor, cfg, nomination_id)


def return_(actor: Actor, nomination_id: int, reason: str,
            version: int | None = None) -> Nomination:
    nom = get(nomination_id)
    require_action(actor, nom, "return")
    return _move(actor, nom, "returned", _reason(reason), version)


def withdraw(actor: Actor, nomination_id: int, reason: str,
             version: int | None = None) -> Nomination:
    nom = get(nomination_id)
    require_action(actor, nom, "withdraw")
    return _move(actor, nom, "withdrawn", _reason(reason), version)


# --- the dossier -------------------------------------------------------------------------

def dossier(nomination_id: int) -> list[DossierItem]:
    nom = get(nomination_id)
    where = (DossierItem.batch == nom.batch_id) if nom.batch_id else (
        DossierItem.nomination == nomination_id)
    return list(DossierItem.select().where(where).order_by(DossierItem.position))


def mark_received(actor: Actor, item_id: int, version: int, received: bool,
                  received_on: dt.date | None = None) -> DossierItem:
    item = records.get(DossierItem, item_id, "giấy tờ hồ sơ")
    if item.nomination_id:
        require_action(actor, get(item.nomination_id), "dossier")
    else:
        require(actor, *OFFICE, action="cập nhật hồ sơ")
    return records.update(actor, DossierItem, item_id, version, "giấy tờ hồ sơ",
                          received=received, received_on=received_on if received else None)


# --- public posting ----------------------------------------------------------------------

def post(actor: Actor, cfg, nomination_ids: list[int], starts_on, *, title: str = "",
         place: str = "") -> Posting:
    """Post checked, eligible nominations for public comment for cfg.posting.days days."""
    starts = fields.required_date(starts_on, "Ngày bắt đầu niêm yết")
    if not nomination_ids:
        raise RuleError("Chưa chọn đề nghị nào để niêm yết.")
    ends = starts + dt.timedelta(days=cfg.posting.days - 1)
    with database.atomic():
        noms = [get(i) for i in nomination_ids]
        for nom in noms:
            require_action(actor, nom, "post")
        heading = fields.optional_text(title, "Tiêu đề", max_len=300) or (
            f"Danh sách đề nghị khen thưởng năm {noms[0].year}")
        posting = records.insert(actor, Posting, title=heading, starts_on=starts, ends_on=ends,
                                 place=fields.optional_text(place, "Nơi niêm yết"),
                                 created_by=actor.login)
        for nom in noms:
            _move(actor, nom, "posted", f"Niêm yết từ {text.format_date(starts)} đến "
                                        f"{text.format_date(ends)}", posting=posting.id)
    return posting


def add_comment(actor: Actor, posting_id: int, received_on, author: str, comment: str,
                nomination_id: int | None = None) -> PostingComment:
    require(actor, *OFFICE, action="ghi ý kiến góp ý")
    records.get(Posting, posting_id, "đợt niêm yết")
    if nomination_id is not None:
        nom = get(nomination_id)
        if nom.posting_id != posting_id:
            raise RuleError(f"Đề nghị số {nom.id} không thuộc đợt niêm yết này.")
    return records.insert(actor, PostingComment, posting=posting_id, nomination=nomination_id,
                          received_on=fields.required_date(received_on, "Ngày nhận"),
                          author=fields.optional_text(author, "Người góp ý", max_len=200),
                          text=text.clean_text(comment, "Nội dung góp ý", required=True,
                                               max_len=4000, multiline=True),
                          recorded_by=actor.login)


def comment_on(actor: Actor, nomination_id: int, received_on, author: str,
               comment: str) -> PostingComment:
    """A citizen's comment on a posted nomination, in the posting it was posted in."""
    nom = get(nomination_id)
    require_action(actor, nom, "comment")
    return add_comment(actor, nom.posting_id, received_on, author, comment, nom.id)


def comments(posting_id: int) -> list[PostingComment]:
    return list(PostingComment.select().where(PostingComment.posting == posting_id)
                .order_by(PostingComment.received_on, PostingComment.id))


def comments_about(nom: Nomination) -> list[PostingComment]:
    """The comments of the nomination's posting about it or about the whole list."""
    return [c for c in comments(nom.posting_id) if c.nomination_id in (None, nom.id)]


# --- to the council and its result --------------------------------------------------------

def to_council(actor: Actor, cfg, nomination_id: int, today: dt.date,
               version: int | None = None) -> Nomination:
    nom = get(nomination_id)
    require_action(actor, nom, "council")
    title = cfg.title(nom.title_code)
    if nom.state == "checked":
        if not nom.eligible:
            raise RuleError("Đề nghị chưa đủ điều kiện: chưa trình Hội đồng được.")
        if title.posting_required and not nom.ad_hoc:
            raise RuleError(f"{title.name} phải niêm yết công khai trước khi trình Hội đồng.")
        return _move(actor, nom, "at_council", "Trình Hội đồng", version)
    if nom.state == "posted":
        posting = nom.posting
        if posting is not None and today <= posting.ends_on:
            raise RuleError(f"Đang niêm yết đến hết {text.format_date(posting.ends_on)}: chưa "
                            "trình Hội đồng được.")
        count = PostingComment.select().where(PostingComment.nomination == nom.id).count()
        return _move(actor, nom, "at_council",
                     f"Hết thời gian niêm yết; {count} ý kiến góp ý", version)
    return _move(actor, nom, "at_council", "", version)  # passed or failed: voted again


def at_council(title_code: str | None = None, year: int | None = None) -> list[Nomination]:
    """The nominations awaiting the council's vote, optionally for one title and year."""
    query = Nomination.select().where(Nomination.state == "at_council")
    if title_code is not None:
        query = query.where(Nomination.title_code == title_code)
    if year is not None:
        query = query.where(Nomination.year == year)
    return list(query.order_by(Nomination.title_code, Nomination.id))


def record_council_result(actor: Actor, nomination_id: int, passed: bool, reason: str = "",
                          version: int | None = None) -> Nomination:
    """The ballot's outcome: passed or failed; `reason` e.g. "7/9 đồng ý (77,8%)"."""
    nom = get(nomination_id)
    require_action(actor, nom, "result")
    clean = fields.optional_text(reason, "Kết quả", max_len=1000, multiline=True)
    default = "Hội đồng thông qua" if passed else "Hội đồng không thông qua"
    return _move(actor, nom, "passed" if passed else "failed", clean or default, version)


def back_to_council(actor: Actor, nomination_id: int, reason: str,
                    version: int | None = None) -> Nomination:
    """A passed or failed nomination goes before the council again (a new vote, for a
    recorded reason); not once a decision lists it."""
    from models.awards.tables import DecisionAward
    require(actor, *COUNCIL_ROLES, action="đưa đề nghị ra Hội đồng biểu quyết lại")
    nom = get(nomination_id)
    if nom.state == "at_council":
        return nom
    if DecisionAward.select().where(DecisionAward.nomination == nom.id).exists():
        raise RuleError(f"Đề nghị số {nom.id} đã có trong một quyết định: không biểu quyết "
                        "lại được.")
    return _move(actor, nom, "at_council", _reason(reason, "Lý do biểu quyết lại"), version)


# --- the ad hoc short path ----------------------------------------------------------------

def propose_ad_hoc(actor: Actor, cfg, *, subject_kind: str, subject_id: int, summary: str,
                   today: dt.date, title_code: str = "",
                   proposing_unit_id: int | None = None) -> tuple[Nomination, eligibility.Check]:
    """Khen đột xuất: proposed, submitted and checked at once and, when the rules are
    met, put before the council the same day (no public posting). The form is the
    configuration's ad hoc form unless another is named. The same act proposed twice
    fails the duplicate rule like any other second proposal."""
    require(actor, *OFFICE, action="đề nghị khen đột xuất")
    title_code = title_code or cfg.code_with_role("ad_hoc_form")
    text.clean_text(summary, "Tóm tắt thành tích", required=True, max_len=4000, multiline=True)
    with database.atomic():
        nom = create(actor, cfg, subject_kind=subject_kind, subject_id=subject_id,
                     title_code=title_code, year=today.year, summary=summary,
                     proposing_unit_id=proposing_unit_id, ad_hoc=True)
        for item in DossierItem.select().where(DossierItem.nomination == nom.id):
            records.update(actor, DossierItem, item.id, item.version, "giấy tờ hồ sơ",
                           received=True, received_on=today)
        submit(actor, nom.id, reason="Khen đột xuất")
        nom, result = check(actor, cfg, nom.id)
        if result.eligible:
            nom = _move(actor, nom, "at_council", "Khen đột xuất: trình Hội đồng ngay")
    return nom, result


# --- reading -------------------------------------------------------------------------------

def events(nomination_id: int) -> list[NominationEvent]:
    return list(NominationEvent.select().where(NominationEvent.nomination == nomination_id)
                .order_by(NominationEvent.id))


def search(query: str = "", year: int | None = None, state: str | None = None,
           unit_ids: frozenset[int] | None = None) -> pw.ModelSelect:
    """Nominations for a list screen, newest first; `query` matches the subject's name
    or the title code, accents optional. Batch members (thousands of households)
    are left out: the batch stands for them."""
    select = with_subjects(Nomination).where(Nomination.batch.is_null())
    if year is not None:
        select = select.where(Nomination.year == year)
    if state:
        select = select.where(Nomination.state == state)
    if unit_ids is not None:
        select = select.where(Nomination.proposing_unit.in_(list(unit_ids)))
    for word in list(dict.fromkeys(text.fold(query).split()))[:12]:
        select = select.where(Person.search_key.contains(word) | Unit.search_key.contains(word)
                              | Household.search_key.contains(word)
                              | Nomination.title_code.contains(word.upper()))
    return select.order_by(Nomination.id.desc())


def listing(actor: Actor) -> Listing:
    """The nominations list (F6): those of the units `actor` follows, paged for the
    filter typed."""
    units = seen_units(actor)
    return Listing(lambda query: search(query, unit_ids=units))


def ready_to_post(limit: int = 2000) -> list[Nomination]:
    """Checked, eligible and on no list yet: what the Office may post, by title."""
    return list(with_subjects(Nomination)
                .where((Nomination.state == "checked") & (Nomination.eligible == True)  # noqa: E712
                       & Nomination.batch.is_null())
                .order_by(Nomination.title_code, Nomination.id).limit(limit))


def dossier_item(item_id: int) -> DossierItem:
    return records.get(DossierItem, item_id, "giấy tờ hồ sơ")


def settled(nom: Nomination) -> bool:
    """Whether the nomination's check is history (decided, or failed or withdrawn once
    checked): its kept result stands, not the rules as they read today."""
    return nom.state == "decided" or nom.state in ("failed", "withdrawn") and bool(
        nom.check_notes)


def recorded_rules(nom: Nomination) -> list[tuple[str, bool]]:
    """The last check as kept on the nomination, a rule a line: (line, failed)."""
    return [(line, line.startswith(eligibility.FAILED))
            for line in nom.check_notes.splitlines()]


def first_failure(nom: Nomination) -> str:
    """The first rule the last check found failed, in words; "" when none."""
    failed = [line for line, bad in recorded_rules(nom) if bad]
    return failed[0].removeprefix(eligibility.FAILED).strip() if failed else ""


# --- what a new nomination may name ---------------------------------------------------------

# The subject kinds of each kind of record picked to nominate (models/awards/history.KINDS).
PICKED_SUBJECTS = {"person": ("individual",), "household": ("household",),
                   "unit": ("collective", "village")}


def title_choices(cfg, picked: str, ad_hoc: bool = False) -> tuple[tuple[str, str], ...]:
    """(code, name) of the titles a nomination of a picked "person", "household" or
    "unit" may ask for; with `ad_hoc`, those also given ad hoc."""
    wanted = PICKED_SUBJECTS[picked]
    return tuple((code, t.name) for code, t in cfg.titles.items()
                 if any(s in t.subjects for s in wanted)
                 and (not ad_hoc or "ad_hoc" in t.frequency))


def subject_kind_for(cfg, picked: str, subject_id: int, title_code: str) -> str:
    """The subject kind of a nomination of what was picked: a unit is nominated as a
    village for a village title when it is one, else as a collective."""
    if picked != "unit":
        return PICKED_SUBJECTS[picked][0]
    unit = records.get(Unit, subject_id, "đơn vị")
    if unit.kind == "village" and "village" in cfg.title(title_code).subjects:
        return "village"
    return "collective"


def campaigns_for(year: int) -> list[Campaign]:
    """The campaigns a nomination made in `year` may name: this year's and last year's."""
    return list(Campaign.select().where(Campaign.year >= year - 1)
                .order_by(Campaign.year.desc(), Campaign.name))


def bulk_move(actor: Actor, ids: list[int], from_states: tuple[str, ...], to: str,
              reason: str, **more) -> int:
    """Move many nominations at once (Gia đình văn hóa lists): one UPDATE, one event
    row each, one change-log entry for the lot."""
    if not ids:
        return 0
    now = utcnow()
    moved = 0
    for chunk in _chunks(ids, 900):
        if len(from_states) == 1:  # the old state is known: the UPDATE's count checks it
            rows = [(i, from_states[0]) for i in chunk]
        else:
            rows = list(Nomination.select(Nomination.id, Nomination.state)
                        .where(Nomination.id.in_(chunk) & Nomination.state.in_(from_states))
                        .tuples())
        hit = Nomination.update(state=to, version=Nomination.version + 1, **more).where(
            Nomination.id.in_(chunk) & Nomination.state.in_(from_states)).execute()
        if hit != len(chunk) or len(rows) != len(chunk):
            raise RuleError(f"{len(chunk) - min(hit, len(rows))} đề nghị trong danh sách không "
                            f"ở trạng thái phù hợp để chuyển sang “{state_name(to)}”.")
        bulkio.insert_rows(NominationEvent, EVENT_FIELDS,
                           [(i, old, to, now, actor.login, reason) for i, old in rows])
        moved += len(rows)
    changelog.record(actor.login, "nomination", None, "bulk",
                     after={"state": to, "rows": moved, "first": min(ids),
                            "last": max(ids)})
    return moved


def _chunks(items: list, size: int):
    for i in range(0, len(items), size):
        yield items[i:i + size]
