"""Whether a closed secret ballot still waits for its write history to be erased.
Every session's heartbeat asks, so this loads the council's tables only, not the
operations on them (and their cryptography)."""
from __future__ import annotations

from models.council.tables import Ballot


def erase_waiting() -> bool:
    return Ballot.select().where(Ballot.pending_erase == True).exists()  # noqa: E712
