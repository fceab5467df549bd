"""The council (F7): the session, attendance, quorum, ballots, paper counts and
minutes for the chair and the secretary; the voting screen for members; the
live progress (and, once closed, the results) for everyone, projector included.

One screen serves all: a member with an open ballot to vote on sees the ballot
(`thidua --as LOGIN --open vote` lands there); once voted, or for those who run
the session, the console lists every name on the agenda with its ballot's
progress or result. While a secret ballot is open only "5/7 đã bỏ phiếu" is
shown, never a running tally (models/council/ballots.py returns nothing more).

Keys are plain letters and digits (the list has the focus, nothing is typed
here): 1/2/3 or Space choose, Enter or Ctrl+S confirm.
"""
from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, Label, Static

from models import text
from models.council import ballots
from models.council import minutes as council_minutes
from models.council import sessions as council
from models.council.tables import ATTENDANCE, CHOICES
from models.errors import ThiduaError
from tui.live import DataChanged
from tui.screens.council_members import CouncilMembersScreen
from tui.widgets.browse import ListOnlyScreen, TickScreen
from tui.widgets.form import Confirm, Field, FormScreen, FormSpec
from tui.widgets.lazylist import LazyList, ListSource, Row, fit
from tui.widgets.screen import BaseScreen

TABLES = ("ballot", "ballot_item", "attendance", "council_session", "agenda_item",
          "council_member", "nomination", "written_opinion", "recusal")
FAST_POLL = 0.25  # while a ballot is open: every vote on screen well within a second
CHOICE_KEYS = {"1": "agree", "2": "disagree", "3": "abstain"}
CYCLE = ["agree", "disagree", "abstain"]



def _choice_label(choice: str | None) -> str:
    if choice is None:
        return "(chưa chọn)"
    number = {v: k for k, v in CHOICE_KEYS.items()}[choice]
    return f"[{number}] {CHOICES[choice]}"


@dataclass(frozen=True)
class _Item:
    id: int
    nomination_id: int


@dataclass(frozen=True)
class VoteRow(Row):
    kind: str = "item"          # item | agenda | vote | recused
    ballot_id: int = 0
    nomination_id: int = 0
    note: str = ""


