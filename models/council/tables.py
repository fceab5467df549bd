"""The tables of the council (Hội đồng Thi đua - Khen thưởng), its sessions and
ballots (DOMAIN.md step 7, "Council voting"). Operations live in members.py
(members, terms, who runs the council), sessions.py (sessions, agenda,
attendance, quorum), ballots.py (ballots, votes, paper counts, results),
committee.py (the vote-counting committee) and minutes.py; board.py reads what
the council's screens show.

Secrecy of a secret ballot is a property of these tables, not of the screens:

- while a secret ballot is open its choices exist only sealed (ballots.py,
  sealing.py): `BallotVoter` says who has voted and carries one ciphertext of
  fixed length, opened only with a private key kept in a file outside the
  database; no counter moves until the close writes the totals and erases
  the ciphertexts, the key and the write history;
- `SecretTally` (counters per item and choice) is what ballots before
  migration 11 used; nothing writes it now;
- `NamedVote` (member + choice) is used for open ballots only.

The unique index of `BallotVoter` (ballot, member) is what makes a second vote
by the same member impossible, whatever the code above it does.
"""
from __future__ import annotations

import peewee as pw

from models.awards.tables import Nomination, NominationBatch
from models.registry.tables import Unit, User
from models.store.tables import BaseModel, Versioned, utcnow

COUNCIL_ROLES = {
    "chair": "Chủ tịch Hội đồng",
    "vice_chair": "Phó Chủ tịch Hội đồng",
    "standing": "Ủy viên thường trực",
    "secretary": "Thư ký Hội đồng",
    "member": "Ủy viên",
}
ATTENDANCE = {"present": "Có mặt", "absent": "Vắng mặt",
              "written": "Vắng, có ý kiến bằng văn bản"}
CHOICES = {"agree": "Đồng ý", "disagree": "Không đồng ý", "abstain": "Không biểu quyết"}
BALLOT_KINDS = {"secret": "Bỏ phiếu kín", "open": "Biểu quyết công khai",
                "paper": "Phiếu giấy (kiểm phiếu)"}
BALLOT_STATES = {"open": "Đang bỏ phiếu", "closed": "Đã kết thúc"}


class CouncilMember(Versioned):
    """A member of the council, signed in as `user`, for a term."""
    user = pw.ForeignKeyField(User, backref="council_terms", on_delete="RESTRICT",
                              verbose_name="người dùng")
    role = pw.CharField(max_length=12, verbose_name="chức danh trong Hội đồng")
    term_from = pw.DateField(verbose_name="nhiệm kỳ từ")
    term_to = pw.DateField(null=True, verbose_name="nhiệm kỳ đến")
    position = pw.IntegerField(default=0, verbose_name="thứ tự")


class CouncilSession(Versioned):
    """A meeting of the council: when, where, and the minutes' number."""
    held_on = pw.DateField(verbose_name="ngày họp")
    starts_at = pw.CharField(max_length=5, default="", verbose_name="giờ bắt đầu")
    place = pw.CharField(max_length=300, default="", verbose_name="địa điểm")
    year = pw.IntegerField(index=True)
    # No longer written: a ballot opened without quorum keeps its own reason.
    quorum_override = pw.TextField(default="", verbose_name="lý do họp khi chưa đủ số")
    minutes_number = pw.IntegerField(null=True, verbose_name="số biên bản họp")
    created_by = pw.CharField(max_length=64)


class AgendaItem(BaseModel):
    """A nomination before the session."""
    session = pw.ForeignKeyField(CouncilSession, backref="agenda", on_delete="CASCADE")
    nomination = pw.ForeignKeyField(Nomination, on_delete="RESTRICT")
    position = pw.IntegerField()

    class Meta:
        indexes = ((("session", "nomination"), True),)


class Attendance(Versioned):
    session = pw.ForeignKeyField(CouncilSession, backref="attendance", on_delete="CASCADE")
    member = pw.ForeignKeyField(CouncilMember, on_delete="RESTRICT")
    status = pw.CharField(max_length=8, verbose_name="điểm danh")

    class Meta:
        indexes = ((("session", "member"), True),)


