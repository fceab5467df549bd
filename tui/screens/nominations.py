"""F6: nominations (đề nghị khen thưởng), journeys 4, 7 and 8.

The list of nominations with their state; Enter opens one: the eligibility
check as pass/fail lines with the reasons, the dossier checklist, the posting
and its comments, and the history of states. From the list, Ctrl+T proposes an
ad hoc award (journey 7) and Ctrl+G opens the villages' Gia đình văn hóa review
(journey 8). Every action calls models/; this module holds no rule.
"""
from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding

from models import fields, text
from models.awards import bulk as bulk_awards
from models.awards import eligibility, nominations, recognition
from models.awards.tables import (RECOGNITION_KINDS, STATES, SUBJECT_KINDS, DossierItem, Nomination,
                                  NominationBatch, Recognition)
from models.cycle.tables import Campaign
from models.errors import ThiduaError
from models.registry.tables import Unit
from models.store import records
from models.store.audit import local_time
from tui.screens.lookup import LookupRow, LookupSource
from tui.widgets.browse import BrowseScreen, ListOnlyScreen, RecordScreen, TickScreen
from tui.widgets.form import Confirm, Field, FormScreen, FormSpec
from tui.widgets.lazylist import ListSource, QuerySource, Row, fit


def title_name(cfg, code: str) -> str:
    return cfg.titles[code].name if code in cfg.titles else code


def state_cell(nom: Nomination) -> str:
    name = STATES.get(nom.state, nom.state)
    if nom.state == "checked":
        name = "Đủ ĐK" if nom.eligible else "Chưa đủ ĐK"
    return name


def subject_cell(nom: Nomination) -> str:
    if nom.person_id:
        return nom.person.full_name
    if nom.household_id:
        return f"Hộ {nom.household.head_name}"
    return nom.unit.name if nom.unit_id else ""


def _is_office(app) -> bool:
    return app.actor.is_admin


# -- picking whom to nominate ------------------------------------------------------------------

class PickSubjectScreen(BrowseScreen):
    """Find a person, household or unit (accents optional); Enter chooses it."""

    heading = "Chọn người/hộ/đơn vị"
    tables = ("person", "household", "unit")

    def make_source(self):
        return LookupSource()

    def open_row(self, row: Row) -> None:
        self.dismiss(row)

    def detail(self, row: Row) -> str:
        return "Enter: chọn · Esc: quay lại"

    def action_back(self) -> None:
        self.dismiss(None)


def subject_kind_for(cfg, row: LookupRow, title_code: str) -> str:
    if row.kind == "person":
        return "individual"
    if row.kind == "household":
        return "household"
    unit = records.get(Unit, row.id, "đơn vị")
    title = cfg.title(title_code)
    if unit.kind == "village" and "village" in title.subjects:
        return "village"
    return "collective"


def _titles_for(cfg, row: LookupRow, ad_hoc: bool = False) -> tuple[tuple[str, str], ...]:
    wanted = {"person": ("individual",), "household": ("household",),
              "unit": ("collective", "village")}[row.kind]
    return tuple((code, t.name) for code, t in cfg.titles.items()
                 if any(s in t.subjects for s in wanted)
                 and (not ad_hoc or "ad_hoc" in t.frequency))


def nomination_form(app, row: LookupRow) -> FormScreen:
    cfg, actor = app.cfg, app.actor
    campaigns = Campaign.select().where(Campaign.year >= app.today.year - 1).order_by(
        Campaign.year.desc(), Campaign.name)

    def save(values: dict[str, str]):
        code = values["title"]
        return nominations.create(
            actor, cfg, subject_kind=subject_kind_for(cfg, row, code), subject_id=row.id,
            title_code=code, year=values["year"], summary=values["summary"],
            campaign_id=int(values["campaign"]) if values["campaign"] else None)

    form_fields = [
        Field("title", "Danh hiệu/hình thức", required=True, choices=_titles_for(cfg, row)),
        Field("year", "Năm", required=True, check=fields.year),
        Field("campaign", "Phong trào",
              choices=tuple((str(c.id), f"{c.year} · {c.name}") for c in campaigns)),
        Field("summary", "Tóm tắt thành tích",
              check=lambda v: text.clean_text(v, "Tóm tắt thành tích", max_len=4000)),
    ]
    return FormScreen(FormSpec(f"Đề nghị khen thưởng: {text.visible(row.cells[1])}",
                               form_fields, {"year": str(app.today.year)}, save))


