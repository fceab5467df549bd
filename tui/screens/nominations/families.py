"""Gia đình văn hóa (journey 8): the villages' review progress, one key per household
in a village's list, then one nomination list that the Office takes to the decision."""
from __future__ import annotations

from textual.binding import Binding

from models import text
from models.awards import bulk as bulk_awards
from models.awards import eligibility, nominations
from models.awards.tables import STATES, NominationBatch
from models.errors import ThiduaError
from tui.widgets.browse import ListOnlyScreen, RecordScreen
from tui.widgets.form import Confirm, Field, FormScreen, FormSpec
from tui.widgets.lazylist import ListSource, RecordSource, Row


class FamiliesScreen(RecordScreen):
    """The villages' review progress for the year; Enter opens a village's list.
    The Office then makes one nomination list and takes it to the decision."""

    tables = ("household_review", "household", "nomination", "nomination_batch")
    BINDINGS = [
        Binding("ctrl+n", "nominate", "Lập danh sách", id="families.nominate"),
        Binding("ctrl+r", "check", "Kiểm tra", id="families.check"),
        Binding("ctrl+g", "post", "Niêm yết", id="families.post"),
        Binding("ctrl+t", "council", "Trình HĐ", id="families.council"),
        Binding("ctrl+b", "decide", "Lập quyết định", id="families.decide", show=False),
        Binding("ctrl+l", "late", "Thôn muộn", id="families.late", show=False),
    ]

    def make_source(self):
        return ListSource((("Thôn", 0), ("Số hộ", 7), ("Đã xét", 7), ("Đạt", 7)), self._rows)

    def _rows(self) -> list[Row]:
        return [Row(p.village_id, (p.name, str(p.households), str(p.reviewed), str(p.marked)))
                for p in bulk_awards.progress(self.app.today.year, self.app.actor)]

    @property
    def batch(self) -> NominationBatch | None:
        return bulk_awards.latest_batch(self.app.today.year)

    def show_heading(self) -> None:
        batch = self.batch
        line = f"Gia đình văn hóa {self.app.today.year}"
        if batch is not None:
            counts = bulk_awards.counts(batch.id)
            line += " · danh sách: " + ", ".join(
                f"{STATES.get(k, k).lower()} {v}" for k, v in sorted(counts.items()))
            deadline = bulk_awards.decision_deadline(self.app.cfg, batch)
            if deadline is not None:
                line += f" · hạn quyết định {text.format_date(deadline)}"
        self.set_heading(line)

    def refresh_rows(self) -> None:
        super().refresh_rows()
        self.show_heading()

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "council" and not bulk_awards.council_required(self.app.cfg):
            return False  # the title needs no council vote (`council = false`)
        if action in bulk_awards.STEPS:
            return action in bulk_awards.allowed_actions(self.app.actor)
        return super().check_action(action, parameters)

    def detail(self, row: Row) -> str:
        if "nominate" not in bulk_awards.allowed_actions(self.app.actor):
            return "Enter: mở danh sách hộ của thôn để bình xét."
        late = bulk_awards.late_village(self.app.cfg, self.app.today.year, row.id)
        first = ""
        if late is not None:
            answer = ("chưa trả lời (Ctrl+L)" if late.answer is None else
                      ("đã chấp nhận" if late.answer.accepted else "không chấp nhận")
                      + f": {text.visible(late.answer.reason)}")
            first = f"Bình xét muộn {late.late} hộ · {answer}\n"
        council = (" · Ctrl+T trình HĐ"
                   if bulk_awards.council_required(self.app.cfg) else "")
        return (first + "Enter: danh sách hộ · Ctrl+N lập danh sách · Ctrl+R kiểm tra · "
                f"Ctrl+G niêm yết{council} · Ctrl+B lập quyết định")

    def open_row(self, row: Row) -> None:
        self.app.push_screen(ReviewScreen(row.id), lambda _: self.refresh_rows())

    def _batch_do(self, act, done) -> None:
        batch = self.batch
        if batch is None:
            self.notify("Chưa có danh sách đề nghị năm nay (Ctrl+N).", severity="warning",
                        markup=False)
            return
        try:
            result = act(batch)
        except ThiduaError as exc:
            self.refuse(exc)
            return
        self.refresh_rows()
        self.notify(done(result), markup=False)

    def action_nominate(self) -> None:
        try:
            batch = bulk_awards.nominate(self.app.actor, self.app.cfg, self.app.today.year)
        except ThiduaError as exc:
            self.refuse(exc)
            return
        self.refresh_rows()
        self.notify(f"Đã lập danh sách “{batch.name}”: "
                    f"{sum(bulk_awards.counts(batch.id).values())} hộ.", markup=False)

    def action_check(self) -> None:
        def act(batch):
            return bulk_awards.receive_and_check(self.app.actor, self.app.cfg, batch.id,
                                                 self.app.today)
        self._batch_do(act, lambda r: f"Đủ điều kiện {r[0]} hộ, chưa đủ {r[1]} hộ.")

    def action_post(self) -> None:
        batch = self.batch
        if batch is None:
            self.notify("Chưa có danh sách đề nghị năm nay (Ctrl+N).", severity="warning",
                        markup=False)
            return
        actor, cfg = self.app.actor, self.app.cfg

        def save(values):
            return bulk_awards.post(actor, cfg, batch.id, values["starts"], values["place"])
        form = FormScreen(FormSpec("Niêm yết công khai danh sách", [
            Field("starts", "Ngày bắt đầu", required=True,
                  check=lambda v: text.parse_date(v, "Ngày bắt đầu")),
            Field("place", "Nơi niêm yết")],
            {"starts": text.format_date(self.app.today), "place": ""}, save))

        def done(posting) -> None:
            self.refresh_rows()
            if posting is not None:
                self.notify(f"Niêm yết từ {text.format_date(posting.starts_on)} đến hết "
                            f"{text.format_date(posting.ends_on)}.", markup=False)
        self.app.push_screen(form, done)

    def action_late(self) -> None:
        row = self.list.current
        if row is None:
            return
        year, actor, cfg = self.app.today.year, self.app.actor, self.app.cfg
        if bulk_awards.late_village(cfg, year, row.id) is None:
            self.notify("Thôn này bình xét đúng hạn.", markup=False)
            return

        def save(values):
            return bulk_awards.answer_late_village(actor, cfg, year, row.id,
                                                   values["accepted"] == "yes",
                                                   values["reason"])
        form = FormScreen(FormSpec(f"Thôn bình xét muộn: {text.visible(row.cells[0])}", [
            Field("accepted", "Văn phòng", required=True,
                  choices=(("yes", "Chấp nhận cả thôn"), ("no", "Không chấp nhận"))),
            Field("reason", "Lý do", required=True,
                  check=lambda v: text.clean_text(v, "Lý do", required=True, max_len=1000))],
            {"accepted": "yes", "reason": ""}, save))

        def done(answer) -> None:
            self.refresh_rows()
            if answer is not None:
                self.notify("Đã ghi cho cả thôn; kiểm tra lại danh sách (Ctrl+R).",
                            markup=False)
        self.app.push_screen(form, done)

    def action_council(self) -> None:
        self._batch_do(lambda b: bulk_awards.to_council(self.app.actor, self.app.cfg, b.id,
                                                        self.app.today),
                       lambda n: f"Đã trình Hội đồng {n} hộ: mỗi thôn một dòng trên phiếu "
                                 "biểu quyết (mục Hội đồng); loại hộ: Ctrl+X ở danh sách hộ.")

    def action_decide(self) -> None:
        year = self.app.today.year
        self._batch_do(lambda b: bulk_awards.decide(
            self.app.actor, self.app.cfg, b.id, f"Công nhận Gia đình văn hóa năm {year}",
            self.app.today),
            lambda d: "Đã lập dự thảo quyết định; ban hành ở mục Quyết định (F8).")


