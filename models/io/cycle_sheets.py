"""The yearly cycle as export sheets: campaigns, a campaign's registrations, the report
dashboard of a period and the units' ranking."""
from __future__ import annotations

import datetime as dt

from models.cycle import registration, reports, scoring
from models.cycle.tables import CAMPAIGN_KINDS, REGISTRATION_STATES, Campaign, Registration
from models.io.writer import Sheet
from models.registry.tables import UNIT_KINDS, Unit


def campaigns_sheet() -> Sheet:
    rows = [[c.year, CAMPAIGN_KINDS.get(c.kind, c.kind), c.name, c.theme, c.starts_on,
             c.ends_on] for c in Campaign.select().order_by(Campaign.year.desc(), Campaign.id)]
    return Sheet("Phong trào", [("Năm", "number", 6), ("Loại", "text", 16),
                                ("Tên phong trào", "text", 50), ("Chủ đề", "text", 40),
                                ("Ngày bắt đầu", "date", 12), ("Ngày kết thúc", "date", 12)],
                 rows)


def registrations_sheet(cfg, campaign_id: int) -> Sheet:
    names = {code: t.name for code, t in cfg.titles.items()}
    rows = []
    for g in (Registration.select(Registration, Unit).join(Unit)
              .where(Registration.campaign == campaign_id).order_by(Unit.search_key)):
        aimed = registration.titles(g.id)
        listed = "; ".join(f"{t.person.full_name} ({names.get(t.title_code, t.title_code)})"
                           for t in aimed)
        rows.append([g.unit.name, REGISTRATION_STATES.get(g.status, g.status), g.submitted_on,
                     g.targets, names.get(g.collective_title, g.collective_title),
                     len(aimed), listed, g.return_reason])
    return Sheet("Đăng ký thi đua", [("Đơn vị", "text", 30), ("Trạng thái", "text", 12),
                                     ("Ngày gửi", "date", 12), ("Chỉ tiêu", "text", 50),
                                     ("Danh hiệu tập thể", "text", 28),
                                     ("Số cá nhân đăng ký", "number", 10),
                                     ("Cá nhân và danh hiệu", "text", 60),
                                     ("Lý do trả lại", "text", 30)], rows)


def dashboard_sheet(cfg, campaign_id: int, kind: str, today: dt.date,
                    unit_kind: str | None = None) -> Sheet:
    rows = [[r.unit_name, UNIT_KINDS.get(r.unit_kind, r.unit_kind), r.word, r.days_late,
             r.score] for r in reports.dashboard(cfg, campaign_id, kind, today, unit_kind)]
    return Sheet("Tình hình báo cáo", [("Đơn vị", "text", 36), ("Loại", "text", 18),
                                       ("Trạng thái", "text", 18),
                                       ("Số ngày muộn", "number", 10), ("Điểm", "number", 8)],
                 rows)


def ranking_sheet(campaign_id: int, kind: str) -> Sheet:
    rows = [[UNIT_KINDS.get(r.unit_kind, r.unit_kind), r.rank, r.unit_name, r.score]
            for r in scoring.ranking(campaign_id, kind)]
    return Sheet("Xếp hạng", [("Loại đơn vị", "text", 18), ("Hạng", "number", 6),
                              ("Đơn vị", "text", 36), ("Điểm", "number", 8)], rows)
