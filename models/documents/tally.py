"""The tally minutes (biên bản kiểm phiếu) of a closed ballot: the counting committee,
the times of the vote, each name's counts and result in a table, the members recused by
name, the receipt codes counted; laid out as the meeting minutes are (minutes.py)."""
from __future__ import annotations

from pathlib import Path

from models.council import minutes
from models.council.tables import Ballot
from models.documents.minutes import TALLY_COLUMNS, number_of, render
from models.errors import NotFound
from models.registry.access import Actor


def find(value: str, year: int) -> int:
    """The ballot numbered `value` ("Phiếu số 3" on the F7 screen); `year` unused."""
    ballot_id = number_of(value, "phiếu")
    if Ballot.get_or_none(Ballot.id == ballot_id) is None:
        raise NotFound(f"Không có phiếu số {ballot_id}.")
    return ballot_id


def write_docx(cfg, ballot_id: int, path: Path, actor: Actor) -> Path:
    return render(cfg, minutes.issue_tally_minutes(actor, cfg, ballot_id),
                  TALLY_COLUMNS).save(path)