class ReviewScreen(ListOnlyScreen):
    """One village's households: Space (or Enter) marks each, saved at once. Once
    the list is checked, the detail line shows why a household failed, and the
    Office lets one failed rule pass for it with Ctrl+Y (a reason is required)."""

    tables = ("household_review", "household", "nomination", "eligibility_override")
    BINDINGS = [
        Binding("space", "toggle", "Đạt/bỏ", id="review.toggle"),
        Binding("ctrl+t", "mark_all", "Đạt cả thôn", id="review.all"),
        Binding("ctrl+y", "override", "Cho qua", id="review.override"),
        Binding("ctrl+x", "exclude", "Loại hộ", id="review.exclude"),
    ]

    def __init__(self, village_id: int) -> None:
        super().__init__()
        self.village_id = village_id

    def make_source(self):
        return RecordSource((("", 3), ("Chủ hộ", 0), ("Địa chỉ", 26), ("Mã", 6)),
                            bulk_awards.review_listing(self.village_id, self.app.today.year),
                            lambda h: ("[x]" if bulk_awards.is_marked(h) else "[ ]",
                                       h.head_name, h.address, str(h.id)))

    def may_override(self) -> bool:
        return "override" in bulk_awards.allowed_actions(self.app.actor)

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action in ("override", "exclude"):
            return action in bulk_awards.allowed_actions(self.app.actor)
        return super().check_action(action, parameters)

    def on_mount(self) -> None:
        self.show_heading()
        late = self._late()
        if late:  # once, not on every key: a notice per key slowed marking to seconds
            self.notify(late, severity="warning", markup=False)

    def show_heading(self) -> None:
        done = bulk_awards.village_progress(self.app.today.year, self.village_id)
        self.set_heading(f"Bình xét Gia đình văn hóa {self.app.today.year} · "
                         f"{done.name}: đạt {done.marked}/{done.households} hộ")

    def _late(self) -> str:
        return bulk_awards.late_review_warning(self.app.cfg, self.app.today.year,
                                               self.app.today)

    def detail(self, row: Row) -> str:
        first = self._late()
        nom = bulk_awards.household_nomination(row.id, self.app.today.year)
        if nom is not None and nominations.not_eligible(nom):
            first = "Chưa đủ ĐK: " + nominations.first_failure(nom)
        elif nom is not None:
            excluded = bulk_awards.exclusion(row.id, self.app.today.year)
            first = (f"Hội đồng loại khỏi danh sách: {excluded}" if excluded else
                     f"Trong danh sách đề nghị: {nominations.state_label(nom)}") + (
                f" · {first}" if first else "")
        keys = "Space: đạt/bỏ (lưu ngay) · Ctrl+T: đạt cả thôn"
        if self.may_override():
            keys += " · Ctrl+Y: cho qua · Ctrl+X: loại"
        return text.visible(first) + "\n" + keys

    def open_row(self, row: Row) -> None:
        self.action_toggle()

    def action_toggle(self) -> None:
        row = self.list.current
        if row is None:
            return
        try:
            bulk_awards.mark(self.app.actor, self.app.today.year, row.id, row.cells[0] != "[x]",
                             self.app.today)
        except ThiduaError as exc:
            self.refuse(exc)
            return
        self.list.reload()
        self.show_heading()
        self.list.action_move(1)

    def action_exclude(self) -> None:
        row = self.list.current
        if row is None:
            return
        actor, year = self.app.actor, self.app.today.year
        form = FormScreen(FormSpec(f"Loại khỏi danh sách: Hộ {text.visible(row.cells[1])}", [
            Field("reason", "Lý do loại", required=True,
                  check=lambda v: text.clean_text(v, "Lý do loại", required=True,
                                                  max_len=1000))],
            {"reason": ""}, lambda values: bulk_awards.exclude(actor, row.id, year,
                                                               values["reason"])))

        def done(nom) -> None:
            self.refresh_rows()
            if nom is not None:
                self.notify("Đã loại: " + ("Hội đồng biểu quyết danh sách không có hộ này."
                                           if bulk_awards.exclusion(row.id, year) else
                                           f"{nominations.state_label(nom)}."), markup=False)
        self.app.push_screen(form, done)

    def action_override(self) -> None:
        row = self.list.current
        if row is None:
            return
        try:
            nom, failed = bulk_awards.overridable(self.app.cfg, row.id, self.app.today.year)
        except ThiduaError as exc:
            self.refuse(exc, severity="warning")
            return
        choices = tuple((r.rule, eligibility.RULE_NAMES.get(r.rule, r.rule)) for r in failed)
        actor, cfg = self.app.actor, self.app.cfg

        def save(values):
            nom_, result = bulk_awards.override(actor, cfg, nom.id, values["rule"],
                                                values["reason"])
            return nom_
        form = FormScreen(FormSpec(f"Cho qua điều kiện: Hộ {text.visible(row.cells[1])}", [
            Field("rule", "Điều kiện", required=True, choices=choices),
            Field("reason", "Lý do cho qua", required=True,
                  check=lambda v: text.clean_text(v, "Lý do cho qua", required=True,
                                                  max_len=1000))],
            {"rule": choices[0][0]}, save))

        def done(result) -> None:
            self.refresh_rows()
            self.show_heading()
            if result is not None:
                self.notify("Đã cho qua và kiểm tra lại: " + (
                    "đủ điều kiện." if result.eligible else "vẫn chưa đủ điều kiện."),
                    markup=False)
        self.app.push_screen(form, done)

    def action_mark_all(self) -> None:
        def answered(yes: bool | None) -> None:
            if not yes:
                return
            try:
                bulk_awards.mark_all(self.app.actor, self.app.today.year, self.village_id, True,
                                     self.app.today)
            except ThiduaError as exc:
                self.refuse(exc)
                return
            self.refresh_rows()
            self.show_heading()
        late = self._late()
        question = "Đánh dấu đạt cho mọi hộ của thôn?"
        self.app.push_screen(Confirm(f"{late}\n{question}" if late else question), answered)
