"""Ballots of the council: open, vote, paper counts, close with the title's rule.

A ballot lists one nomination, or several of the same title (one paper, agree
or disagree for each name). It is secret or open as the title's rule says, or
a paper ballot whose counts the secretary enters. Only members present when it
opened vote, each once (the database's unique index on `BallotVoter`), each on
every name they are not recused from.

Secrecy. A secret ballot's choices go to `SecretTally` counters only, never
through `records` or the change log (which keeps values, in order): the log
gets "n of m have voted", enough for every screen to refresh and no more.
While it is open nothing returns its counters (`progress` only); when it
closes, the results are written and `db.erase_write_history` erases the earlier
versions of those rows (SQLite's WAL page images in commit order, PostgreSQL's
dead row versions), which would otherwise tell who chose what.

How the counts make a result (`decide`), for each name:
- members: the council's members when the ballot opened, less those recused;
- present: members present, less those recused;
- valid ballots: agree + disagree + abstain/blank (a blank or abstaining ballot
  is valid and is not agreement); invalid ones, and members who did not vote,
  are outside it;
- written opinions of absent members count, when the rule says so, as votes:
  in agree/disagree/abstain, in the valid ballots and among the present;
- passes when agree >= threshold x base, exactly (config.VotingRule.passes): a
  result exactly on the threshold, e.g. a tie at 50 %, passes; a base of 0 fails.
"""
from __future__ import annotations

import hashlib
import json
import math
import secrets
import time
from collections.abc import Collection
from dataclasses import asdict, dataclass, field
from fractions import Fraction

import peewee as pw

from models import text
from models.awards import nominations
from models.awards.tables import Nomination
from models.council import members, sessions
from models.council.tables import (BALLOT_KINDS, CHOICES, Ballot, BallotItem, BallotVoter,
                                   CouncilMember, NamedVote, Recusal, SecretTally, WrittenOpinion)
from models.errors import PermissionDenied, QuorumNotMet, RuleError, StoreError
from models.registry.access import Actor, require
from models.store import changelog, db, records
from models.store.tables import database

WHAT = "phiếu biểu quyết"
BASE_NAMES = {"all": "tổng số thành viên", "present": "số thành viên có mặt",
              "valid": "số phiếu hợp lệ"}
BUSY_ATTEMPTS = 40


# --- the rule ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Counts:
    members: int            # all members, less the recused
    present: int            # present members, less the recused
    agree: int
    disagree: int
    abstain: int = 0        # abstained (on screen) or blank (on paper): valid, not agreement
    invalid: int = 0        # paper only
    not_voted: int = 0      # present but cast nothing before the close
    written_agree: int = 0
    written_disagree: int = 0
    written_abstain: int = 0
    issued: int | None = None      # paper only
    returned: int | None = None    # paper only
    recused: int = 0

    @property
    def valid(self) -> int:
        return self.agree + self.disagree + self.abstain

    @property
    def written(self) -> int:
        return self.written_agree + self.written_disagree + self.written_abstain


@dataclass(frozen=True)
class Result:
    counts: Counts
    rule: str
    base_kind: str
    threshold: str           # "7/10"
    counted_written: bool
    agree: int               # counted agreement (written opinions included when they count)
    base: int
    needed: int              # the fewest "agree" that pass
    passed: bool

    def text(self) -> str:
        share = f"{_percent(Fraction(self.agree, self.base))}" if self.base else "—"
        verdict = "thông qua" if self.passed else "không thông qua"
        return (f"{self.agree}/{self.base} đồng ý ({share} {BASE_NAMES[self.base_kind]}, "
                f"cần từ {_percent(Fraction(self.threshold))}): {verdict}")

    def brief(self) -> str:
        """The result in a list's column: "5/7 đồng ý · THÔNG QUA"."""
        return f"{self.agree}/{self.base} đồng ý · " + ("THÔNG QUA" if self.passed
                                                       else "KHÔNG THÔNG QUA")

    def as_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, data: str) -> "Result":
        raw = json.loads(data)
        return cls(**{**raw, "counts": Counts(**raw["counts"])})


def _percent(value: Fraction) -> str:
    shown = f"{float(value * 100):.1f}".replace(".", ",")
    return shown.removesuffix(",0") + "%"


