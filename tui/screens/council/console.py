"""The council (F7): the session's console. For the chair and the secretary it
runs the session (attendance, agenda, ballots, paper counts, minutes); for
everyone, projector included, it lists every name on the agenda with its
ballot's live progress or, once closed, its result.

A member with an open ballot to vote on is taken to it (ballot.py) by itself;
V brings back one put aside, or a vote sent that the rule lets them change,
or says why there is none. X records a conflict of interest on a name of the
agenda: a member's own, or, for the chair and the secretary, any member's. B
chooses the session's vote-counting committee (committee.py), offered while no
ballot is open: the footer then keeps its room for the vote's keys, as K and G
appear only while a ballot (a paper one for G) is open.
"""
from __future__ import annotations

from textual.binding import Binding

from models import text
from models.council import ballots, board, committee, members, minutes, paper, sessions
from models.errors import NotFound, ThiduaError
from tui.screens.council.attendance import AttendanceScreen
from tui.screens.council.ballot import BallotScreen
from tui.screens.council.base import CouncilView, Voter, VoteRow
from tui.screens.council.committee import CommitteeScreen
from tui.screens.council.conflict import conflict_form, describe
from tui.screens.council.members import CouncilMembersScreen
from tui.screens.council.open_ballot import OpenBallotScreen
from tui.widgets.export import export_document
from tui.widgets.form import Confirm, Field, FormScreen, FormSpec
from tui.widgets.lazylist import LazyList, Row

FAST_POLL = 0.25  # while a ballot is open: every vote on screen well within a second
MANAGER_KEYS = {"attendance", "open_ballot", "close_ballot", "paper", "revote", "new_session",
                "agenda", "minutes", "tally_minutes", "members", "committee"}


class BoardList(LazyList):
    """Enter opens nothing on the board: the footer does not offer it."""
    BINDINGS = [Binding("enter", "choose", "Mở", show=False, id="list.open")]


