"""The base of thidua's full screens: what every one of them does the same way."""
from __future__ import annotations

from textual.screen import Screen, ScreenResultType

from models.errors import ThiduaError


class BaseScreen(Screen[ScreenResultType]):
    def refuse(self, exc: ThiduaError, severity: str = "error") -> None:
        """An operation said no: show its one Vietnamese line, never read as markup
        (the line may quote what the officer typed)."""
        self.notify(str(exc), severity=severity, markup=False)
