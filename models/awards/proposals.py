"""Proposals to the province (tờ trình): titles whose configured `decided_by` is above the
commune (Tập thể lao động xuất sắc, Chiến sĩ thi đua cấp tỉnh, Bằng khen of the
provincial chairman) are reviewed by the commune's council, then sent up.

The Office drafts a proposal and lists the nominations the council passed; the chairman
submits it, which gives it a number of its own series ("Số: 03/TTr-UBND", the register of
decisions.reserve_number) and marks the nominations "đã trình tỉnh". When the province's
decision arrives, the Office records it (number, date, deciding body, the amount the
province pays): the awards enter the title history at level "province", and nothing is
paid from the commune's fund. Such nominations never go into a commune decision
(decisions.add_nominations refuses them).
"""
from __future__ import annotations

import peewee as pw

from models import fields, text
from models.awards import decisions, nominations
from models.awards.tables import PROPOSAL_STATES, Nomination, Proposal, ProposalItem, TitleAward
from models.errors import RuleError
from models.registry.access import Actor, require
from models.store import bulk as bulkio
from models.store import changelog, records
from models.store.paging import Listing
from models.store.tables import database

WHAT = "tờ trình"
DOC_TYPE = "TTr"
# Each action on one proposal: the roles it needs, its name in a refusal, the state it
# is taken in.
ACTIONS = {
    "add": (decisions.PREPARE, "lập danh sách trình tỉnh", "draft"),
    "remove": (decisions.PREPARE, "bỏ một đề nghị khỏi tờ trình", "draft"),
    "submit": (decisions.ISSUE, "ký tờ trình trình tỉnh", "draft"),
    "record": (decisions.PREPARE, "ghi quyết định của tỉnh", "submitted"),
}


def above_commune(cfg, title_code: str) -> bool:
    """Whether the title is decided above the commune, so it goes up in a proposal."""
    return title_code in cfg.titles and not cfg.title(title_code).decided_by_commune


def reference(proposal: Proposal) -> str:
    if proposal.number is None:
        return "(chưa cấp số)"
    return "Số: " + decisions.format_number(proposal.number, DOC_TYPE)


def state_name(state: str) -> str:
    return PROPOSAL_STATES.get(state, state)


# --- who may do what ---------------------------------------------------------------------------

def can_prepare(actor: Actor) -> bool:
    return actor.has(*decisions.PREPARE)


def allowed_actions(actor: Actor, proposal: Proposal) -> frozenset[str]:
    return frozenset(name for name, (roles, _, state) in ACTIONS.items()
                     if actor.has(*roles) and proposal.state == state)


def require_action(actor: Actor, proposal: Proposal, action: str) -> None:
    if action in allowed_actions(actor, proposal):
        return
    roles, doing, state = ACTIONS[action]
    require(actor, *roles, action=doing)
    raise RuleError(f"Tờ trình đang “{state_name(proposal.state)}”: chỉ {doing} khi "
                    f"“{state_name(state)}”.")


def get(proposal_id: int) -> Proposal:
    return records.get(Proposal, proposal_id, WHAT)


def _checked(actor: Actor, proposal_id: int, action: str) -> Proposal:
    proposal = get(proposal_id)
    require_action(actor, proposal, action)
    return proposal


# --- preparing ---------------------------------------------------------------------------------

def create(actor: Actor, title: str, proposed_on, signer: str = "", note: str = "") -> Proposal:
    require(actor, *decisions.PREPARE, action="lập tờ trình")
    return records.insert(actor, Proposal,
                          title=fields.name(title, "Trích yếu", max_len=400),
                          proposed_on=fields.required_date(proposed_on, "Ngày tờ trình"),
                          signer=fields.optional_text(signer, "Người ký", max_len=200),
                          note=fields.optional_text(note, "Ghi chú", max_len=2000,
                                                    multiline=True),
                          created_by=actor.login)


def _proposed_ids():
    return ProposalItem.select(ProposalItem.nomination)


def passed_for_province(cfg, limit: int = 2000) -> list[Nomination]:
    """What the council passed for a title decided above the commune and no proposal
    lists yet: what a draft proposal may take."""
    codes = [code for code in cfg.titles if above_commune(cfg, code)]
    return list(nominations.with_subjects(Nomination)
                .where((Nomination.state == "passed") & Nomination.title_code.in_(codes)
                       & Nomination.id.not_in(_proposed_ids()))
                .order_by(Nomination.title_code, Nomination.id).limit(limit))


def add_nominations(actor: Actor, cfg, proposal_id: int, nomination_ids: list[int]) -> int:
    """List passed nominations of titles decided above the commune on the draft."""
    ids = sorted(set(nomination_ids))
    with database.atomic():
        _checked(actor, proposal_id, "add")
        for nom in Nomination.select().where(Nomination.id.in_(ids)):
            if nom.state != "passed":
                raise RuleError(f"Đề nghị số {nom.id} chưa được Hội đồng thông qua "
                                f"(đang “{nominations.state_name(nom.state)}”).")
            if not above_commune(cfg, nom.title_code):
                raise RuleError(f"{cfg.title(nom.title_code).name} do Chủ tịch UBND xã quyết "
                                "định: đưa vào quyết định của xã, không trình tỉnh.")
        taken = {n for (n,) in _proposed_ids().where(ProposalItem.nomination.in_(ids)).tuples()}
        if taken:
            raise RuleError(f"Đề nghị số {min(taken)} đã có trong một tờ trình.")
        found = Nomination.select().where(Nomination.id.in_(ids)).count()
        if found != len(ids):
            raise RuleError(f"{len(ids) - found} đề nghị không còn tồn tại; tải lại danh sách.")
        bulkio.insert_rows(ProposalItem, [ProposalItem.proposal, ProposalItem.nomination],
                           [(proposal_id, i) for i in ids])
        changelog.record(actor.login, "proposal_item", proposal_id, "bulk",
                         after={"added": len(ids)})
    return len(ids)


