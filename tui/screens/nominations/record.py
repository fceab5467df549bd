"""One nomination: the eligibility check as pass/fail lines with the reasons, the
dossier checklist, the posting and its comments, and the history of states; the
keys move it on (journey 4)."""
from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding

from models import text
from models.awards import eligibility, history, nominations
from models.awards.tables import STATES, Nomination
from models.errors import ThiduaError
from models.store.audit import local_time
from tui.widgets.browse import RecordScreen
from tui.widgets.form import Field, FormScreen, FormSpec
from tui.widgets.lazylist import ListSource, Row, fit
from tui.widgets.review import reason_form


@dataclass(frozen=True)
class ItemRow(Row):
    kind: str = "info"       # info | rule | dossier | event | comment
    key: str = ""            # the rule code of a rule row
    failed: bool = False


class NominationScreen(RecordScreen):
    """The keys offered are those the officer's roles allow on this nomination
    (nominations.offered_actions); one its state refuses now says why when pressed."""

    tables = ("nomination", "nomination_event", "dossier_item", "posting_comment",
              "eligibility_override", "member_rating", "person_flag", "title_award")
    DEFAULT_CSS = """
    NominationScreen #detail { height: 4; }
    """
    BINDINGS = [
        Binding("space", "dossier", "Có/chưa có", id="nomination.toggle", show=False),
        Binding("ctrl+s", "submit", "Gửi", id="nomination.submit"),
        Binding("ctrl+r", "check", "Kiểm tra", id="nomination.check"),
        Binding("ctrl+g", "post", "Niêm yết", id="nomination.post"),
        Binding("ctrl+t", "council", "Trình HĐ", id="nomination.council"),
        Binding("ctrl+n", "result", "Kết quả HĐ", id="nomination.result", show=False),
        Binding("ctrl+f", "comment", "Góp ý", id="nomination.comment", show=False),
        Binding("ctrl+y", "override", "Cho qua", id="nomination.override", show=False),
        Binding("ctrl+b", "return", "Trả lại", id="nomination.return", show=False),
        Binding("ctrl+z", "withdraw", "Rút", id="nomination.withdraw", show=False),
        Binding("ctrl+e", "edit", "Sửa", id="nomination.edit", show=False),
    ]
    HINT = ("Space hồ sơ · Ctrl+E sửa · Ctrl+Y cho qua điều kiện · Ctrl+F góp ý · "
            "Ctrl+N kết quả HĐ · Ctrl+B trả lại · Ctrl+Z rút")

    def __init__(self, nomination_id: int) -> None:
        super().__init__()
        self.nomination_id = nomination_id
        self._offered: frozenset[str] | None = None

    def make_source(self):
        return ListSource((("Điều kiện · hồ sơ · diễn biến", 0),), self._rows)

    @property
    def nom(self) -> Nomination:
        return nominations.get(self.nomination_id)

    @property
    def offered(self) -> frozenset[str]:
        # Roles and the proposing unit do not change while the screen is open.
        if self._offered is None:
            self._offered = nominations.offered_actions(self.app.actor, self.nom)
        return self._offered

    def _rows(self) -> list[Row]:
        nom = self.nom
        rows: list[Row] = []
        n = 0

        def add(cells: str, **kw) -> None:
            nonlocal n
            n += 1
            rows.append(ItemRow(n, (cells,), **kw))

        if nominations.settled(nom):
            add(f"Kết quả kiểm tra lúc xét ({'đủ' if nom.eligible else 'chưa đủ'} điều kiện):")
            for line, failed in nominations.recorded_rules(nom):
                add("  " + line, kind="rule", failed=failed)
        else:
            try:
                result = eligibility.evaluate(self.app.cfg, nom)
            except ThiduaError as exc:
                add(str(exc))
            else:
                verdict = "ĐỦ điều kiện" if result.eligible else "CHƯA ĐỦ điều kiện"
                add(f"Điều kiện ({verdict}; Ctrl+R để ghi kết quả kiểm tra):")
                for r in result.results:
                    add("  " + r.line(), kind="rule", key=r.rule, failed=not r.ok)
        add("Hồ sơ (Space: đánh dấu đã nhận):")
        for item in nominations.dossier(nom.id):
            mark = "[x]" if item.received else "[ ]"
            when = f" ({text.format_date(item.received_on)})" if item.received_on else ""
            rows.append(ItemRow(-item.id, (f"  {mark} {item.label}{when}",), kind="dossier"))
        if nom.posting_id:
            p = nom.posting
            cs = nominations.comments_about(nom)
            add(f"Niêm yết công khai từ {text.format_date(p.starts_on)} đến "
                f"{text.format_date(p.ends_on)}, {len(cs)} ý kiến (Ctrl+F ghi thêm):")
            if not cs:
                add("  Chưa có ý kiến góp ý.")
            for c in cs:
                who = c.author or "(không ghi tên)"
                add(f"  {text.format_date(c.received_on)} {who}: {c.text}", kind="comment")
        add("Diễn biến:")
        for e in nominations.events(nom.id):
            moved = f"{STATES.get(e.from_state, '') + ' → ' if e.from_state else ''}" \
                    f"{STATES.get(e.to_state, e.to_state)}"
            reason = f": {e.reason}" if e.reason else ""
            add(f"  {local_time(e.at):%d/%m/%Y %H:%M} {e.login} {moved}{reason}",
                kind="event")
        return rows

    def show_heading(self) -> None:
        nom = self.nom
        self.set_heading(f"Số {nom.id} · {nominations.subject_label(nom)} · "
                         f"{history.title_name(self.app.cfg.titles, nom.title_code)} "
                         f"{nom.year} · {nominations.state_label(nom)}")

    def refresh_rows(self) -> None:
        super().refresh_rows()
        self.show_heading()

    def detail(self, row: Row) -> str:
        width = max(10, self.app.size.width - 4)
        nom = self.nom
        lines = [text.visible(row.cells[0].strip())]
        if len(lines[0]) > width:
            lines = [lines[0][:width], lines[0][width:2 * width]]
        else:
            summary = (nom.summary or "").replace("\n", " ")
            if summary:
                lines.append(fit("Thành tích: " + summary, width).rstrip())
        if nominations.is_office(self.app.actor):
            lines.append(self.HINT)
        else:
            lines.append("Space: hồ sơ · Ctrl+E: sửa · Ctrl+S: gửi" if "submit" in self.offered
                         else "Esc: về")
        return "\n".join(lines)

    # -- actions ---------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action in nominations.RULES:
            return action in self.offered
        return super().check_action(action, parameters)

    def _do(self, act, done: str | None = None) -> None:
        try:
            act()
        except ThiduaError as exc:
            self.refuse(exc)
            return
        self.refresh_rows()
        if done:
            self.notify(done, markup=False)

    def _form(self, action: str, form: FormScreen) -> None:
        """Open the form of `action`, unless the nomination as it stands refuses it:
        then say why at once, before anything is typed."""
        try:
            nominations.require_action(self.app.actor, self.nom, action)
        except ThiduaError as exc:
            self.refuse(exc, severity="warning")
            return
        self.app.push_screen(form, lambda _: self.refresh_rows())

    def action_dossier(self) -> None:
        row = self.list.current
        if row is None or row.kind != "dossier":
            return
        item = nominations.dossier_item(-row.id)
        self._do(lambda: nominations.mark_received(self.app.actor, item.id, item.version,
                                                   not item.received, self.app.today))

    def action_submit(self) -> None:
        self._do(lambda: nominations.submit(self.app.actor, self.nomination_id),
                 "Đã gửi đề nghị.")

    def action_check(self) -> None:
        def act():
            _, result = nominations.check(self.app.actor, self.app.cfg, self.nomination_id)
            failed = len(result.failed)
            self.notify("Đủ điều kiện." if result.eligible else
                        f"Chưa đủ điều kiện: {failed} điều kiện không đạt (các dòng "
                        "[Không đạt]).", severity="information" if result.eligible else "warning",
                        markup=False)
        self._do(act)

    def action_post(self) -> None:
        self._do(lambda: nominations.post(self.app.actor, self.app.cfg, [self.nomination_id],
                                          self.app.today),
                 f"Đã niêm yết {self.app.cfg.posting.days} ngày từ hôm nay.")

    def action_council(self) -> None:
        self._do(lambda: nominations.to_council(self.app.actor, self.app.cfg,
                                                self.nomination_id, self.app.today),
                 "Đã trình Hội đồng.")

    def action_result(self) -> None:
        def save(values):
            return nominations.record_council_result(self.app.actor, self.nomination_id,
                                                     values["passed"] == "yes", values["reason"])
        self._form("result", FormScreen(FormSpec("Kết quả biểu quyết của Hội đồng", [
            Field("passed", "Kết quả", required=True,
                  choices=(("yes", "Thông qua"), ("no", "Không thông qua"))),
            Field("reason", "Số phiếu, ghi chú", placeholder="ví dụ 7/9 đồng ý")],
            {"passed": "yes"}, save)))

    def action_comment(self) -> None:
        def save(values):
            return nominations.comment_on(self.app.actor, self.nomination_id, values["day"],
                                          values["author"], values["text"])
        self._form("comment", FormScreen(FormSpec("Ghi ý kiến góp ý khi niêm yết", [
            Field("day", "Ngày nhận", required=True, placeholder="dd/mm/yyyy"),
            Field("author", "Người góp ý"),
            Field("text", "Nội dung", required=True)],
            {"day": text.format_date(self.app.today)}, save)))

    def action_override(self) -> None:
        row = self.list.current
        if row is None or row.kind != "rule" or not row.failed or not row.key:
            self.notify("Chọn một dòng điều kiện [Không đạt] rồi bấm Ctrl+Y.",
                        severity="warning", markup=False)
            return
        self._form("override", reason_form(
            f"Cho qua: {eligibility.RULE_NAMES.get(row.key, row.key)}", "Lý do cho qua",
            lambda reason: nominations.override(self.app.actor, self.app.cfg,
                                                self.nomination_id, row.key, reason)))

    def action_edit(self) -> None:
        """Correct a draft's or a returned nomination's summary and campaign."""
        nom = self.nom

        def save(values):
            return nominations.update(
                self.app.actor, nom.id, nom.version, summary=values["summary"],
                campaign_id=int(values["campaign"]) if values["campaign"] else None)
        self._form("edit", FormScreen(FormSpec("Sửa đề nghị", [
            Field("campaign", "Phong trào",
                  choices=tuple((str(c.id), f"{c.year} · {c.name}")
                                for c in nominations.campaigns_for(nom.year))),
            Field("summary", "Tóm tắt thành tích",
                  check=lambda v: text.clean_text(v, "Tóm tắt thành tích", max_len=4000))],
            {"campaign": str(nom.campaign_id or ""), "summary": nom.summary or ""}, save)))

    def action_return(self) -> None:
        self._form("return", reason_form(
            "Trả lại đề nghị", "Lý do trả lại",
            lambda reason: nominations.return_(self.app.actor, self.nomination_id, reason)))

    def action_withdraw(self) -> None:
        self._form("withdraw", reason_form(
            "Rút đề nghị", "Lý do rút",
            lambda reason: nominations.withdraw(self.app.actor, self.nomination_id, reason)))
