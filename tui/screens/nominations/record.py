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
from tui.widgets.export import EXPORT, export_document
from tui.widgets.form import Field, FormScreen, FormSpec
from tui.widgets.lazylist import ListSource, Row, fit
from tui.widgets.review import ReviewScreen, ReviewStep, reason_form


@dataclass(frozen=True)
class ItemRow(Row):
    kind: str = "info"       # info | rule | dossier | event | comment
    key: str = ""            # the rule code of a rule row
    failed: bool = False


class NominationScreen(ReviewScreen):
    """The keys offered are those the officer may use on this nomination as it
    stands (nominations.allowed_actions): its state as well as the roles."""

    tables = ("nomination", "nomination_event", "dossier_item", "posting_comment",
              "eligibility_override", "member_rating", "person_flag", "title_award")
    DEFAULT_CSS = """
    NominationScreen #detail { height: 4; }
    """
    BINDINGS = [
        Binding("space", "dossier", "Có/chưa có", id="nomination.toggle", show=False),
        Binding("ctrl+s", "review('submit')", "Gửi", id="nomination.submit"),
        Binding("ctrl+r", "review('check')", "Kiểm tra", id="nomination.check"),
        Binding("ctrl+g", "review('post')", "Niêm yết", id="nomination.post"),
        Binding("ctrl+t", "review('council')", "Trình HĐ", id="nomination.council"),
        Binding("ctrl+n", "result", "Kết quả HĐ", id="nomination.result", show=False),
        Binding("ctrl+f", "comment", "Góp ý", id="nomination.comment", show=False),
        Binding("ctrl+y", "override", "Cho qua", id="nomination.override", show=False),
        Binding("ctrl+b", "review('return')", "Trả lại", id="nomination.return", show=False),
        Binding("ctrl+z", "review('withdraw')", "Rút", id="nomination.withdraw", show=False),
        Binding("ctrl+e", "edit", "Sửa", id="nomination.edit", show=False),
        EXPORT,
    ]
    HINT = ("Space hồ sơ · Ctrl+E sửa · Ctrl+Y cho qua điều kiện · Ctrl+F góp ý · "
            "Ctrl+N kết quả HĐ · Ctrl+B trả lại · Ctrl+Z rút")
    load = staticmethod(nominations.get)
    allowed_actions = staticmethod(nominations.allowed_actions)

    def review_steps(self, nom: Nomination) -> dict[str, ReviewStep]:
        actor, cfg, today = self.app.actor, self.app.cfg, self.app.today
        return {
            "submit": ReviewStep(lambda n: nominations.submit(actor, n.id, n.version),
                                 "Đã gửi đề nghị."),
            "check": ReviewStep(self._check),
            "post": ReviewStep(lambda n: nominations.post(actor, cfg, [n.id], today),
                               f"Đã niêm yết {cfg.posting.days} ngày từ hôm nay."),
            "council": ReviewStep(lambda n: nominations.to_council(actor, cfg, n.id, today,
                                                                   n.version),
                                  "Đã trình Hội đồng."),
            "return": ReviewStep(lambda n, why: nominations.return_(actor, n.id, why, n.version),
                                 reason="Lý do trả lại", title="Trả lại đề nghị"),
            "withdraw": ReviewStep(lambda n, why: nominations.withdraw(actor, n.id, why,
                                                                       n.version),
                                   reason="Lý do rút", title="Rút đề nghị"),
        }

    def _check(self, nom: Nomination):
        """Check, then tell the verdict: its words and weight depend on the result."""
        _, result = nominations.check(self.app.actor, self.app.cfg, nom.id, nom.version)
        failed = len(result.failed)
        self.notify("Đủ điều kiện." if result.eligible else
                    f"Chưa đủ điều kiện: {failed} điều kiện không đạt (các dòng "
                    "[Không đạt]).", severity="information" if result.eligible else "warning",
                    markup=False)
        return result

    def make_source(self):
        return ListSource((("Điều kiện · hồ sơ · diễn biến", 0),), self._rows)

    def _rows(self) -> list[Row]:
        nom = self.record
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
        nom = self.record
        self.set_heading(f"Số {nom.id} · {nominations.subject_label(nom)} · "
                         f"{history.title_name(self.app.cfg.titles, nom.title_code)} "
                         f"{nom.year} · {nominations.state_label(nom)}")

    def detail(self, row: Row) -> str:
        width = max(10, self.app.size.width - 4)
        nom = self.record
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
            lines.append("Space: hồ sơ · Ctrl+E: sửa · Ctrl+S: gửi" if self.may("submit")
                         else "Esc: về")
        return "\n".join(lines)

    # -- actions ---------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple) -> bool | None:
        # The screen's own actions are named as their rules in nominations.RULES.
        if action in nominations.RULES:
            return self.may(action)
        return super().check_action(action, parameters)

    def _form(self, form: FormScreen) -> None:
        self.app.push_screen(form, self._formed)

    def action_document(self) -> None:
        export_document(self, "achievement", self.record_id, str(self.record_id))

    def _formed(self, _result) -> None:
        # A council's result moves the nomination on: other keys are offered now.
        self.refresh_rows()
        self.refresh_bindings()

    def action_dossier(self) -> None:
        row = self.list.current
        if row is None or row.kind != "dossier":
            return
        item = nominations.dossier_item(-row.id)
        try:
            nominations.mark_received(self.app.actor, item.id, item.version, not item.received,
                                      self.app.today)
        except ThiduaError as exc:
            self.refuse(exc)
            return
        self.refresh_rows()

    def action_result(self) -> None:
        def save(values):
            return nominations.record_council_result(self.app.actor, self.record_id,
                                                     values["passed"] == "yes", values["reason"])
        self._form(FormScreen(FormSpec("Kết quả biểu quyết của Hội đồng", [
            Field("passed", "Kết quả", required=True,
                  choices=(("yes", "Thông qua"), ("no", "Không thông qua"))),
            Field("reason", "Số phiếu, ghi chú", placeholder="ví dụ 7/9 đồng ý")],
            {"passed": "yes"}, save)))

    def action_comment(self) -> None:
        def save(values):
            return nominations.comment_on(self.app.actor, self.record_id, values["day"],
                                          values["author"], values["text"])
        self._form(FormScreen(FormSpec("Ghi ý kiến góp ý khi niêm yết", [
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
        self._form(reason_form(
            f"Cho qua: {eligibility.RULE_NAMES.get(row.key, row.key)}", "Lý do cho qua",
            lambda reason: nominations.override(self.app.actor, self.app.cfg,
                                                self.record_id, row.key, reason)))

    def action_edit(self) -> None:
        """Correct a draft's or a returned nomination's summary and campaign."""
        nom = self.record

        def save(values):
            return nominations.update(
                self.app.actor, nom.id, nom.version, summary=values["summary"],
                campaign_id=int(values["campaign"]) if values["campaign"] else None)
        self._form(FormScreen(FormSpec("Sửa đề nghị", [
            Field("campaign", "Phong trào",
                  choices=tuple((str(c.id), f"{c.year} · {c.name}")
                                for c in nominations.campaigns_for(nom.year))),
            Field("summary", "Tóm tắt thành tích",
                  check=lambda v: text.clean_text(v, "Tóm tắt thành tích", max_len=4000))],
            {"campaign": str(nom.campaign_id or ""), "summary": nom.summary or ""}, save)))
