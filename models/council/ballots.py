"""Ballots of the council: open, vote, close with each name's title's rule.

A ballot lists one nomination or several, of one title or of different ones
(one paper for the agenda): each name is decided by its own title's rule
(rule.py), and the ballot is secret when any of them is voted in secret. It
may be a paper ballot whose counts the secretary enters (paper.py). Only
members present when it opened vote, each once (the database's unique index
on `BallotVoter`), each on every name they are not recused from: the nominee,
the head of the nominated unit, a member with a conflict of interest
(conflicts.py).

Secrecy, by construction. A secret vote writes the member's participation row
and one ciphertext of fixed length, sealed to the ballot's public key
(sealing.py); the private key is in a file outside the database, so no copy of
the database, at any moment, can open a vote, and no counter moves while the
ballot is open. The change log gets "n of m have voted" and no more. The close
opens the votes in memory (counting.py), writes the totals and the sorted
receipt codes, empties the ciphertexts, erases the key file, then the write
history (`db.erase_write_history`). A reader holding the database can block
that last step: the close returns anyway, saying so, marks the ballot
`pending_erase`, and `finish_erasing` (called from the screens' timers) erases
it once the reader lets go; `thidua check` reports it until then.
"""
from __future__ import annotations

import hashlib
import json
import secrets
import time
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

import peewee as pw

from models import text
from models.awards import nominations
from models.awards.tables import Nomination
from models.council import conflicts, counting, lists, members, sealing, sessions
from models.council.rule import Result, decide
from models.council.tables import (BALLOT_KINDS, CHOICES, Ballot, BallotItem, BallotVoter,
                                   CouncilMember, NamedVote, Recusal)
from models.errors import PermissionDenied, QuorumNotMet, RuleError, StoreError
from models.registry.access import SYSTEM, Actor, require
from models.store import changelog, db, records
from models.store.tables import database

WHAT = "phiếu biểu quyết"
BUSY_ATTEMPTS = 40
# Where a secret ballot leaves its ciphertexts: rewritten without old versions at close.
SECRET_TABLES = (BallotVoter._meta.table_name,)


# --- reading --------------------------------------------------------------------------------

def get(ballot_id: int) -> Ballot:
    return records.get(Ballot, ballot_id, WHAT)


def items(ballot_id: int) -> list[BallotItem]:
    return list(BallotItem.select(BallotItem, Nomination).join(Nomination)
                .where(BallotItem.ballot == ballot_id).order_by(BallotItem.position))


def get_item(item_id: int) -> BallotItem:
    return records.get(BallotItem, item_id, "tên trên phiếu")


def of_session(session_id: int) -> list[Ballot]:
    return list(Ballot.select().where(Ballot.session == session_id).order_by(Ballot.id))


def open_ballots(session_id: int | None = None) -> list[Ballot]:
    query = Ballot.select().where(Ballot.state == "open")
    if session_id is not None:
        query = query.where(Ballot.session == session_id)
    return list(query.order_by(Ballot.id))


def progress(ballot_id: int) -> tuple[int, int]:
    """(have voted, may vote): all a screen may show while a secret ballot is open."""
    ballot = get(ballot_id)
    voted = BallotVoter.select().where(BallotVoter.ballot == ballot_id).count()
    return voted, ballot.voters


def progress_text(ballot_id: int) -> str:
    voted, voters = progress(ballot_id)
    return f"{voted}/{voters} đã bỏ phiếu"


def recusals(ballot_id: int) -> dict[int, dict[int, str]]:
    """item id -> {member id: why}."""
    out: dict[int, dict[int, str]] = {}
    for r in Recusal.select().join(BallotItem).where(BallotItem.ballot == ballot_id):
        out.setdefault(r.item_id, {})[r.member_id] = r.why
    return out


def has_voted(ballot_id: int, member_id: int) -> bool:
    return BallotVoter.select().where((BallotVoter.ballot == ballot_id)
                                      & (BallotVoter.member == member_id)).exists()


def voters_done(ballot_id: int) -> set[int]:
    """Members who have voted (participation is public, the choice is not)."""
    return {v.member_id for v in BallotVoter.select().where(BallotVoter.ballot == ballot_id)}


