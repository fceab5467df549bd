"""F6: nominations (đề nghị khen thưởng), journeys 4, 7 and 8.

The list of nominations with their state; Enter opens one, Ctrl+N proposes one.
From the list, Ctrl+T proposes an ad hoc award (journey 7), Ctrl+G opens the
villages' Gia đình văn hóa review (journey 8), Ctrl+Y posts checked nominations
for public comment and Ctrl+B lists the good deeds.
"""
from __future__ import annotations

from textual.binding import Binding

from models import text
from models.awards import bulk as bulk_awards
from models.awards import history, nominations
from models.awards.tables import SUBJECT_KINDS
from tui.screens.nominations.families import FamiliesScreen
from tui.screens.nominations.forms import PickSubjectScreen, ad_hoc_form, nomination_form
from tui.screens.nominations.posting import PostListScreen
from tui.screens.nominations.recognition import RecognitionScreen
from tui.screens.nominations.record import NominationScreen
from tui.widgets.browse import BrowseScreen
from tui.widgets.lazylist import RecordSource, Row


class NominationsScreen(BrowseScreen):
    heading = "Đề nghị"
    tables = ("nomination", "nomination_event", "person", "unit", "household")
    BINDINGS = [
        Binding("ctrl+t", "ad_hoc", "Đột xuất", id="nominations.ad_hoc"),
        Binding("ctrl+g", "families", "GĐ văn hóa", id="nominations.families"),
        Binding("ctrl+y", "post_list", "Niêm yết DS", id="nominations.post", show=False),
        Binding("ctrl+b", "good_deeds", "Người tốt, việc tốt", id="nominations.deeds",
                show=False),
    ]

    def make_source(self):
        titles = self.app.cfg.titles
        return RecordSource((("Số", 5), ("Đối tượng", 0), ("Danh hiệu", 24), ("Năm", 4),
                             ("Trạng thái", 14)),
                            nominations.listing(self.app.actor),
                            lambda n: (str(n.id), nominations.subject_label(n),
                                       history.title_name(titles, n.title_code), str(n.year),
                                       nominations.state_label(n)))

    def can_create(self) -> bool:
        return nominations.can_propose(self.app.actor)

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action in ("ad_hoc", "post_list"):
            return nominations.is_office(self.app.actor)
        if action == "families":
            return bulk_awards.can_see_review(self.app.actor)
        return super().check_action(action, parameters)

    def detail(self, row: Row) -> str:
        nom = nominations.get(row.id)
        first = f"{SUBJECT_KINDS.get(nom.subject_kind, '')} · {nominations.state_name(nom.state)}"
        if nom.ad_hoc:
            first += " · khen đột xuất"
        summary = (nom.summary or "").replace("\n", " ")
        hint = ("Ctrl+Y niêm yết danh sách · Ctrl+B người tốt, việc tốt"
                if nominations.is_office(self.app.actor) else "Ctrl+B người tốt, việc tốt")
        return text.visible(first) + "\n" + text.visible(summary[:76]) + "\n" + hint

    def open_row(self, row: Row) -> None:
        self.app.push_screen(NominationScreen(row.id), lambda _: self.refresh_rows())

    def new_row(self) -> None:
        self._pick_then(nomination_form)

    def action_ad_hoc(self) -> None:
        self._pick_then(ad_hoc_form)

    def _pick_then(self, form) -> None:
        """Pick whom to nominate, fill `form` for them, then open what it made."""
        def picked(row) -> None:
            if row is not None:
                self.app.push_screen(form(self.app, row), self._created)
        self.app.push_screen(PickSubjectScreen(), picked)

    def _created(self, nom) -> None:
        self.refresh_rows()
        if nom is not None:
            self.app.push_screen(NominationScreen(nom.id), lambda _: self.refresh_rows())

    def action_families(self) -> None:
        self.app.push_screen(FamiliesScreen())

    def action_post_list(self) -> None:
        self.app.push_screen(PostListScreen())

    def action_good_deeds(self) -> None:
        self.app.push_screen(RecognitionScreen())
