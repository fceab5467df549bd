"""Initiatives and research (sáng kiến, đề tài): the whole list or one person's, found
without accents; a form whose authors are picked from the people (Ctrl+T), and the
nominations that counted each one in its detail.

Reached from F3 (Ctrl+G on a person: their initiatives; Ctrl+T there: all of them)
and from the command palette.
"""
from __future__ import annotations

from typing import Callable

from rich.text import Text
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Label, Static

from models import fields, text
from models.awards import history, initiatives, nominations
from models.awards.tables import INITIATIVE_KINDS, Initiative
from models.errors import ThiduaError
from models.registry import people
from models.registry.access import Actor
from tui.widgets.browse import BrowseScreen
from tui.widgets.form import Confirm, Field, FormScreen, FormSpec
from tui.widgets.lazylist import RecordSource, Row

KIND_SHORT = {"initiative": "Sáng kiến", "research": "Đề tài"}


def _date(value) -> str:
    return text.format_date(value) if value else ""


class Listed:
    """initiatives.listing as the lazy list reads it: counted, then a page at a time
    (a commune's initiatives are hundreds, matched in one go)."""

    def __init__(self, person_id: int | None) -> None:
        self.person_id = person_id
        self._found: list[Initiative] = []

    def count(self, query: str) -> int:
        self._found = initiatives.listing(query, person_id=self.person_id)
        return len(self._found)

    def rows(self, query: str, offset: int, limit: int) -> list[Initiative]:
        return self._found[offset:offset + limit]


# -- picking the authors -------------------------------------------------------------------

class AuthorsScreen(BrowseScreen):
    """Type a name (accents optional), Enter picks or drops the highlighted person;
    Ctrl+S takes the authors picked, Esc leaves them as they were."""

    heading = "Chọn tác giả"
    tables = ("person", "unit")
    BINDINGS = [Binding("ctrl+s", "done", "Xong", id="authors.done")]

    def __init__(self, actor: Actor, picked: dict[int, str]) -> None:
        super().__init__()
        self.actor = actor
        self.picked = dict(picked)   # id -> name, in the order picked

    def make_source(self):
        return RecordSource((("", 3), ("Họ và tên", 0), ("Ngày sinh", 10), ("Đơn vị", 20)),
                            initiatives.people_to_pick(self.actor),
                            lambda p: ("[x]" if p.id in self.picked else "[ ]", p.full_name,
                                       _date(p.birth_date), p.unit.name if p.unit_id else ""))

    def can_create(self) -> bool:
        return False

    def detail(self, row: Row) -> str:
        chosen = "; ".join(self.picked.values()) or "chưa có ai"
        return text.visible(f"Tác giả đã chọn ({len(self.picked)}): {chosen}\n"
                            "Enter: chọn/bỏ người đang trỏ · Ctrl+S: xong · Esc: quay lại",
                            multiline=True)

    def open_row(self, row: Row) -> None:
        if row.id in self.picked:
            del self.picked[row.id]
            self.refresh_rows()
            return
        self.picked[row.id] = row.cells[1]
        box = self.query_one("#filter")
        if box.value:
            box.value = ""   # ready for the next name; the list reloads with it
        else:
            self.refresh_rows()

    def action_done(self) -> None:
        self.dismiss(self.picked)

    def action_back(self) -> None:
        if self.query_one("#filter").value:
            super().action_back()   # clears the filter
        else:
            self.dismiss(None)


# -- the form ----------------------------------------------------------------------------