def named_votes(ballot_id: int) -> dict[int, dict[int, str]]:
    """Open ballots only: item id -> {member id: choice}."""
    ballot = get(ballot_id)
    if ballot.kind != "open":
        raise PermissionDenied("Phiếu kín: không ai xem được ai đã chọn gì.")
    out: dict[int, dict[int, str]] = {}
    for v in NamedVote.select().join(BallotItem).where(BallotItem.ballot == ballot_id):
        out.setdefault(v.item_id, {})[v.member_id] = v.choice
    return out


def result_of(item: BallotItem) -> Result | None:
    return Result.from_json(item.result) if item.result else None


def title_codes(ballot_id: int) -> list[str]:
    """The titles of the ballot's names, each once, in the paper's order."""
    return list(dict.fromkeys(item.nomination.title_code for item in items(ballot_id)))


def may_change_vote(cfg, ballot: Ballot) -> bool:
    """Whether a member's confirmed vote may still change (`change_vote`): while
    the ballot is open, where the rule of every title on it allows it."""
    return ballot.state == "open" and all(
        cfg.voting_rule(code).allow_vote_change for code in title_codes(ballot.id))


def receipts(ballot: Ballot) -> list[str]:
    """The receipt codes of a closed secret ballot's votes, sorted: each member
    finds their own there, and nothing ties a code to a member or a choice."""
    return ballot.receipts.split()


def electorate(ballot: Ballot) -> set[int]:
    """The members present when the ballot opened: only they vote in it."""
    if ballot.electorate:
        return set(json.loads(ballot.electorate))
    # Opened before migration 11, which began keeping the list: today's roll call.
    return {m.id for m in sessions.present_members(ballot.session_id)}


def unerased() -> list[Ballot]:
    """Closed secret ballots whose write history still waits to be erased."""
    return list(Ballot.select().where(Ballot.pending_erase == True)  # noqa: E712
                .order_by(Ballot.id))


# --- opening ----------------------------------------------------------------------------------

def _held(session_id: int):
    """The items of the session's ballots that hold their name: on a ballot still
    open, or with a result. Such a name goes on another ballot only by a revote."""
    return BallotItem.select().join(Ballot).where(
        (Ballot.session == session_id)
        & ((Ballot.state == "open") | (BallotItem.passed.is_null(False))))


def ready(session_id: int) -> list[Nomination]:
    """The names of the session's agenda that a new ballot may list: still at the
    council stage and held by no ballot (`open_ballot` refuses the others)."""
    held = {item.nomination_id for item in _held(session_id)}
    return [n for n in sessions.agenda(session_id)
            if n.state == "at_council" and n.id not in held]


def _check_names(session_id: int, noms: list[Nomination], replaces: int | None) -> None:
    on_agenda = {n.id for n in sessions.agenda(session_id)}
    for nom in noms:
        if nom.id not in on_agenda:
            raise RuleError(f"Đề nghị số {nom.id} không có trong chương trình phiên họp.")
        taken = _held(session_id).where(BallotItem.nomination == nom.id).first()
        if taken is not None and (replaces is None or taken.ballot_id != replaces):
            raise RuleError(f"{text.visible(lists.label(nom))} đã có trên phiếu "
                            f"số {taken.ballot_id}; biểu quyết lại cần phiếu mới có lý do.")
        if nom.state != "at_council":
            raise RuleError(f"{text.visible(lists.label(nom))}: đề nghị không chờ "
                            f"Hội đồng (đang “{nominations.state_name(nom.state)}”).")


def _check_quorum(cfg, session_id: int, titles: list[str], quorum_reason: str) -> str:
    """The recorded reason to go on without quorum ("" when every title's quorum is met)."""
    override = text.clean_text(quorum_reason, "Lý do", max_len=1000, multiline=True)
    for code in titles:
        q = sessions.quorum(cfg, session_id, code)
        if not q.met:
            if not override:
                raise QuorumNotMet(f"Chưa đủ số thành viên dự họp ({q.present}/{q.members}, "
                                   f"cần {q.needed}): chưa mở phiếu được, trừ khi ghi rõ lý do.")
            return override
    return ""


