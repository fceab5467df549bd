"""The year's statistics of awards (Ctrl+R on F8): this year's and the last, one line a row."""
from __future__ import annotations

from models.awards import recognition
from tui.widgets.browse import ListOnlyScreen
from tui.widgets.export import EXPORT, export_document
from tui.widgets.lazylist import ListSource, Row


class StatsScreen(ListOnlyScreen):
    tables = ("decision", "decision_award", "title_award")
    BINDINGS = [EXPORT]

    def __init__(self, year: int) -> None:
        super().__init__()
        self.year = year

    def make_source(self):
        def rows() -> list[Row]:
            lines: list[str] = []
            for y in (self.year, self.year - 1):
                lines += recognition.statistics_lines(recognition.statistics(y),
                                                      self.app.cfg.titles)
                lines.append("")
            return [Row(i, (line,)) for i, line in enumerate(lines)]
        return ListSource((("", 0),), rows)

    def on_mount(self) -> None:
        self.set_heading(f"Thống kê khen thưởng {self.year - 1}-{self.year}")

    def detail(self, row: Row) -> str:
        return f"Ctrl+W: biểu thống kê năm {self.year} gửi cấp trên (.xlsx) · Esc: về"

    def action_document(self) -> None:
        export_document(self, "statistics", self.year, str(self.year))
