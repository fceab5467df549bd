"""What the council's console shows of a session: every name on its agenda with
its ballot's progress or result (the board), and a line about one name's ballot.

While a secret ballot is open only "5/7 đã bỏ phiếu" is said of it, never a
running tally: ballots.py returns nothing more.
"""
from __future__ import annotations

from dataclasses import dataclass

from models.council import ballots, namesakes, sessions
from models.council.tables import CHOICES, Ballot, BallotItem

NOT_VOTED = "chưa biểu quyết"


@dataclass(frozen=True)
class BoardLine:
    """One name of the session: on a ballot (`ballot_id`, `item_id`), or on none yet (0)."""
    nomination_id: int
    name: str
    title_code: str
    status: str
    ballot_id: int = 0
    item_id: int = 0
    who: str = ""        # date of birth and unit, village...: namesakes.detail


def board(session_id: int) -> list[BoardLine]:
    """The names on the session's ballots, ballot by ballot, then the names of its
    agenda on no ballot yet."""
    agenda = sessions.agenda(session_id)
    held = [(ballot, item) for ballot in ballots.of_session(session_id)
            for item in ballots.items(ballot.id)]
    seen = {item.nomination_id for _ballot, item in held}
    waiting = [nom for nom in agenda if nom.id not in seen]
    names = namesakes.names([item.nomination for _ballot, item in held] + waiting, agenda)
    progress = {ballot.id: ballots.progress_text(ballot.id) for ballot, _item in held
                if ballot.state == "open"}
    lines = [BoardLine(item.nomination_id, names.labels[item.nomination_id],
                       item.nomination.title_code,
                       _status(ballot, item, progress.get(ballot.id, "")), ballot.id, item.id,
                       names.details.get(item.nomination_id, ""))
             for ballot, item in held]
    return lines + [BoardLine(nom.id, names.labels[nom.id], nom.title_code, NOT_VOTED,
                              who=names.details.get(nom.id, "")) for nom in waiting]


def _status(ballot: Ballot, item: BallotItem, progress: str) -> str:
    if ballot.state == "open":
        if ballot.kind == "paper":
            return "đã nhập kiểm phiếu" if item.valid is not None else "chờ nhập kiểm phiếu"
        return progress
    result = ballots.result_of(item)
    return result.brief() if result else ""


def describe(ballot: Ballot, item_id: int) -> str:
    """One name's ballot: its kind, why it was opened as it was, and the name's
    result once closed, or so far the named count of a ballot voted openly."""
    line = f"Phiếu số {ballot.id}: {ballots.kind_name(ballot)}"
    if ballot.replaces_id:
        line += f" · biểu quyết lại phiếu số {ballot.replaces_id}: {ballot.reason}"
    if ballot.quorum_override:
        line += f" · mở khi chưa đủ số: {ballot.quorum_override}"
    if ballot.state == "closed":
        result = ballots.result_of(ballots.get_item(item_id))
        return line + ("\n" + result.text() if result else "")
    if ballot.kind == "open":
        named = ballots.named_votes(ballot.id).get(item_id, {})
        by_choice = {c: sum(1 for v in named.values() if v == c) for c in CHOICES}
        return line + "\nBiểu quyết công khai: " + ", ".join(
            f"{CHOICES[c]} {n}" for c, n in by_choice.items())
    return line
