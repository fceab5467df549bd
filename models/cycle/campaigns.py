"""Campaigns (the yearly movement, periodic and thematic ones), their units,
content areas and criteria."""
from __future__ import annotations

import peewee as pw

from models import fields
from models.cycle.tables import (CAMPAIGN_KINDS, Campaign, CampaignUnit, ContentArea, Criterion,
                                 Report, ReportScore, ReportSection)
from models.errors import RuleError
from models.registry import units
from models.registry.access import Actor, require
from models.registry.tables import Unit
from models.store import changelog, records
from models.store.tables import database

CAMPAIGN = "phong trào"
AREA = "nội dung thi đua"
CRITERION = "tiêu chí"
MANAGERS = ("admin",)  # campaigns, their content areas, criteria and units


def can_manage(actor: Actor) -> bool:
    return actor.has(*MANAGERS)


def _campaign_values(name, kind, year, theme, starts_on, ends_on, parent_id) -> dict:
    starts = fields.required_date(starts_on, "Ngày bắt đầu")
    ends = fields.required_date(ends_on, "Ngày kết thúc")
    if ends < starts:
        raise RuleError("Ngày kết thúc phải sau ngày bắt đầu.")
    if parent_id is not None:
        parent = records.get(Campaign, parent_id, "phong trào cấp trên")
        if parent.kind != "yearly":
            raise RuleError("Phong trào theo đợt hay chuyên đề chỉ thuộc về một phong trào năm.")
    return {"name": fields.name(name, "Tên phong trào", max_len=300),
            "kind": fields.choice(kind, CAMPAIGN_KINDS, "Loại phong trào"),
            "year": fields.year(year), "theme": fields.optional_text(theme, "Chủ đề", max_len=1000),
            "starts_on": starts, "ends_on": ends, "parent": parent_id}


def create_campaign(actor: Actor, name: str, kind: str, year, theme: str = "",
                    starts_on=None, ends_on=None, parent_id: int | None = None) -> Campaign:
    require(actor, *MANAGERS, action="tạo phong trào")
    return records.insert(actor, Campaign, **_campaign_values(
        name, kind, year, theme, starts_on, ends_on, parent_id))


def update_campaign(actor: Actor, campaign_id: int, version: int, name: str, kind: str, year,
                    theme: str, starts_on, ends_on, parent_id: int | None = None) -> Campaign:
    require(actor, *MANAGERS, action="sửa phong trào")
    if parent_id == campaign_id:
        raise RuleError("Phong trào không thể thuộc về chính nó.")
    return records.update(actor, Campaign, campaign_id, version, CAMPAIGN, **_campaign_values(
        name, kind, year, theme, starts_on, ends_on, parent_id))


def set_units(actor: Actor, campaign_id: int, unit_ids: list[int]) -> None:
    """The units taking part, replaced as a whole (a tick list on screen)."""
    require(actor, *MANAGERS, action="chọn đơn vị tham gia")
    wanted = set(unit_ids)
    with database.atomic():
        records.get(Campaign, campaign_id, CAMPAIGN)
        known = {u.id for u in Unit.select(Unit.id).where(Unit.id.in_(list(wanted)))}
        if wanted - known:
            raise RuleError("Có đơn vị không còn tồn tại; tải lại danh sách.")
        before = participating(campaign_id)
        CampaignUnit.delete().where(CampaignUnit.campaign == campaign_id).execute()
        CampaignUnit.insert_many([(campaign_id, uid) for uid in sorted(wanted)],
                                 fields=[CampaignUnit.campaign, CampaignUnit.unit]).execute()
        changelog.record(actor.login, "campaign_unit", campaign_id, "update",
                         before={"units": sorted(before)}, after={"units": sorted(wanted)})


def units_to_offer(ticked: set[int]) -> list[tuple[Unit, int]]:
    """The unit tree the units taking part are ticked from: the active units, and an
    inactive one only while it is still ticked, so that it can be unticked."""
    return [(unit, depth) for unit, depth in units.tree() if unit.active or unit.id in ticked]


def participating(campaign_id: int) -> set[int]:
    return {link.unit_id for link in
            CampaignUnit.select(CampaignUnit.unit).where(CampaignUnit.campaign == campaign_id)}


def _next_position(model, parent_field, parent_id: int) -> int:
    last = model.select(pw.fn.MAX(model.position)).where(parent_field == parent_id).scalar()
    return (last or 0) + 1


def add_area(actor: Actor, campaign_id: int, title: str) -> ContentArea:
    require(actor, *MANAGERS, action="thêm nội dung thi đua")
    clean = fields.name(title, "Nội dung thi đua", max_len=4000)
    with database.atomic():
        records.get(Campaign, campaign_id, CAMPAIGN)
        return records.insert(actor, ContentArea, campaign=campaign_id, title=clean,
                              position=_next_position(ContentArea, ContentArea.campaign,
                                                      campaign_id))