def ad_hoc_form(app, row: LookupRow) -> FormScreen:
    """Journey 7: a good deed recorded and an ad hoc award proposed in one form."""
    cfg, actor = app.cfg, app.actor

    def save(values: dict[str, str]):
        subject = {"person": "person_id", "household": "household_id", "unit": "unit_id"}
        rec = recognition.record(actor, values["kind"], app.today, values["summary"],
                                 **{subject[row.kind]: row.id})
        nom, result = recognition.propose_ad_hoc(actor, cfg, rec.id, app.today, values["title"])
        return nom

    form_fields = [
        Field("kind", "Ghi nhận là", required=True,
              choices=(("good_deed", "Người tốt, việc tốt"), ("model", "Điển hình tiên tiến"))),
        Field("title", "Hình thức khen", required=True, choices=_titles_for(cfg, row, True)),
        Field("summary", "Việc làm, thành tích", required=True,
              check=lambda v: text.clean_text(v, "Việc làm, thành tích", max_len=4000)),
    ]
    values = {"kind": "good_deed", "title": "GIAYKHEN" if "GIAYKHEN" in cfg.titles else ""}
    return FormScreen(FormSpec(f"Khen đột xuất: {text.visible(row.cells[1])}", form_fields,
                               values, save))


def reason_form(title: str, label: str, act) -> FormScreen:
    """One line of reason, then `act(reason)` (which calls models/)."""
    return FormScreen(FormSpec(title, [Field("reason", label, required=True)], {},
                               lambda values: act(values["reason"])))


# -- the list ------------------------------------------------------------------------------------

class NominationsScreen(BrowseScreen):
    heading = "Đề nghị"
    tables = ("nomination", "nomination_event", "person", "unit", "household")
    BINDINGS = [
        Binding("ctrl+t", "ad_hoc", "Đột xuất", id="nominations.ad_hoc"),
        Binding("ctrl+g", "families", "GĐ văn hóa", id="nominations.families"),
        Binding("ctrl+y", "post_list", "Niêm yết DS", id="nominations.post", show=False),
        Binding("ctrl+b", "good_deeds", "Người tốt, việc tốt", id="nominations.deeds",
                show=False),
    ]

    def make_source(self):
        actor = self.app.actor
        only = None if actor.has("admin", "viewer", "chairman", "council_secretary",
                                 "finance") else actor.unit_ids
        return QuerySource((("Số", 5), ("Đối tượng", 0), ("Danh hiệu", 24), ("Năm", 4),
                            ("Trạng thái", 14)),
                           lambda q: nominations.listing(query=q, unit_ids=only),
                           lambda n: (str(n.id), subject_cell(n),
                                      title_name(self.app.cfg, n.title_code), str(n.year),
                                      state_cell(n)))

    def can_create(self) -> bool:
        return self.app.actor.has("admin", "unit_officer")

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "ad_hoc":
            return _is_office(self.app)
        if action == "families":
            return self.app.actor.has("admin", "unit_officer", "viewer")
        if action == "post_list":
            return _is_office(self.app)
        return super().check_action(action, parameters)

    def detail(self, row: Row) -> str:
        nom = nominations.get(row.id)
        first = f"{SUBJECT_KINDS.get(nom.subject_kind, '')} · {STATES.get(nom.state, '')}"
        if nom.ad_hoc:
            first += " · khen đột xuất"
        summary = (nom.summary or "").replace("\n", " ")
        hint = ("Ctrl+Y niêm yết danh sách · Ctrl+B người tốt, việc tốt"
                if _is_office(self.app) else "Ctrl+B người tốt, việc tốt")
        return text.visible(first) + "\n" + text.visible(summary[:76]) + "\n" + hint

    def open_row(self, row: Row) -> None:
        self.app.push_screen(NominationScreen(row.id), lambda _: self.refresh_rows())

    def new_row(self) -> None:
        def picked(row) -> None:
            if row is not None:
                self.app.push_screen(nomination_form(self.app, row), self._created)
        self.app.push_screen(PickSubjectScreen(), picked)

    def _created(self, nom) -> None:
        self.refresh_rows()
        if nom is not None:
            self.app.push_screen(NominationScreen(nom.id), lambda _: self.refresh_rows())

    def action_ad_hoc(self) -> None:
        def picked(row) -> None:
            if row is not None:
                self.app.push_screen(ad_hoc_form(self.app, row), self._created)
        self.app.push_screen(PickSubjectScreen(), picked)

    def action_families(self) -> None:
        self.app.push_screen(FamiliesScreen())

    def action_post_list(self) -> None:
        self.app.push_screen(PostListScreen())

    def action_good_deeds(self) -> None:
        self.app.push_screen(RecognitionScreen())


