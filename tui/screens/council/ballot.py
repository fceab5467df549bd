"""A member's ballot: the names of one open ballot, a choice for each, sent at
once. The console (console.py) brings it up by itself when the member has a
ballot to vote on (`thidua --as LOGIN --open vote` lands here), and again on V.

Keys are plain digits (the list has the focus, nothing is typed here): 1/2/3 or
Space choose, Enter or Ctrl+S send.
"""
from __future__ import annotations

from textual.binding import Binding

from models.awards import nominations
from models.council import ballots
from models.council.tables import CHOICES
from models.errors import ThiduaError
from tui.screens.council.base import CHOICE_KEYS, CouncilView, Voter, VoteRow, choice_label
from tui.widgets.form import Confirm
from tui.widgets.lazylist import Row

CYCLE = list(CHOICE_KEYS.values())


class BallotScreen(CouncilView):
    COLUMNS = (("Người được đề nghị", 0), ("Lựa chọn của bạn", 30))
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
        self._sheet: list[tuple[int, int, str, str]] | None = None

    def hand_over(self) -> bool:
        # Under a confirmation, wait for it to close: dismissing would close it instead.
        if self.changing or not self.is_active or ballots.get(self.ballot_id).state == "open":
            return False
        self.dismiss()  # closed meanwhile: back to the console, which shows the results
        return True

    def rows(self) -> list[Row]:
        """The names of the ballot, read once when it comes up; a key press only
        redraws the choices."""
        if self._sheet is None:
            self._sheet = [(line.item.id, line.item.nomination_id,
                            nominations.subject_label(line.item.nomination), line.recused)
                           for line in ballots.sheet(self.ballot_id, self.member_id)]
        rows: list[Row] = []
        for item_id, nomination_id, name, why in self._sheet:
            if why:
                rows.append(VoteRow(item_id, (name, "không biểu quyết (liên quan)"), "recused",
                                    self.ballot_id, nomination_id,
                                    f"Bạn không biểu quyết {name}: bạn {why}."))
            else:
                rows.append(VoteRow(item_id, (name, choice_label(self.choices.get(nomination_id))),
                                    "vote", self.ballot_id, nomination_id))
        return rows

    def detail(self, row: Row | None) -> str:
        recused = [r for r in self.all_rows() if r.kind == "recused"]
        lines = ["1 Đồng ý · 2 Không đồng ý · 3 Không biểu quyết · Enter: gửi phiếu"]
        if row is not None and row.kind == "recused":
            lines.append(row.note)
        elif recused:
            lines.append(f"Bạn không biểu quyết {len(recused)} tên trên phiếu này "
                         "(bạn được đề nghị, hoặc đứng đầu đơn vị được đề nghị).")
        if self.changing:
            lines.append("Đang sửa phiếu đã gửi (quy chế cho phép khi phiếu còn mở).")
        return "\n".join(lines)

    # -- choosing and sending ------------------------------------------------------------
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

    def action_confirm(self) -> None:
        rows = [r for r in self.all_rows() if r.kind == "vote"]
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
        self.app.push_screen(Confirm(f"Gửi phiếu số {self.ballot_id} ({len(rows)} tên: "
                                     f"{summary})?\nPhiếu đã gửi thì không sửa được, trừ khi "
                                     "quy chế cho phép."),
                             lambda yes: self._send(rows) if yes else None)

    def _send(self, rows: list[Row]) -> None:
        choices = {r.nomination_id: self.choices[r.nomination_id] for r in rows}
        cfg, ballot_id = self.app.cfg, self.ballot_id
        try:
            if self.changing:
                receipt = ballots.change_vote(self.actor, cfg, ballot_id, choices,
                                              self.voter.receipts.get(ballot_id))
            else:
                receipt = ballots.cast(self.actor, cfg, ballot_id, choices)
        except ThiduaError as exc:
            self.refuse(exc)
            return
        self.voter.receipts[ballot_id] = receipt
        self.notify("Đã ghi phiếu của bạn.", markup=False)
        self.dismiss()

    def action_back(self) -> None:
        if not self.changing:
            self.voter.skipped.add(self.ballot_id)
        self.dismiss()