class InitiativeForm(FormScreen):
    """The form of an initiative, with its authors on the first line (Ctrl+T picks them)."""

    BINDINGS = [Binding("ctrl+t", "authors", "Tác giả", id="initiative.authors")]

    def __init__(self, spec: FormSpec, actor: Actor,
                 load_authors: Callable[[], dict[int, str]]) -> None:
        super().__init__(spec)
        self.actor = actor
        self.load_authors = load_authors
        self.authors = load_authors()
        self.saved_authors = dict(self.authors)

    def on_mount(self) -> None:
        row = Horizontal(Label(Text("Tác giả *"), classes="label"),
                         Static(Text(self._authors_text()), id="authors", markup=False))
        self.query_one(VerticalScroll).mount(row, before=0)

    def _authors_text(self) -> str:
        names = "; ".join(self.authors.values()) or "chưa chọn"
        return text.visible(f"{names}  (Ctrl+T: chọn)")

    def values(self) -> dict[str, str]:
        return {**super().values(), "_authors": ",".join(map(str, self.authors))}

    @property
    def dirty(self) -> bool:
        return super().dirty or list(self.authors) != list(self.saved_authors)

    def _show_authors(self, authors: dict[int, str]) -> None:
        self.authors = authors
        self.query_one("#authors", Static).update(Text(self._authors_text()))

    def _fill(self, values: dict[str, str]) -> None:
        """Ctrl+R, or another session's save: the authors as stored now, too."""
        super()._fill(values)
        self.saved_authors = self.load_authors()
        self._show_authors(dict(self.saved_authors))

    def action_authors(self) -> None:
        def picked(chosen: dict[int, str] | None) -> None:
            if chosen is not None:
                self._show_authors(chosen)
        self.app.push_screen(AuthorsScreen(self.actor, self.authors), picked)


def initiative_values(row: Initiative | None) -> dict[str, str]:
    if row is None:
        return {"kind": "initiative", "_version": "0"}
    return {"title": row.title, "kind": row.kind, "recognised_by": row.recognised_by,
            "decision_ref": row.decision_ref, "recognised_on": _date(row.recognised_on),
            "scope": row.scope, "_version": str(row.version)}


def initiative_form(actor: Actor, row: Initiative | None,
                    authors: Callable[[], dict[int, str]]) -> InitiativeForm:
    """`authors` reads the authors as stored (a new one's: whom it starts with)."""
    def save(values: dict[str, str]):
        data = {"kind": values["kind"], "recognised_by": values["recognised_by"],
                "decision_ref": values["decision_ref"],
                "recognised_on": values["recognised_on"], "scope": values["scope"],
                "author_ids": [int(i) for i in values["_authors"].split(",") if i]}
        if row is None:
            return initiatives.create(actor, values["title"], **data)
        return initiatives.update(actor, row.id, int(values["_version"]), values["title"],
                                  **data)

    form_fields = [
        Field("title", "Tên sáng kiến, đề tài", required=True,
              check=lambda v: fields.name(v, "Tên sáng kiến, đề tài", max_len=400)),
        Field("kind", "Loại", required=True, choices=tuple(INITIATIVE_KINDS.items())),
        Field("recognised_by", "Cơ quan công nhận",
              check=lambda v: fields.optional_text(v, "Cơ quan công nhận", max_len=200)),
        Field("decision_ref", "Số quyết định",
              check=lambda v: fields.optional_text(v, "Số quyết định", max_len=120)),
        Field("recognised_on", "Ngày công nhận", placeholder="dd/mm/yyyy",
              check=lambda v: fields.optional_date(v, "Ngày công nhận")),
        Field("scope", "Phạm vi ảnh hưởng",
              check=lambda v: fields.optional_text(v, "Phạm vi ảnh hưởng", max_len=120)),
    ]
    title = "Thêm sáng kiến, đề tài" if row is None else f"Sửa: {text.visible(row.title)}"
    reload = None if row is None else (lambda: initiative_values(initiatives.get(row.id)))
    spec = FormSpec(title, form_fields, initiative_values(row), save, reload=reload,
                    watch=None if row is None else ("initiative", row.id))
    return InitiativeForm(spec, actor, authors)


# -- the list ----------------------------------------------------------------------------

