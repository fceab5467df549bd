"""Units (đơn vị): the tree of departments, villages, the cooperative and the
associations; edit, add, deactivate (never delete), set the head."""
from __future__ import annotations

from textual.binding import Binding

from models import fields, text
from models.awards import discipline, ratings
from models.errors import ThiduaError
from models.registry import access, codes, people, units
from models.registry.access import Actor
from models.registry.tables import UNIT_KINDS, Unit
from tui.screens.discipline import DisciplineScreen
from tui.screens.ratings import RatingsScreen
from tui.widgets.browse import BrowseScreen
from tui.widgets.form import Confirm, Field, FormScreen, FormSpec
from tui.widgets.lazylist import ListSource, Row

INDENT = "  "


def _unit_rows() -> list[Row]:
    tree = units.tree()
    heads = units.head_names([u for u, _ in tree])
    # The folded name and code ride along as a hidden last cell, for the filter.
    return [Row(u.id, (INDENT * depth + u.name, u.code or "", UNIT_KINDS.get(u.kind, u.kind),
                       heads.get(u.id, ""), "Có" if u.active else "Ngừng",
                       f"{u.search_key} {text.fold(u.code or '')}"))
            for u, depth in tree]


def _matches(row: Row, query: str) -> bool:
    return text.fold(query) in row.cells[-1]


def parent_choices(exclude: int | None = None) -> tuple[tuple[str, str], ...]:
    """Every unit but `exclude` and its descendants (a unit cannot sit under itself)."""
    out, skip_below = [], None
    for unit, depth in units.tree():
        if skip_below is not None and depth > skip_below:
            continue
        skip_below = depth if unit.id == exclude else None
        if unit.id != exclude:
            out.append((str(unit.id), INDENT * depth + unit.name))
    return tuple(out)


def unit_values(unit: Unit | None) -> dict[str, str]:
    if unit is None:
        return {"_version": "0"}
    return {"code": unit.code or "", "name": unit.name, "kind": unit.kind,
            "parent": str(unit.parent_id or ""), "note": unit.note,
            "_version": str(unit.version)}


def unit_form(actor: Actor, unit: Unit | None) -> FormScreen:
    def save(values: dict[str, str]):
        parent = int(values["parent"]) if values["parent"] else None
        if unit is None:
            return units.create_unit(actor, values["name"], values["kind"], parent, values["note"],
                                     values["code"])
        return units.update_unit(actor, unit.id, int(values["_version"]), values["name"],
                                 values["kind"], parent, values["note"], values["code"])

    form_fields = [
        Field("name", "Tên đơn vị", required=True, check=lambda v: fields.name(v, "Tên đơn vị")),
        Field("kind", "Loại", required=True, choices=tuple(UNIT_KINDS.items())),
        Field("parent", "Đơn vị cấp trên", choices=parent_choices(unit.id if unit else None)),
        Field("note", "Ghi chú",
              check=lambda v: fields.optional_text(v, "Ghi chú", max_len=2000)),
        Field("code", "Mã đơn vị", check=lambda v: codes.typed(Unit, v),
              placeholder="ví dụ T01; để trống: tự đặt"),
    ]
    title = "Thêm đơn vị" if unit is None else f"Sửa đơn vị: {text.visible(unit.name)}"
    reload = None if unit is None else (
        lambda: unit_values(units.get(unit.id)))
    return FormScreen(FormSpec(title, form_fields, unit_values(unit), save, reload=reload,
                               watch=None if unit is None else ("unit", unit.id)))


def _person_id(value: str) -> int:
    return people.by_number(value).id


def head_form(actor: Actor, unit: Unit) -> FormScreen:
    """Pick the head among the unit's members, or type anyone's citizen id (a head
    from outside, e.g. a commune officer heading an association)."""
    choices = tuple((str(p.id), p.full_name) for p in people.active_members(unit.id))

    def save(values: dict[str, str]):
        chosen = values["typed"].strip() or values.get("member", "")
        return units.set_head(actor, unit.id, int(values["_version"]),
                              _person_id(chosen) if chosen else None)

    typed = Field("typed", "Hoặc gõ số CCCD" if choices else "Số CCCD", check=_person_id,
                  placeholder="hoặc mã số; để trống mọi ô: bỏ người đứng đầu")
    # An empty drop-down would show as a blank line: without members, only the id box.
    form_fields = [Field("member", "Chọn trong đơn vị", choices=choices), typed] if choices \
        else [typed]
    values = {"member": str(unit.head_id or ""), "typed": "", "_version": str(unit.version)}
    return FormScreen(FormSpec(f"Người đứng đầu: {text.visible(unit.name)}", form_fields,
                               values, save))


