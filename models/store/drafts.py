"""Drafts: the unsaved content of an officer's open forms, kept in a file as it is
typed, so that a session that ends without saving (a dropped link, a kill, a crash,
a store that was down) loses nothing; the next sign-in offers it back.

Files, not the store: a draft matters most when the store cannot be written (a full
disk, a lost server), and a killed process writes nothing at the end. One file per
officer and database, readable by the service account only."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Draft:
    key: str        # which form: its title and the record it edits
    title: str
    section: str    # the section (app mode) the form was opened from
    values: dict[str, str]
    saved_at: str   # local time, "dd/mm/yyyy HH:MM"
    # How the form was opened, to open it again at sign-in: the section's screen (its
    # class name) and the action run on it; "" when it cannot be replayed.
    screen: str = ""
    action: str = ""


class Drafts:
    def __init__(self, folder: Path, login: str, store: str) -> None:
        name = hashlib.sha256(f"{store}\0{login}".encode()).hexdigest()[:24]
        self.path = folder / f"{name}.json"

    def all(self) -> list[Draft]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            return [Draft(**item) for item in data.values()]
        except (OSError, ValueError, TypeError, AttributeError):
            return []  # none, or a file damaged by a crash mid-write of an older version

    def keep(self, key: str, title: str, section: str, values: dict[str, str],
             opened_by: tuple[str, str] = ("", "")) -> None:
        drafts = {d.key: d for d in self.all()}
        drafts[key] = Draft(key, title, section, dict(values),
                            dt.datetime.now().strftime("%d/%m/%Y %H:%M"), *opened_by)
        self._write(drafts)

    def discard(self, key: str | None = None) -> None:
        """Forget one draft (saved, or given up), or all of them."""
        drafts = {d.key: d for d in self.all() if key is not None and d.key != key}
        if not drafts:
            self.path.unlink(missing_ok=True)
        elif len(drafts) != len(self.all()):
            self._write(drafts)

    def _write(self, drafts: dict[str, Draft]) -> None:
        """Whole or not at all (write aside, rename), and private: drafts hold personal data."""
        self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}")
        text = json.dumps({k: d.__dict__ for k, d in drafts.items()}, ensure_ascii=True)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as fh:
            fh.write(text)
        os.replace(tmp, self.path)
