"""Seeing other sessions' changes: the app polls the change log's newest id
once a second and tells the screens what changed."""
from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from models.store import changelog


@dataclass(frozen=True)
class Change:
    table: str
    row_id: int | None
    login: str
    action: str = ""


class DataChanged(Message):
    """Rows changed since the last poll (by anyone, this session included)."""

    def __init__(self, changes: list[Change]) -> None:
        super().__init__()
        self.changes = changes

    def touches(self, table: str, row_id: int | None = None) -> bool:
        return any(c.table == table and (row_id is None or c.row_id in (row_id, None))
                   for c in self.changes)


class Watcher:
    """Remembers the last change seen; `poll()` returns what is new."""

    def __init__(self) -> None:
        self.last_id = changelog.latest_id()

    def poll(self) -> list[Change]:
        newest = changelog.latest_id()
        if newest == self.last_id:
            return []
        entries = changelog.since(self.last_id)
        self.last_id = newest
        return [Change(e.table_name, e.row_id, e.login, e.action) for e in entries]
