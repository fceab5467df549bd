"""Reading the audit trail: filter by who, what and when; show before and after."""
from __future__ import annotations

import datetime as dt
import json

import peewee as pw

from models import text
from models.errors import ThiduaError
from models.registry.access import Actor, require
from models.store.paging import Listing
from models.store.tables import ChangeLog


def local_time(at: dt.datetime) -> dt.datetime:
    """Stored in UTC; officers read the server's local time."""
    return at.replace(tzinfo=dt.timezone.utc).astimezone().replace(tzinfo=None)


def search(actor: Actor, query: str = "") -> pw.ModelSelect:
    """Entries matching every word typed: a dd/mm/yyyy date limits to that day
    (server time); any other word must appear in the login or the table name."""
    require(actor, "admin", action="xem nhật ký thay đổi")
    select = ChangeLog.select(ChangeLog.id, ChangeLog.at, ChangeLog.login, ChangeLog.table_name,
                              ChangeLog.row_id, ChangeLog.action)
    # Distinct words, and a bounded number: each nests one more AND (a pasted paragraph
    # overflowed SQLite's parser, as it did in the people list).
    for word in text.search_words(query, folded=False):
        try:
            day = text.parse_date(word)
        except ThiduaError:
            select = select.where(ChangeLog.login.contains(word)
                                  | ChangeLog.table_name.contains(word))
            continue
        start = dt.datetime.combine(day, dt.time()).astimezone().astimezone(dt.timezone.utc)
        start = start.replace(tzinfo=None)
        select = select.where((ChangeLog.at >= start)
                              & (ChangeLog.at < start + dt.timedelta(days=1)))
    return select.order_by(ChangeLog.id.desc())


def listing(actor: Actor) -> Listing:
    """The audit trail (Ctrl+L), newest first, paged for the filter typed."""
    return Listing(lambda query: search(actor, query))


def differences(entry_id: int) -> list[tuple[str, str, str]]:
    """(field, before, after) for one entry, values made safe to show."""
    entry = ChangeLog.get_by_id(entry_id)
    before = json.loads(entry.before or "{}")
    after = json.loads(entry.after or "{}")
    rows = []
    for key in sorted(set(before) | set(after)):
        old, new = before.get(key), after.get(key)
        if old != new:
            rows.append((key, text.visible("" if old is None else str(old)),
                         text.visible("" if new is None else str(new))))
    return rows
