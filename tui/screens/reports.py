"""Registration and reports (F5): the Office's dashboard of who has reported and who
is late, a unit's report (sections, figures, scores), the registration form, the
return with a reason, the ranking, the synthesis, and importing/exporting files.

Every rule is in models/ (reports, registration, scoring, synthesis,
spreadsheets); these screens only call them and show the outcome. Late and
missing units are marked with words and "!!", never by colour alone.
"""
from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.css.query import NoMatches
from textual.widgets import Footer, Label, Static, TextArea

from models import fields, text
from models.cycle import registration, reports, scoring, synthesis
from models.cycle.tables import (DEADLINE_KINDS, REGISTRATION_STATES, REPORT_KINDS, REPORT_STATES,
                                 Campaign, Registration, Report, ReportFigure)
from models.errors import ThiduaError
from models.io import spreadsheets
from models.registry.tables import UNIT_KINDS
from models.store import records
from tui.widgets.browse import BrowseScreen, ListOnlyScreen
from tui.widgets.field import LineInput, LineSelect
from tui.widgets.form import Confirm, Field, FormScreen, FormSpec
from tui.widgets.lazylist import LazyList, ListSource, Row, fit
from tui.widgets.screen import BaseScreen

PERIODS = ("six_month", "yearly", "registration", "campaign")
KIND_FILTERS = (None, *UNIT_KINDS)
MARKS = {"late": "!!", "returned": "! ", "not_started": "··"}
SHORT_KINDS = {"department": "Chuyên môn", "village": "Thôn", "cooperative": "Hợp tác xã",
               "enterprise": "Doanh nghiệp", "front": "MTTQ", "association": "Hội, đoàn thể",
               "other": "Khác"}
REPORT_TABLES = ("report", "registration", "registration_title", "report_section",
                 "report_figure", "report_score", "report_deadline", "campaign_unit",
                 "campaign", "unit")


def _date(value) -> str:
    return text.format_date(value) if value else ""



def _campaigns() -> list[Campaign]:
    rank = {"yearly": 0, "periodic": 1, "thematic": 2}
    return sorted(Campaign.select(), key=lambda c: (-c.year, rank.get(c.kind, 9), c.id))


def default_campaign(year: int) -> int | None:
    found = _campaigns()
    for c in found:
        if c.year == year and c.kind == "yearly":
            return c.id
    return found[0].id if found else None


def sees_all(actor) -> bool:
    """The Office, the chairman, the council and viewers see every unit; a unit
    officer only their own units."""
    return actor.has("admin", "chairman", "finance", "council_member", "council_secretary",
                     "viewer")


def _refresh_if_shown(screen: BrowseScreen) -> None:
    """After another session's change. A screen being pushed or popped has no
    widgets to refresh (yet, or any more): it reads afresh when composed."""
    try:
        screen.refresh_rows()
        screen.refresh_bindings()
    except NoMatches:
        pass


def reason_form(title: str, save) -> FormScreen:
    return FormScreen(FormSpec(title, [Field("reason", "Lý do trả lại", required=True,
                                             check=lambda v: reports.reason_text(v))],
                               {}, lambda values: save(values["reason"])))


