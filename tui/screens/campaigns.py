"""Campaigns (phong trào): the list, a campaign's content areas and criteria,
the units taking part, and the import of content areas from the plan."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from textual.binding import Binding

from models import fields, text
from models.cycle import campaigns
from models.cycle.tables import CAMPAIGN_KINDS, Campaign, ContentArea, Criterion
from models.errors import ThiduaError
from models.registry.access import Actor
from models.registry.tables import UNIT_KINDS
from tui.screens.plan_import import PlanImportScreen, area_field
from tui.widgets.browse import BrowseScreen, ListOnlyScreen, TickScreen
from tui.widgets.export import EXPORT, export_document
from tui.widgets.form import Field, FormScreen, FormSpec
from tui.widgets.lazylist import ListSource, Row, fit


def _date(value) -> str:
    return text.format_date(value) if value else ""


def _points(value: Decimal) -> str:
    """10.00 -> "10", 2.50 -> "2,5": how points are written on paper."""
    shown = format(Decimal(value).normalize(), "f")
    return shown.replace(".", ",")


def _folded_match(row: Row, query: str) -> bool:
    return text.fold(query) in text.fold(" ".join(row.cells))


# -- the campaign itself ---------------------------------------------------------------

def campaign_values(c: Campaign | None, year: int) -> dict[str, str]:
    if c is None:
        return {"kind": "yearly", "year": str(year), "_version": "0"}
    return {"name": c.name, "kind": c.kind, "year": str(c.year), "theme": c.theme,
            "starts_on": _date(c.starts_on), "ends_on": _date(c.ends_on),
            "parent": str(c.parent_id or ""), "_version": str(c.version)}


def campaign_form(actor: Actor, c: Campaign | None, year: int) -> FormScreen:
    def save(values: dict[str, str]):
        args = (values["name"], values["kind"], values["year"], values["theme"],
                values["starts_on"], values["ends_on"],
                int(values["parent"]) if values["parent"] else None)
        if c is None:
            return campaigns.create_campaign(actor, *args)
        return campaigns.update_campaign(actor, c.id, int(values["_version"]), *args)

    form_fields = [
        Field("name", "Tên phong trào", required=True,
              check=lambda v: fields.name(v, "Tên phong trào", max_len=300)),
        Field("kind", "Loại", required=True, choices=tuple(CAMPAIGN_KINDS.items())),
        Field("year", "Năm", required=True, check=fields.year),
        Field("theme", "Chủ đề", check=lambda v: fields.optional_text(v, "Chủ đề", max_len=1000)),
        Field("starts_on", "Ngày bắt đầu", required=True, placeholder="dd/mm/yyyy",
              check=lambda v: fields.required_date(v, "Ngày bắt đầu")),
        Field("ends_on", "Ngày kết thúc", required=True, placeholder="dd/mm/yyyy",
              check=lambda v: fields.required_date(v, "Ngày kết thúc")),
        Field("parent", "Thuộc phong trào năm",
              choices=tuple((str(p.id), f"{p.year} · {p.name}") for p in campaigns.yearly()
                            if c is None or p.id != c.id)),
    ]
    title = "Thêm phong trào" if c is None else f"Sửa phong trào: {text.visible(c.name)}"
    reload = None if c is None else (
        lambda: campaign_values(campaigns.get(c.id), year))
    return FormScreen(FormSpec(title, form_fields, campaign_values(c, year), save, reload=reload,
                               watch=None if c is None else ("campaign", c.id)))


def _campaign_rows() -> list[Row]:
    return [Row(c.id, (str(c.year), CAMPAIGN_KINDS.get(c.kind, c.kind), c.name))
            for c in campaigns.in_display_order()]


class CampaignsScreen(BrowseScreen):
    heading = "Phong trào"
    tables = ("campaign",)

    def make_source(self):
        return ListSource((("Năm", 4), ("Loại", 14), ("Tên phong trào", 0)), _campaign_rows,
                          _folded_match)

    def can_create(self) -> bool:
        return campaigns.can_manage(self.app.actor)

    def detail(self, row: Row) -> str:
        c = campaigns.get(row.id)
        parts = [f"Từ {_date(c.starts_on)} đến {_date(c.ends_on)}",
                 f"{len(campaigns.areas(c.id))} nội dung",
                 f"{len(campaigns.participating(c.id))} đơn vị tham gia"]
        if c.parent_id:
            parts.append(f"thuộc: {campaigns.get(c.parent_id).name}")
        lines = " · ".join(parts) + (f"\nChủ đề: {c.theme}" if c.theme else "")
        return text.visible(lines, multiline=True)

    def open_row(self, row: Row) -> None:
        self.app.push_screen(CampaignDetailScreen(row.id))

    def new_row(self) -> None:
        self.app.push_screen(campaign_form(self.app.actor, None, self.app.today.year),
                             self.edited)


# -- content areas and criteria -----------------------------------------------------------

@dataclass(frozen=True)
class ItemRow(Row):
    kind: str = "area"          # "area", "criterion" or "total"
    area_id: int = 0


def _item_rows(campaign_id: int) -> list[Row]:
    rows: list[Row] = []
    total = Decimal(0)
    for i, area in enumerate(campaigns.areas(campaign_id), 1):
        crits = campaigns.criteria(area.id)
        points = sum((c.max_points for c in crits), Decimal(0))
        total += points
        rows.append(ItemRow(area.id, (f"{i}. {area.title}", _points(points) if crits else ""),
                            "area", area.id))
        rows += [ItemRow(c.id, (f"    {i}.{j} {c.text}", _points(c.max_points)), "criterion",
                         area.id) for j, c in enumerate(crits, 1)]
    if rows:
        rows.append(ItemRow(0, ("Tổng điểm tối đa", _points(total)), "total"))
    return rows


def area_form(actor: Actor, campaign_id: int, area: ContentArea | None) -> FormScreen:
    def save(values: dict[str, str]):
        if area is None:
            return campaigns.add_area(actor, campaign_id, values["title"])
        return campaigns.update_area(actor, area.id, int(values["_version"]), values["title"])

    values = ({"title": area.title, "_version": str(area.version)} if area
              else {"_version": "0"})
    return FormScreen(FormSpec("Thêm nội dung thi đua" if area is None else
                               "Sửa nội dung thi đua", [area_field()], values, save))


def criterion_form(actor: Actor, area_id: int, crit: Criterion | None) -> FormScreen:
    def save(values: dict[str, str]):
        if crit is None:
            return campaigns.add_criterion(actor, area_id, values["text"], values["max_points"])
        return campaigns.update_criterion(actor, crit.id, int(values["_version"]),
                                          values["text"], values["max_points"])

    values = ({"text": crit.text, "max_points": _points(crit.max_points),
               "_version": str(crit.version)} if crit else {"_version": "0"})
    form_fields = [
        Field("text", "Tiêu chí", required=True,
              check=lambda v: fields.name(v, "Tiêu chí", max_len=2000)),
        Field("max_points", "Điểm tối đa", required=True, placeholder="ví dụ 10 hoặc 2,5",
              check=lambda v: fields.points(v, "Điểm tối đa")),
    ]
    return FormScreen(FormSpec("Thêm tiêu chí" if crit is None else "Sửa tiêu chí",
                               form_fields, values, save))


EDIT_ACTIONS = {"new_row", "new_criterion", "move", "edit_campaign", "units", "import_plan"}


class CampaignDetailScreen(ListOnlyScreen):
    tables = ("campaign", "content_area", "criterion")
    BINDINGS = [
        Binding("ctrl+n", "new_row", "+Nội dung", id="campaign.area"),
        Binding("ctrl+t", "new_criterion", "+Tiêu chí", id="campaign.criterion"),
        Binding("ctrl+u", "move(-1)", "Lên", id="campaign.up"),
        Binding("ctrl+d", "move(1)", "Xuống", id="campaign.down"),
        # Not in the footer (no room at 80 columns): the detail panel names them.
        Binding("ctrl+o", "units", "Đơn vị tham gia", id="campaign.units", show=False),
        Binding("ctrl+l", "import_plan", "Nhập từ kế hoạch", id="campaign.import", show=False),
        Binding("ctrl+e", "edit_campaign", "Sửa phong trào", id="campaign.edit", show=False),
        EXPORT,
    ]
    HINT = "Ctrl+O đơn vị tham gia · Ctrl+L nhập từ kế hoạch · Ctrl+E sửa phong trào"

    def __init__(self, campaign_id: int) -> None:
        super().__init__()
        self.campaign_id = campaign_id

    def make_source(self):
        return ListSource((("Nội dung thi đua / tiêu chí", 0), ("Điểm", 6)),
                          lambda: _item_rows(self.campaign_id))

    def on_mount(self) -> None:
        self._show_heading()

    def _show_heading(self) -> None:
        c = campaigns.get(self.campaign_id)
        self.set_heading(f"Số {c.id} · {c.year} · {c.name}")   # the number `thidua export` takes

    def refresh_rows(self) -> None:
        super().refresh_rows()
        self._show_heading()

    def action_document(self) -> None:
        export_document(self, "plan", self.campaign_id, str(self.campaign_id))

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action in EDIT_ACTIONS:
            return campaigns.can_manage(self.app.actor)
        return super().check_action(action, parameters)

    def detail(self, row: Row) -> str:
        width = max(10, self.app.size.width - 4)
        line = ("Tổng điểm tối đa của các tiêu chí trong phong trào." if row.kind == "total"
                else row.cells[0].strip())
        hint = self.HINT if campaigns.can_manage(self.app.actor) else "Chỉ xem."
        return fit(line, width).rstrip() + "\n" + hint

    def open_row(self, row: Row) -> None:
        if not campaigns.can_manage(self.app.actor):
            self.notify("Bạn chỉ có quyền xem.", markup=False)
            return
        actor = self.app.actor
        try:
            if row.kind == "area":
                form = area_form(actor, self.campaign_id, campaigns.get_area(row.id))
            elif row.kind == "criterion":
                form = criterion_form(actor, row.area_id, campaigns.get_criterion(row.id))
            else:
                return
        except ThiduaError as exc:
            self.refuse(exc)
            return
        self.app.push_screen(form, self.edited)

    def new_row(self) -> None:
        self.app.push_screen(area_form(self.app.actor, self.campaign_id, None), self.edited)

    def action_new_criterion(self) -> None:
        row = self.list.current
        if row is None or row.kind == "total":
            self.notify("Chọn một nội dung thi đua (thêm bằng Ctrl+N) rồi thêm tiêu chí.",
                        severity="warning", markup=False)
            return
        self.app.push_screen(criterion_form(self.app.actor, row.area_id, None), self.edited)

    def action_move(self, step: int) -> None:
        row = self.list.current
        if row is None or row.kind == "total":
            return
        model = ContentArea if row.kind == "area" else Criterion
        try:
            campaigns.move(self.app.actor, model, row.id, step)
        except ThiduaError as exc:
            self.refuse(exc)
            return
        self.refresh_rows()
        self._follow(row)

    def _follow(self, moved: Row) -> None:
        """Keep the cursor on the row that moved, so Ctrl+U pressed thrice moves it thrice."""
        for index in range(self.list.total):
            found = self.list.row_at(index)
            if found is not None and (found.id, found.kind) == (moved.id, moved.kind):
                self.list.action_jump(index)
                return

    def action_edit_campaign(self) -> None:
        c = campaigns.get(self.campaign_id)
        self.app.push_screen(campaign_form(self.app.actor, c, c.year), self.edited)

    def action_units(self) -> None:
        self.app.push_screen(TakingPartScreen(self.campaign_id))

    def action_import_plan(self) -> None:
        self.app.push_screen(PlanImportScreen(self.campaign_id), self.edited)


# -- the units taking part ---------------------------------------------------------------

class TakingPartScreen(TickScreen):
    tables = ("unit",)

    def __init__(self, campaign_id: int) -> None:
        super().__init__(campaigns.participating(campaign_id))
        self.campaign_id = campaign_id

    def make_source(self):
        return ListSource((("", 3), ("Đơn vị", 0), ("Loại", 18)), self._rows)

    def _rows(self) -> list[Row]:
        return [Row(u.id, (self.mark(u.id), "  " * depth + u.name, UNIT_KINDS.get(u.kind, "")))
                for u, depth in campaigns.units_to_offer(self.ticked)]

    def heading_text(self) -> str:
        return f"Đơn vị tham gia: đã chọn {len(self.ticked)}"

    def detail(self, row: Row) -> str:
        return "Space hoặc Enter: chọn/bỏ · Ctrl+A: chọn hết/bỏ hết · Ctrl+S: lưu"

    def save(self) -> None:
        campaigns.set_units(self.app.actor, self.campaign_id, sorted(self.ticked))