def _recusals(session_id: int, noms: list[Nomination], serving: list[CouncilMember]
              ) -> dict[tuple[int, int], str]:
    """(nomination id, member id) -> why the member does not vote on the name."""
    declared = conflicts.reasons(session_id)
    return {(nom.id, m.id): why for nom in noms for m in serving
            if (why := sessions.recusal_reason(m, nom) or declared.get((nom.id, m.id), ""))}


def _database_folder(cfg) -> Path | None:
    """The SQLite file's folder, which a key folder set in the configuration must
    not be in (the default, under the service account's state dir, is taken as
    is: a database kept directly in that account's home holds it)."""
    bound = database.obj
    return Path(bound.database).parent if cfg.council.key_dir and db.is_sqlite(bound) else None


def open_ballot(actor: Actor, cfg, session_id: int, nomination_ids: list[int], *,
                paper: bool = False, quorum_reason: str = "", replaces: int | None = None,
                reason: str = "") -> Ballot:
    """Open one ballot for `nomination_ids`. Refused without quorum (by every
    title's rule), unless the ballot records why it goes on."""
    require(actor, *members.RUN, action="mở phiếu biểu quyết")
    if not nomination_ids:
        raise RuleError("Chưa chọn đề nghị nào để biểu quyết.")
    if len(set(nomination_ids)) != len(nomination_ids):
        raise RuleError("Một người chỉ có một dòng trên phiếu.")
    session = sessions.get_session(session_id)
    noms = [nominations.get(i) for i in nomination_ids]
    titles = list(dict.fromkeys(n.title_code for n in noms))
    secret = not paper and any(cfg.voting_rule(code).secret for code in titles)
    public_key, key_file = (sealing.new_key(cfg.ballot_key_dir(), _database_folder(cfg))
                            if secret else ("", None))
    try:
        with database.atomic():
            _check_names(session.id, noms, replaces)
            override = _check_quorum(cfg, session.id, titles, quorum_reason)
            serving = members.members(session.held_on)
            present = {m.id for m in sessions.present_members(session.id)}
            recused = _recusals(session.id, noms, serving)
            voters = sum(1 for m in serving if m.id in present
                         and any((nom.id, m.id) not in recused for nom in noms))
            kind = "paper" if paper else ("secret" if secret else "open")
            ballot = records.insert(actor, Ballot, session=session.id, title_code=titles[0],
                                    kind=kind, members=len(serving), present=len(present),
                                    voters=voters, opened_by=actor.login,
                                    quorum_override=override,
                                    replaces=replaces, reason=reason, public_key=public_key,
                                    key_file=str(key_file or ""),
                                    electorate=json.dumps(sorted(present)))
            for position, nom in enumerate(noms, 1):
                item = records.insert(actor, BallotItem, ballot=ballot.id, nomination=nom.id,
                                      position=position)
                for m in serving:
                    if (nom.id, m.id) in recused:
                        records.insert(actor, Recusal, item=item.id, member=m.id,
                                       why=recused[(nom.id, m.id)])
            return ballot
    except BaseException:
        sealing.erase_key(str(key_file) if key_file else "")  # sealed nothing: no use
        raise


# --- voting ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Receipt:
    """What a voter's session keeps, in memory only, of a vote: its choices, the
    token that lets this session alone change a secret vote (allow_vote_change),
    and the receipt code to show (secret ballots: it is listed in the tally)."""
    ballot_id: int
    choices: dict = field(default_factory=dict)   # nomination id -> choice
    key: str = ""
    code: str = ""


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest() if token else ""


def _retrying(work):
    """Run a write; another session holding the lock past the busy timeout is
    waited for again, and a user never sees "database is locked"."""
    for attempt in range(BUSY_ATTEMPTS):
        try:
            return work()
        except pw.OperationalError as exc:
            if not db.is_busy(exc):
                raise
            time.sleep(min(0.5, 0.02 * (attempt + 1)))
    raise StoreError("Máy chủ đang quá bận, phiếu chưa được ghi: bấm gửi lại.")


@dataclass(frozen=True)
class Line:
    """One name of a ballot as one member has it on their ballot paper."""
    item: BallotItem
    recused: str    # why the member does not vote on the name ("" when they do)