class PostListScreen(TickScreen):
    """Journey 4: tick the checked, eligible nominations and post them as one list
    for public comment, from today, for the configured number of days."""

    tables = ("nomination",)

    def __init__(self) -> None:
        super().__init__(set())

    def make_source(self):
        return ListSource((("", 3), ("Đối tượng", 0), ("Danh hiệu", 26), ("Năm", 4)),
                          self._rows)

    def _rows(self) -> list[Row]:
        query = (Nomination.select().where((Nomination.state == "checked")
                                           & (Nomination.eligible == True)  # noqa: E712
                                           & Nomination.batch.is_null())
                 .order_by(Nomination.title_code, Nomination.id).limit(2000))
        return [Row(n.id, (self.mark(n.id), subject_cell(n),
                           title_name(self.app.cfg, n.title_code), str(n.year))) for n in query]

    def heading_text(self) -> str:
        return f"Niêm yết công khai: đã chọn {len(self.ticked)} đề nghị đủ điều kiện"

    def detail(self, row: Row) -> str:
        days = self.app.cfg.posting.days
        return (f"Space: chọn/bỏ · Ctrl+A: chọn hết · Ctrl+S: niêm yết {days} ngày từ "
                f"{text.format_date(self.app.today)}")

    def save(self) -> None:
        nominations.post(self.app.actor, self.app.cfg, sorted(self.ticked), self.app.today)


class RecognitionScreen(ListOnlyScreen):
    """Records of "người tốt, việc tốt" and "điển hình tiên tiến", newest first."""

    tables = ("recognition",)
    BINDINGS = [Binding("ctrl+n", "new_row", "Ghi nhận", id="recognition.new")]

    def make_source(self):
        def rows() -> list[Row]:
            return [Row(r.id, (text.format_date(r.happened_on),
                               RECOGNITION_KINDS.get(r.kind, r.kind), r.name,
                               f"đề nghị số {r.nomination_id}" if r.nomination_id else ""))
                    for r in recognition.listing()]
        return ListSource((("Ngày", 10), ("Loại", 20), ("Người, đơn vị", 0), ("Khen", 15)),
                          rows)

    def on_mount(self) -> None:
        self.set_heading("Người tốt, việc tốt và điển hình tiên tiến")

    def can_create(self) -> bool:
        return _is_office(self.app)

    def detail(self, row: Row) -> str:
        rec = records.get(Recognition, row.id, recognition.WHAT)
        return text.visible(rec.description.replace("\n", " ")[:230])

    def new_row(self) -> None:
        actor, today = self.app.actor, self.app.today

        def save(values):
            return recognition.record(actor, values["kind"], values["day"], values["text"],
                                      name=values["name"])
        self.app.push_screen(FormScreen(FormSpec("Ghi nhận người tốt, việc tốt", [
            Field("kind", "Loại", required=True, choices=tuple(RECOGNITION_KINDS.items())),
            Field("name", "Người, đơn vị", required=True),
            Field("day", "Ngày", required=True, placeholder="dd/mm/yyyy"),
            Field("text", "Việc làm, thành tích", required=True)],
            {"kind": "good_deed", "day": text.format_date(today)}, save)),
            lambda _: self.refresh_rows())


# -- one nomination ------------------------------------------------------------------------------

@dataclass(frozen=True)
class ItemRow(Row):
    kind: str = "info"       # info | rule | dossier | event | comment
    key: str = ""            # the rule code of a rule row
    version: int = 0
    failed: bool = False


