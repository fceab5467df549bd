"""A unit's registration (đăng ký thi đua): its targets, the collective title it aims
for and its members' individual titles; sent to the Office, approved or returned."""
from __future__ import annotations

from textual.binding import Binding

from models import fields, text
from models.cycle import registration, reports
from models.cycle.tables import REGISTRATION_STATES
from models.errors import ThiduaError
from tui.screens.reports.shared import ItemRow, day, refresh_if_shown, return_step, state_word
from tui.widgets.form import Confirm, Field, FormScreen, FormSpec
from tui.widgets.lazylist import ListSource, Row
from tui.widgets.review import ReviewScreen, ReviewStep


class RegistrationScreen(ReviewScreen):
    tables = ("registration", "registration_title")
    BINDINGS = [
        Binding("ctrl+s", "review('submit')", "Gửi", id="registration.submit"),
        Binding("ctrl+n", "add_title", "+Cá nhân", id="registration.title"),
        Binding("ctrl+y", "review('approve')", "Duyệt", id="registration.approve"),
        Binding("ctrl+r", "review('return')", "Trả lại", id="registration.return"),
    ]
    load = staticmethod(registration.get)
    allowed_actions = staticmethod(registration.allowed_actions)

    def review_steps(self, paper) -> dict[str, ReviewStep]:
        actor = self.app.actor
        return {
            "submit": ReviewStep(lambda g: registration.submit(actor, g.id, g.version,
                                                               self.app.today),
                                 "Đã gửi bản đăng ký."),
            "approve": ReviewStep(lambda g: registration.approve(actor, g.id, g.version),
                                  "Đã duyệt bản đăng ký."),
            "return": return_step("bản đăng ký", paper,
                                  lambda g, why: registration.return_registration(
                                      actor, g.id, g.version, why)),
        }

    def make_source(self):
        return ListSource((("Mục", 0), ("Danh hiệu", 28)), self._rows)

    def _rows(self) -> list[Row]:
        g, cfg = self.record, self.app.cfg
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

    def show_heading(self) -> None:
        g = self.record
        due = reports.deadline(self.app.cfg, g.campaign, "registration")
        self.set_heading(f"Đăng ký: {g.unit.name} · {state_word(REGISTRATION_STATES, g.status)}"
                         f" · hạn {day(due)}")

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "add_title":
            return self.may("edit")
        return super().check_action(action, parameters)

    def detail(self, row: Row) -> str:
        g = self.record
        head = f"TRẢ LẠI: {g.return_reason}\n" if g.status == "returned" else ""
        return text.visible(head + (g.targets if row.kind == "main" else "Enter: sửa/bỏ"),
                            multiline=True)

    def open_row(self, row: Row) -> None:
        """Enter: the targets and collective title, or a registered person to drop."""
        actor, cfg, g = self.app.actor, self.app.cfg, self.record
        if row.kind not in ("main", "title") or not self.may("edit"):
            return  # nothing to open, or a reader: the panel below shows it
        try:
            registration.require_action(actor, g, "edit")
        except ThiduaError as exc:
            self.refuse(exc)
            return
        if row.kind == "main":
            choices = tuple(registration.collective_titles(cfg, g.unit).items())
            self.app.push_screen(FormScreen(FormSpec("Đăng ký thi đua", [
                Field("targets", "Chỉ tiêu", check=lambda v: fields.optional_text(
                    v, "Chỉ tiêu", max_len=20000)),
                Field("title", "Danh hiệu tập thể", choices=choices)],
                {"targets": g.targets, "title": g.collective_title},
                lambda v: registration.save(actor, cfg, g.id, g.version, v["targets"],
                                            v["title"]))))
            return

        def drop(yes):
            if yes:
                try:
                    registration.remove_title(actor, row.ref)
                except ThiduaError as exc:
                    self.refuse(exc)
                self.refresh_rows()
        self.app.push_screen(Confirm(f"Bỏ {row.cells[0].strip()} khỏi danh sách?"), drop)

    def action_add_title(self) -> None:
        actor, cfg, g = self.app.actor, self.app.cfg, self.record
        members = registration.members(g.unit_id)
        self.app.push_screen(FormScreen(FormSpec("Cá nhân đăng ký danh hiệu", [
            Field("person", "Người", required=True,
                  choices=tuple((str(p.id), p.full_name) for p in members)),
            Field("title", "Danh hiệu", required=True,
                  choices=tuple(registration.individual_titles(cfg).items()))],
            {"title": cfg.code_with_role("basic_individual")},
            lambda v: registration.add_title(actor, cfg, g.id, int(v["person"]), v["title"]))))

    def on_data_changed(self, message) -> None:
        if any(message.touches(t) for t in self.tables):
            refresh_if_shown(self)
