"""A unit's report: its sections, key figures and scores, written by the unit,
sent to the Office, accepted or returned with a reason, its points reviewed; under
them, who moved it from state to state, when and why."""
from __future__ import annotations

from textual import on
from textual.binding import Binding

from models import text
from models.cycle import campaigns, reports, scoring
from models.cycle.tables import REPORT_KINDS, REPORT_STATES, ReportFigure, StateChange
from models.errors import ThiduaError
from models.store.audit import local_time
from tui.screens.reports.shared import ItemRow, day, refresh_if_shown, return_step, state_word
from tui.screens.reports.text_edit import TextEditScreen
from tui.widgets.export import EXPORT, export_document
from tui.widgets.form import Confirm, Field, FormScreen, FormSpec
from tui.widgets.lazylist import LazyList, ListSource, Row
from tui.widgets.review import ReviewScreen, ReviewStep


class ReportScreen(ReviewScreen):
    tables = ("report", "report_section", "report_figure", "report_score")
    BINDINGS = [
        Binding("ctrl+s", "review('submit')", "Gửi", id="report.submit"),
        Binding("ctrl+n", "add_figure", "+Số liệu", id="report.figure"),
        # Not Delete: PuTTY does not send it reliably.
        Binding("ctrl+d", "remove_figure", "Xóa số liệu", id="report.figure_remove"),
        Binding("ctrl+y", "review('accept')", "Nhận", id="report.accept"),
        Binding("ctrl+r", "review('return')", "Trả lại", id="report.return"),
        EXPORT,
    ]
    load = staticmethod(reports.get)
    allowed_actions = staticmethod(reports.allowed_actions)
    # Removing is offered on a figure's row only: the footer has no room to spare.
    on_figure = False

    def review_steps(self, report) -> dict[str, ReviewStep]:
        actor = self.app.actor
        return {
            "submit": ReviewStep(lambda r: reports.submit(actor, r.id, r.version, self.app.today),
                                 "Đã gửi báo cáo.", confirm="Gửi báo cáo cho Văn phòng?"),
            "accept": ReviewStep(lambda r: reports.accept(actor, r.id, r.version),
                                 "Đã nhận báo cáo."),
            "return": return_step("báo cáo", report, lambda r, why: reports.return_report(
                actor, r.id, r.version, why)),
        }

    def make_source(self):
        return ListSource((("Mục", 0), ("Tối đa", 6), ("Tự chấm", 7), ("Thẩm định", 9)),
                          self._rows)

    def _rows(self) -> list[Row]:
        report = self.record
        out: list[Row] = []
        written = reports.sections(report.id)
        for i, area in enumerate(campaigns.areas(report.campaign_id), 1):
            body = written.get(area.id)
            shown = body.body.replace("\n", " ") if body and body.body else "(chưa viết)"
            out.append(ItemRow(area.id, (f"{i}. {area.title} — {shown}", "", "", ""),
                               "section", area.id))
        out.append(ItemRow(-1, ("Số liệu chủ yếu (Ctrl+N thêm)", "", "", ""), "info"))
        for f in reports.figures(report.id):
            out.append(ItemRow(f.id, ("   " + figure_line(f), "", "", ""), "figure", f.id))
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
        out.append(ItemRow(-3, ("Diễn biến:", "", "", ""), "info"))
        out += [ItemRow(change.id, ("   " + history_line(change), "", "", ""), "event")
                for change in reports.history("report", report.id)]
        return out

    def show_heading(self) -> None:
        r = self.record
        due = reports.deadline(self.app.cfg, r.campaign, r.kind)
        self.set_heading(f"{r.unit.name} · {REPORT_KINDS[r.kind]} · "
                         f"{state_word(REPORT_STATES, r.status)} · hạn {day(due)}")

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "add_figure":
            return self.may("edit")
        if action == "remove_figure":
            return self.on_figure and self.may("edit")
        return super().check_action(action, parameters)

    def action_document(self) -> None:
        export_document(self, "report", self.record_id, str(self.record_id))

    @on(LazyList.Highlighted)
    def _offer_removal(self, event: LazyList.Highlighted) -> None:
        if self.on_figure != (event.row.kind == "figure"):
            self.on_figure = not self.on_figure
            self.refresh_bindings()

    def detail(self, row: Row) -> str:
        if row.kind == "event":  # the whole line, its reason cut in the list
            return text.visible(row.cells[0].strip())
        r = self.record
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
        hint = "Enter: sửa mục đang chọn" if self.may("edit") else ""
        return text.visible(head + hint, multiline=True)

    def open_row(self, row: Row) -> None:
        """Enter: the section's text, the figure, or the points: reviewed by those who
        may review them now, else the unit's own."""
        actor, r = self.app.actor, self.record
        if row.kind in ("section", "figure"):
            action = "edit"
        elif row.kind == "score":
            action = "review" if "review" in reports.allowed_actions(actor, r) else "assess"
        else:
            return
        if not self.may(action):
            return  # a reader: the panel below shows the text, nothing to edit
        try:
            reports.require_action(actor, r, action)
            self.app.push_screen(self._form(row, action))
        except ThiduaError as exc:
            self.refuse(exc)

    def _form(self, row: Row, action: str):
        actor, rid = self.app.actor, self.record_id
        if row.kind == "section":
            body = reports.sections(rid).get(row.ref)
            version = body.version if body else None
            return TextEditScreen(f"Báo cáo nội dung: {row.cells[0].split(' — ')[0]}",
                                  body.body if body else "",
                                  lambda v: reports.write_section(actor, rid, row.ref, v, version))
        if row.kind == "figure":
            return self._figure_form(reports.get_figure(row.ref))
        if action == "review":
            return FormScreen(FormSpec(
                "Thẩm định điểm", [Field("points", "Điểm thẩm định", required=True),
                                   Field("reason", "Lý do điều chỉnh")], {},
                lambda v: scoring.review(actor, rid, row.ref, v["points"], v["reason"])))
        return FormScreen(FormSpec(
            "Điểm tự chấm", [Field("points", "Điểm tự chấm", placeholder="ví dụ 8 hoặc 7,5")],
            {}, lambda v: scoring.self_assess(actor, rid, row.ref, v["points"])))

    def _figure_form(self, f: ReportFigure | None) -> FormScreen:
        actor, rid = self.app.actor, self.record_id

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
        self.app.push_screen(self._figure_form(None))

    def action_remove_figure(self) -> None:
        row = self.list.current
        if row is None or row.kind != "figure":  # its ref would be another table's id
            return
        actor = self.app.actor
        try:
            f = reports.get_figure(row.ref)
        except ThiduaError as exc:
            self.refuse(exc)
            return

        def remove(yes: bool) -> None:
            if not yes:
                return
            try:
                reports.remove_figure(actor, f.id)
            except ThiduaError as exc:
                self.refuse(exc)
                return
            self.notify("Đã xóa số liệu.", markup=False)
            self.refresh_rows()
        self.app.push_screen(Confirm(f"Xóa số liệu “{figure_line(f)}”?"), remove)

    def on_data_changed(self, message) -> None:
        if message.touches("report", self.record_id) or any(
                message.touches(t) for t in self.tables[1:]):
            refresh_if_shown(self)


def figure_line(f: ReportFigure) -> str:
    return f"{f.label}: {scoring.show(f.value)} {f.measure}".rstrip()


def history_line(change: StateChange) -> str:
    """When, who, from which state to which, and why."""
    before = f"{REPORT_STATES.get(change.from_state, change.from_state)} → " \
        if change.from_state else ""
    after = REPORT_STATES.get(change.to_state, change.to_state)
    reason = f": {change.reason}" if change.reason else ""
    return f"{local_time(change.at):%d/%m/%Y %H:%M} {change.login} {before}{after}{reason}"
