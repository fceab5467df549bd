"""For the Office: the audit trail, and who is online right now."""
from __future__ import annotations

from models.store import audit, presence
from models.store.audit import local_time
from models.store.changelog import ACTIONS
from tui.widgets.browse import BrowseScreen
from tui.widgets.lazylist import ListSource, RecordSource, Row


class AuditScreen(BrowseScreen):
    heading = "Nhật ký thay đổi"
    tables = ("*",)
    filter_hint = "tên đăng nhập, bảng, dd/mm/yyyy"

    def make_source(self):
        return RecordSource(
            (("Thời gian", 16), ("Người", 12), ("Việc", 8), ("Bảng", 16), ("Số", 0)),
            audit.listing(self.app.actor),
            lambda e: (f"{local_time(e.at):%d/%m/%Y %H:%M}", e.login,
                       ACTIONS.get(e.action, e.action), e.table_name,
                       "" if e.row_id is None else str(e.row_id)))

    def detail(self, row: Row) -> str:
        changes = audit.differences(row.id)
        if not changes:
            return "Không có trường nào thay đổi."
        return "\n".join(f"{name}: {old} → {new}" for name, old, new in changes[:3]) + (
            f"\n… và {len(changes) - 3} trường khác" if len(changes) > 3 else "")


class OnlineScreen(BrowseScreen):
    heading = "Đang trực tuyến"
    tables = ("*",)
    filter_hint = "tên đăng nhập"

    def make_source(self):
        def load() -> list[Row]:
            return [Row(s.id, (s.login, f"{local_time(s.started_at):%d/%m %H:%M}",
                               s.screen, s.origin)) for s in presence.online(self.app.actor)]
        return ListSource((("Người", 14), ("Từ lúc", 11), ("Đang ở", 0), ("Nơi vào", 18)),
                          load, lambda row, q: q.lower() in row.cells[0])

    def on_mount(self) -> None:
        super().on_mount()
        self.set_interval(presence.FRESH.total_seconds() / 3, self.refresh_rows)