class UnitsScreen(BrowseScreen):
    heading = "Đơn vị"
    tables = ("unit", "person")
    BINDINGS = [
        Binding("ctrl+t", "set_head", "Người đứng đầu", id="units.head"),
        # Ctrl+D is the filter's delete-right; priority makes it this screen's key,
        # the Delete key still deletes.
        Binding("ctrl+d", "toggle_active", "Ngừng/mở lại", id="units.active", priority=True),
        Binding("ctrl+r", "ratings", "Xếp loại", id="units.ratings"),
        # The Office's only; off the full footer (F1 and Ctrl+P list it).
        Binding("ctrl+g", "discipline", "Kỷ luật", id="units.discipline", show=False),
    ]

    def make_source(self):
        return ListSource((("Tên đơn vị", 0), ("Mã", 6), ("Loại", 18), ("Người đứng đầu", 18),
                           ("Hoạt động", 9)), _unit_rows, _matches)

    def can_edit(self) -> bool:
        return access.edits_units(self.app.actor)

    def can_create(self) -> bool:
        return units.can_manage(self.app.actor)

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "toggle_active":
            return units.can_manage(self.app.actor)
        if action == "set_head":
            return self.can_edit()
        if action == "discipline":
            return discipline.can_see(self.app.actor)
        return super().check_action(action, parameters)

    def detail(self, row: Row) -> str:
        facts = units.summary(row.id)
        unit = facts.unit
        lines = [f"Người đứng đầu: {facts.head_name or 'chưa có'} · Thành viên: {facts.members}"
                 f" · Cấp trên: {facts.parent_name or '—'} · Mã: {unit.code or '—'}"]
        if not unit.active:  # first, so a long line never wraps it out of sight
            lines[0] = "ĐÃ NGỪNG HOẠT ĐỘNG · " + lines[0]
        if unit.note:
            lines.append(f"Ghi chú: {unit.note}")
        return text.visible("\n".join(lines), multiline=True)

    def _editable(self, row: Row | None) -> Unit | None:
        """The unit under the cursor, if this user may change it; else say why."""
        if row is None:
            return None
        try:
            return units.editable(self.app.actor, row.id)
        except ThiduaError as exc:
            self.refuse(exc, "warning")
            return None

    def open_row(self, row: Row) -> None:
        # A reader's Enter opens nothing (the panel below shows the unit); an editor
        # of other units is told why this one does not open.
        if not self.can_edit():
            return
        unit = self._editable(row)
        if unit is not None:
            self.app.push_screen(unit_form(self.app.actor, unit), self.edited)

    def new_row(self) -> None:
        self.app.push_screen(unit_form(self.app.actor, None), self.edited)

    def action_set_head(self) -> None:
        unit = self._editable(self.list.current)
        if unit is not None:
            self.app.push_screen(head_form(self.app.actor, unit), self.edited)

    def action_toggle_active(self) -> None:
        row = self.list.current
        if row is None:
            return
        unit = units.get(row.id)
        question = (f"Ngừng hoạt động đơn vị “{text.visible(unit.name)}”? Đơn vị vẫn được giữ "
                    "trong hồ sơ, có thể mở lại." if unit.active else
                    f"Mở lại đơn vị “{text.visible(unit.name)}”?")

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            try:
                units.set_active(self.app.actor, unit.id, unit.version, not unit.active)
            except ThiduaError as exc:
                self.refuse(exc)
                return
            self.refresh_rows()

        self.app.push_screen(Confirm(question), answered)

    def action_ratings(self) -> None:
        row = self.list.current
        try:
            unit_id = ratings.sheet_unit(self.app.actor, row.id if row else None)
        except ThiduaError as exc:
            self.refuse(exc, "warning")
            return
        self.app.push_screen(RatingsScreen(unit_id, self.app.today.year))

    def action_discipline(self) -> None:
        self.app.push_screen(DisciplineScreen())