def decide(rule, counts: Counts) -> Result:
    """The result of one name by `rule` (config.VotingRule)."""
    counted = bool(rule.count_written_opinions)
    agree = counts.agree + (counts.written_agree if counted else 0)
    present = counts.present + (counts.written if counted else 0)
    valid = counts.valid + (counts.written if counted else 0)
    base = rule.base_count(members=counts.members, present=present, valid=valid)
    needed = max(1, math.ceil(rule.threshold * base)) if base else 0
    passed = rule.passes(agree, members=counts.members, present=present, valid=valid)
    threshold = Fraction(rule.threshold)
    return Result(counts, rule.name, rule.base, f"{threshold.numerator}/{threshold.denominator}",
                  counted, agree, base, needed, passed)


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


def open_ballot(actor: Actor, cfg, session_id: int, nomination_ids: list[int], *,
                paper: bool = False, quorum_reason: str = "", replaces: int | None = None,
                reason: str = "") -> Ballot:
    """Open one ballot for `nomination_ids` (one title). Refused without quorum,
    unless the session or this ballot records why it goes on."""
    require(actor, *members.RUN, action="mở phiếu biểu quyết")
    if not nomination_ids:
        raise RuleError("Chưa chọn đề nghị nào để biểu quyết.")
    if len(set(nomination_ids)) != len(nomination_ids):
        raise RuleError("Một người chỉ có một dòng trên phiếu.")
    session = sessions.get_session(session_id)
    with database.atomic():
        noms = [nominations.get(i) for i in nomination_ids]
        on_agenda = {n.id for n in sessions.agenda(session_id)}
        titles = {n.title_code for n in noms}
        if len(titles) != 1:
            raise RuleError("Một phiếu chỉ gồm các đề nghị cùng một danh hiệu, hình thức.")
        title_code = titles.pop()
        rule = cfg.voting_rule(title_code)
        for nom in noms:
            if nom.id not in on_agenda:
                raise RuleError(f"Đề nghị số {nom.id} không có trong chương trình phiên họp.")
            taken = _held(session_id).where(BallotItem.nomination == nom.id).first()
            if taken is not None and (replaces is None or taken.ballot_id != replaces):
                raise RuleError(f"{text.visible(nominations.subject_label(nom))} đã có trên phiếu "
                                f"số {taken.ballot_id}; biểu quyết lại cần phiếu mới có lý do.")
            if nom.state != "at_council":
                raise RuleError(f"{text.visible(nominations.subject_label(nom))}: đề nghị không chờ "
                                f"Hội đồng (đang “{nominations.state_name(nom.state)}”).")
        q = sessions.quorum(cfg, session_id, title_code)
        override = text.clean_text(quorum_reason, "Lý do", max_len=1000, multiline=True)
        if not q.met and not override:
            raise QuorumNotMet(f"Chưa đủ số thành viên dự họp ({q.present}/{q.members}, cần "
                               f"{q.needed}): chưa mở phiếu được, trừ khi ghi rõ lý do.")
        serving = members.members(session.held_on)
        present = {m.id for m in sessions.present_members(session_id)}
        recused = {(nom.id, m.id): why for nom in noms for m in serving
                   if (why := sessions.recusal_reason(m, nom))}
        voters = sum(1 for m in serving if m.id in present
                     and any((nom.id, m.id) not in recused for nom in noms))
        kind = "paper" if paper else ("secret" if rule.secret else "open")
        ballot = records.insert(actor, Ballot, session=session_id, title_code=title_code,
                                kind=kind, members=len(serving), present=len(present),
                                voters=voters, opened_by=actor.login,
                                quorum_override="" if q.met else override,
                                replaces=replaces, reason=reason)
        for position, nom in enumerate(noms, 1):
            item = records.insert(actor, BallotItem, ballot=ballot.id, nomination=nom.id,
                                  position=position)
            for m in serving:
                if (nom.id, m.id) in recused:
                    records.insert(actor, Recusal, item=item.id, member=m.id,
                                   why=recused[(nom.id, m.id)])
            if kind == "secret":
                SecretTally.insert_many([{"item": item.id, "choice": c, "count": 0}
                                         for c in CHOICES]).execute()
    return ballot


# --- voting ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Receipt:
    """What a voter's session keeps, in memory only, of a secret vote it may still
    change (allow_vote_change): its choices and the key of its seal."""
    ballot_id: int
    choices: dict = field(default_factory=dict)   # nomination id -> choice
    key: str = ""


def _seal(ballot_id: int, choices: dict[int, str], key: str) -> str:
    plain = json.dumps([ballot_id, sorted(choices.items()), key])
    return hashlib.sha256(plain.encode()).hexdigest()


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
    what the member's screen shows and what `cast` accepts."""
    recused = recusals(ballot_id)
    return [Line(item, recused.get(item.id, {}).get(member_id, "")) for item in items(ballot_id)]