class InitiativesScreen(BrowseScreen):
    """Every initiative, or one person's (`person_id`)."""

    tables = ("initiative", "initiative_author", "initiative_use", "person", "nomination")
    DEFAULT_CSS = """
    InitiativesScreen #detail { height: 5; }
    """
    BINDINGS = [
        Binding("ctrl+t", "everyone", "Tất cả", id="initiatives.all"),
        # Ctrl+D is the filter's delete-right; priority makes it this screen's key.
        Binding("ctrl+d", "remove", "Xóa", id="initiatives.remove", priority=True),
    ]

    def __init__(self, person_id: int | None = None) -> None:
        super().__init__()
        self.person_id = person_id
        self.heading = self._heading()

    def _heading(self) -> str:
        if self.person_id is None:
            return "Sáng kiến, đề tài"
        return text.visible(f"Sáng kiến: {people.get_person(self.person_id).full_name}")

    def make_source(self):
        return RecordSource((("Tên sáng kiến, đề tài", 0), ("Loại", 9), ("Tác giả", 20),
                             ("Công nhận", 10)), Listed(self.person_id),
                            lambda i: (i.title, KIND_SHORT.get(i.kind, i.kind),
                                       ", ".join(i.author_names), _date(i.recognised_on)))

    def can_edit(self) -> bool:
        return initiatives.can_manage(self.app.actor)

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "remove":
            return self.can_edit()
        if action == "everyone":
            return self.person_id is not None
        return super().check_action(action, parameters)

    def detail(self, row: Row) -> str:
        found = initiatives.get(row.id)
        recognised = [f"{INITIATIVE_KINDS.get(found.kind, found.kind)}"]
        if found.recognised_by:
            recognised.append(f"công nhận: {found.recognised_by}")
        if found.decision_ref or found.recognised_on:
            recognised.append(f"QĐ {found.decision_ref or '—'} ngày "
                              f"{_date(found.recognised_on) or '—'}")
        if found.scope:
            recognised.append(f"phạm vi: {found.scope}")
        lines = [" · ".join(recognised),
                 "Tác giả: " + ", ".join(p.full_name for p in initiatives.authors(row.id))]
        titles = self.app.cfg.titles
        used = [f"đề nghị số {n.id} ({history.title_name(titles, n.title_code)} {n.year}, "
                f"{nominations.state_name(n.state).lower()})" for n in initiatives.uses(row.id)]
        lines.append("Đã dùng cho " + "; ".join(used) if used
                     else "Chưa được tính cho đề nghị khen thưởng nào.")
        return text.visible("\n".join(lines), multiline=True)

    def _authors_of(self, initiative_id: int | None) -> Callable[[], dict[int, str]]:
        def stored() -> dict[int, str]:
            if initiative_id is not None:
                return {p.id: p.full_name for p in initiatives.authors(initiative_id)}
            if self.person_id is not None:   # a new one of this person's
                return {self.person_id: people.get_person(self.person_id).full_name}
            return {}
        return stored

    def open_row(self, row: Row) -> None:
        if not self.can_edit():
            return
        try:
            found = initiatives.editable(self.app.actor, row.id)
        except ThiduaError as exc:
            self.refuse(exc, "warning")
            return
        self.app.push_screen(initiative_form(self.app.actor, found, self._authors_of(row.id)),
                             self.edited)

    def new_row(self) -> None:
        self.app.push_screen(initiative_form(self.app.actor, None, self._authors_of(None)),
                             self.edited)

    def action_everyone(self) -> None:
        self.person_id = None
        self.heading = self._heading()
        self.query_one("#heading", Label).update(Text(self.heading))
        self.list.source = self.make_source()
        self.refresh_rows()

    def action_remove(self) -> None:
        row = self.list.current
        if row is None:
            return
        found = initiatives.get(row.id)

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            try:
                initiatives.remove(self.app.actor, found.id, found.version)
            except ThiduaError as exc:
                self.refuse(exc)
                return
            self.refresh_rows()

        self.app.push_screen(Confirm(f"Xóa “{text.visible(found.title)}”?"), answered)

    def action_back(self) -> None:
        if self.query_one("#filter").value or len(self.app.screen_stack) == 1:
            super().action_back()   # clears the filter, or leaves the section for home
        else:
            self.app.pop_screen()   # opened from the people list
