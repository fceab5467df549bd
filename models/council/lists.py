"""Gia đình văn hóa lists before the council, where a commune turns the title's
`council` switch on: each village's households are one line of a ballot, not
2,920 names on the members' screens.

A line is held on the agenda and on a ballot by one of its households'
nominations (its `nomination`, the first one), so that every rule of a ballot
(quorum, recusal, written opinions, counting, revoting) applies to it as to any
name. What the council's screens and minutes say of a line goes through `label`
(of any name through namesakes.py, which tells two "Trần Văn Bình" apart); the
line's result goes to every household on it (`record_result`): passed or failed,
each with the ballot's counts, and the households the council excluded before
the vote (`exclude`, with a reason, named in the minutes) fail when the list
passes.
"""
from __future__ import annotations

import peewee as pw

from models import text
from models.awards import nominations
from models.awards.tables import DecisionAward, Nomination, NominationBatch
from models.council.tables import Ballot, BallotItem, ListLine, ListMember
from models.errors import RuleError
from models.registry.access import Actor, require
from models.registry.tables import Household, Unit
from models.store import bulk as bulkio
from models.store import changelog, records

EXCLUDED = "Hội đồng loại khỏi danh sách"


# --- reading ------------------------------------------------------------------------------------

def line_of(nomination_id: int) -> ListLine | None:
    """The line `nomination_id` holds on the agenda and the ballots; None for any
    other name."""
    return ListLine.get_or_none(ListLine.nomination == nomination_id)


def member_of(nomination_id: int) -> ListMember | None:
    """The household's place on a line, if its nomination was put before the
    council on one."""
    return ListMember.get_or_none(ListMember.nomination == nomination_id)


def _members(line_id: int, excluded: bool | None = None) -> pw.ModelSelect:
    query = ListMember.select().where(ListMember.line == line_id)
    if excluded is not None:
        query = query.where((ListMember.excluded != "") if excluded
                            else (ListMember.excluded == ""))
    return query


def exclusions(line_id: int) -> list[tuple[str, str]]:
    """("Hộ <head>", reason) of each household the council takes off the line, in
    the order of the list."""
    rows = (_members(line_id, excluded=True).select(ListMember.excluded, Household.head_name)
            .join(Nomination).join(Household).order_by(Nomination.id).tuples())
    return [(f"Hộ {head}", why) for why, head in rows]


def label(nom: Nomination) -> str:
    """Whom a name of the council is for: a person, a household or a unit, or for a
    line "Danh sách Thôn Đông: 118 hộ (loại 2 hộ)" (the title is beside it)."""
    line = line_of(nom.id)
    if line is None:
        return nominations.subject_label(nom)
    out = _members(line.id, excluded=True).count()
    return (f"{line.label}: {line.households - out} hộ"
            + (f" (loại {out} hộ)" if out else ""))


def cases(nomination_id: int) -> int:
    """How many awards a name stands for: the households kept on a line, else 1."""
    line = line_of(nomination_id)
    return 1 if line is None else _members(line.id, excluded=False).count()


def notes(nom: Nomination) -> list[str]:
    """What the minutes add under a line: the households excluded, by name, and why."""
    line = line_of(nom.id)
    if line is None:
        return []
    found = exclusions(line.id)
    if not found:
        return [f"Cả {line.households} hộ trong danh sách, không hộ nào bị loại."]
    return [f"{EXCLUDED} {len(found)} hộ: "
            + "; ".join(f"{name} ({why})" for name, why in found) + "."]


def waiting() -> list[int]:
    """The lines still before the council (their nominations), oldest first: what a
    session's agenda takes when none are named."""
    return [i for (i,) in ListLine.select(ListLine.nomination).join(Nomination)
            .where(Nomination.state == "at_council").order_by(ListLine.id).tuples()]


# --- putting a list before the council ---------------------------------------------------------

def put_before_council(actor: Actor, cfg, batch_id: int, ids: list[int]) -> list[ListLine]:
    """One line per village for the households `ids` of the list just taken to the
    council (call inside that transaction)."""
    batch = records.get(NominationBatch, batch_id, "danh sách đề nghị")
    title = cfg.title(batch.title_code).name  # the line's name without a village
    by_village: dict[int | None, list[int]] = {}
    for chunk in (ids[i:i + 900] for i in range(0, len(ids), 900)):
        for nom_id, village in (Nomination.select(Nomination.id, Nomination.proposing_unit)
                                .where(Nomination.id.in_(chunk)).tuples()):
            by_village.setdefault(village, []).append(nom_id)
    names = dict(Unit.select(Unit.id, Unit.name)
                 .where(Unit.id.in_([v for v in by_village if v is not None])).tuples())
    lines = []
    for village, members in sorted(by_village.items(),
                                   key=lambda kv: text.fold(names.get(kv[0], ""))):
        members.sort()
        line = records.insert(actor, ListLine, batch=batch_id, village=village,
                              nomination=members[0], households=len(members),
                              label=f"Danh sách {names.get(village) or title}")
        for chunk in pw.chunked([(line.id, m) for m in members], 4000):
            bulkio.insert_rows(ListMember, [ListMember.line, ListMember.nomination], chunk)
        changelog.record(actor.login, "list_member", None, "bulk",
                         after={"line": line.id, "rows": len(members)})
        lines.append(line)
    return lines