def sheet(ballot_id: int, member_id: int) -> list[Line]:
    """The names of the ballot in order, each with whether the member votes on it:
    what the member's screen shows and what `cast` accepts. The name's title is
    `line.item.nomination.title_code`."""
    recused = recusals(ballot_id)
    return [Line(item, recused.get(item.id, {}).get(member_id, "")) for item in items(ballot_id)]


def why_cannot_vote(ballot_id: int, member_id: int) -> str:
    """Why the member cannot vote in the ballot now ("" when they may): what the
    ballot screen says, and what `cast` refuses with."""
    ballot = get(ballot_id)
    if ballot.state != "open":
        return "Phiếu đã kết thúc: không bỏ phiếu được nữa."
    if ballot.kind == "paper":
        return "Phiếu giấy: thư ký nhập kết quả kiểm phiếu, không bỏ phiếu trên máy."
    if member_id not in electorate(ballot):
        if sessions.is_present(ballot.session_id, member_id):
            return (f"Bạn được điểm danh có mặt sau khi phiếu số {ballot.id} mở: chỉ thành "
                    "viên có mặt lúc mở phiếu mới bỏ phiếu (số người biểu quyết đã tính "
                    "lúc đó).")
        return "Chỉ thành viên có mặt tại phiên họp lúc mở phiếu mới bỏ phiếu."
    lines = sheet(ballot_id, member_id)
    if all(line.recused for line in lines):
        whys = "; ".join(dict.fromkeys(line.recused for line in lines))
        return f"Bạn không biểu quyết tên nào trên phiếu số {ballot.id}: bạn {whys}."
    if has_voted(ballot_id, member_id):
        return "Bạn đã bỏ phiếu cho phiếu này rồi."
    return ""


def next_to_vote(session_id: int, member_id: int, skip: Collection[int] = ()) -> int | None:
    """The first open ballot of the session the member still has to vote on
    (`why_cannot_vote` says nothing against it). Ballots in `skip` are passed over."""
    for ballot in open_ballots(session_id):
        if ballot.id not in skip and not why_cannot_vote(ballot.id, member_id):
            return ballot.id
    return None


def _voter(actor: Actor, ballot: Ballot) -> CouncilMember:
    session = sessions.get_session(ballot.session_id)
    member = members.member_of(actor, session.held_on)
    if member is None:
        raise PermissionDenied("Bạn không phải thành viên Hội đồng trong nhiệm kỳ này.")
    return member


def _checked_choices(ballot: Ballot, member: CouncilMember, choices: dict[int, str]
                     ) -> list[tuple[BallotItem, str]]:
    if ballot.state != "open" or ballot.kind == "paper" or member.id not in electorate(ballot):
        raise RuleError(why_cannot_vote(ballot.id, member.id))
    chosen = []
    for line in sheet(ballot.id, member.id):
        item = line.item
        choice = choices.get(item.nomination_id)
        if line.recused:
            if choice is not None:
                raise RuleError(f"Bạn không biểu quyết đề nghị mà bạn {line.recused}.")
            continue
        if choice not in CHOICES:
            name = text.visible(lists.label(item.nomination))
            raise RuleError(f"Chưa chọn cho {name}: đồng ý, không đồng ý hoặc không biểu quyết.")
        chosen.append((item, choice))
    unknown = set(choices) - {item.nomination_id for item, _ in chosen}
    if unknown:
        raise RuleError("Phiếu có tên không thuộc phiếu này.")
    if not chosen:
        raise RuleError("Bạn không biểu quyết tên nào trên phiếu này.")
    return chosen


def _sealed(ballot: Ballot, chosen: list[tuple[BallotItem, str]], code: str) -> str:
    """The vote as one ciphertext whose length depends on the ballot only."""
    if not ballot.public_key:
        raise RuleError("Phiếu kín này mở trước khi nâng cấp phần mềm: kết thúc phiếu rồi "
                        "biểu quyết lại.")
    names = BallotItem.select().where(BallotItem.ballot == ballot.id).count()
    return sealing.seal(ballot.public_key, {item.id: choice for item, choice in chosen}, code,
                        sealing.plain_size(names))


