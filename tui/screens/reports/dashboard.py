"""The reports dashboard (F5): for a campaign and a period, every unit taking part with
its report's (or registration's) state, who is late and by how many days, the score.

Every rule is in models/ (reports, registration, scoring, synthesis, spreadsheets):
these screens only call them and show the outcome. Late and missing units are marked
with words and "!!", never by colour alone.
"""
from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Footer, Label, Static

from models import fields, text
from models.cycle import campaigns, registration, reports, scoring, synthesis
from models.cycle.tables import DEADLINE_KINDS
from models.errors import ThiduaError
from models.registry.access import sees_all_units
from models.registry.tables import UNIT_KINDS
from tui.screens.reports.files import FilesScreen
from tui.screens.reports.ranking import RankingScreen
from tui.screens.reports.registration import RegistrationScreen
from tui.screens.reports.report import ReportScreen
from tui.screens.reports.shared import day, refresh_if_shown
from tui.screens.reports.synthesis import SynthesisScreen
from tui.widgets.browse import BrowseScreen
from tui.widgets.field import LineInput
from tui.widgets.form import Field, FormScreen, FormSpec
from tui.widgets.lazylist import LazyList, ListSource, Row, fit, fold_match

PERIODS = ("six_month", "yearly", "registration", "campaign")
KIND_FILTERS = (None, *UNIT_KINDS)
MARKS = {"late": "!!", "returned": "! ", "not_started": "··"}
SHORT_KINDS = {"department": "Chuyên môn", "village": "Thôn", "cooperative": "Hợp tác xã",
               "enterprise": "Doanh nghiệp", "front": "MTTQ", "association": "Hội, đoàn thể",
               "other": "Khác"}
REPORT_TABLES = ("report", "registration", "registration_title", "report_section",
                 "report_figure", "report_score", "report_deadline", "campaign_unit",
                 "campaign", "unit")


