"""A member's ballot: the names of one open ballot, a choice for each, sent at
once. The console (console.py) brings it up by itself when the member has a
ballot to vote on (`thidua --as LOGIN --open vote` lands here), and again on V.

Keys are plain digits (the list has the focus, nothing is typed here): 1/2/3 or
Space choose, Enter or Ctrl+S send. The cursor rests only on names the member
votes on (votelist.py); a recused name is marked "không tham gia" with the
reason on the line under it, and counted apart in the panel below the list.

The ballot may close, or go away, at any moment from another session, also while
the confirmation is open: sending then says so and the member is taken back to
the console, which shows the results.
"""
from __future__ import annotations

from textual.binding import Binding

from models.awards import history
from models.council import ballots, namesakes
from models.council.tables import CHOICES
from models.errors import NotFound, ThiduaError
from tui.screens.council.base import CHOICE_KEYS, CouncilView, Voter, VoteRow, choice_label
from tui.screens.council.receipt import ReceiptScreen
from tui.screens.council.votelist import NOTE, VOTABLE, VoteList
from tui.widgets.form import Confirm
from tui.widgets.lazylist import Row

CYCLE = list(CHOICE_KEYS.values())


class BallotScreen(CouncilView):
    COLUMNS = (("Người được đề nghị", 0), ("Danh hiệu", 22), ("Lựa chọn của bạn", 20))
    LIST = VoteList
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
        Binding("escape", "back", "Về", id="vote.back"),
    ]
    status_note = "  ·  PHIẾU CỦA BẠN: 1/2/3 chọn, Enter gửi"

    def __init__(self, voter: Voter, ballot_id: int, member_id: int,
                 choices: dict[int, str] | None = None) -> None:
        """`choices` given: a vote already sent, changed while the rule allows it."""
        super().__init__()
        self.voter = voter
        self.ballot_id, self.member_id = ballot_id, member_id
        self.changing = choices is not None
        self.choices: dict[int, str] = dict(choices or {})
        self._sheet: list[tuple[int, int, str, str, str]] | None = None
        self._who: dict[int, str] = {}   # nomination id -> date of birth and unit

    def _ballot_over(self) -> bool:
        try:
            return ballots.get(self.ballot_id).state != "open"
        except NotFound:
            return True

    def hand_over(self) -> bool:
        # Under a confirmation, wait for it to close: dismissing would close it instead.
        if not self.is_active or not self._ballot_over():
            return False
        self.notify(f"Phiếu số {self.ballot_id} đã kết thúc.", markup=False)
        self._leave()  # back to the console, which shows the results
        return True

    def _leave(self) -> None:
        """Back to the console, once: a screen already taken off (the ballot closed
        while the confirmation was open) must not take the console off with it."""
        if self.is_current:
            self.dismiss()

    def rows(self) -> list[Row]:
        """The names of the ballot, read once when it comes up; a key press only
        redraws the choices."""
        if self._sheet is None:
            titles = self.app.cfg.titles
            sheet = ballots.sheet(self.ballot_id, self.member_id)
            names = namesakes.names([line.item.nomination for line in sheet])
            self._who = names.details
            self._sheet = [(line.item.id, line.item.nomination_id,
                            names.labels[line.item.nomination_id],
                            history.title_name(titles, line.item.nomination.title_code),
                            line.recused)
                           for line in sheet]
        rows: list[Row] = []
        for item_id, nomination_id, name, title, why in self._sheet:
            if why:
                note = f"Bạn không biểu quyết {name}: bạn {why}."
                rows.append(VoteRow(item_id, (name, title, "-- không tham gia"), "recused",
                                    self.ballot_id, nomination_id, note))
                rows.append(VoteRow(-item_id, (f"   (không tham gia: bạn {why})",), NOTE,
                                    self.ballot_id, nomination_id, note))
            else:
                rows.append(VoteRow(item_id, (name, title,
                                              choice_label(self.choices.get(nomination_id))),
                                    VOTABLE, self.ballot_id, nomination_id))
        return rows

    def _recused(self) -> list[str]:
        return [why for *_rest, why in self._sheet or () if why]

    def detail(self, row: Row | None) -> str:
        names = len(self._sheet or ())
        who = self._who.get(row.nomination_id, "") if row is not None else ""
        # Whom the highlighted name is for, first: two "Trần Văn Bình" differ here.
        count = (f"{who}\n" if who else "") + f"Phiếu số {self.ballot_id}: {names} tên"
        reasons: dict[str, int] = {}
        for why in self._recused():
            reasons[why] = reasons.get(why, 0) + 1
        count += "".join(f", {n} không biểu quyết vì {why}" for why, n in reasons.items())
        if names and len(self._recused()) == names:
            return count + ".\nBạn không biểu quyết tên nào trên phiếu này. Esc: về."
        action = ("Đang sửa phiếu đã gửi (quy chế cho phép khi phiếu còn mở)"
                  if self.changing else "1 Đồng ý · 2 Không đồng ý · 3 Không biểu quyết")
        return f"{count}.\n{action} · Enter: gửi phiếu"

    # -- choosing and sending ------------------------------------------------------------
    def _votable_current(self) -> Row | None:
        """The row a choice goes to; a key that has none is answered, never dropped."""
        row = self.list.current
        if row is not None and row.kind == VOTABLE:
            return row
        self.notify(row.note if row is not None else "Bạn không biểu quyết tên nào trên phiếu "
                    "này.", severity="warning", markup=False)
        return None

    def action_choose(self, choice: str) -> None:
        row = self._votable_current()
        if row is None:
            return
        self.choices[row.nomination_id] = choice
        self.list.reload()
        self.list.action_move(1)

    def action_cycle(self) -> None:
        row = self._votable_current()
        if row is None:
            return
        now = self.choices.get(row.nomination_id)
        nxt = CYCLE[(CYCLE.index(now) + 1) % 3] if now in CYCLE else CYCLE[0]
        self.choices[row.nomination_id] = nxt
        self.list.reload()

    def action_confirm(self) -> None:
        rows = self.list.votable_rows()
        if not rows:
            self._votable_current()
            return
        missing = [r for r in rows if r.nomination_id not in self.choices]
        if missing:
            self.notify(f"Còn {len(missing)} tên chưa chọn (1: đồng ý, 2: không đồng ý, "
                        "3: không biểu quyết).", severity="warning", markup=False)
            self.list.go_to({missing[0].id})
            return
        # The choices as confirmed: what is sent is what the question showed.
        choices = {r.nomination_id: self.choices[r.nomination_id] for r in rows}
        counts = {c: sum(1 for v in choices.values() if v == c) for c in CHOICES}
        summary = ", ".join(f"{CHOICES[c]}: {n}" for c, n in counts.items() if n)
        self.app.push_screen(Confirm(f"Gửi phiếu số {self.ballot_id} ({len(rows)} tên: "
                                     f"{summary})?\nPhiếu đã gửi thì không sửa được, trừ khi "
                                     "quy chế cho phép."),
                             lambda yes: self._send(choices) if yes else None)

    def _send(self, choices: dict[int, str]) -> None:
        cfg, ballot_id = self.app.cfg, self.ballot_id
        try:
            if self.changing:
                receipt = ballots.change_vote(self.actor, cfg, ballot_id, choices,
                                              self.voter.receipts.get(ballot_id))
            else:
                receipt = ballots.cast(self.actor, cfg, ballot_id, choices)
        except ThiduaError as exc:
            # Closed or gone under the confirmation, among others: said, never fatal.
            self.refuse(exc)
            if self._ballot_over():
                self._leave()
            return
        self.voter.receipts[ballot_id] = receipt
        self._leave()
        if receipt.code:
            self.app.push_screen(ReceiptScreen(ballot_id, receipt.code))
        else:
            self.notify("Đã ghi phiếu của bạn.", markup=False)

    def action_back(self) -> None:
        if not self.changing:
            self.voter.skipped.add(self.ballot_id)
        self._leave()