def cast(actor: Actor, cfg, ballot_id: int, choices: dict[int, str]) -> Receipt:
    """One member's vote on every name of the ballot they are not recused from.
    A secret vote returns its receipt code (`Receipt.code`)."""
    ballot = get(ballot_id)
    member = _voter(actor, ballot)
    secret = ballot.kind == "secret"
    token = secrets.token_hex(16) if secret and may_change_vote(cfg, ballot) else ""
    code = sealing.receipt_code() if secret else ""

    def work() -> Receipt:
        with database.atomic():
            current = get(ballot_id)
            chosen = _checked_choices(current, member, choices)
            plain = {item.nomination_id: choice for item, choice in chosen}
            sealed = _sealed(current, chosen, code) if secret else ""
            try:
                with database.atomic():
                    BallotVoter.create(ballot=ballot_id, member=member.id, seal=_digest(token),
                                       sealed=sealed)
            except pw.IntegrityError:
                raise RuleError("Bạn đã bỏ phiếu cho phiếu này rồi.") from None
            if not secret:
                for item, choice in chosen:
                    NamedVote.create(item=item.id, member=member.id, choice=choice)
            _log_progress(actor, current, "vote", None if secret else plain)
            return Receipt(ballot_id, plain, token, code)

    return _retrying(work)


def _log_progress(actor: Actor, ballot: Ballot, action: str, named: dict | None) -> None:
    """The change log of a vote: how many have voted, and for an open ballot the
    named choices; for a secret one nothing about the choice."""
    voted = BallotVoter.select().where(BallotVoter.ballot == ballot.id).count()
    after = {"voted": voted, "voters": ballot.voters}
    if named is not None:
        after["choices"] = {str(k): v for k, v in named.items()}
    changelog.record(actor.login, "ballot", ballot.id, action, after=after)


def change_vote(actor: Actor, cfg, ballot_id: int, choices: dict[int, str],
                receipt: Receipt | None = None) -> Receipt:
    """Change a confirmed vote while the ballot is open, where the rule allows it.
    A secret vote changes only with the receipt its session kept: the session
    replaces its own ciphertext by one of the same length, with a new code."""
    ballot = get(ballot_id)
    if not may_change_vote(cfg, ballot):
        raise RuleError("Phiếu đã xác nhận thì không sửa được (theo quy chế của Hội đồng).")
    member = _voter(actor, ballot)
    secret = ballot.kind == "secret"
    code = sealing.receipt_code() if secret else ""

    def work() -> Receipt:
        with database.atomic():
            current = get(ballot_id)
            chosen = _checked_choices(current, member, choices)
            voter = BallotVoter.get_or_none((BallotVoter.ballot == ballot_id)
                                            & (BallotVoter.member == member.id))
            if voter is None:
                raise RuleError("Bạn chưa bỏ phiếu cho phiếu này.")
            plain = {item.nomination_id: choice for item, choice in chosen}
            if not secret:
                for item, choice in chosen:
                    NamedVote.update(choice=choice).where(
                        (NamedVote.item == item.id) & (NamedVote.member == member.id)).execute()
                _log_progress(actor, current, "revote", plain)
                return Receipt(ballot_id, plain)
            if receipt is None or not voter.seal or _digest(receipt.key) != voter.seal:
                raise RuleError("Phiếu kín chỉ sửa được ngay trong phiên làm việc đã bỏ phiếu.")
            BallotVoter.update(sealed=_sealed(current, chosen, code)).where(
                BallotVoter.id == voter.id).execute()
            _log_progress(actor, current, "revote", None)
            return Receipt(ballot_id, plain, receipt.key, code)

    return _retrying(work)


# --- closing ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Closing:
    """What `close` did: the closed ballot, and whether a secret ballot's write
    history is erased already (when not, `notice` is what the chair is told)."""
    ballot: Ballot
    erased: bool = True

    @property
    def notice(self) -> str:
        if self.erased:
            return ""
        return ("Đã kết thúc phiếu và có kết quả, nhưng có người đang đọc cơ sở dữ liệu nên "
                "lịch sử bỏ phiếu chưa xóa được; máy sẽ tự xóa khi họ đọc xong ("
                "“thidua check” báo cho đến lúc đó).")


