"""What the report screens share: the rows of one paper, dates and state words, the
Office's return with a reason, and the refresh after another session's change."""
from __future__ import annotations

from dataclasses import dataclass

from textual.css.query import NoMatches

from models import text
from models.cycle.reports import reason_text
from tui.widgets.browse import BrowseScreen
from tui.widgets.lazylist import Row
from tui.widgets.review import ReviewStep


@dataclass(frozen=True)
class ItemRow(Row):
    kind: str = "info"      # section | figure | score | total | event | info | main | title
    ref: int = 0            # area, figure, criterion or registered title id


def day(value) -> str:
    return text.format_date(value) if value else ""


def state_word(states: dict[str, str], status: str) -> str:
    """A returned paper shouts, so the unit cannot miss it."""
    word = states[status]
    return word.upper() if status == "returned" else word


def return_step(what: str, paper, run) -> ReviewStep:
    """The Office sends `paper` (a report, a registration) back to its unit:
    `run(paper, reason)` calls models/."""
    return ReviewStep(run, reason="Lý do trả lại", check=reason_text,
                      title=f"Trả lại {what} của {text.visible(paper.unit.name)}")


def refresh_if_shown(screen: BrowseScreen) -> None:
    """After another session's change. A screen being pushed or popped has no
    widgets to refresh (yet, or any more): it reads afresh when composed."""
    try:
        screen.refresh_rows()
        screen.refresh_bindings()
    except NoMatches:
        pass
