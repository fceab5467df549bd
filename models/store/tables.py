"""The store's own tables and the base every table derives from.

Every editable table carries `version`: a save names the version it read, so
two officers editing the same record never silently overwrite each other.
"""
from __future__ import annotations

import datetime as dt

import peewee as pw

database = pw.DatabaseProxy()


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


class BaseModel(pw.Model):
    class Meta:
        database = database
        legacy_table_names = False


class Versioned(BaseModel):
    version = pw.IntegerField(default=1)


class ChangeLog(BaseModel):
    """Every change, in the transaction that made it: the audit trail and the
    feed other sessions poll (by id) to refresh what they show."""
    at = pw.DateTimeField(default=utcnow)
    login = pw.CharField(max_length=64)
    table_name = pw.CharField(max_length=64)
    row_id = pw.IntegerField(null=True)
    action = pw.CharField(max_length=10)
    before = pw.TextField(default="")
    after = pw.TextField(default="")
    prev_hash = pw.CharField(max_length=64)
    hash = pw.CharField(max_length=64)
    # The written rows as stored, {"c": columns, "r": {id: digest}} (models/store/rowcheck.py),
    # so that `check` sees a row edited behind the log's back; "" where rows are unknown.
    digest = pw.TextField(default="")


class OnlineSession(BaseModel):
    """A running app session: who, since when, on which screen. A row whose
    heartbeat is old belongs to a session that died (kill -9, power cut)."""
    login = pw.CharField(max_length=64, index=True)
    pid = pw.IntegerField()
    origin = pw.CharField(max_length=120, default="")
    started_at = pw.DateTimeField(default=utcnow)
    last_seen = pw.DateTimeField(default=utcnow, index=True)
    screen = pw.CharField(max_length=64, default="")
