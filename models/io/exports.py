"""Exporting a list to .xlsx by its kind: which sheet builds it, and the checks on the
request (a known kind, an .xlsx name, a campaign where the sheet needs one); and the
empty sheet of an import kind, to fill in."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from models import text
from models.errors import RuleError
from models.io import (cycle_sheets, discipline, initiatives, past_awards, ratings, registry_sheets,
                       templates)
from models.io.kinds import EXPORT_KINDS, NEEDS_CAMPAIGN
from models.io.writer import write_xlsx


def _xlsx(path: Path) -> Path:
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise RuleError("Tệp xuất phải có đuôi .xlsx.")
    return path


def export(kind: str, path: Path, cfg=None, campaign_id: int | None = None,
           period: str = "six_month", today: dt.date | None = None,
           unit_kind: str | None = None) -> tuple[Path, int]:
    """Write the list `kind` to `path` (.xlsx); returns the path and the row count."""
    if kind not in EXPORT_KINDS:
        raise RuleError(f"Không xuất được “{text.visible(kind)}”; chọn: "
                        + ", ".join(EXPORT_KINDS) + ".")
    path = _xlsx(path)
    if kind in NEEDS_CAMPAIGN and campaign_id is None:
        raise RuleError("Hãy chọn phong trào (--campaign SỐ).")
    sheets = {
        "units": registry_sheets.units_sheet,
        "households": registry_sheets.households_sheet,
        "people": registry_sheets.people_sheet,
        "ratings": ratings.sheet,
        "initiatives": initiatives.sheet,
        "discipline": discipline.sheet,
        "awards": lambda: past_awards.sheet(cfg),
        "campaigns": cycle_sheets.campaigns_sheet,
        "registrations": lambda: cycle_sheets.registrations_sheet(cfg, campaign_id),
        "dashboard": lambda: cycle_sheets.dashboard_sheet(
            cfg, campaign_id, period, today or dt.date.today(), unit_kind),
        "ranking": lambda: cycle_sheets.ranking_sheet(campaign_id, period),
    }
    sheet = sheets[kind]()
    write_xlsx(path, sheet)
    return path, len(sheet.rows)


EXAMPLE_NOTE = "dòng 2 là ví dụ: sửa hoặc xóa đi trước khi nhập"


def template(kind: str, path: Path) -> Path:
    """The empty sheet of import `kind` with one example row, written to `path` (.xlsx)."""
    return write_xlsx(_xlsx(path), templates.template_sheet(kind))