class WrittenOpinion(BaseModel):
    """An absent member's signed written opinion on a nomination: named by nature."""
    session = pw.ForeignKeyField(CouncilSession, on_delete="CASCADE")
    member = pw.ForeignKeyField(CouncilMember, on_delete="RESTRICT")
    nomination = pw.ForeignKeyField(Nomination, on_delete="RESTRICT")
    choice = pw.CharField(max_length=8)

    class Meta:
        indexes = ((("session", "member", "nomination"), True),)


class Ballot(Versioned):
    """One ballot paper: one nomination, or several of the same title."""
    session = pw.ForeignKeyField(CouncilSession, backref="ballots", on_delete="RESTRICT")
    title_code = pw.CharField(max_length=20)
    kind = pw.CharField(max_length=8)                # secret | open | paper
    state = pw.CharField(max_length=8, default="open")
    members = pw.IntegerField(default=0)             # all members when opened
    present = pw.IntegerField(default=0)             # present members when opened
    voters = pw.IntegerField(default=0)              # of them, those with a name to vote on
    opened_by = pw.CharField(max_length=64)
    opened_at = pw.DateTimeField(default=utcnow)
    closed_by = pw.CharField(max_length=64, default="")
    closed_at = pw.DateTimeField(null=True)
    quorum_override = pw.TextField(default="")       # why it opened without quorum
    replaces = pw.ForeignKeyField("self", null=True, backref="replaced_by", on_delete="RESTRICT")
    reason = pw.TextField(default="")                # why voting again
    tally_number = pw.IntegerField(null=True)        # Số .../BB-HĐTĐKT of the tally minutes
    # A secret ballot (migration 11): the public key its choices are sealed to, the
    # file of its private key (erased at the close), the members present when it
    # opened (JSON list of ids: only they vote), the receipt codes counted (sorted,
    # written at the close), and whether its write history still waits to be erased.
    public_key = pw.CharField(max_length=64, default="")
    key_file = pw.TextField(default="")
    electorate = pw.TextField(default="")
    receipts = pw.TextField(default="")
    pending_erase = pw.BooleanField(default=False)


class BallotItem(Versioned):
    """A name on a ballot paper, with its counts once the ballot is closed (or
    entered from paper)."""
    ballot = pw.ForeignKeyField(Ballot, backref="items", on_delete="CASCADE")
    nomination = pw.ForeignKeyField(Nomination, on_delete="RESTRICT")
    position = pw.IntegerField()
    # Paper ballots, entered by the secretary.
    issued = pw.IntegerField(null=True, verbose_name="số phiếu phát ra")
    returned = pw.IntegerField(null=True, verbose_name="số phiếu thu về")
    valid = pw.IntegerField(null=True, verbose_name="số phiếu hợp lệ")
    invalid = pw.IntegerField(null=True, verbose_name="số phiếu không hợp lệ")
    agree = pw.IntegerField(null=True, verbose_name="đồng ý")
    disagree = pw.IntegerField(null=True, verbose_name="không đồng ý")
    blank = pw.IntegerField(null=True, verbose_name="phiếu trống/không biểu quyết")
    # The result, written when the ballot closes.
    result = pw.TextField(default="")                # JSON of ballots.Result
    passed = pw.BooleanField(null=True)

    class Meta:
        indexes = ((("ballot", "nomination"), True),)


class Recusal(BaseModel):
    """A member who does not vote on a name: the nominee, or the head of the unit."""
    item = pw.ForeignKeyField(BallotItem, backref="recusals", on_delete="CASCADE")
    member = pw.ForeignKeyField(CouncilMember, on_delete="RESTRICT")
    why = pw.CharField(max_length=200)

    class Meta:
        indexes = ((("item", "member"), True),)


class BallotVoter(BaseModel):
    """Participation: this member has voted on this ballot. No time.
    The unique index is the database's guarantee of one vote per member.

    `sealed`: a secret vote's choices and receipt code, sealed to the ballot's
    public key, padded so that every choice gives the same length. `seal` is
    set only when the rule lets a confirmed secret vote change: the hash of a
    random token that only the voter's session holds in memory, so that session
    alone may replace its ciphertext. Both emptied when the ballot closes."""
    ballot = pw.ForeignKeyField(Ballot, on_delete="CASCADE")
    member = pw.ForeignKeyField(CouncilMember, on_delete="RESTRICT")
    seal = pw.CharField(max_length=64, default="")
    sealed = pw.TextField(default="")

    class Meta:
        indexes = ((("ballot", "member"), True),)