def on_a_line(ids: list[int]) -> bool:
    """Whether any of these nominations waits for the council on a line: then only
    the line's ballot decides them."""
    return any(ListMember.select().where(ListMember.nomination.in_(ids[i:i + 900])).exists()
               for i in range(0, len(ids), 900))


# --- the council excludes a household --------------------------------------------------------

def _on_open_ballot(line: ListLine) -> bool:
    return (BallotItem.select().join(Ballot)
            .where((BallotItem.nomination == line.nomination_id) & (Ballot.state == "open"))
            .exists())


def exclude(actor: Actor, nomination_id: int, reason: str) -> ListMember:
    """Take a household off its line before the line's ballot opens: the list is
    voted without it, and it fails with `reason` when the list passes. The caller
    checks the roles and cleans `reason`."""
    member = member_of(nomination_id)
    if member is None or Nomination.get_by_id(nomination_id).state != "at_council":
        raise RuleError("Hộ này không có trong danh sách đang chờ Hội đồng biểu quyết.")
    if _on_open_ballot(member.line):
        raise RuleError(f"Phiếu biểu quyết {member.line.label} đang mở: không loại hộ được "
                        "nữa; kết thúc phiếu, rồi biểu quyết lại nếu cần.")
    before = changelog.snapshot(member)
    ListMember.update(excluded=reason, excluded_by=actor.login).where(
        ListMember.id == member.id).execute()
    member = ListMember.get_by_id(member.id)
    changelog.record(actor.login, "list_member", member.id, "update", before=before,
                     after=changelog.snapshot(member))
    return member


# --- the ballot's result, and voting again -------------------------------------------------------

def _ids(line_id: int, excluded: bool | None = None, state: str = "at_council") -> list[int]:
    """The line's households (kept, excluded or all) whose nomination is in `state`."""
    return [i for (i,) in _members(line_id, excluded).select(ListMember.nomination)
            .join(Nomination).where(Nomination.state == state)
            .order_by(ListMember.nomination).tuples()]


def record_result(actor: Actor, nomination_id: int, passed: bool, reason: str) -> None:
    """A closed ballot's result for one name: for a line, every household on it
    (the excluded ones fail, with their reason, when the list passes)."""
    line = line_of(nomination_id)
    if line is None:
        nominations.record_council_result(actor, nomination_id, passed, reason)
        return
    require(actor, *nominations.COUNCIL_ROLES, action="ghi kết quả biểu quyết")
    if not passed:
        nominations.bulk_move(actor, _ids(line.id), ("at_council",), "failed", reason)
        return
    nominations.bulk_move(actor, _ids(line.id, excluded=False), ("at_council",), "passed",
                          reason)
    for nom_id, why in (_members(line.id, excluded=True)
                        .select(ListMember.nomination, ListMember.excluded).join(Nomination)
                        .where(Nomination.state == "at_council").tuples()):
        nominations.bulk_move(actor, [nom_id], ("at_council",), "failed",
                              f"{reason}; {EXCLUDED}: {why}")


def back_to_council(actor: Actor, nomination_id: int, reason: str) -> None:
    """A name goes before the council again (a revote): for a line, every household
    on it; refused once a decision lists one of them."""
    line = line_of(nomination_id)
    if line is None:
        nominations.back_to_council(actor, nomination_id, reason)
        return
    require(actor, *nominations.COUNCIL_ROLES, action="đưa đề nghị ra Hội đồng biểu quyết lại")
    listed = DecisionAward.select().where(DecisionAward.nomination.in_(
        ListMember.select(ListMember.nomination).where(ListMember.line == line.id)))
    if listed.exists():
        raise RuleError(f"{line.label}: đã có hộ trong một quyết định, không biểu quyết lại "
                        "được.")
    nominations.bulk_move(actor, _ids(line.id, state="passed") + _ids(line.id, state="failed"),
                          ("passed", "failed"), "at_council", reason)