class CouncilScreen(CouncilView):
    # One line more than the ballot's panel: whom the name is for, its ballot, and
    # the result or a member's receipt (two lines) all stay in view.
    DEFAULT_CSS = "CouncilScreen #detail { height: 5; }"
    COLUMNS = (("Phiếu", 6), ("Người được đề nghị", 0), ("Danh hiệu", 9), ("Tình trạng", 30))
    LIST = BoardList
    BINDINGS = [
        Binding("v", "to_ballot", "Bỏ phiếu", id="vote.ballot"),
        Binding("d", "attendance", "Điểm danh", id="council.attendance"),
        Binding("b", "committee", "Ban kiểm phiếu", id="council.committee"),
        Binding("m", "open_ballot", "Mở phiếu", id="council.open"),
        Binding("k", "close_ballot", "Kết thúc phiếu", id="council.close"),
        Binding("g", "paper", "Nhập phiếu giấy", id="council.paper"),
        Binding("x", "conflict", "Xung đột lợi ích", id="council.conflict"),
        Binding("l", "revote", "Biểu quyết lại", show=False, id="council.revote"),
        Binding("n", "new_session", "Phiên mới", show=False, id="council.session"),
        Binding("h", "members", "Thành viên", show=False, id="council.members"),
        Binding("a", "agenda", "Bổ sung chương trình", show=False, id="council.agenda"),
        Binding("ctrl+w", "minutes", "Biên bản họp", id="council.minutes", priority=True),
        Binding("t", "tally_minutes", "Biên bản kiểm phiếu", show=False, id="council.tally"),
        Binding("escape", "back", "Về", id="vote.back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.voter = Voter()
        self._lines: list[Row] = []
        self._patched: list[Row] | None = None  # rows whose progress alone changed
        self._member_key = None
        self._member = None

    def on_mount(self) -> None:
        super().on_mount()
        self._normal_poll = self.app.poll_seconds
        self.set_interval(FAST_POLL, self._fast_poll)

    def on_unmount(self) -> None:
        self.app.poll_seconds = self._normal_poll

    # -- who ------------------------------------------------------------------------------
    def member(self):
        """This user's council membership on the session's day (read once per refresh)."""
        session = self.session
        if session is None:
            return None
        key = (session.id, session.held_on)
        if self._member_key != key:
            self._member_key = key
            self._member = members.member_of(self.actor, session.held_on)
        return self._member

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "committee":
            return self.manager and self.session is not None and not self._open
        if action == "close_ballot":
            return self.manager and bool(self._open)
        if action == "paper":
            return self.manager and any(kind == "paper" for _i, kind, _n, _t in self._open)
        if action in MANAGER_KEYS:
            return self.manager
        if action == "to_ballot":
            return self.member() is not None
        if action == "conflict":
            return self.session is not None and (self.manager or self.member() is not None)
        return True

    # -- what is shown ----------------------------------------------------------------------
    def hand_over(self) -> bool:
        self._member_key = None
        if self._to_ballot(skip=self.voter.skipped):
            return True
        self._tell_why()
        return False

    def _tell_why(self) -> None:
        """A member who does not vote in a ballot just opened (marked present after
        it opened, recused from every name) is told why, once per ballot, instead
        of being left to wonder why their screen did not turn into the ballot."""
        member = self.member()
        if member is None or not self.is_active:
            return
        for ballot in ballots.open_ballots(self.session.id):
            if ballot.id in self.voter.told or ballot.kind == "paper":
                continue
            self.voter.told.add(ballot.id)
            why = ballots.why_cannot_vote(ballot.id, member.id)
            if why and not ballots.has_voted(ballot.id, member.id):
                self.notify(f"Phiếu số {ballot.id}: {why}", severity="warning", timeout=20,
                            markup=False)

    def _to_ballot(self, skip=()) -> bool:
        """Bring up the first ballot this member still has to vote on, if any; not
        over a confirmation or the help, which wait on top for their answer."""
        member = self.member()
        if member is None or not self.is_active:
            return False
        found = ballots.next_to_vote(self.session.id, member.id, skip)
        if found is not None:
            self.app.push_screen(BallotScreen(self.voter, found, member.id))
        return found is not None

    def rows(self) -> list[Row]:
        if self._patched is not None:
            rows, self._patched = self._patched, None
            return rows
        lines = board.board(self.session.id) if self.session else []
        self._lines = [VoteRow(line.item_id or line.nomination_id,
                               (str(line.ballot_id or ""), line.name, line.title_code,
                                line.status),
                               "item" if line.ballot_id else "agenda", line.ballot_id,
                               line.nomination_id, line.who)
                       for line in lines]
        return self._lines

    def progress_changed(self) -> None:
        progress = self._progress
        self._lines = [VoteRow(r.id, r.cells[:3] + (progress[r.ballot_id],), r.kind, r.ballot_id,
                               r.nomination_id, r.note)
                       if r.kind == "item" and r.ballot_id in progress else r
                       for r in self._lines]
        if self._lines:
            self._patched = self._lines
            self.list.reload()

    def detail(self, row: Row | None) -> str:
        if row is None:
            return ("D: điểm danh · B: ban kiểm phiếu · M: mở phiếu · N: phiên mới · "
                    "A: bổ sung chương trình · H: thành viên"
                    if self.manager else "Chưa có phiếu nào để bạn bỏ. Màn hình tự cập nhật.")
        # Whom the name is for comes first: the panel has three lines.
        who = f"{row.note}\n" if row.note else ""
        if row.kind == "agenda":
            body = who + "Chưa biểu quyết. M: mở phiếu · X: xung đột lợi ích"
            conflicts = describe(self.session.id, row.nomination_id)
            return body + ("\n" + conflicts if conflicts else "")
        ballot = ballots.get(row.ballot_id)
        body = who + board.describe(ballot, row.id)
        if ballot.state == "open" and ballot.kind != "open" and self.manager:
            body += "\nK: kết thúc phiếu và công bố kết quả"
        receipt = self.voter.receipts.get(ballot.id)
        if receipt is not None and receipt.code:
            body += (f"\nMã biên nhận phiếu của bạn: {receipt.code} (biên bản kiểm phiếu liệt "
                     "kê mã mọi phiếu đã đếm)")
        return body

    def _fast_poll(self) -> None:
        """The app polls the change log faster than its 1 s while a ballot is open
        and this screen follows it (the chair's or a projector's console), so
        each vote appears well within a second. Members rely on the app's poll."""
        following = self.is_current and self._progress and (self.manager or
                                                              self.member() is None)
        self.app.poll_seconds = min(FAST_POLL, self._normal_poll) if following \
            else self._normal_poll

    # -- voting --------------------------------------------------------------------------
    def action_to_ballot(self) -> None:
        self.voter.skipped.clear()
        if self._to_ballot():
            return
        # Already voted: change it, where the rule allows, while the ballot is open.
        member_id = self.member().id  # V is offered to members only (check_action)
        for ballot_id, receipt in self.voter.receipts.items():
            try:
                ballot = ballots.get(ballot_id)
            except NotFound:
                continue  # gone since (a restore): nothing to change
            if ballots.may_change_vote(self.app.cfg, ballot):
                self.app.push_screen(BallotScreen(self.voter, ballot_id, member_id,
                                                  receipt.choices))
                return
        self.notify(self._why_no_ballot(member_id), markup=False)

    def _why_no_ballot(self, member_id: int) -> str:
        """Each open ballot this member does not vote in, and why (a late arrival,
        recused from every name...), or that none is open."""
        reasons = [f"Phiếu số {b.id}: {why}" for b in ballots.open_ballots(self.session.id)
                   if (why := ballots.why_cannot_vote(b.id, member_id))]
        return "\n".join(reasons) or "Không có phiếu nào đang mở để bạn bỏ."

    def action_conflict(self) -> None:
        row = self.list.current
        if row is None or not row.nomination_id:
            self.notify("Chọn một tên trong chương trình.", severity="warning", markup=False)
            return
        own = None if self.manager else self.member()
        self.app.push_screen(conflict_form(self.app, self.session, row.nomination_id,
                                           row.cells[1], own), lambda _r: self.refresh_all())

    def action_back(self) -> None:
        self.app.switch_mode("home")

    # -- running the session ---------------------------------------------------------------
    def _need_session(self):
        session = sessions.current_session()
        if session is None:
            self.notify("Chưa có phiên họp: phím N để tạo.", severity="warning", markup=False)
        return session

    def action_new_session(self) -> None:
        def save(values):
            return sessions.create_session(self.actor, values["held_on"], values["place"],
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
            added = sessions.add_to_agenda(self.actor, session.id)
        except ThiduaError as exc:
            self.refuse(exc)
            return
        self.notify(f"Đã thêm {added} đề nghị vào chương trình.", markup=False)
        self.refresh_all()

    def action_attendance(self) -> None:
        session = self._need_session()
        if session is not None:
            self.app.push_screen(AttendanceScreen(session.id))

    def action_committee(self) -> None:
        session = self._need_session()
        if session is None:
            return
        fixed = committee.why_fixed(session.id)
        if fixed:
            self.notify(fixed, severity="warning", markup=False)
            return
        self.app.push_screen(CommitteeScreen(session.id), lambda _r: self.refresh_all())

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
        try:
            return ballots.get(row.ballot_id)
        except NotFound as exc:  # gone since the board was drawn (a restore)
            self.refuse(exc)
            self.refresh_all()
            return None

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
                closing = ballots.close(self.actor, self.app.cfg, ballot.id, ballot.version)
            except ThiduaError as exc:
                self.refuse(exc)
                return
            if closing.notice:
                self.notify(closing.notice, severity="warning", timeout=30, markup=False)
            else:
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
        try:
            item = ballots.get_item(self.list.current.id)
        except NotFound as exc:
            self.refuse(exc)
            return
        name = self.list.current.cells[1]  # told apart from a namesake (board.py)

        def save(values):
            return paper.enter_paper(self.actor, ballot.id, item.nomination_id,
                                       int(values["_version"]),
                                       **{k: values[k] for k in paper.PAPER_FIELDS})

        values = {k: "" if v is None else str(v)
                  for k, v in paper.paper_counts(ballot, item).items()}
        values["_version"] = str(item.version)
        form_fields = [Field(k, paper.LABELS[k], required=k not in ("invalid", "blank"))
                       for k in paper.PAPER_FIELDS]
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

    def action_minutes(self) -> None:
        session = self._need_session()
        if session is None:
            return
        export_document(self, "minutes", session.id, str(session.id),
                        ("Phiên họp", minutes.sessions_held()))

    def action_tally_minutes(self) -> None:
        ballot = self._current_ballot()
        if ballot is None:
            return
        refused = committee.why_no_tally(ballot)
        if refused:   # said before the file prompt, not after it
            self.notify(refused, severity="warning", markup=False)
            return
        export_document(self, "tally", ballot.id, str(ballot.id))