def next_to_vote(session_id: int, member_id: int, skip: Collection[int] = ()) -> int | None:
    """The first open ballot of the session the member still has to vote on: they
    are present, it is voted on screen (not on paper), they have not voted and
    they vote on at least one of its names. Ballots in `skip` are passed over."""
    if not sessions.is_present(session_id, member_id):
        return None
    for ballot in open_ballots(session_id):
        if ballot.kind == "paper" or ballot.id in skip or has_voted(ballot.id, member_id):
            continue
        if any(not line.recused for line in sheet(ballot.id, member_id)):
            return ballot.id
    return None


def may_change_vote(cfg, ballot: Ballot) -> bool:
    """Whether a member's confirmed vote may still change (`change_vote`): while
    the ballot is open, where the title's rule allows it."""
    return ballot.state == "open" and cfg.voting_rule(ballot.title_code).allow_vote_change


def _voter(actor: Actor, ballot: Ballot) -> CouncilMember:
    session = sessions.get_session(ballot.session_id)
    member = members.member_of(actor, session.held_on)
    if member is None:
        raise PermissionDenied("Bạn không phải thành viên Hội đồng trong nhiệm kỳ này.")
    return member


def _checked_choices(ballot: Ballot, member: CouncilMember, choices: dict[int, str]
                     ) -> list[tuple[BallotItem, str]]:
    if ballot.state != "open":
        raise RuleError("Phiếu đã kết thúc: không bỏ phiếu được nữa.")
    if ballot.kind == "paper":
        raise RuleError("Phiếu giấy: thư ký nhập kết quả kiểm phiếu, không bỏ phiếu trên máy.")
    if not sessions.is_present(ballot.session_id, member.id):
        raise RuleError("Chỉ thành viên có mặt tại phiên họp mới bỏ phiếu.")
    chosen = []
    for line in sheet(ballot.id, member.id):
        item = line.item
        choice = choices.get(item.nomination_id)
        if line.recused:
            if choice is not None:
                raise RuleError(f"Bạn không biểu quyết đề nghị mà bạn {line.recused}.")
            continue
        if choice not in CHOICES:
            name = text.visible(nominations.subject_label(item.nomination))
            raise RuleError(f"Chưa chọn cho {name}: đồng ý, không đồng ý hoặc không biểu quyết.")
        chosen.append((item, choice))
    unknown = set(choices) - {item.nomination_id for item, _ in chosen}
    if unknown:
        raise RuleError("Phiếu có tên không thuộc phiếu này.")
    if not chosen:
        raise RuleError("Bạn không biểu quyết tên nào trên phiếu này.")
    return chosen


def cast(actor: Actor, cfg, ballot_id: int, choices: dict[int, str]) -> Receipt:
    """One member's vote on every name of the ballot they are not recused from."""
    ballot = get(ballot_id)
    member = _voter(actor, ballot)
    rule = cfg.voting_rule(ballot.title_code)
    secret = ballot.kind == "secret"
    key = secrets.token_hex(16) if secret and rule.allow_vote_change else ""
    if secret:
        db.secure_delete(database)

    def work() -> Receipt:
        with database.atomic():
            current = get(ballot_id)
            chosen = _checked_choices(current, member, choices)
            plain = {item.nomination_id: choice for item, choice in chosen}
            try:
                with database.atomic():
                    BallotVoter.create(ballot=ballot_id, member=member.id,
                                       seal=_seal(ballot_id, plain, key) if key else "")
            except pw.IntegrityError:
                raise RuleError("Bạn đã bỏ phiếu cho phiếu này rồi.") from None
            if secret:
                _count(ballot_id, {(item.id, choice): +1 for item, choice in chosen})
            else:
                for item, choice in chosen:
                    NamedVote.create(item=item.id, member=member.id, choice=choice)
            _log_progress(actor, current, "vote", None if secret else plain)
            return Receipt(ballot_id, plain, key)

    return _retrying(work)


# Where a secret ballot leaves anything of its votes: erased of old versions at close.
SECRET_TABLES = (SecretTally._meta.table_name, BallotVoter._meta.table_name)