class NominationScreen(RecordScreen):
    """One nomination: rules, dossier, posting, history; the keys move it on."""

    tables = ("nomination", "nomination_event", "dossier_item", "posting_comment",
              "eligibility_override", "member_rating", "person_flag", "title_award")
    DEFAULT_CSS = """
    NominationScreen #detail { height: 4; }
    """
    BINDINGS = [
        Binding("space", "toggle", "Có/chưa có", id="nomination.toggle", show=False),
        Binding("ctrl+s", "submit", "Gửi", id="nomination.submit"),
        Binding("ctrl+r", "check", "Kiểm tra", id="nomination.check"),
        Binding("ctrl+g", "post", "Niêm yết", id="nomination.post"),
        Binding("ctrl+t", "council", "Trình HĐ", id="nomination.council"),
        Binding("ctrl+n", "result", "Kết quả HĐ", id="nomination.result", show=False),
        Binding("ctrl+f", "comment", "Góp ý", id="nomination.comment", show=False),
        Binding("ctrl+y", "override", "Cho qua", id="nomination.override", show=False),
        Binding("ctrl+b", "send_back", "Trả lại", id="nomination.return", show=False),
        Binding("ctrl+z", "withdraw", "Rút", id="nomination.withdraw", show=False),
    ]
    HINT = ("Space hồ sơ · Ctrl+Y cho qua điều kiện · Ctrl+F góp ý · Ctrl+N kết quả HĐ · "
            "Ctrl+B trả lại · Ctrl+Z rút")

    def __init__(self, nomination_id: int) -> None:
        super().__init__()
        self.nomination_id = nomination_id

    def make_source(self):
        return ListSource((("Điều kiện · hồ sơ · diễn biến", 0),), self._rows)

    @property
    def nom(self) -> Nomination:
        return nominations.get(self.nomination_id)

    def _rows(self) -> list[Row]:
        nom = self.nom
        cfg = self.app.cfg
        rows: list[Row] = []
        n = 0

        def add(cells: str, **kw) -> None:
            nonlocal n
            n += 1
            rows.append(ItemRow(n, (cells,), **kw))

        if nom.state == "decided" or nom.state in ("failed", "withdrawn") and nom.check_notes:
            add(f"Kết quả kiểm tra lúc xét ({'đủ' if nom.eligible else 'chưa đủ'} điều kiện):")
            for line in nom.check_notes.splitlines():
                add("  " + line, kind="rule", failed=line.startswith("[Không"))
        else:
            try:
                result = eligibility.evaluate(cfg, nom)
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
            rows.append(ItemRow(-item.id, (f"  {mark} {item.label}{when}",), kind="dossier",
                                version=item.version))
        if nom.posting_id:
            p = nom.posting
            cs = [c for c in nominations.comments(p.id) if c.nomination_id in (None, nom.id)]
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
        self.set_heading(f"Số {nom.id} · {subject_cell(nom)} · "
                         f"{title_name(self.app.cfg, nom.title_code)} {nom.year} · "
                         f"{state_cell(nom)}")

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
        lines.append(self.HINT if _is_office(self.app) else "Space: hồ sơ · Ctrl+S: gửi")
        return "\n".join(lines)

    # -- actions ---------------------------------------------------------------------------
    def _do(self, act, done: str | None = None) -> None:
        try:
            act()
        except ThiduaError as exc:
            self.refuse(exc)
            return
        self.refresh_rows()
        if done:
            self.notify(done, markup=False)

    def _after_form(self, result) -> None:
        self.refresh_rows()

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        office_only = {"check", "post", "council", "comment", "override", "send_back"}
        if action in office_only:
            return _is_office(self.app)
        if action == "result":
            return self.app.actor.has(*nominations.COUNCIL_ROLES)
        return super().check_action(action, parameters)

    def action_toggle(self) -> None:
        row = self.list.current
        if row is None or row.kind != "dossier":
            return
        item = records.get(DossierItem, -row.id, "giấy tờ hồ sơ")
        self._do(lambda: nominations.mark_received(self.app.actor, item.id, item.version,
                                                   not item.received, self.app.today))

    def action_submit(self) -> None:
        self._do(lambda: nominations.submit(self.app.actor, self.nomination_id),
                 "Đã gửi đề nghị.")

    def action_check(self) -> None:
        def act():
            nom, result = nominations.check(self.app.actor, self.app.cfg, self.nomination_id)
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
        form = FormScreen(FormSpec("Kết quả biểu quyết của Hội đồng", [
            Field("passed", "Kết quả", required=True,
                  choices=(("yes", "Thông qua"), ("no", "Không thông qua"))),
            Field("reason", "Số phiếu, ghi chú", placeholder="ví dụ 7/9 đồng ý")],
            {"passed": "yes"}, save))
        self.app.push_screen(form, self._after_form)

    def action_comment(self) -> None:
        nom = self.nom
        if nom.posting_id is None:
            self.notify("Đề nghị chưa được niêm yết.", severity="warning", markup=False)
            return

        def save(values):
            return nominations.add_comment(self.app.actor, nom.posting_id, values["day"],
                                           values["author"], values["text"], nom.id)
        form = FormScreen(FormSpec("Ghi ý kiến góp ý khi niêm yết", [
            Field("day", "Ngày nhận", required=True, placeholder="dd/mm/yyyy"),
            Field("author", "Người góp ý"),
            Field("text", "Nội dung", required=True)],
            {"day": text.format_date(self.app.today)}, save))
        self.app.push_screen(form, self._after_form)

    def action_override(self) -> None:
        row = self.list.current
        if row is None or row.kind != "rule" or not row.failed or not row.key:
            self.notify("Chọn một dòng điều kiện [Không đạt] rồi bấm Ctrl+Y.",
                        severity="warning", markup=False)
            return
        self.app.push_screen(reason_form(
            f"Cho qua: {eligibility.RULE_NAMES.get(row.key, row.key)}", "Lý do cho qua",
            lambda reason: nominations.override(self.app.actor, self.app.cfg,
                                                self.nomination_id, row.key, reason)),
            self._after_form)

    def action_send_back(self) -> None:
        self.app.push_screen(reason_form("Trả lại đề nghị", "Lý do trả lại",
                                         lambda r: nominations.return_(
                                             self.app.actor, self.nomination_id, r)),
                             self._after_form)

    def action_withdraw(self) -> None:
        self.app.push_screen(reason_form("Rút đề nghị", "Lý do rút",
                                         lambda r: nominations.withdraw(
                                             self.app.actor, self.nomination_id, r)),
                             self._after_form)


