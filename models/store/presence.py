"""Who is online: each app session keeps a row fresh with short writes, so an
idle session holds no lock and a killed one simply stops being fresh.

Every time here is the database's clock, never the session's own: a session
whose clock runs ten days ahead would otherwise see every other row as long
dead and purge it, and its own row would look fresh for ten days."""
from __future__ import annotations

import datetime as dt
import os

import peewee as pw

from models.registry.access import Actor, require
from models.registry.tables import User
from models.store.db import is_sqlite
from models.store.tables import OnlineSession, database

HEARTBEAT = dt.timedelta(seconds=5)
FRESH = 3 * HEARTBEAT  # three missed heartbeats: a killed session leaves the list
PURGE = 10 * FRESH     # rows older than this are deleted when a session starts


def origin() -> str:
    """Where the session comes from: the SSH client's address, else the local terminal."""
    client = os.environ.get("SSH_CLIENT", "").split()
    return f"SSH {client[0]}" if client else "máy chủ"


def database_now(ago: dt.timedelta = dt.timedelta(0)) -> pw.SQL:
    """The database's UTC time (minus `ago`), in the form peewee stores datetimes."""
    seconds = int(ago.total_seconds())
    if is_sqlite(database.obj):
        return pw.SQL(f"strftime('%Y-%m-%d %H:%M:%f', 'now', '-{seconds} seconds')")
    return pw.SQL(f"((now() AT TIME ZONE 'utc') - interval '{seconds} seconds')")


def start(actor: Actor, screen: str = "") -> int:
    with database.atomic():
        # Rows left by sessions that were killed: long dead by now.
        OnlineSession.delete().where(OnlineSession.last_seen < database_now(PURGE)).execute()
        return _insert(actor, screen)


def _insert(actor: Actor, screen: str) -> int:
    now = database_now()
    return OnlineSession.insert(login=actor.login, pid=os.getpid(), origin=origin(),
                                screen=screen, started_at=now, last_seen=now).execute()


def beat(session_id: int, screen: str, actor: Actor | None = None) -> int:
    """Keep the row fresh; returns the session's row id. A row purged meanwhile (the
    server was down longer than PURGE, or a bad row was removed by hand) is put back
    for `actor`, under a new id."""
    with database.atomic():
        found = OnlineSession.update(last_seen=database_now(), screen=screen).where(
            OnlineSession.id == session_id).execute()
        if found or actor is None:
            return session_id
        return _insert(actor, screen)


def end(session_id: int) -> None:
    with database.atomic():
        OnlineSession.delete().where(OnlineSession.id == session_id).execute()


def online(actor: Actor) -> list[OnlineSession]:
    require(actor, "admin", action="xem ai đang trực tuyến")
    return list(OnlineSession.select().where(OnlineSession.last_seen >= database_now(FRESH))
                .order_by(OnlineSession.login, OnlineSession.started_at))


def still_allowed(actor: Actor) -> bool:
    """False once the account is disabled (or removed): the session must end."""
    user = User.get_or_none(User.login == actor.login)
    return user is not None and user.active
