"""Exporting a list to .xlsx by its kind: which sheet builds it, and the checks on the
request (a known kind, an .xlsx name, a campaign where the sheet needs one)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from models import text
from models.errors import RuleError
from models.io import awards_sheets, cycle_sheets, registry_sheets
from models.io.kinds import EXPORT_KINDS, NEEDS_CAMPAIGN
from models.io.writer import write_xlsx


def export(kind: str, path: Path, cfg=None, campaign_id: int | None = None,
           period: str = "six_month", today: dt.date | None = None,
           unit_kind: str | None = None) -> tuple[Path, int]:
    """Write the list `kind` to `path` (.xlsx); returns the path and the row count."""
    if kind not in EXPORT_KINDS:
        raise RuleError(f"Không xuất được “{text.visible(kind)}”; chọn: "
                        + ", ".join(EXPORT_KINDS) + ".")
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise RuleError("Tệp xuất phải có đuôi .xlsx.")
    if kind in NEEDS_CAMPAIGN and campaign_id is None:
        raise RuleError("Hãy chọn phong trào (--campaign SỐ).")
    sheets = {
        "units": registry_sheets.units_sheet,
        "households": registry_sheets.households_sheet,
        "people": registry_sheets.people_sheet,
        "awards": lambda: awards_sheets.awards_sheet(cfg),
        "campaigns": cycle_sheets.campaigns_sheet,
        "registrations": lambda: cycle_sheets.registrations_sheet(cfg, campaign_id),
        "dashboard": lambda: cycle_sheets.dashboard_sheet(
            cfg, campaign_id, period, today or dt.date.today(), unit_kind),
        "ranking": lambda: cycle_sheets.ranking_sheet(campaign_id, period),
    }
    sheet = sheets[kind]()
    write_xlsx(path, sheet)
    return path, len(sheet.rows)
