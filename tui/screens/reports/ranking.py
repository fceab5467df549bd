"""The ranking of units by kind for a period (it feeds the collective titles)."""
from __future__ import annotations

from models.cycle import scoring
from models.cycle.tables import REPORT_KINDS
from models.registry.tables import UNIT_KINDS
from tui.widgets.browse import ListOnlyScreen
from tui.widgets.lazylist import ListSource, Row


class RankingScreen(ListOnlyScreen):
    tables = ("report", "report_score")

    def __init__(self, campaign_id: int, period: str) -> None:
        super().__init__()
        self.campaign_id, self.period = campaign_id, period

    def make_source(self):
        return ListSource((("Loại đơn vị", 18), ("Hạng", 4), ("Đơn vị", 0), ("Điểm", 7)),
                          lambda: [Row(i, (UNIT_KINDS.get(r.unit_kind, r.unit_kind),
                                           str(r.rank), r.unit_name, scoring.show(r.score)))
                                   for i, r in enumerate(scoring.ranking(self.campaign_id,
                                                                         self.period))])

    def on_mount(self) -> None:
        self.set_heading(f"Xếp hạng đơn vị theo loại · {REPORT_KINDS[self.period]}")

    def can_create(self) -> bool:
        return False

    def detail(self, row: Row) -> str:
        return "Chỉ tính báo cáo đã gửi; điểm thẩm định thay điểm tự chấm. Esc: về"