class ReportsScreen(BrowseScreen):
    heading = "Báo cáo"
    tables = REPORT_TABLES
    filter_hint = "tên đơn vị"
    DEFAULT_CSS = """
    ReportsScreen #summary { height: 1; padding: 0 1; text-style: bold; }
    """
    BINDINGS = [
        Binding("ctrl+t", "period", "Kỳ", id="reports.period"),
        Binding("ctrl+f", "kind_filter", "Loại ĐV", id="reports.kind"),
        Binding("ctrl+g", "next_campaign", "Phong trào", id="reports.campaign"),
        Binding("ctrl+r", "ranking", "Xếp hạng", id="reports.ranking"),
        Binding("ctrl+y", "synthesis", "Tổng hợp", id="reports.synthesis", show=False),
        Binding("ctrl+b", "files", "Nhập/Xuất", id="reports.files", show=False),
        Binding("ctrl+z", "deadline", "Đặt hạn", id="reports.deadline", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.period = PERIODS[0]  # a campaign shown sets the one current for today
        self.unit_kind: str | None = None
        self.campaign_id: int | None = None
        self.rows: list[reports.DashboardRow] = []

    def _show_campaign(self, campaign_id: int | None) -> None:
        """Show the campaign on the period current for today (models decide which)."""
        self.campaign_id = campaign_id
        if campaign_id is not None:
            self.period = reports.current_period(self.app.cfg, campaigns.get(campaign_id),
                                                 self.app.today)

    def compose(self) -> ComposeResult:
        self._show_campaign(campaigns.default_for(self.app.today.year))
        with Horizontal(id="top"):
            yield Label(Text(self.heading), id="heading")
            yield Label("Tìm:", id="filter-label")
            yield LineInput(id="filter", placeholder=self.filter_hint)
        yield Static("", id="summary", markup=False)
        self.list = LazyList(self.make_source(), ascii_mark=self.app.ascii, id="rows",
                             empty_text="Chưa có phong trào hay đơn vị tham gia.",
                             no_match="Không có đơn vị nào khớp “{}”.")
        yield self.list
        yield Static("", id="detail", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self._show_summary()

    def can_create(self) -> bool:
        return False

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        actor = self.app.actor
        if action == "synthesis":
            return synthesis.can_write(actor)
        if action == "deadline":
            return reports.can_set_deadline(actor)
        if action == "files":
            return actor.is_admin
        return super().check_action(action, parameters)

    # -- data -----------------------------------------------------------------
    def _load(self) -> list[Row]:
        if self.campaign_id is None:
            self.rows = []
            return []
        actor = self.app.actor
        self.rows = reports.dashboard(self.app.cfg, self.campaign_id, self.period,
                                      self.app.today, self.unit_kind,
                                      None if sees_all_units(actor) else actor.unit_ids)
        return [Row(r.unit_id, (MARKS.get(r.status, "  "), r.unit_name,
                                SHORT_KINDS.get(r.unit_kind, r.unit_kind), r.word,
                                str(r.days_late) if r.days_late else "",
                                scoring.show(r.score), text.fold(r.unit_name)))
                for r in self.rows]

    def make_source(self):
        return ListSource((("", 2), ("Đơn vị", 0), ("Loại", 13), ("Trạng thái", 15),
                           ("Muộn", 4), ("Điểm", 6)), self._load,
                          lambda row, q: fold_match(q, row.cells[-1]))

    def _show_summary(self) -> None:
        line = "Chưa có phong trào nào: tạo ở mục Phong trào (F4)."
        if self.campaign_id is not None:
            c = campaigns.get(self.campaign_id)
            due = reports.deadline(self.app.cfg, c, self.period)
            late = reports.summary(self.rows)["late"]
            missing = sum(r.missing for r in self.rows)
            line = (f"{DEADLINE_KINDS[self.period]} {c.year} · hạn {day(due)} · "
                    f"QUÁ HẠN {late} · chưa nộp {missing} · "
                    f"đã nộp {len(self.rows) - missing}/{len(self.rows)}")
            kind = f" · {SHORT_KINDS[self.unit_kind]}" if self.unit_kind else ""
            self.query_one("#heading", Label).update(Text(fit(c.name, 24).rstrip() + kind))
        self.query_one("#summary", Static).update(Text(line))

    def refresh_rows(self) -> None:
        super().refresh_rows()
        self._show_summary()

    def on_data_changed(self, message) -> None:
        if any(message.touches(t) for t in self.tables):
            refresh_if_shown(self)

    def detail(self, row: Row) -> str:
        found = next((r for r in self.rows if r.unit_id == row.id), None)
        if found is None:
            return ""
        parts = [f"{found.unit_name}: {found.word}"]
        if found.days_late:
            parts.append(f"muộn {found.days_late} ngày")
        if found.return_reason and self.period != "registration":
            parts.append(f"lý do trả lại: {found.return_reason}")
        hint = "Enter: mở báo cáo (hoặc bản đăng ký) · Ctrl+T: đổi kỳ"
        if self.app.actor.is_admin:
            hint = "Enter: mở · Ctrl+Y: tổng hợp · Ctrl+B: nhập/xuất Excel · Ctrl+Z: đặt hạn"
        return text.visible(" · ".join(parts)) + "\n" + hint

    # -- keys -------------------------------------------------------------------
    def action_period(self) -> None:
        self.period = PERIODS[(PERIODS.index(self.period) + 1) % len(PERIODS)]
        self.refresh_rows()

    def action_kind_filter(self) -> None:
        self.unit_kind = KIND_FILTERS[(KIND_FILTERS.index(self.unit_kind) + 1)
                                      % len(KIND_FILTERS)]
        self.refresh_rows()

    def action_next_campaign(self) -> None:
        ids = [c.id for c in campaigns.in_display_order()]
        if ids:
            at = ids.index(self.campaign_id) if self.campaign_id in ids else -1
            self._show_campaign(ids[(at + 1) % len(ids)])
            self.refresh_rows()

    def open_row(self, row: Row) -> None:
        """Open the unit's report (or registration); a unit officer's first Enter
        starts the draft."""
        if self.campaign_id is None:
            return
        actor = self.app.actor
        try:
            if self.period == "registration":
                found = registration.find_or_start(actor, self.campaign_id, row.id)
                screen = RegistrationScreen(found.id) if found else None
            else:
                found = reports.find_or_start(actor, self.campaign_id, row.id, self.period)
                screen = ReportScreen(found.id) if found else None
        except ThiduaError as exc:
            self.refuse(exc)
            return
        if screen is None:
            self.notify("Đơn vị này chưa lập báo cáo hay bản đăng ký nào.", markup=False)
            return
        self.app.push_screen(screen, lambda _: self.refresh_rows())

    def action_ranking(self) -> None:
        if self.campaign_id is not None and self.period != "registration":
            self.app.push_screen(RankingScreen(self.campaign_id, self.period))
        else:
            self.notify("Chọn kỳ báo cáo (Ctrl+T) để xem xếp hạng.", markup=False)

    def action_synthesis(self) -> None:
        if self.campaign_id is not None and self.period != "registration":
            self.app.push_screen(SynthesisScreen(self.campaign_id, self.period))
        else:
            self.notify("Chọn kỳ báo cáo (Ctrl+T) để tổng hợp.", markup=False)

    def action_deadline(self) -> None:
        """The campaign's own deadline for the period shown (empty: the config's)."""
        if self.campaign_id is None:
            return
        campaign_id, period, actor = self.campaign_id, self.period, self.app.actor
        current = reports.deadline(self.app.cfg, campaigns.get(campaign_id), period)
        form = FormScreen(FormSpec(
            f"Hạn {DEADLINE_KINDS[period].lower()} của phong trào (để trống: theo cấu hình)",
            [Field("due", "Hạn", placeholder="dd/mm/yyyy",
                   check=lambda v: fields.optional_date(v, "Hạn"))],
            {"due": day(current)},
            lambda v: reports.set_deadline(actor, campaign_id, period, v["due"]) or True))
        self.app.push_screen(form, lambda _: self.refresh_rows())

    def action_files(self) -> None:
        self.app.push_screen(FilesScreen(self.campaign_id, self.period, self.unit_kind),
                             lambda _: self.refresh_rows())
