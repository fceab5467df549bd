"""The council (F7): the session's console. For the chair and the secretary it
runs the session (attendance, agenda, ballots, paper counts, minutes); for
everyone, projector included, it lists every name on the agenda with its
ballot's live progress or, once closed, its result.

A member with an open ballot to vote on is taken to it (ballot.py) by itself;
V brings back one put aside, or a vote sent that the rule lets them change.
"""
from __future__ import annotations

from textual.binding import Binding

from models import text
from models.awards import nominations
from models.council import ballots, board, members, minutes, sessions
from models.errors import ThiduaError
from tui.screens.council.attendance import AttendanceScreen
from tui.screens.council.ballot import BallotScreen
from tui.screens.council.base import CouncilView, Voter, VoteRow
from tui.screens.council.members import CouncilMembersScreen
from tui.screens.council.open_ballot import OpenBallotScreen
from tui.widgets.form import Confirm, Field, FormScreen, FormSpec
from tui.widgets.lazylist import Row

FAST_POLL = 0.25  # while a ballot is open: every vote on screen well within a second
MANAGER_KEYS = {"attendance", "open_ballot", "close_ballot", "paper", "revote", "new_session",
                "agenda", "minutes", "tally_minutes", "members"}


class CouncilScreen(CouncilView):
    COLUMNS = (("Phiếu", 6), ("Người được đề nghị", 0), ("Danh hiệu", 9), ("Tình trạng", 30))
    BINDINGS = [
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
        self.voter = Voter()
        self._lines: list[Row] = []
        self._patched: list[Row] | None = None  # rows whose progress alone changed
        self._member_key = None
        self._member = None

    def on_mount(self) -> None:
        super().on_mount()
        self.set_interval(FAST_POLL, self._fast_poll)

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
        if action in MANAGER_KEYS:
            return self.manager
        if action == "to_ballot":
            return self.member() is not None
        return True

    # -- what is shown ----------------------------------------------------------------------
    def hand_over(self) -> bool:
        self._member_key = None
        return self._to_ballot(skip=self.voter.skipped)

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
                               line.nomination_id)
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
            return ("M: mở phiếu · D: điểm danh · N: phiên mới · A: bổ sung chương trình"
                    " · H: thành viên"
                    if self.manager else "Chưa có phiếu nào để bạn bỏ. Màn hình tự cập nhật.")
        if row.kind == "agenda":
            return "Chưa biểu quyết. M: mở phiếu cho các đề nghị chưa biểu quyết."
        ballot = ballots.get(row.ballot_id)
        body = board.describe(ballot, row.id)
        if ballot.state == "open" and ballot.kind != "open" and self.manager:
            body += "\nK: kết thúc phiếu và công bố kết quả"
        return body

    def _fast_poll(self) -> None:
        """Poll the change log faster than the app's 1 s while a ballot is open
        and this screen follows it (the chair's or a projector's console), so
        each vote appears well within a second. Members rely on the app's poll."""
        if self.is_current and self._progress and (self.manager or self.member() is None):
            self.app.poll_changes()

    # -- voting --------------------------------------------------------------------------
    def action_to_ballot(self) -> None:
        self.voter.skipped.clear()
        if self._to_ballot():
            return
        # Already voted: change it, where the rule allows, while the ballot is open.
        member_id = self.member().id  # V is offered to members only (check_action)
        for ballot_id, receipt in self.voter.receipts.items():
            if ballots.may_change_vote(self.app.cfg, ballots.get(ballot_id)):
                self.app.push_screen(BallotScreen(self.voter, ballot_id, member_id,
                                                  receipt.choices))
                return
        self.notify("Không có phiếu nào đang mở để bạn bỏ.", markup=False)

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
        item = ballots.get_item(self.list.current.id)
        name = nominations.subject_label(item.nomination)

        def save(values):
            return ballots.enter_paper(self.actor, ballot.id, item.nomination_id,
                                       int(values["_version"]),
                                       **{k: values[k] for k in ballots.PAPER_FIELDS})

        values = {k: "" if v is None else str(v)
                  for k, v in ballots.paper_counts(ballot, item).items()}
        values["_version"] = str(item.version)
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
                    lambda: minutes.issue_meeting_minutes(self.actor, self.app.cfg, session.id))

    def action_tally_minutes(self) -> None:
        ballot = self._current_ballot()
        if ballot is None:
            return
        self._write(f"Ghi biên bản kiểm phiếu (phiếu số {ballot.id}) ra tệp",
                    f"bien-ban-kiem-phieu-{ballot.id}.txt",
                    lambda: minutes.issue_tally_minutes(self.actor, self.app.cfg, ballot.id))
