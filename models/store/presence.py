"""Who is online: each app session keeps a row fresh with short writes, so an
idle session holds no lock and a killed one simply stops being fresh."""
from __future__ import annotations

import datetime as dt
import os

from models.registry.access import Actor, require
from models.registry.tables import User
from models.store.tables import OnlineSession, database, utcnow

FRESH = dt.timedelta(seconds=90)  # three missed heartbeats


def origin() -> str:
    """Where the session comes from: the SSH client's address, else the local terminal."""
    client = os.environ.get("SSH_CLIENT", "").split()
    return f"SSH {client[0]}" if client else "máy chủ"


def start(actor: Actor, screen: str = "") -> int:
    with database.atomic():
        # Rows left by sessions that were killed: long dead by now.
        OnlineSession.delete().where(OnlineSession.last_seen < utcnow() - 10 * FRESH).execute()
        row = OnlineSession.create(login=actor.login, pid=os.getpid(), origin=origin(),
                                   screen=screen)
    return row.id


def beat(session_id: int, screen: str) -> None:
    with database.atomic():
        OnlineSession.update(last_seen=utcnow(), screen=screen).where(
            OnlineSession.id == session_id).execute()


def end(session_id: int) -> None:
    with database.atomic():
        OnlineSession.delete().where(OnlineSession.id == session_id).execute()


def online(actor: Actor) -> list[OnlineSession]:
    require(actor, "admin", action="xem ai đang trực tuyến")
    cutoff = utcnow() - FRESH
    return list(OnlineSession.select().where(OnlineSession.last_seen >= cutoff)
                .order_by(OnlineSession.login, OnlineSession.started_at))


def still_allowed(actor: Actor) -> bool:
    """False once the account is disabled (or removed): the session must end."""
    user = User.get_or_none(User.login == actor.login)
    return user is not None and user.active