# -- the dashboard --------------------------------------------------------------------------

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
        self.period = "six_month"
        self.unit_kind: str | None = None
        self.campaign_id: int | None = None
        self.rows: list[reports.DashboardRow] = []

    def compose(self) -> ComposeResult:
        self.campaign_id = default_campaign(self.app.today.year)
        with Horizontal(id="top"):
            yield Label(Text(self.heading), id="heading")
            yield Label("Tìm:", id="filter-label")
            yield LineInput(id="filter", placeholder=self.filter_hint)
        yield Static("", id="summary", markup=False)
        self.list = LazyList(self.make_source(), ascii_mark=self.app.ascii, id="rows",
                             empty_text="Chưa có phong trào hay đơn vị tham gia.")
        yield self.list
        yield Static("", id="detail", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self._show_summary()

    def can_create(self) -> bool:
        return False

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action in ("synthesis", "files", "deadline"):
            return self.app.actor.is_admin
        return super().check_action(action, parameters)

    # -- data -----------------------------------------------------------------
    def _load(self) -> list[Row]:
        if self.campaign_id is None:
            self.rows = []
            return []
        actor = self.app.actor
        self.rows = reports.dashboard(self.app.cfg, self.campaign_id, self.period,
                                      self.app.today, self.unit_kind,
                                      None if sees_all(actor) else actor.unit_ids)
        return [Row(r.unit_id, (MARKS.get(r.status, "  "), r.unit_name,
                                SHORT_KINDS.get(r.unit_kind, r.unit_kind), r.word,
                                str(r.days_late) if r.days_late else "",
                                scoring.show(r.score), text.fold(r.unit_name)))
                for r in self.rows]

    def make_source(self):
        return ListSource((("", 2), ("Đơn vị", 0), ("Loại", 13), ("Trạng thái", 15),
                           ("Muộn", 4), ("Điểm", 6)), self._load,
                          lambda row, q: text.fold(q) in row.cells[-1])

    def _show_summary(self) -> None:
        line = "Chưa có phong trào nào: tạo ở mục Phong trào (F4)."
        if self.campaign_id is not None:
            c = records.get(Campaign, self.campaign_id, "phong trào")
            due = reports.deadline(self.app.cfg, c, self.period)
            counts = reports.summary(self.rows)
            missing = counts["late"] + counts["not_started"] + counts["draft"] + \
                counts["returned"]
            line = (f"{DEADLINE_KINDS[self.period]} {c.year} · hạn {_date(due)} · "
                    f"QUÁ HẠN {counts['late']} · chưa nộp {missing} · "
                    f"đã nộp {len(self.rows) - missing}/{len(self.rows)}")
            kind = f" · {SHORT_KINDS[self.unit_kind]}" if self.unit_kind else ""
            self.query_one("#heading", Label).update(Text(fit(c.name, 24).rstrip() + kind))
        self.query_one("#summary", Static).update(Text(line))

    def refresh_rows(self) -> None:
        super().refresh_rows()
        self._show_summary()

    def on_data_changed(self, message) -> None:
        if any(message.touches(t) for t in self.tables):
            _refresh_if_shown(self)

    def detail(self, row: Row) -> str:
        found = next((r for r in self.rows if r.unit_id == row.id), None)
        if found is None:
            return ""
        parts = [f"{found.unit_name}: {found.word}"]
        if found.days_late:
            parts.append(f"muộn {found.days_late} ngày")
        if found.record_id and self.period != "registration":
            reason = Report.get_by_id(found.record_id).return_reason
            if reason:
                parts.append(f"lý do trả lại: {reason}")
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
        ids = [c.id for c in _campaigns()]
        if ids:
            at = ids.index(self.campaign_id) if self.campaign_id in ids else -1
            self.campaign_id = ids[(at + 1) % len(ids)]
            self.refresh_rows()

    def open_row(self, row: Row) -> None:
        """Open the unit's report (or registration). A unit officer's first Enter
        starts the draft; the Office only opens what the unit has started."""
        if self.campaign_id is None:
            return
        actor = self.app.actor
        own = row.id in actor.unit_ids
        try:
            if self.period == "registration":
                found = registration.find(self.campaign_id, row.id)
                if found is None and own:
                    found = registration.open_registration(actor, self.campaign_id, row.id)
                screen = RegistrationScreen(found.id) if found else None
            else:
                found = reports.find(self.campaign_id, row.id, self.period)
                if found is None and own:
                    found = reports.open_report(actor, self.campaign_id, row.id, self.period)
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
        c = records.get(Campaign, campaign_id, "phong trào")
        current = reports.deadline(self.app.cfg, c, period)
        form = FormScreen(FormSpec(
            f"Hạn {DEADLINE_KINDS[period].lower()} của phong trào (để trống: theo cấu hình)",
            [Field("due", "Hạn", placeholder="dd/mm/yyyy",
                   check=lambda v: fields.optional_date(v, "Hạn"))],
            {"due": _date(current)},
            lambda v: reports.set_deadline(actor, campaign_id, period, v["due"]) or True))
        self.app.push_screen(form, lambda _: self.refresh_rows())

    def action_files(self) -> None:
        self.app.push_screen(FilesScreen(self.campaign_id, self.period, self.unit_kind),
                             lambda _: self.refresh_rows())


# -- a unit's report -------------------------------------------------------------------------

@dataclass(frozen=True)
class ItemRow(Row):
    kind: str = "info"      # section | figure | score | total | info
    ref: int = 0            # area, figure or criterion id


class ReportScreen(ListOnlyScreen):
    tables = ("report", "report_section", "report_figure", "report_score")
    BINDINGS = [
        Binding("ctrl+s", "submit", "Gửi", id="report.submit"),
        Binding("ctrl+n", "add_figure", "+Số liệu", id="report.figure"),
        Binding("ctrl+y", "accept", "Nhận", id="report.accept"),
        Binding("ctrl+r", "return", "Trả lại", id="report.return"),
    ]

    def __init__(self, report_id: int) -> None:
        super().__init__()
        self.report_id = report_id

    @property
    def report(self) -> Report:
        return records.get(Report, self.report_id, reports.REPORT)

    def make_source(self):
        return ListSource((("Mục", 0), ("Tối đa", 6), ("Tự chấm", 7), ("Thẩm định", 9)),
                          self._rows)

    def _rows(self) -> list[Row]:
        report = self.report
        out: list[Row] = []
        written = reports.sections(report.id)
        from models.cycle import campaigns
        for i, area in enumerate(campaigns.areas(report.campaign_id), 1):
            body = written.get(area.id)
            shown = body.body.replace("\n", " ") if body and body.body else "(chưa viết)"
            out.append(ItemRow(area.id, (f"{i}. {area.title} — {shown}", "", "", ""),
                               "section", area.id))
        out.append(ItemRow(-1, ("Số liệu chủ yếu (Ctrl+N thêm)", "", "", ""), "info"))
        for f in reports.figures(report.id):
            out.append(ItemRow(f.id, (f"   {f.label}: {scoring.show(f.value)} {f.measure}",
                                      "", "", ""), "figure", f.id))
        lines = scoring.sheet(report.id)
        for line in lines:
            out.append(ItemRow(line.criterion_id,
                               (f"   {line.area_position}.{line.position} {line.text}",
                                scoring.show(line.max_points), scoring.show(line.self_points),
                                scoring.show(line.reviewed_points)), "score",
                               line.criterion_id))
        if lines:
            t = scoring.totals(lines)
            out.append(ItemRow(-2, ("Tổng điểm (tính: thẩm định nếu có, không thì tự chấm): "
                                    + scoring.show(t.counted), scoring.show(t.maximum),
                                    scoring.show(t.self_total), ""), "total"))
        return out

    def on_mount(self) -> None:
        self._show_heading()

    def _show_heading(self) -> None:
        r = self.report
        due = reports.deadline(self.app.cfg, r.campaign, r.kind)
        state = REPORT_STATES[r.status]
        state = state.upper() if r.status == "returned" else state
        self.set_heading(f"{r.unit.name} · {REPORT_KINDS[r.kind]} · {state} · hạn {_date(due)}")

    def refresh_rows(self) -> None:
        super().refresh_rows()
        self._show_heading()

    def _mine(self) -> bool:
        actor = self.app.actor
        return actor.is_admin or self.report.unit_id in actor.unit_ids

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action in ("submit", "add_figure"):
            return self._mine() and self.report.status in ("draft", "returned")
        if action in ("accept", "return"):
            return self.app.actor.is_admin and self.report.status in ("submitted", "accepted")
        return super().check_action(action, parameters)

    def detail(self, row: Row) -> str:
        r = self.report
        head = ""
        if r.status == "returned":
            head = f"TRẢ LẠI: {r.return_reason}\n"
        if row.kind == "section":
            body = reports.sections(r.id).get(row.ref)
            return text.visible(head + (body.body if body and body.body else "(chưa viết)"),
                                multiline=True)
        if row.kind == "score":
            line = next((l for l in scoring.sheet(r.id) if l.criterion_id == row.ref), None)
            if line is not None and line.reason:
                return text.visible(f"{head}Lý do điều chỉnh ({line.reviewed_by}): "
                                    f"{line.reason}", multiline=True)
        return text.visible(head + "Enter: sửa mục đang chọn", multiline=True)

    def open_row(self, row: Row) -> None:
        actor, r = self.app.actor, self.report
        try:
            if row.kind == "section" and self._mine():
                body = reports.sections(r.id).get(row.ref)
                version = body.version if body else None
                form = TextEditScreen(
                    f"Báo cáo nội dung: {row.cells[0].split(' — ')[0]}",
                    body.body if body else "",
                    lambda v: reports.write_section(actor, r.id, row.ref, v, version))
            elif row.kind == "figure" and self._mine():
                f = records.get(ReportFigure, row.ref, reports.FIGURE)
                form = self._figure_form(f)
            elif row.kind == "score" and actor.has(*reports.REVIEWERS) and \
                    r.status in ("submitted", "accepted"):
                form = FormScreen(FormSpec(
                    "Thẩm định điểm", [Field("points", "Điểm thẩm định", required=True),
                                       Field("reason", "Lý do điều chỉnh")], {},
                    lambda v: scoring.review(actor, r.id, row.ref, v["points"], v["reason"])))
            elif row.kind == "score" and self._mine():
                form = FormScreen(FormSpec(
                    "Điểm tự chấm", [Field("points", "Điểm tự chấm", placeholder="ví dụ 8 hoặc 7,5")],
                    {}, lambda v: scoring.self_assess(actor, r.id, row.ref, v["points"])))
            else:
                return
        except ThiduaError as exc:
            self.refuse(exc)
            return
        self.app.push_screen(form, self.edited)

    def _figure_form(self, f: ReportFigure | None) -> FormScreen:
        actor, rid = self.app.actor, self.report_id

        def save(v):
            if f is None:
                return reports.add_figure(actor, rid, v["label"], v["value"], v["measure"])
            return reports.update_figure(actor, f.id, f.version, v["label"], v["value"],
                                         v["measure"])
        values = {"label": f.label, "value": scoring.show(f.value), "measure": f.measure} \
            if f else {}
        return FormScreen(FormSpec("Số liệu chủ yếu", [
            Field("label", "Chỉ số", required=True),
            Field("value", "Giá trị", required=True, placeholder="ví dụ 12 hoặc 3,5"),
            Field("measure", "Đơn vị tính", placeholder="hộ, người, %...")], values, save))

    def action_add_figure(self) -> None:
        self.app.push_screen(self._figure_form(None), self.edited)

    def action_submit(self) -> None:
        def go(yes: bool | None) -> None:
            if yes:
                self._do(lambda r: reports.submit(self.app.actor, r.id, r.version,
                                                  self.app.today), "Đã gửi báo cáo.")
        self.app.push_screen(Confirm("Gửi báo cáo cho Văn phòng?"), go)

    def action_accept(self) -> None:
        self._do(lambda r: reports.accept(self.app.actor, r.id, r.version), "Đã nhận báo cáo.")

    def action_return(self) -> None:
        r = self.report
        self.app.push_screen(reason_form(
            f"Trả lại báo cáo của {text.visible(r.unit.name)}",
            lambda reason: reports.return_report(self.app.actor, r.id, r.version, reason)),
            self.edited)

    def _do(self, fn, done: str) -> None:
        try:
            fn(self.report)
        except ThiduaError as exc:
            self.refuse(exc)
            return
        self.notify(done, markup=False)
        self.refresh_rows()

    def on_data_changed(self, message) -> None:
        if message.touches("report", self.report_id) or any(
                message.touches(t) for t in self.tables[1:]):
            _refresh_if_shown(self)


class TextEditScreen(BaseScreen[object]):
    """Several lines of text (a report section): Ctrl+S saves through `save`,
    which calls models/ and may refuse; Esc leaves, asking first if unsaved."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Lưu", id="text.save"),
        Binding("escape", "leave", "Về", id="text.leave"),
    ]
    DEFAULT_CSS = """
    TextEditScreen #title { height: 1; padding: 0 1; text-style: bold; }
    TextEditScreen TextArea, TextEditScreen TextArea:focus { height: 1fr; border: none; }
    TextEditScreen #status { height: auto; padding: 0 1; }
    """

    def __init__(self, title: str, body: str, save) -> None:
        super().__init__()
        self.title_text, self.body, self.save = title, body, save

    def compose(self) -> ComposeResult:
        yield Label(Text(fit(self.title_text, 78).rstrip()), id="title")
        area = TextArea(self.body, soft_wrap=True, id="body")
        area.cursor_blink = False
        yield area
        yield Static("", id="status", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#body", TextArea).focus()

    def action_save(self) -> None:
        try:
            saved = self.save(self.query_one("#body", TextArea).text)
        except ThiduaError as exc:
            self.query_one("#status", Static).update(Text(f"Chưa lưu: {exc}"))
            return
        self.dismiss(saved)

    def action_leave(self) -> None:
        if self.query_one("#body", TextArea).text == self.body:
            self.dismiss(None)
            return
        self.app.push_screen(Confirm("Bỏ các thay đổi chưa lưu?"),
                             lambda yes: self.dismiss(None) if yes else None)


# -- registration ------------------------------------------------------------------------------

class RegistrationScreen(ListOnlyScreen):
    tables = ("registration", "registration_title")
    BINDINGS = [
        Binding("ctrl+s", "submit", "Gửi", id="registration.submit"),
        Binding("ctrl+n", "add_title", "+Cá nhân", id="registration.title"),
        Binding("ctrl+y", "approve", "Duyệt", id="registration.approve"),
        Binding("ctrl+r", "return", "Trả lại", id="registration.return"),
    ]

    def __init__(self, registration_id: int) -> None:
        super().__init__()
        self.registration_id = registration_id

    @property
    def row(self) -> Registration:
        return records.get(Registration, self.registration_id, registration.WHAT)

    def make_source(self):
        return ListSource((("Mục", 0), ("Danh hiệu", 28)), self._rows)

    def _rows(self) -> list[Row]:
        g, cfg = self.row, self.app.cfg
        names = {code: t.name for code, t in cfg.titles.items()}
        out: list[Row] = [
            ItemRow(-1, ("Chỉ tiêu: " + (g.targets.replace("\n", " ") or "(chưa ghi)"), ""),
                    "main"),
            ItemRow(-2, ("Danh hiệu tập thể", names.get(g.collective_title, "(chưa chọn)")),
                    "main"),
            ItemRow(-3, ("Cá nhân đăng ký (Ctrl+N thêm, Enter bỏ):", ""), "info")]
        out += [ItemRow(t.id, ("   " + t.person.full_name, names.get(t.title_code,
                                                                        t.title_code)),
                        "title", t.id) for t in registration.titles(g.id)]
        return out

    def on_mount(self) -> None:
        self._show_heading()

    def _show_heading(self) -> None:
        g = self.row
        due = reports.deadline(self.app.cfg, g.campaign, "registration")
        state = REGISTRATION_STATES[g.status]
        self.set_heading(f"Đăng ký: {g.unit.name} · {state.upper() if g.status == 'returned' else state}"
                         f" · hạn {_date(due)}")

    def refresh_rows(self) -> None:
        super().refresh_rows()
        self._show_heading()

    def _mine(self) -> bool:
        actor = self.app.actor
        return actor.is_admin or self.row.unit_id in actor.unit_ids

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action in ("submit", "add_title"):
            return self._mine() and self.row.status in ("draft", "returned")
        if action in ("approve", "return"):
            return self.app.actor.is_admin and self.row.status in ("submitted", "approved")
        return super().check_action(action, parameters)

    def detail(self, row: Row) -> str:
        g = self.row
        head = f"TRẢ LẠI: {g.return_reason}\n" if g.status == "returned" else ""
        return text.visible(head + (g.targets if row.kind == "main" else "Enter: sửa/bỏ"),
                            multiline=True)

    def open_row(self, row: Row) -> None:
        actor, cfg, g = self.app.actor, self.app.cfg, self.row
        if not self._mine() or g.status not in ("draft", "returned"):
            self.notify("Bản đăng ký này không sửa được lúc này.", markup=False)
            return
        if row.kind == "main":
            choices = tuple(registration.collective_titles(cfg, g.unit).items())
            form = FormScreen(FormSpec("Đăng ký thi đua", [
                Field("targets", "Chỉ tiêu", check=lambda v: fields.optional_text(
                    v, "Chỉ tiêu", max_len=20000)),
                Field("title", "Danh hiệu tập thể", choices=choices)],
                {"targets": g.targets, "title": g.collective_title},
                lambda v: registration.save(actor, cfg, g.id, g.version, v["targets"],
                                            v["title"])))
            self.app.push_screen(form, self.edited)
        elif row.kind == "title":
            def go(yes):
                if yes:
                    try:
                        registration.remove_title(actor, row.ref)
                    except ThiduaError as exc:
                        self.refuse(exc)
                    self.refresh_rows()
            self.app.push_screen(Confirm(f"Bỏ {row.cells[0].strip()} khỏi danh sách?"), go)

    def action_add_title(self) -> None:
        actor, cfg, g = self.app.actor, self.app.cfg, self.row
        members = registration.members(g.unit_id)
        form = FormScreen(FormSpec("Cá nhân đăng ký danh hiệu", [
            Field("person", "Người", required=True,
                  choices=tuple((str(p.id), p.full_name) for p in members)),
            Field("title", "Danh hiệu", required=True,
                  choices=tuple(registration.individual_titles(cfg).items()))],
            {"title": "LDTT"},
            lambda v: registration.add_title(actor, cfg, g.id, int(v["person"]), v["title"])))
        self.app.push_screen(form, self.edited)

    def _do(self, fn, done: str) -> None:
        try:
            fn(self.row)
        except ThiduaError as exc:
            self.refuse(exc)
            return
        self.notify(done, markup=False)
        self.refresh_rows()
        self.refresh_bindings()

    def action_submit(self) -> None:
        self._do(lambda g: registration.submit(self.app.actor, g.id, g.version, self.app.today),
                 "Đã gửi bản đăng ký.")

    def action_approve(self) -> None:
        self._do(lambda g: registration.approve(self.app.actor, g.id, g.version),
                 "Đã duyệt bản đăng ký.")

    def action_return(self) -> None:
        g = self.row
        self.app.push_screen(reason_form(
            f"Trả lại bản đăng ký của {text.visible(g.unit.name)}",
            lambda reason: registration.return_registration(self.app.actor, g.id, g.version,
                                                            reason)), self.edited)

    def on_data_changed(self, message) -> None:
        if any(message.touches(t) for t in self.tables):
            _refresh_if_shown(self)


# -- ranking ------------------------------------------------------------------------------------

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


# -- the synthesis -------------------------------------------------------------------------------

class SynthesisScreen(BaseScreen):
    BINDINGS = [
        Binding("ctrl+s", "save", "Lưu", id="synthesis.save"),
        Binding("ctrl+g", "rebuild", "Tổng hợp lại", id="synthesis.rebuild"),
        Binding("ctrl+t", "export", "Xuất .docx", id="synthesis.export"),
        Binding("escape", "leave", "Về", id="synthesis.leave"),
    ]
    DEFAULT_CSS = """
    SynthesisScreen #title { height: 1; padding: 0 1; text-style: bold; }
    SynthesisScreen TextArea, SynthesisScreen TextArea:focus { height: 1fr; border: none; }
    SynthesisScreen #status { height: 1; padding: 0 1; }
    """

    def __init__(self, campaign_id: int, period: str) -> None:
        super().__init__()
        self.campaign_id, self.period = campaign_id, period
        self.version: int | None = None
        self.saved = ""

    def compose(self) -> ComposeResult:
        stored = synthesis.current(self.campaign_id, self.period)
        if stored is not None:
            body, self.version = stored.body, stored.version
        else:
            body = synthesis.assemble(self.app.cfg, self.campaign_id, self.period,
                                      self.app.today)
        self.saved = body if stored is not None else ""
        yield Label(Text(f"Báo cáo tổng hợp · {REPORT_KINDS[self.period]} "
                         "(sửa trực tiếp, Ctrl+S lưu)"), id="title")
        area = TextArea(body, soft_wrap=True, id="body")
        area.cursor_blink = False
        yield area
        yield Static("", id="status", markup=False)
        yield Footer()

    def _say(self, message: str) -> None:
        self.query_one("#status", Static).update(Text(message))

    @property
    def body(self) -> str:
        return self.query_one("#body", TextArea).text

    def action_save(self) -> bool:
        try:
            row = synthesis.save(self.app.actor, self.campaign_id, self.period, self.body,
                                 self.version)
        except ThiduaError as exc:
            self._say(f"Chưa lưu: {exc}")
            return False
        self.version, self.saved = row.version, self.body
        self._say("Đã lưu.")
        return True

    def action_rebuild(self) -> None:
        def go(yes):
            if yes:
                self.query_one("#body", TextArea).text = synthesis.assemble(
                    self.app.cfg, self.campaign_id, self.period, self.app.today)
                self._say("Đã tổng hợp lại từ các báo cáo đã nhận (chưa lưu).")
        self.app.push_screen(Confirm("Tổng hợp lại từ báo cáo? Phần đã sửa tay sẽ mất."), go)

    def action_export(self) -> None:
        def save(values):
            path = self.app.files.resolve(values["file"])
            return synthesis.export_docx(self.body, path)

        def done(path):
            if path is not None:
                self._say(f"Đã xuất {path}.")
        self.app.push_screen(FormScreen(FormSpec("Xuất báo cáo tổng hợp (.docx)", [
            Field("file", "Tên tệp", required=True, placeholder="bao-cao-tong-hop.docx")],
            {}, save)), done)

    def action_leave(self) -> None:
        if self.body == self.saved:
            self.dismiss(None)
            return
        self.app.push_screen(Confirm("Bỏ các thay đổi chưa lưu?"),
                             lambda yes: self.dismiss(None) if yes else None)


# -- import and export ----------------------------------------------------------------------------

JOBS = ([(f"import:{k}", f"Nhập {v} từ .xlsx/.csv") for k, v in spreadsheets.IMPORT_KINDS.items()]
        + [(f"export:{k}", f"Xuất {v} ra .xlsx") for k, v in spreadsheets.EXPORT_KINDS.items()])


class FilesScreen(BaseScreen[object]):
    """Choose a job and a file name (inside the exchange folder over SSH); an import
    shows its preview with each row's errors, and Ctrl+S writes it, all or nothing."""

    BINDINGS = [
        Binding("ctrl+s", "confirm", "Ghi vào dữ liệu", id="files.confirm", priority=True),
        Binding("escape", "leave", "Về", id="files.leave"),
    ]
    DEFAULT_CSS = """
    FilesScreen Horizontal { height: 1; }
    FilesScreen .label { width: 10; padding: 0 1; }
    FilesScreen #summary { height: 2; padding: 0 1; text-style: bold; }
    FilesScreen #detail { height: 3; border-top: solid $primary; padding: 0 1; }
    App.-ascii FilesScreen #detail { border-top: ascii $primary; }
    """

    def __init__(self, campaign_id: int | None, period: str, unit_kind: str | None) -> None:
        super().__init__()
        self.campaign_id, self.period, self.unit_kind = campaign_id, period, unit_kind
        self.plan: spreadsheets.ImportPlan | None = None

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield Label("Việc:", classes="label")
            yield LineSelect([(Text(label), key) for key, label in JOBS], id="job",
                             allow_blank=False, value="import:people")
        with Horizontal():
            yield Label("Tệp:", classes="label")
            yield LineInput(id="file", placeholder="tên tệp trong thư mục trao đổi, rồi Enter")
        yield Static("", id="summary", markup=False)
        self.list = LazyList(ListSource((("Dòng", 6), ("Việc", 10), ("Tên", 24), ("Lỗi", 0)),
                                        self._rows), ascii_mark=self.app.ascii, id="rows",
                             empty_text="Chọn việc, gõ tên tệp rồi Enter: xem trước, chưa ghi gì.")
        yield self.list
        yield Static("", id="detail", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#file", LineInput).focus()

    def _rows(self) -> list[Row]:
        if self.plan is None:
            return []
        # Errors first: they are what must be fixed.
        ordered = sorted(self.plan.rows, key=lambda r: (not r.errors, r.row_no))
        return [Row(r.row_no, (str(r.row_no), spreadsheets.ACTIONS[r.action], r.label,
                               "; ".join(r.errors))) for r in ordered]

    def _say(self, message: str) -> None:
        self.query_one("#summary", Static).update(Text(message))

    @property
    def job(self) -> str:
        return str(self.query_one("#job", LineSelect).value)

    @on(LineInput.Submitted, "#file")
    def _submitted(self, event: LineInput.Submitted) -> None:
        # A 10,000-row file takes seconds: say so first, then work once it is shown.
        self._say("Đang đọc tệp, xin chờ...")
        self.call_after_refresh(self._run, event.value)

    def _run(self, name: str) -> None:
        what, kind = self.job.split(":")
        self.plan = None
        try:
            path = self.app.files.resolve(name)
            if what == "export":
                _, count = spreadsheets.export(kind, path, self.app.cfg, self.campaign_id,
                                               self.period if self.period != "registration"
                                               or kind == "dashboard" else "six_month",
                                               self.app.today, self.unit_kind)
                self._say(f"Đã xuất {count} dòng vào {path}.")
            else:
                self.plan = spreadsheets.prepare(kind, path)
                ignored = f" · bỏ qua cột: {', '.join(self.plan.ignored)}" \
                    if self.plan.ignored else ""
                tail = ("Sửa tệp rồi nhập lại; chưa ghi gì." if self.plan.errors
                        else "Ctrl+S: ghi vào dữ liệu (tất cả hoặc không gì).")
                self._say(f"Xem trước: {self.plan.summary()}{ignored}\n{tail}")
        except ThiduaError as exc:
            self._say(str(exc))
        self.list.reload()

    @on(LazyList.Highlighted)
    def _highlighted(self, event: LazyList.Highlighted) -> None:
        if self.plan is not None:
            shown = (f"Dòng {event.row.id}: {event.row.cells[3]}" if event.row.cells[3]
                     else f"Dòng {event.row.id}: {event.row.cells[2]}")
            self.query_one("#detail", Static).update(Text(text.visible(shown)))

    def action_confirm(self) -> None:
        if self.plan is None:
            self._say("Chưa có gì để ghi: gõ tên tệp rồi Enter để xem trước.")
            return
        self._say("Đang ghi, xin chờ...")
        self.call_after_refresh(self._apply)

    def _apply(self) -> None:
        try:
            done = spreadsheets.apply(self.app.actor, self.plan)
        except ThiduaError as exc:
            self._say(f"Chưa ghi gì: {exc}")
            return
        self.notify(f"Đã nhập: thêm {done['insert']}, cập nhật {done['update']}, "
                    f"không đổi {done['same']}.", markup=False)
        self.plan = None
        self.list.reload()
        self._say("Đã ghi.")

    def action_leave(self) -> None:
        self.dismiss(None)

