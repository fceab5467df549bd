"""Counting a ballot at its close: the sealed choices of a secret ballot opened
with its private key (in memory only), the named votes of an open one, the
secretary's tally of a paper one, and each name's `Counts` from them."""
from __future__ import annotations

from collections import Counter

from models import text
from models.council import lists, sealing, sessions
from models.council.rule import Counts
from models.council.tables import (CHOICES, Ballot, BallotItem, BallotVoter, NamedVote, SecretTally,
                                   WrittenOpinion)
from models.errors import RuleError


def open_sealed(ballot: Ballot) -> tuple[Counter, list[str]]:
    """A secret ballot's choices as totals, {(item id, choice): n}, and the receipt
    codes counted, sorted: nothing of which vote was whose survives the count."""
    if not ballot.public_key:  # opened before migration 11: its votes went to counters
        rows = SecretTally.select().join(BallotItem).where(BallotItem.ballot == ballot.id)
        return Counter({(t.item_id, t.choice): t.count for t in rows}), []
    sealed = [v.sealed for v in BallotVoter.select(BallotVoter.sealed)
              .where(BallotVoter.ballot == ballot.id)]
    totals: Counter = Counter()
    codes = []
    for choices, code in sealing.unseal_all(ballot.key_file, sealed):
        totals.update((item_id, choice) for item_id, choice in choices.items())
        codes.append(code)
    return totals, sorted(codes)


def counts(ballot: Ballot, item: BallotItem, recused: dict[int, str],
           written: list[WrittenOpinion], sealed: Counter) -> Counts:
    """One name's counts; `sealed` is `open_sealed`'s totals (empty unless secret)."""
    marks = sessions.attendance(ballot.session_id)
    recused_present = sum(1 for m in recused if marks.get(m) == "present")
    present = ballot.present - recused_present
    mine = [w for w in written
            if w.member_id not in recused and marks.get(w.member_id) == "written"]
    w = {c: sum(1 for o in mine if o.choice == c) for c in CHOICES}
    common = dict(members=ballot.members - len(recused), present=present,
                  written_agree=w["agree"], written_disagree=w["disagree"],
                  written_abstain=w["abstain"], recused=len(recused))
    if ballot.kind == "paper":
        if item.valid is None:
            raise RuleError(f"Chưa nhập kết quả kiểm phiếu cho "
                            f"{text.visible(lists.label(item.nomination))}.")
        return Counts(agree=item.agree, disagree=item.disagree, abstain=item.blank,
                      invalid=item.invalid, issued=item.issued, returned=item.returned,
                      not_voted=present - item.returned if present > item.returned else 0,
                      **common)
    if ballot.kind == "secret":
        got = {c: sealed[(item.id, c)] for c in CHOICES}
    else:
        got = {c: 0 for c in CHOICES}
        for v in NamedVote.select().where(NamedVote.item == item.id):
            got[v.choice] += 1
    cast_here = sum(got.values())
    return Counts(agree=got["agree"], disagree=got["disagree"], abstain=got["abstain"],
                  not_voted=max(0, present - cast_here), **common)