def update_area(actor: Actor, area_id: int, version: int, title: str) -> ContentArea:
    require(actor, *MANAGERS, action="sửa nội dung thi đua")
    return records.update(actor, ContentArea, area_id, version, AREA,
                          title=fields.name(title, "Nội dung thi đua", max_len=4000))


def remove_areas(actor: Actor, campaign_id: int) -> int:
    """Delete every content area of the campaign with its criteria (the plan import's
    "replace"); how many areas went. Refused once a unit has scored or written its
    report against them: that work would go with them, without a word to the unit."""
    require(actor, *MANAGERS, action="xóa nội dung thi đua")
    with database.atomic():
        found = areas(campaign_id)
        ids = [a.id for a in found]
        used = (Report.select(Report.id)
                .where(Report.id.in_(ReportScore.select(ReportScore.report)
                                     .join(Criterion).where(Criterion.area.in_(ids)))
                       | Report.id.in_(ReportSection.select(ReportSection.report)
                                       .where(ReportSection.area.in_(ids))))
                .count())
        if used:
            raise RuleError(f"Không thay được: {used} báo cáo của đơn vị đã chấm điểm hoặc viết "
                            "theo các nội dung thi đua này, thay thì mất phần đó. Hãy sửa từng "
                            "nội dung ở màn hình phong trào.")
        for row in [*Criterion.select().where(Criterion.area.in_(ids)), *found]:
            changelog.record(actor.login, records.table_of(type(row)), row.id, "delete",
                             before=changelog.snapshot(row))
        Criterion.delete().where(Criterion.area.in_(ids)).execute()
        ContentArea.delete().where(ContentArea.id.in_(ids)).execute()
    return len(ids)


def add_criterion(actor: Actor, area_id: int, text: str, max_points) -> Criterion:
    require(actor, *MANAGERS, action="thêm tiêu chí")
    clean = fields.name(text, "Tiêu chí", max_len=2000)
    value = fields.points(max_points, "Điểm tối đa")
    with database.atomic():
        records.get(ContentArea, area_id, AREA)
        return records.insert(actor, Criterion, area=area_id, text=clean, max_points=value,
                              position=_next_position(Criterion, Criterion.area, area_id))


def update_criterion(actor: Actor, criterion_id: int, version: int, text: str,
                     max_points) -> Criterion:
    require(actor, *MANAGERS, action="sửa tiêu chí")
    return records.update(actor, Criterion, criterion_id, version, CRITERION,
                          text=fields.name(text, "Tiêu chí", max_len=2000),
                          max_points=fields.points(max_points, "Điểm tối đa"))


def move(actor: Actor, model: type[ContentArea] | type[Criterion], row_id: int, step: int) -> None:
    """Swap an area or criterion with its neighbour (step -1 up, +1 down)."""
    require(actor, *MANAGERS, action="sắp xếp lại thứ tự")
    parent_field = ContentArea.campaign if model is ContentArea else Criterion.area
    with database.atomic():
        row = records.get(model, row_id, AREA if model is ContentArea else CRITERION)
        siblings = list(model.select().where(parent_field == getattr(row, parent_field.name + "_id"))
                        .order_by(model.position))
        index = next(i for i, s in enumerate(siblings) if s.id == row_id)
        other_index = index + step
        if not 0 <= other_index < len(siblings):
            return
        other = siblings[other_index]
        for item, position in ((row, other.position), (other, row.position)):
            records.update(actor, model, item.id, item.version, "thứ tự", position=position)


def areas(campaign_id: int) -> list[ContentArea]:
    return list(ContentArea.select().where(ContentArea.campaign == campaign_id)
                .order_by(ContentArea.position))


def criteria(area_id: int) -> list[Criterion]:
    return list(Criterion.select().where(Criterion.area == area_id).order_by(Criterion.position))


def get(campaign_id: int) -> Campaign:
    return records.get(Campaign, campaign_id, CAMPAIGN)


def get_area(area_id: int) -> ContentArea:
    return records.get(ContentArea, area_id, AREA)


def get_criterion(criterion_id: int) -> Criterion:
    return records.get(Criterion, criterion_id, CRITERION)


def in_display_order() -> list[Campaign]:
    """Every campaign, newest year first; in a year the yearly movement, then the
    periodic and thematic ones (CAMPAIGN_KINDS order), by name."""
    rank = {kind: i for i, kind in enumerate(CAMPAIGN_KINDS)}
    return sorted(Campaign.select(), key=lambda c: (-c.year, rank.get(c.kind, 9), c.name, c.id))


def yearly() -> list[Campaign]:
    """The yearly movements, newest first: what a periodic or thematic campaign belongs to."""
    return list(Campaign.select().where(Campaign.kind == "yearly").order_by(Campaign.year.desc()))


def default_for(year: int) -> int | None:
    """The campaign a report screen opens on: the year's movement, else the newest."""
    found = in_display_order()
    this_year = next((c for c in found if c.year == year and c.kind == "yearly"), None)
    return (this_year or found[0]).id if found else None