def _count(ballot_id: int, steps: dict[tuple[int, str], int]) -> None:
    """Add each (item, choice) step to its counter. Every counter of the ballot is
    rewritten, the unchosen ones with +0: on PostgreSQL each row carries the id of
    the transaction that last wrote it, which is also on the voter's participation
    row, so rewriting only the chosen counters would name them."""
    step = pw.Case(None, [((SecretTally.item == item) & (SecretTally.choice == choice), n)
                          for (item, choice), n in steps.items()], 0)
    SecretTally.update(count=SecretTally.count + step).where(
        SecretTally.item.in_(BallotItem.select(BallotItem.id)
                             .where(BallotItem.ballot == ballot_id))).execute()


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
    A secret vote changes only with the receipt its session kept."""
    ballot = get(ballot_id)
    if not cfg.voting_rule(ballot.title_code).allow_vote_change:
        raise RuleError("Phiếu đã xác nhận thì không sửa được (theo quy chế của Hội đồng).")
    member = _voter(actor, ballot)
    secret = ballot.kind == "secret"
    if secret:
        db.secure_delete(database)

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
            if receipt is None or not voter.seal or \
                    _seal(ballot_id, receipt.choices, receipt.key) != voter.seal:
                raise RuleError("Phiếu kín chỉ sửa được ngay trong phiên làm việc đã bỏ phiếu.")
            by_nom = {item.nomination_id: item for item, _ in chosen}
            steps: dict[tuple[int, str], int] = {}
            for nom_id, old in receipt.choices.items():
                key_old = (by_nom[nom_id].id, old)
                steps[key_old] = steps.get(key_old, 0) - 1
            for item, choice in chosen:
                steps[(item.id, choice)] = steps.get((item.id, choice), 0) + 1
            _count(ballot_id, steps)
            key = secrets.token_hex(16)
            BallotVoter.update(seal=_seal(ballot_id, plain, key)).where(
                BallotVoter.id == voter.id).execute()
            _log_progress(actor, current, "revote", None)
            return Receipt(ballot_id, plain, key)

    return _retrying(work)


# --- paper ballots ------------------------------------------------------------------------------

PAPER_FIELDS = ("issued", "returned", "valid", "invalid", "agree", "disagree", "blank")


def paper_counts(ballot: Ballot, item: BallotItem) -> dict[str, int | None]:
    """The counts entered so far for one name of a paper ballot; until entered,
    the ballots issued are taken to be one per member present."""
    counts = {name: getattr(item, name) for name in PAPER_FIELDS}
    if counts["issued"] is None:
        counts["issued"] = ballot.present
    return counts


def enter_paper(actor: Actor, ballot_id: int, nomination_id: int, version: int,
                **counts) -> BallotItem:
    """The tally of a paper ballot for one name, checked before it is kept."""
    require(actor, *members.SECRETARY, action="nhập kết quả kiểm phiếu")
    ballot = get(ballot_id)
    if ballot.kind != "paper":
        raise RuleError("Chỉ nhập số phiếu cho phiếu giấy.")
    if ballot.state != "open":
        raise RuleError("Phiếu đã kết thúc: kết quả không sửa được nữa.")
    item = BallotItem.get_or_none((BallotItem.ballot == ballot_id)
                                  & (BallotItem.nomination == nomination_id))
    if item is None:
        raise RuleError("Đề nghị này không có trên phiếu.")
    values = {name: _count_value(counts.get(name), name) for name in PAPER_FIELDS}
    v = values
    if v["issued"] > ballot.present:
        raise RuleError(f"Số phiếu phát ra ({v['issued']}) nhiều hơn số thành viên có mặt "
                        f"({ballot.present}).")
    if v["returned"] > v["issued"]:
        raise RuleError(f"Số phiếu thu về ({v['returned']}) nhiều hơn số phát ra "
                        f"({v['issued']}).")
    if v["valid"] + v["invalid"] != v["returned"]:
        raise RuleError(f"Hợp lệ {v['valid']} + không hợp lệ {v['invalid']} phải bằng số thu về "
                        f"{v['returned']}.")
    if v["agree"] + v["disagree"] + v["blank"] != v["valid"]:
        raise RuleError(f"Đồng ý {v['agree']} + không đồng ý {v['disagree']} + để trống "
                        f"{v['blank']} phải bằng số phiếu hợp lệ {v['valid']}.")
    return records.update(actor, BallotItem, item.id, version, "kết quả kiểm phiếu", **values)


LABELS = {"issued": "Số phiếu phát ra", "returned": "Số phiếu thu về",
          "valid": "Số phiếu hợp lệ", "invalid": "Số phiếu không hợp lệ",
          "agree": "Đồng ý", "disagree": "Không đồng ý", "blank": "Để trống"}


def _count_value(value, name: str) -> int:
    label = LABELS[name]
    if value is None or str(value).strip() == "":
        return 0 if name in ("invalid", "blank") else _missing(label)
    shown = str(value).strip()
    if not shown.isdigit() or not shown.isascii():
        raise RuleError(f"{label} phải là một số nguyên không âm.")
    return int(shown)


def _missing(label: str) -> int:
    raise RuleError(f"Chưa nhập {label.lower()}.")


# --- closing ------------------------------------------------------------------------------------

def _counts(ballot: Ballot, item: BallotItem, recused: dict[int, str],
            written: list[WrittenOpinion]) -> Counts:
    marks = sessions.attendance(ballot.session_id)
    recused_present = sum(1 for m in recused if marks.get(m) == "present")
    present = ballot.present - recused_present
    mine = [w for w in written if w.member_id not in recused and marks.get(w.member_id) == "written"]
    w = {c: sum(1 for o in mine if o.choice == c) for c in CHOICES}
    common = dict(members=ballot.members - len(recused), present=present,
                  written_agree=w["agree"], written_disagree=w["disagree"],
                  written_abstain=w["abstain"], recused=len(recused))
    if ballot.kind == "paper":
        if item.valid is None:
            raise RuleError(f"Chưa nhập kết quả kiểm phiếu cho "
                            f"{text.visible(nominations.subject_label(item.nomination))}.")
        return Counts(agree=item.agree, disagree=item.disagree, abstain=item.blank,
                      invalid=item.invalid, issued=item.issued, returned=item.returned,
                      not_voted=present - item.returned if present > item.returned else 0,
                      **common)
    if ballot.kind == "secret":
        got = {t.choice: t.count for t in SecretTally.select().where(SecretTally.item == item.id)}
    else:
        got = {c: 0 for c in CHOICES}
        for v in NamedVote.select().where(NamedVote.item == item.id):
            got[v.choice] += 1
    cast_here = sum(got.values())
    return Counts(agree=got.get("agree", 0), disagree=got.get("disagree", 0),
                  abstain=got.get("abstain", 0), not_voted=max(0, present - cast_here), **common)


def close(actor: Actor, cfg, ballot_id: int, version: int | None = None) -> Ballot:
    """End the ballot, compute every name's result with the title's rule and mark
    each nomination passed or failed. A closed ballot never changes again."""
    require(actor, *members.RUN, action="kết thúc phiếu biểu quyết")
    rule = cfg.voting_rule(get(ballot_id).title_code)
    secret = get(ballot_id).kind == "secret"
    if secret:
        db.secure_delete(database)

    def work() -> Ballot:
        with database.atomic():
            ballot = get(ballot_id)
            if ballot.state != "open":
                raise RuleError("Phiếu đã kết thúc; biểu quyết lại cần một phiếu mới có lý do.")
            recused = recusals(ballot_id)
            written = sessions.written_opinions(ballot.session_id)
            for item in items(ballot_id):
                counts = _counts(ballot, item, recused.get(item.id, {}),
                                 [w for w in written if w.nomination_id == item.nomination_id])
                result = decide(rule, counts)
                more = {} if ballot.kind == "paper" else {
                    "agree": counts.agree, "disagree": counts.disagree, "blank": counts.abstain,
                    "valid": counts.valid}
                records.update(actor, BallotItem, item.id, item.version, "kết quả biểu quyết",
                               result=result.as_json(), passed=result.passed, **more)
                nominations.record_council_result(
                    actor, item.nomination_id, result.passed,
                    f"Phiếu số {ballot.id}: {result.text()}")
            if secret:
                BallotVoter.update(seal="").where(BallotVoter.ballot == ballot_id).execute()
            return records.update(actor, Ballot, ballot_id,
                                  ballot.version if version is None else version, WHAT,
                                  state="closed", closed_by=actor.login,
                                  closed_at=Ballot.opened_at.default())

    closed = _retrying(work)
    if secret and not db.erase_write_history(database, SECRET_TABLES):
        # The result stands; the history goes at the next checkpoint. Say so in the log.
        changelog.record(actor.login, "ballot", ballot_id, "wal_busy")
    return closed


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
            nominations.back_to_council(actor, nom.id,
                                        f"Biểu quyết lại (phiếu số {ballot_id}): {clean}")
        return open_ballot(actor, cfg, old.session_id, [n.id for n in noms], paper=paper,
                           replaces=ballot_id, reason=clean)


def kind_name(ballot: Ballot) -> str:
    return BALLOT_KINDS.get(ballot.kind, ballot.kind)