def remove_nomination(actor: Actor, proposal_id: int, nomination_id: int) -> None:
    with database.atomic():
        _checked(actor, proposal_id, "remove")
        gone = ProposalItem.delete().where((ProposalItem.proposal == proposal_id)
                                           & (ProposalItem.nomination == nomination_id)
                                           ).execute()
        if not gone:
            raise RuleError("Đề nghị này không có trong tờ trình.")
        changelog.record(actor.login, "proposal_item", proposal_id, "delete",
                         before={"nomination": nomination_id})


# --- submitting and the province's answer ------------------------------------------------------

def submit(actor: Actor, proposal_id: int, version: int, number: int | None = None) -> Proposal:
    """Sign and send up: the proposal's number (its own series), the nominations "đã
    trình tỉnh"."""
    with database.atomic():
        proposal = _checked(actor, proposal_id, "submit")
        ids = nomination_ids(proposal_id)
        if not ids:
            raise RuleError("Tờ trình chưa có đề nghị nào.")
        number = decisions.reserve_number(actor, proposal.proposed_on.year, DOC_TYPE,
                                          what=proposal.title, number=number)
        row = records.update(actor, Proposal, proposal_id, version, WHAT, number=number,
                             state="submitted", submitted_by=actor.login)
        nominations.bulk_move(actor, ids, ("passed",), "proposed", f"Tờ trình {reference(row)}")
    return row


def record_decision(actor: Actor, proposal_id: int, version: int, ref: str, decided_on,
                    body: str, amount="0") -> Proposal:
    """The province decided: its number, date, deciding body and the amount it pays each
    award (from the province, not the commune's fund). The awards enter the history."""
    with database.atomic():
        proposal = _checked(actor, proposal_id, "record")
        ref = fields.name(ref, "Số quyết định của tỉnh", max_len=120)
        day = fields.required_date(decided_on, "Ngày quyết định của tỉnh")
        body = fields.name(body, "Cơ quan quyết định", max_len=200)
        paid = amount if isinstance(amount, int) else text.parse_vnd(str(amount or "0"),
                                                                     "Số tiền tỉnh chi")
        if paid < 0:
            raise RuleError("Số tiền tỉnh chi không được âm.")
        row = records.update(actor, Proposal, proposal_id, version, WHAT, state="decided",
                             province_ref=ref, province_on=day, province_body=body,
                             province_amount=paid)
        ids = nomination_ids(proposal_id)
        note = f"{body}; theo Tờ trình {reference(proposal)}"
        rows = [(n.title_code, n.year, n.person_id, n.unit_id, n.household_id, ref, day, note,
                 "province")
                for n in Nomination.select().where(Nomination.id.in_(ids))]
        bulkio.insert_rows(TitleAward, [TitleAward.title_code, TitleAward.year,
                                        TitleAward.person, TitleAward.unit,
                                        TitleAward.household, TitleAward.decision_ref,
                                        TitleAward.decided_on, TitleAward.note,
                                        TitleAward.level], rows)
        changelog.record(actor.login, "title_award", None, "bulk",
                         after={"rows": len(rows), "decision": ref, "level": "province"})
        nominations.bulk_move(actor, ids, ("proposed",), "decided", f"Quyết định {ref}")
    return row


# --- reading -----------------------------------------------------------------------------------

def nomination_ids(proposal_id: int) -> list[int]:
    return [n for (n,) in ProposalItem.select(ProposalItem.nomination)
            .where(ProposalItem.proposal == proposal_id).order_by(ProposalItem.id).tuples()]


def items_with_subjects(proposal_id: int):
    """The proposal's nominations with their person, unit or household."""
    listed = ProposalItem.select(ProposalItem.nomination).where(
        ProposalItem.proposal == proposal_id)
    return (nominations.with_subjects(Nomination).where(Nomination.id.in_(listed))
            .order_by(Nomination.title_code, Nomination.id))


def item_listing(proposal_id: int) -> Listing:
    return Listing(lambda query: items_with_subjects(proposal_id))


def item_count(proposal_id: int) -> int:
    return ProposalItem.select().where(ProposalItem.proposal == proposal_id).count()


def search(query: str = "") -> pw.ModelSelect:
    """Proposals newest first; `query` is a number or words of the title."""
    select = Proposal.select()
    folded = text.fold(query)
    if folded.isdigit():
        select = select.where(Proposal.number == int(folded))
    elif folded:
        select = select.where(Proposal.title.contains(query.strip()))
    return select.order_by(Proposal.proposed_on.desc(), Proposal.id.desc())


def listing() -> Listing:
    return Listing(search)


def province_line(proposal: Proposal) -> str:
    """What the province decided, in one line ("" before it has)."""
    if proposal.state != "decided":
        return ""
    return (f"{proposal.province_body}: Quyết định {proposal.province_ref} ngày "
            f"{text.format_date(proposal.province_on)} · tỉnh chi "
            f"{text.format_vnd(proposal.province_amount)} mỗi khen thưởng")