class SecretTally(BaseModel):
    """The choices of a secret ballot as counters: how many chose `choice` for the
    item. Nothing here names a member or tells when or in which order."""
    item = pw.ForeignKeyField(BallotItem, on_delete="CASCADE")
    choice = pw.CharField(max_length=8)
    count = pw.IntegerField(default=0)

    class Meta:
        # Rows are created, all at zero, when the ballot opens; a vote only adds
        # one in place. (No WITHOUT ROWID: nothing here is per vote, and
        # PostgreSQL has no such clause.)
        primary_key = pw.CompositeKey("item", "choice")


class NamedVote(BaseModel):
    """A vote of an open ballot: who chose what, shown to everyone."""
    item = pw.ForeignKeyField(BallotItem, on_delete="CASCADE")
    member = pw.ForeignKeyField(CouncilMember, on_delete="RESTRICT")
    choice = pw.CharField(max_length=8)

    class Meta:
        indexes = ((("item", "member"), True),)


class Conflict(BaseModel):
    """A conflict of interest on a nomination (a relative, a business partner...),
    declared by the member or recorded by the chair: the member does not vote on
    it, beside the nominee and the head of the nominated unit (migration 11)."""
    session = pw.ForeignKeyField(CouncilSession, on_delete="CASCADE")
    nomination = pw.ForeignKeyField(Nomination, on_delete="RESTRICT")
    member = pw.ForeignKeyField(CouncilMember, on_delete="RESTRICT")
    reason = pw.CharField(max_length=150, verbose_name="lý do")
    recorded_by = pw.CharField(max_length=64)
    recorded_at = pw.DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("session", "nomination", "member"), True),)


COUNCIL_TABLES = [CouncilMember, CouncilSession, AgendaItem, Attendance, WrittenOpinion, Ballot,
                  BallotItem, Recusal, BallotVoter, SecretTally, NamedVote, Conflict]
SEALED_COLUMNS = [(Ballot, "public_key"), (Ballot, "key_file"), (Ballot, "electorate"),
                  (Ballot, "receipts"), (Ballot, "pending_erase"), (BallotVoter, "sealed")]


def create(database: pw.Database) -> None:
    """Migration 5 (models/store/migrations.py)."""
    database.create_tables(COUNCIL_TABLES)


class ListLine(Versioned):
    """A village's Gia đình văn hóa households before the council as one line of a
    ballot (migration 14): the agenda and the ballot hold its `nomination`, the
    first household's, and the line's result goes to every household on it
    (models/council/lists.py)."""
    batch = pw.ForeignKeyField(NominationBatch, on_delete="RESTRICT")
    village = pw.ForeignKeyField(Unit, null=True, on_delete="RESTRICT")
    nomination = pw.ForeignKeyField(Nomination, unique=True, on_delete="RESTRICT")
    households = pw.IntegerField(verbose_name="số hộ")
    label = pw.CharField(max_length=400, verbose_name="tên danh sách")


class ListMember(BaseModel):
    """A household's nomination on a line; `excluded` is why the council takes it off
    the list voted with it ("" while it stays on)."""
    line = pw.ForeignKeyField(ListLine, backref="members", on_delete="CASCADE")
    nomination = pw.ForeignKeyField(Nomination, unique=True, on_delete="RESTRICT")
    excluded = pw.TextField(default="")
    excluded_by = pw.CharField(max_length=64, default="")


LIST_TABLES = [ListLine, ListMember]


class CountingMember(Versioned):
    """A member of a session's vote-counting committee (ban kiểm phiếu), chosen among
    the members present (migration 15): the tally minutes name them."""
    session = pw.ForeignKeyField(CouncilSession, backref="counters", on_delete="CASCADE")
    member = pw.ForeignKeyField(CouncilMember, on_delete="RESTRICT")

    class Meta:
        indexes = ((("session", "member"), True),)