# -- Gia đình văn hóa: villages, one key per household, one list -----------------------------

class FamiliesScreen(RecordScreen):
    """The villages' review progress for the year; Enter opens a village's list.
    The Office then makes one nomination list and takes it to the decision."""

    tables = ("household_review", "household", "nomination", "nomination_batch")
    BINDINGS = [
        Binding("ctrl+n", "nominate", "Lập danh sách", id="families.nominate"),
        Binding("ctrl+r", "check", "Kiểm tra", id="families.check"),
        Binding("ctrl+g", "post", "Niêm yết", id="families.post"),
        Binding("ctrl+t", "council", "Trình HĐ", id="families.council"),
        Binding("ctrl+y", "passed", "HĐ thông qua", id="families.passed", show=False),
        Binding("ctrl+b", "decide", "Lập quyết định", id="families.decide", show=False),
    ]

    def make_source(self):
        return ListSource((("Thôn", 0), ("Số hộ", 7), ("Đã xét", 7), ("Đạt", 7)), self._rows)

    def _rows(self) -> list[Row]:
        actor = self.app.actor
        return [Row(p.village_id, (p.name, str(p.households), str(p.reviewed), str(p.marked)))
                for p in bulk_awards.progress(self.app.today.year)
                if actor.has("admin", "viewer") or p.village_id in actor.unit_ids]

    @property
    def batch(self) -> NominationBatch | None:
        found = bulk_awards.batches(self.app.today.year)
        return found[0] if found else None

    def show_heading(self) -> None:
        batch = self.batch
        line = f"Gia đình văn hóa {self.app.today.year}"
        if batch is not None:
            counts = bulk_awards.counts(batch.id)
            line += " · danh sách: " + ", ".join(
                f"{STATES.get(k, k).lower()} {v}" for k, v in sorted(counts.items()))
        self.set_heading(line)

    def refresh_rows(self) -> None:
        super().refresh_rows()
        self.show_heading()

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action in ("nominate", "check", "post", "council", "passed", "decide"):
            return _is_office(self.app)
        return super().check_action(action, parameters)

    def detail(self, row: Row) -> str:
        if not _is_office(self.app):
            return "Enter: mở danh sách hộ của thôn để bình xét."
        return ("Enter: danh sách hộ · Ctrl+N lập danh sách đề nghị · Ctrl+R kiểm tra · "
                "Ctrl+G niêm yết · Ctrl+T trình HĐ · Ctrl+Y HĐ thông qua · "
                "Ctrl+B lập quyết định")

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
            bulk_awards.mark_dossier_received(self.app.actor, batch.id, self.app.today)
            return bulk_awards.check(self.app.actor, self.app.cfg, batch.id)
        self._batch_do(act, lambda r: f"Đủ điều kiện {r[0]} hộ, chưa đủ {r[1]} hộ.")

    def action_post(self) -> None:
        self._batch_do(lambda b: bulk_awards.post(self.app.actor, self.app.cfg, b.id,
                                                  self.app.today),
                       lambda p: f"Niêm yết từ {text.format_date(p.starts_on)} đến "
                                 f"{text.format_date(p.ends_on)}.")

    def action_council(self) -> None:
        self._batch_do(lambda b: bulk_awards.to_council(self.app.actor, self.app.cfg, b.id,
                                                        self.app.today),
                       lambda n: f"Đã trình Hội đồng {n} hộ.")

    def action_passed(self) -> None:
        self._batch_do(lambda b: bulk_awards.record_result(self.app.actor, b.id, True),
                       lambda n: f"Hội đồng thông qua {n} hộ.")

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
    ]

    def __init__(self, village_id: int) -> None:
        super().__init__()
        self.village_id = village_id

    def make_source(self):
        year = self.app.today.year
        return QuerySource((("", 3), ("Chủ hộ", 0), ("Địa chỉ", 26), ("Mã", 6)),
                           lambda q: bulk_awards.review_query(self.village_id, year),
                           lambda h: ("[x]" if bulk_awards.is_marked(h) else "[ ]",
                                      h.head_name, h.address, str(h.id)))

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "override":
            return _is_office(self.app)
        return super().check_action(action, parameters)

    def on_mount(self) -> None:
        self.show_heading()

    def show_heading(self) -> None:
        village = records.get(Unit, self.village_id, "thôn")
        done = next((p for p in bulk_awards.progress(self.app.today.year)
                     if p.village_id == self.village_id), None)
        count = f": đạt {done.marked}/{done.households} hộ" if done else ""
        self.set_heading(f"Bình xét Gia đình văn hóa {self.app.today.year} · "
                         f"{village.name}{count}")

    def detail(self, row: Row) -> str:
        first = bulk_awards.late_review_warning(self.app.cfg, self.app.today.year,
                                                self.app.today)
        nom = bulk_awards.household_nomination(row.id, self.app.today.year)
        if nom is not None and nom.state == "checked" and not nom.eligible:
            failed = [line for line in nom.check_notes.splitlines()
                      if line.startswith("[Không")]
            first = "Chưa đủ ĐK: " + (failed[0].removeprefix("[Không đạt] ") if failed else "")
        elif nom is not None:
            first = f"Trong danh sách đề nghị: {state_cell(nom)}" + (
                f" · {first}" if first else "")
        keys = "Space: đạt/bỏ (lưu ngay) · Ctrl+T: đạt cả thôn"
        if _is_office(self.app):
            keys += " · Ctrl+Y: cho qua"
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
        late = bulk_awards.late_review_warning(self.app.cfg, self.app.today.year,
                                               self.app.today)
        if late and row.cells[0] != "[x]":
            self.notify(late, severity="warning", markup=False)

    def action_override(self) -> None:
        row = self.list.current
        if row is None:
            return
        nom = bulk_awards.household_nomination(row.id, self.app.today.year)
        if nom is None or nom.state != "checked" or nom.eligible:
            self.notify("Hộ này không có đề nghị chưa đủ điều kiện để cho qua (kiểm tra danh "
                        "sách trước: Ctrl+R ở màn hình Gia đình văn hóa).", severity="warning",
                        markup=False)
            return
        try:
            failed = bulk_awards.failed_rules(self.app.cfg, nom)
        except ThiduaError as exc:
            self.refuse(exc)
            return
        if not failed:
            self.notify("Hộ này không còn điều kiện nào không đạt; kiểm tra lại danh sách.",
                        severity="warning", markup=False)
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
        late = bulk_awards.late_review_warning(self.app.cfg, self.app.today.year,
                                               self.app.today)
        question = "Đánh dấu đạt cho mọi hộ của thôn?"
        self.app.push_screen(Confirm(f"{late}\n{question}" if late else question), answered)