class VoteScreen(BaseScreen):
    DEFAULT_CSS = """
    VoteScreen #heading { height: 1; text-style: bold; padding: 0 1; }
    VoteScreen #status { height: 2; padding: 0 1; text-style: bold; }
    VoteScreen #detail { height: 3; border-top: solid $primary; padding: 0 1; }
    App.-ascii VoteScreen #detail { border-top: ascii $primary; }
    """
    BINDINGS = [
        # The ballot's keys are priority bindings, all handled in the order typed
        # by the app itself: a member typing ahead on a slow link ("1", Enter,
        # Enter) has the choice, the send and the confirmation taken in turn
        # (through the list, Enter would post a message and the next key overtake it).
        Binding("1", "choose('agree')", "Đồng ý", priority=True, id="vote.agree"),
        Binding("2", "choose('disagree')", "Không đồng ý", priority=True, id="vote.disagree"),
        Binding("3", "choose('abstain')", "Không biểu quyết", priority=True,
                id="vote.abstain"),
        Binding("space", "cycle", "Đổi lựa chọn", show=False, priority=True, id="vote.cycle"),
        Binding("ctrl+s", "confirm", "Gửi phiếu", priority=True, id="vote.confirm"),
        Binding("enter", "confirm", "Gửi phiếu", show=False, priority=True,
                id="vote.confirm.enter"),
        Binding("v", "to_ballot", "Bỏ phiếu", id="vote.ballot"),
        Binding("d", "attendance", "Điểm danh", id="council.attendance"),
        Binding("m", "open_ballot", "Mở phiếu", id="council.open"),
        Binding("k", "close_ballot", "Kết thúc phiếu", id="council.close"),
        Binding("g", "paper", "Nhập phiếu giấy", id="council.paper"),
        Binding("l", "revote", "Biểu quyết lại", show=False, id="council.revote"),
        Binding("n", "new_session", "Phiên mới", show=False, id="council.session"),
        Binding("h", "members", "Thành viên", show=False, id="council.members"),
        Binding("a", "agenda", "Bổ sung chương trình", show=False, id="council.agenda"),
        Binding("b", "minutes", "Biên bản họp", show=False, id="council.minutes"),
        Binding("t", "tally_minutes", "Biên bản kiểm phiếu", show=False, id="council.tally"),
        Binding("escape", "back", "Về", id="vote.back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.mode = "console"          # console | ballot
        self.ballot_id: int | None = None
        self.choices: dict[int, str] = {}
        self.receipts: dict[int, ballots.Receipt] = {}
        self.skipped: set[int] = set()  # ballots a manager chose not to vote on yet
        self.changing = False
        self._v_head = self._v_quorum = ""
        self._v_open: list[tuple] = []
        self._v_progress: dict[int, str] = {}
        self._v_console: list[Row] = []
        self._v_cached: list[Row] | None = None
        self._v_member_key = None
        self._v_member = None
        self._v_ballot: list[tuple] = []  # (item id, nomination id, name, why) of my ballot
        self.stale = False

    # -- layout -----------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Label("", id="heading")
        yield Static("", id="status", markup=False)
        self.list = LazyList(ListSource(self._columns(), self._rows), ascii_mark=self.app.ascii,
                             id="rows", empty_text="Chưa có đề nghị nào trong phiên họp.")
        yield self.list
        yield Static("", id="detail", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_all()
        self.set_interval(FAST_POLL, self._fast_poll)
        self.call_after_refresh(self.list.focus)

    # -- who and what -------------------------------------------------------------
    @property
    def actor(self):
        return self.app.actor

    @property
    def manager(self) -> bool:
        return council.can_run(self.actor)

    def _session(self):
        return council.current_session()

    def _member(self, session):
        """This user's council membership on the session's day (read once per refresh)."""
        if session is None:
            return None
        key = (session.id, session.held_on)
        if self._v_member_key != key:
            self._v_member_key = key
            self._v_member = council.member_of(self.actor, session.held_on)
        return self._v_member

    def _ballot_to_vote(self, session) -> int | None:
        """The open ballot this member may vote on and has not (the first one)."""
        member = self._member(session)
        if member is None:
            return None
        if council.attendance(session.id).get(member.id) != "present":
            return None
        recused = None
        for ballot in ballots.open_ballots(session.id):
            if ballot.kind == "paper" or ballot.id in self.skipped:
                continue
            if ballots.has_voted(ballot.id, member.id):
                continue
            recused = ballots.recusals(ballot.id)
            names = ballots.items(ballot.id)
            if any(member.id not in recused.get(i.id, {}) for i in names):
                return ballot.id
        return None

    # -- refreshing -----------------------------------------------------------------
    def refresh_all(self) -> None:
        self._v_member_key = None
        session = self._session()
        if self.mode == "ballot" and not self.changing:
            if self.ballot_id is None or self.ballot_id not in {
                    b.id for b in ballots.open_ballots()}:
                self.mode, self.ballot_id = "console", None
        if self.mode == "console":
            found = self._ballot_to_vote(session) if session else None
            if found is not None:
                self.mode, self.ballot_id, self.choices = "ballot", found, {}
        self.list.source.columns = self._columns()
        self.refresh_bindings()
        self._heading(session)
        self.list.reload()
        self.show_detail(self.list.current)

    def _columns(self):
        if self.mode == "ballot":
            return (("Người được đề nghị", 0), ("Lựa chọn của bạn", 30))
        return (("Phiếu", 6), ("Người được đề nghị", 0), ("Danh hiệu", 9), ("Tình trạng", 30))

    def _heading(self, session) -> None:
        """The heading and the status lines; remembers what the light refresh
        (a vote elsewhere) needs to redraw them without reading the rest."""
        if session is None:
            self._v_head, self._v_quorum = "Hội đồng Thi đua - Khen thưởng", (
                "Chưa có phiên họp nào." + (" Phím N: tạo phiên họp · H: thành viên Hội đồng."
                                            if self.manager else ""))
            self._v_open = []
        else:
            self._v_head = (f"Hội đồng TĐKT · Phiên họp {text.format_date(session.held_on)}"
                          + (f" {session.starts_at}" if session.starts_at else "")
                          + (f" · {session.place}" if session.place else ""))
            q = council.quorum(self.app.cfg, session.id)
            self._v_quorum = q.text() + (" (họp theo lý do đã ghi)"
                                            if not q.met and q.override else "")
            self._v_open = [(b.id, b.kind, ballots.kind_name(b), b.title_code)
                                  for b in ballots.open_ballots(session.id)]
        self._v_progress = {bid: ballots.progress_text(bid)
                          for bid, kind, _n, _t in self._v_open if kind != "paper"}
        self._draw_heading()

    def _draw_heading(self) -> None:
        lines = [self._v_quorum]
        for bid, kind, name, title in self._v_open:
            what = "chờ nhập kết quả kiểm phiếu" if kind == "paper" else self._v_progress[bid]
            lines.append(f"Phiếu số {bid} ({name}, {title}): {what}")
        if self.mode == "ballot":
            lines[0] += "  ·  PHIẾU CỦA BẠN: 1/2/3 chọn, Enter gửi"
        status = "\n".join(lines[:1] + [" · ".join(lines[1:])] if len(lines) > 1 else lines)
        width = max(10, self.app.size.width - 2)
        self.query_one("#heading", Label).update(Text(fit(self._v_head, width).rstrip()))
        self.query_one("#status", Static).update(Text(text.visible(status, multiline=True)))

    def _rows(self) -> list[Row]:
        if self._v_cached is not None:
            rows, self._v_cached = self._v_cached, None
            return rows
        if self.mode == "ballot" and self._v_ballot and self._v_ballot[0][0] == self.ballot_id:
            return self._ballot_rows(None)
        session = self._session()
        if session is None:
            return []
        if self.mode == "ballot" and self.ballot_id is not None:
            return self._ballot_rows(session)
        self._v_console = self._console_rows(session)
        return self._v_console

    def _refresh_progress(self) -> None:
        """Votes were cast elsewhere: only the counts "n/m đã bỏ phiếu" change.
        One count per open ballot instead of a full reload, so thirty sessions
        following a vote stay light on a small server."""
        progress = {bid: ballots.progress_text(bid) for bid in self._v_progress}
        if progress == self._v_progress:
            return
        self._v_progress = progress
        self._draw_heading()
        if self.mode == "console" and self._v_console:
            self._v_console = [VoteRow(r.id, r.cells[:3] + (progress[r.ballot_id],), r.kind,
                                     r.ballot_id, r.nomination_id, r.note)
                             if r.kind == "item" and r.ballot_id in progress else r
                             for r in self._v_console]
            self._v_cached = self._v_console
            self.list.reload()

    def _ballot_rows(self, session) -> list[Row]:
        """The names of my ballot, read once when it comes up; a key press only
        redraws the choices."""
        if not self._v_ballot or self._v_ballot[0][0] != self.ballot_id:
            member = self._member(session)
            recused = ballots.recusals(self.ballot_id)
            self._v_ballot = [(self.ballot_id, item.id, item.nomination_id,
                               council.subject_name(item.nomination),
                               recused.get(item.id, {}).get(member.id) if member else None)
                              for item in ballots.items(self.ballot_id)]
        rows: list[Row] = []
        for _ballot, item_id, nomination_id, name, why in self._v_ballot:
            item = _Item(item_id, nomination_id)
            if why:
                rows.append(VoteRow(item.id, (name, "không biểu quyết (liên quan)"),
                                    "recused", self.ballot_id, item.nomination_id,
                                    f"Bạn không biểu quyết {name}: bạn {why}."))
            else:
                rows.append(VoteRow(item.id, (name, _choice_label(
                    self.choices.get(item.nomination_id))), "vote", self.ballot_id,
                    item.nomination_id))
        return rows

    def _console_rows(self, session) -> list[Row]:
        rows: list[Row] = []
        seen: set[int] = set()
        for ballot in ballots.of_session(session.id):
            progress = ballots.progress_text(ballot.id) if ballot.state == "open" else ""
            for item in ballots.items(ballot.id):
                seen.add(item.nomination_id)
                if ballot.state == "open":
                    if ballot.kind == "paper":
                        status = "đã nhập kiểm phiếu" if item.valid is not None else \
                            "chờ nhập kiểm phiếu"
                    else:
                        status = progress
                else:
                    result = ballots.result_of(item)
                    status = (f"{result.agree}/{result.base} đồng ý · "
                              + ("THÔNG QUA" if result.passed else "KHÔNG THÔNG QUA")
                              if result else "")
                rows.append(VoteRow(item.id, (str(ballot.id),
                                              council.subject_name(item.nomination),
                                              ballot.title_code, status), "item", ballot.id,
                                    item.nomination_id))
        for nom in council.agenda(session.id):
            if nom.id not in seen:
                rows.append(VoteRow(nom.id, ("", council.subject_name(nom), nom.title_code,
                                             "chưa biểu quyết"), "agenda", 0, nom.id))
        return rows

    @on(LazyList.Highlighted)
    def _highlighted(self, event: LazyList.Highlighted) -> None:
        self.show_detail(event.row)

    def show_detail(self, row: Row | None) -> None:
        try:
            body = self._detail(row)
        except ThiduaError as exc:
            body = str(exc)
        self.query_one("#detail", Static).update(Text(text.visible(body, multiline=True)))

    def _detail(self, row) -> str:
        if self.mode == "ballot":
            recused = [r for r in self._all_rows() if r.kind == "recused"]
            lines = ["1 Đồng ý · 2 Không đồng ý · 3 Không biểu quyết · Enter: gửi phiếu"]
            if row is not None and row.kind == "recused":
                lines.append(row.note)
            elif recused:
                lines.append(f"Bạn không biểu quyết {len(recused)} tên trên phiếu này "
                             "(bạn được đề nghị, hoặc đứng đầu đơn vị được đề nghị).")
            if self.changing:
                lines.append("Đang sửa phiếu đã gửi (quy chế cho phép khi phiếu còn mở).")
            return "\n".join(lines)
        if row is None:
            return ("M: mở phiếu · D: điểm danh · N: phiên mới · A: bổ sung chương trình"
                    " · H: thành viên"
                    if self.manager else "Chưa có phiếu nào để bạn bỏ. Màn hình tự cập nhật.")
        if row.kind == "agenda":
            return "Chưa biểu quyết. M: mở phiếu cho các đề nghị chưa biểu quyết."
        ballot = ballots.get(row.ballot_id)
        line = f"Phiếu số {ballot.id}: {ballots.kind_name(ballot)}"
        if ballot.replaces_id:
            line += f" · biểu quyết lại phiếu số {ballot.replaces_id}: {ballot.reason}"
        if ballot.quorum_override:
            line += f" · mở khi chưa đủ số: {ballot.quorum_override}"
        if ballot.state == "closed":
            item = next(i for i in ballots.items(ballot.id) if i.id == row.id)
            result = ballots.result_of(item)
            return line + ("\n" + result.text() if result else "")
        if ballot.kind == "open":
            named = ballots.named_votes(ballot.id).get(row.id, {})
            by_choice = {c: sum(1 for v in named.values() if v == c) for c in CHOICES}
            return line + "\nBiểu quyết công khai: " + ", ".join(
                f"{CHOICES[c]} {n}" for c, n in by_choice.items())
        return line + ("\nK: kết thúc phiếu và công bố kết quả" if self.manager else "")

    def _all_rows(self) -> list[Row]:
        return [self.list.row_at(i) for i in range(self.list.total)]

    # -- live ------------------------------------------------------------------------
    def _fast_poll(self) -> None:
        """Poll the change log faster than the app's 1 s while a ballot is open
        and this screen follows it (the chair's or a projector's console), so
        each vote appears well within a second. Members rely on the app's poll."""
        if self.is_current and self.mode == "console" and self._v_progress and \
                (self.manager or self._member(self._session()) is None):
            self.app.poll_changes()

    def on_data_changed(self, message: DataChanged) -> None:
        relevant = [c for c in message.changes if c.table in TABLES]
        if not relevant:
            return
        if not self.is_current:
            self.stale = True
            return
        if all(c.table == "ballot" and c.row_id in self._v_progress for c in relevant):
            self._refresh_progress()
        else:
            self.refresh_all()

    def on_screen_resume(self) -> None:
        self.stale = False
        self.refresh_all()

    # -- voting ------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple) -> bool | None:
        ballot_keys = {"choose", "cycle", "confirm"}
        manager_keys = {"attendance", "open_ballot", "close_ballot", "paper", "revote",
                        "new_session", "agenda", "minutes", "tally_minutes", "members"}
        if action in ballot_keys:
            return self.mode == "ballot"
        if action in manager_keys:
            return self.manager and self.mode == "console"
        if action == "to_ballot":
            return self.mode == "console" and self._member(self._session()) is not None
        return True

    def action_choose(self, choice: str) -> None:
        row = self.list.current
        if row is None or row.kind != "vote":
            return
        self.choices[row.nomination_id] = choice
        self.list.reload()
        self.list.action_move(1)

    def action_cycle(self) -> None:
        row = self.list.current
        if row is None or row.kind != "vote":
            return
        now = self.choices.get(row.nomination_id)
        nxt = CYCLE[(CYCLE.index(now) + 1) % 3] if now in CYCLE else CYCLE[0]
        self.choices[row.nomination_id] = nxt
        self.list.reload()

    @on(LazyList.Chosen)
    def _enter(self, event: LazyList.Chosen) -> None:
        if self.mode == "ballot":
            self.action_confirm()

    def action_confirm(self) -> None:
        rows = [r for r in self._all_rows() if r.kind == "vote"]
        missing = [r for r in rows if r.nomination_id not in self.choices]
        if missing:
            self.notify(f"Còn {len(missing)} tên chưa chọn (1: đồng ý, 2: không đồng ý, "
                        "3: không biểu quyết).", severity="warning", markup=False)
            for i in range(self.list.total):
                if self.list.row_at(i).nomination_id == missing[0].nomination_id:
                    self.list.action_jump(i)
            return
        counts = {c: sum(1 for r in rows if self.choices[r.nomination_id] == c) for c in CHOICES}
        summary = ", ".join(f"{CHOICES[c]}: {n}" for c, n in counts.items() if n)
        ballot_id = self.ballot_id

        def send(yes: bool | None) -> None:
            if not yes:
                return
            choices = {r.nomination_id: self.choices[r.nomination_id] for r in rows}
            try:
                if self.changing:
                    receipt = ballots.change_vote(self.actor, self.app.cfg, ballot_id, choices,
                                                  self.receipts.get(ballot_id))
                else:
                    receipt = ballots.cast(self.actor, self.app.cfg, ballot_id, choices)
            except ThiduaError as exc:
                self.refuse(exc)
                return
            self.receipts[ballot_id] = receipt
            self.mode, self.ballot_id, self.changing = "console", None, False
            self.notify("Đã ghi phiếu của bạn.", markup=False)
            self.refresh_all()

        self.app.push_screen(Confirm(f"Gửi phiếu số {ballot_id} ({len(rows)} tên: {summary})?"
                                     "\nPhiếu đã gửi thì không sửa được, trừ khi quy chế "
                                     "cho phép."), send)

    def action_to_ballot(self) -> None:
        session = self._session()
        self.skipped.clear()
        found = self._ballot_to_vote(session) if session else None
        if found is not None:
            self.mode, self.ballot_id, self.choices = "ballot", found, {}
            self.refresh_all()
            return
        # Already voted: change it, where the rule allows, while the ballot is open.
        for ballot_id, receipt in self.receipts.items():
            ballot = ballots.get(ballot_id)
            if ballot.state == "open" and \
                    self.app.cfg.voting_rule(ballot.title_code).allow_vote_change:
                self.mode, self.ballot_id, self.changing = "ballot", ballot_id, True
                self.choices = dict(receipt.choices)
                self.refresh_all()
                return
        self.notify("Không có phiếu nào đang mở để bạn bỏ.", markup=False)

    def action_back(self) -> None:
        if self.mode == "ballot":
            if self.ballot_id is not None and not self.changing:
                self.skipped.add(self.ballot_id)
            self.mode, self.ballot_id, self.changing = "console", None, False
            self.refresh_all()
            return
        self.app.switch_mode("home")

    # -- running the session ---------------------------------------------------------------
    def _need_session(self):
        session = self._session()
        if session is None:
            self.notify("Chưa có phiên họp: phím N để tạo.", severity="warning", markup=False)
        return session

    def action_new_session(self) -> None:
        def save(values):
            return council.create_session(self.actor, values["held_on"], values["place"],
                                          values["starts_at"])

        form = FormScreen(FormSpec("Phiên họp Hội đồng mới (chương trình: các đề nghị đang "
                                   "chờ Hội đồng)", [
            Field("held_on", "Ngày họp", required=True, placeholder="dd/mm/yyyy"),
            Field("starts_at", "Giờ bắt đầu", placeholder="08:00"),
            Field("place", "Địa điểm"),
        ], {"held_on": text.format_date(self.app.today), "starts_at": "08:00",
            "place": "Hội trường UBND xã"}, save))
        self.app.push_screen(form, lambda _r: self.refresh_all())

    def action_members(self) -> None:
        self.app.push_screen(CouncilMembersScreen())

    def action_agenda(self) -> None:
        session = self._need_session()
        if session is None:
            return
        try:
            added = council.add_to_agenda(self.actor, session.id)
        except ThiduaError as exc:
            self.refuse(exc)
            return
        self.notify(f"Đã thêm {added} đề nghị vào chương trình.", markup=False)
        self.refresh_all()

    def action_attendance(self) -> None:
        session = self._need_session()
        if session is not None:
            self.app.push_screen(AttendanceScreen(session.id))

    def action_open_ballot(self) -> None:
        session = self._need_session()
        if session is not None:
            self.app.push_screen(OpenBallotScreen(session.id), lambda _r: self.refresh_all())

    def _current_ballot(self):
        row = self.list.current
        if row is None or row.kind != "item":
            self.notify("Chọn một dòng của phiếu (cột Phiếu có số).", severity="warning",
                        markup=False)
            return None
        return ballots.get(row.ballot_id)

    def action_close_ballot(self) -> None:
        ballot = self._current_ballot()
        if ballot is None:
            return
        if ballot.state != "open":
            self.notify("Phiếu này đã kết thúc.", markup=False)
            return
        voted, voters = ballots.progress(ballot.id)
        question = (f"Kết thúc phiếu số {ballot.id} và công bố kết quả?" +
                    ("" if ballot.kind == "paper" else f"\n{voted}/{voters} đã bỏ phiếu."))

        def close(yes: bool | None) -> None:
            if not yes:
                return
            try:
                ballots.close(self.actor, self.app.cfg, ballot.id, ballot.version)
            except ThiduaError as exc:
                self.refuse(exc)
                return
            self.notify(f"Đã kết thúc phiếu số {ballot.id}.", markup=False)
            self.refresh_all()

        self.app.push_screen(Confirm(question), close)

    def action_paper(self) -> None:
        ballot = self._current_ballot()
        if ballot is None:
            return
        if ballot.kind != "paper":
            self.notify("Phiếu này không phải phiếu giấy.", markup=False)
            return
        item = next(i for i in ballots.items(ballot.id) if i.id == self.list.current.id)
        name = council.subject_name(item.nomination)

        def save(values):
            return ballots.enter_paper(self.actor, ballot.id, item.nomination_id,
                                       int(values["_version"]),
                                       **{k: values[k] for k in ballots.PAPER_FIELDS})

        values = {k: "" if getattr(item, k) is None else str(getattr(item, k))
                  for k in ballots.PAPER_FIELDS}
        values["_version"] = str(item.version)
        if not values["issued"]:
            values["issued"] = str(ballot.present)
        form_fields = [Field(k, ballots.LABELS[k], required=k not in ("invalid", "blank"))
                       for k in ballots.PAPER_FIELDS]
        self.app.push_screen(FormScreen(FormSpec(f"Kiểm phiếu giấy: {text.visible(name)}",
                                                 form_fields, values, save)),
                             lambda _r: self.refresh_all())

    def action_revote(self) -> None:
        ballot = self._current_ballot()
        if ballot is None:
            return

        def save(values):
            return ballots.revote(self.actor, self.app.cfg, ballot.id, values["reason"],
                                  paper=values["paper"] == "paper")

        self.app.push_screen(FormScreen(FormSpec(f"Biểu quyết lại phiếu số {ballot.id}", [
            Field("reason", "Lý do", required=True),
            Field("paper", "Hình thức", required=True,
                  choices=(("screen", "Bỏ phiếu trên máy"), ("paper", "Phiếu giấy"))),
        ], {"paper": "screen"}, save)), lambda _r: self.refresh_all())

    def _write(self, title: str, default: str, make) -> None:
        def save(values):
            body = make()
            path = self.app.files.resolve(values["file"])
            try:
                path.write_text(body, encoding="utf-8")
            except OSError as exc:
                raise ThiduaError(f"Không ghi được {path}: {exc.strerror}.") from None
            self.notify(f"Đã ghi {path}", markup=False)
            return path

        self.app.push_screen(FormScreen(FormSpec(title, [
            Field("file", "Tên tệp .txt", required=True)], {"file": default}, save)),
            lambda _r: self.refresh_all())

    def action_minutes(self) -> None:
        session = self._need_session()
        if session is None:
            return
        self._write("Ghi biên bản họp Hội đồng ra tệp",
                    f"bien-ban-hop-{session.held_on:%Y-%m-%d}.txt",
                    lambda: council_minutes.issue_meeting_minutes(self.actor, self.app.cfg,
                                                                  session.id))

    def action_tally_minutes(self) -> None:
        ballot = self._current_ballot()
        if ballot is None:
            return
        self._write(f"Ghi biên bản kiểm phiếu (phiếu số {ballot.id}) ra tệp",
                    f"bien-ban-kiem-phieu-{ballot.id}.txt",
                    lambda: council_minutes.issue_tally_minutes(self.actor, self.app.cfg,
                                                                ballot.id))


# -- attendance ---------------------------------------------------------------------------------

class AttendanceScreen(ListOnlyScreen):
    """The secretary marks each member: 1 present, 2 absent, 3 absent with a
    written opinion (then Y to enter it). Saved at once."""

    tables = ("attendance", "council_member", "written_opinion")
    BINDINGS = [
        Binding("1", "mark('present')", "Có mặt", id="attendance.present"),
        Binding("2", "mark('absent')", "Vắng", id="attendance.absent"),
        Binding("3", "mark('written')", "Vắng, có văn bản", id="attendance.written"),
        Binding("y", "written", "Ý kiến văn bản", id="attendance.opinion"),
    ]

    def __init__(self, session_id: int) -> None:
        super().__init__()
        self.session_id = session_id

    def can_create(self) -> bool:
        return False

    def make_source(self):
        return ListSource((("Thành viên", 0), ("Chức danh", 22), ("Điểm danh", 18)), self._rows)

    def _rows(self) -> list[Row]:
        session = council.get_session(self.session_id)
        marks = council.attendance(self.session_id)
        return [Row(m.id, (council.member_name(m), council.role_name(m),
                           ATTENDANCE.get(marks.get(m.id, ""), "(chưa điểm danh)")))
                for m in council.members(session.held_on)]

    def on_mount(self) -> None:
        self._title()

    def _title(self) -> None:
        q = council.quorum(self.app.cfg, self.session_id)
        self.set_heading(f"Điểm danh · {q.text()}")

    def refresh_rows(self) -> None:
        super().refresh_rows()
        self._title()

    def detail(self, row: Row) -> str:
        return "1: có mặt · 2: vắng · 3: vắng, có ý kiến bằng văn bản · Y: nhập ý kiến · Esc: về"

    def action_mark(self, status: str) -> None:
        row = self.list.current
        if row is None:
            return
        try:
            council.set_attendance(self.app.actor, self.session_id, row.id, status)
        except ThiduaError as exc:
            self.refuse(exc)
            return
        self.refresh_rows()
        self.list.action_move(1)

    def action_written(self) -> None:
        row = self.list.current
        if row is None:
            return
        if council.attendance(self.session_id).get(row.id) != "written":
            self.notify("Đánh dấu 3 (vắng, có ý kiến bằng văn bản) trước.", markup=False)
            return
        self.app.push_screen(WrittenOpinionScreen(self.session_id, row.id))


class WrittenOpinionScreen(ListOnlyScreen):
    """An absent member's written opinion, name by name, as received on paper."""

    tables = ("written_opinion",)
    BINDINGS = [
        Binding("1", "choose('agree')", "Đồng ý", id="written.agree"),
        Binding("2", "choose('disagree')", "Không đồng ý", id="written.disagree"),
        Binding("3", "choose('abstain')", "Không biểu quyết", id="written.abstain"),
        Binding("ctrl+s", "save", "Lưu", id="written.save"),
    ]

    def __init__(self, session_id: int, member_id: int) -> None:
        super().__init__()
        self.session_id, self.member_id = session_id, member_id
        self.choices = {w.nomination_id: w.choice
                        for w in council.written_opinions(session_id)
                        if w.member_id == member_id}

    def can_create(self) -> bool:
        return False

    def make_source(self):
        return ListSource((("Người được đề nghị", 0), ("Ý kiến", 24)), self._rows)

    def _rows(self) -> list[Row]:
        return [Row(n.id, (council.subject_name(n), _choice_label(self.choices.get(n.id))))
                for n in council.agenda(self.session_id)]

    def on_mount(self) -> None:
        self.set_heading("Ý kiến bằng văn bản của thành viên vắng mặt")

    def detail(self, row: Row) -> str:
        return "1: đồng ý · 2: không đồng ý · 3: không biểu quyết · Ctrl+S: lưu · Esc: về"

    def action_choose(self, choice: str) -> None:
        row = self.list.current
        if row is not None:
            self.choices[row.id] = choice
            self.list.reload()
            self.list.action_move(1)

    def action_save(self) -> None:
        try:
            council.set_written_opinions(self.app.actor, self.session_id, self.member_id,
                                         self.choices)
        except ThiduaError as exc:
            self.refuse(exc)
            return
        self.notify("Đã lưu ý kiến bằng văn bản.", markup=False)
        self.app.pop_screen()


# -- opening a ballot -------------------------------------------------------------------------

class OpenBallotScreen(TickScreen):
    """Tick the names of one ballot (one title), Ctrl+S opens it; G switches to
    a paper ballot whose counts the secretary enters."""

    tables = ("nomination", "agenda_item", "ballot")
    BINDINGS = [Binding("g", "paper", "Phiếu giấy/trên máy", id="open.paper")]

    def __init__(self, session_id: int) -> None:
        super().__init__(set())
        self.session_id = session_id
        self.paper = False

    def make_source(self):
        return ListSource((("", 3), ("Người được đề nghị", 0), ("Danh hiệu", 26)), self._rows)

    def _rows(self) -> list[Row]:
        busy = {i.nomination_id for b in ballots.of_session(self.session_id)
                for i in ballots.items(b.id) if b.state == "open" or i.passed is not None}
        cfg = self.app.cfg
        return [Row(n.id, (self.mark(n.id), council.subject_name(n),
                           cfg.titles[n.title_code].name if n.title_code in cfg.titles
                           else n.title_code))
                for n in council.agenda(self.session_id)
                if n.state == "at_council" and n.id not in busy]

    def heading_text(self) -> str:
        how = "phiếu giấy" if self.paper else "bỏ phiếu trên máy"
        return f"Mở phiếu: đã chọn {len(self.ticked)} tên · {how} (G: đổi)"

    def detail(self, row: Row) -> str:
        return ("Space: chọn/bỏ · Ctrl+A: chọn hết · G: phiếu giấy/trên máy · Ctrl+S: mở phiếu."
                " Một phiếu chỉ gồm một danh hiệu.")

    def action_paper(self) -> None:
        self.paper = not self.paper
        self._changed()

    def save(self) -> None:
        self._open("")

    def _open(self, reason: str) -> None:
        ballots.open_ballot(self.app.actor, self.app.cfg, self.session_id, sorted(self.ticked),
                            paper=self.paper, quorum_reason=reason)

    def action_save(self) -> None:
        try:
            self.save()
        except ThiduaError as exc:
            if "Chưa đủ số" in str(exc) and council.can_run(self.app.actor):
                self._ask_reason(str(exc))
                return
            self.refuse(exc)
            return
        self.saved = set(self.ticked)
        self.notify("Đã mở phiếu.", markup=False)
        self.app.pop_screen()

    def _ask_reason(self, problem: str) -> None:
        def save(values):
            self._open(values["reason"])
            return True

        def done(opened) -> None:
            if opened:
                self.saved = set(self.ticked)
                self.notify("Đã mở phiếu (ghi lý do chưa đủ số).", markup=False)
                self.app.pop_screen()

        self.app.push_screen(FormScreen(FormSpec(problem[:70], [
            Field("reason", "Lý do vẫn mở phiếu", required=True)], {}, save)), done)