def close(actor: Actor, cfg, ballot_id: int, version: int | None = None) -> Closing:
    """End the ballot, compute every name's result with its title's rule and mark
    each nomination passed or failed. A closed ballot never changes again. Any
    session of the chair or the secretary closes it, whoever opened it."""
    require(actor, *members.RUN, action="kết thúc phiếu biểu quyết")
    secret = get(ballot_id).kind == "secret"
    if secret:
        db.secure_delete(database)

    def work() -> Ballot:
        with database.atomic():
            ballot = get(ballot_id)
            if ballot.state != "open":
                raise RuleError("Phiếu đã kết thúc; biểu quyết lại cần một phiếu mới có lý do.")
            sealed, codes = counting.open_sealed(ballot) if secret else (Counter(), [])
            recused = recusals(ballot_id)
            written = sessions.written_opinions(ballot.session_id)
            for item in items(ballot_id):
                counts = counting.counts(ballot, item, recused.get(item.id, {}),
                                         [w for w in written
                                          if w.nomination_id == item.nomination_id], sealed)
                result = decide(cfg.voting_rule(item.nomination.title_code), counts)
                more = {} if ballot.kind == "paper" else {
                    "agree": counts.agree, "disagree": counts.disagree, "blank": counts.abstain,
                    "valid": counts.valid}
                records.update(actor, BallotItem, item.id, item.version, "kết quả biểu quyết",
                               result=result.as_json(), passed=result.passed, **more)
                lists.record_result(actor, item.nomination_id, result.passed,
                                    f"Phiếu số {ballot.id}: {result.text()}")
            if secret:
                BallotVoter.update(seal="", sealed="").where(
                    BallotVoter.ballot == ballot_id).execute()
            return records.update(actor, Ballot, ballot_id,
                                  ballot.version if version is None else version, WHAT,
                                  state="closed", closed_by=actor.login,
                                  closed_at=Ballot.opened_at.default(),
                                  receipts=" ".join(codes), pending_erase=secret)

    closed = _retrying(work)
    if not secret:
        return Closing(closed)
    erased = _erase([closed], float(cfg.council.erase_wait), actor)
    if not erased:
        with database.atomic():
            changelog.record(actor.login, "ballot", ballot_id, "wal_busy")
    return Closing(closed, erased)


def _erase(ballots: list[Ballot], wait: float, actor: Actor) -> bool:
    """Erase the key files and the write history of closed secret ballots, then
    clear their mark. False when a reader still holds the history."""
    for ballot in ballots:
        sealing.erase_key(ballot.key_file)
    if not db.erase_write_history(database, SECRET_TABLES, timeout=wait):
        return False
    with database.atomic():
        for ballot in ballots:
            ballot = get(ballot.id)
            records.update(actor, Ballot, ballot.id, ballot.version, WHAT, pending_erase=False)
    return True


def finish_erasing() -> list[int]:
    """Erase what earlier closes could not (`Closing.erased` False): the ids of the
    ballots erased now. Cheap when nothing waits (one query); meant for the
    screens' timers, outside any transaction."""
    pending = unerased()
    if not pending or database.in_transaction():
        return []
    return [ballot.id for ballot in pending] if _erase(pending, 0.0, SYSTEM) else []


# --- voting again ----------------------------------------------------------------------------

def revote(actor: Actor, cfg, ballot_id: int, reason: str, paper: bool = False) -> Ballot:
    """A new ballot for the names of a closed one, for a recorded reason: the
    nominations go back before the council and the old results stay on record."""
    require(actor, *members.RUN, action="biểu quyết lại")
    clean = text.clean_text(reason, "Lý do biểu quyết lại", required=True, max_len=1000,
                            multiline=True)
    old = get(ballot_id)
    if old.state != "closed":
        raise RuleError("Phiếu còn đang mở: kết thúc phiếu trước khi biểu quyết lại.")
    if Ballot.select().where(Ballot.replaces == ballot_id).exists():
        raise RuleError("Phiếu này đã được biểu quyết lại bằng một phiếu khác.")
    with database.atomic():
        noms = [item.nomination for item in items(ballot_id)]
        for nom in noms:
            lists.back_to_council(actor, nom.id,
                                  f"Biểu quyết lại (phiếu số {ballot_id}): {clean}")
        return open_ballot(actor, cfg, old.session_id, [n.id for n in noms], paper=paper,
                           replaces=ballot_id, reason=clean)


def kind_name(ballot: Ballot) -> str:
    return BALLOT_KINDS.get(ballot.kind, ballot.kind)
