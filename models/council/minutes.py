"""What the council's minutes say: the meeting minutes (biên bản họp) and the
tally minutes (biên bản kiểm phiếu). Time (the session's own: its start, the
close of its last ballot), place, attendance by name, each name's title by its
Vietnamese name, counts and result, the members recused by name, the receipt
codes counted, the vote-counting committee (committee.py), the chair and the
secretary (people by name, never logins).

Numbered in the council's own series of the year, "Số: 02/BB-HĐTĐKT": issuing
the same content again keeps its number, a changed content is a new document
with a new number (models/documents/issued.py). The layout is
models/documents/minutes.py.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

from models import text
from models.council import ballots, committee, lists, members, namesakes, sessions
from models.council.tables import ATTENDANCE, Ballot, BallotItem, CouncilSession
from models.documents import issued
from models.errors import RuleError
from models.registry.access import Actor, require
from models.registry.tables import User
from models.store import audit

SERIES = ("BB", "HĐTĐKT")
COUNCIL = "HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG"
UNKNOWN = "..."


@dataclass(frozen=True)
class Minutes:
    """One set of minutes: its parts in reading order, `table` the tally's rows
    (name, title, agree, disagree, blank, invalid, result)."""
    kind: str                       # "minutes" or "tally"
    record_id: int                  # the session or the ballot
    year: int
    day: dt.date
    title: str
    summary: str
    sections: list[tuple[str, list[str]]]
    chair: str
    secretary: str
    table: list[tuple[str, ...]] = field(default_factory=list)
    receipts: list[str] = field(default_factory=list)
    number: int | None = None

    def content(self) -> str:
        """Everything the minutes say but their number: what the issued number
        is kept to."""
        parts = [self.kind, str(self.record_id), self.day.isoformat(), self.title, self.summary]
        for heading, lines in self.sections:
            parts += [heading, *lines]
        parts += ["\t".join(row) for row in self.table]
        return "\n".join(parts + self.receipts + [self.chair, self.secretary])


def _people(session: CouncilSession):
    serving = members.members(session.held_on)
    chair = next((m for m in serving if m.role == "chair"), None)
    secretary = next((m for m in serving if m.role == "secretary"), None)
    return serving, chair, secretary


def _name(member) -> str:
    return members.member_name(member) if member else ""


def person_of(login: str) -> str:
    """The name of the account `login` ("" when none): minutes name people."""
    user = User.get_or_none(User.login == login) if login else None
    return user.display_name if user else ""


def _counters(session_id: int) -> str:
    """The vote-counting committee by name and council title ("" when none recorded)."""
    return "; ".join(f"{_name(m)} ({members.role_name(m)})"
                     for m in committee.of_session(session_id))


def _clock(at: dt.datetime | None) -> str:
    return f"{audit.local_time(at):%H:%M}" if at else UNKNOWN


def session_end(session_id: int) -> dt.datetime | None:
    """When the session's business ended: the close of its last ballot."""
    closed = [b.closed_at for b in ballots.of_session(session_id) if b.closed_at]
    return max(closed) if closed else None


def _titles(cfg, codes) -> str:
    return ", ".join(cfg.title(code).name for code in codes)


def _recused(ballot: Ballot) -> dict[int, list[str]]:
    """item id -> "name (why)" of each member who did not vote on it."""
    return {item: [f"{_name(members.get(m))} ({why})" for m, why in by_member.items()]
            for item, by_member in ballots.recusals(ballot.id).items()}


def _said(items: list[BallotItem]) -> dict[int, str]:
    """nomination id -> the name as the minutes write it (namesakes.written)."""
    return namesakes.written([item.nomination for item in items])


def _item_lines(cfg, ballot: Ballot, said: dict[int, str]) -> list[str]:
    lines = []
    recused = _recused(ballot)
    blank = "để trống" if ballot.kind == "paper" else "không biểu quyết"
    for i, item in enumerate(ballots.items(ballot.id), 1):
        lines.append(f"{i}. {said[item.nomination_id]} - đề nghị "
                     f"{cfg.title(item.nomination.title_code).name}.")
        lines += lists.notes(item.nomination)
        result = ballots.result_of(item)
        if result is None:
            lines.append("Chưa có kết quả.")
            continue
        c = result.counts
        lines.append(f"Đồng ý: {c.agree}; không đồng ý: {c.disagree}; {blank}: {c.abstain}"
                     + (f"; không hợp lệ: {c.invalid}" if ballot.kind == "paper" else "")
                     + (f"; không bỏ phiếu: {c.not_voted}" if c.not_voted else "") + ".")
        if recused.get(item.id):
            lines.append("Không biểu quyết do liên quan: " + "; ".join(recused[item.id]) + ".")
        if c.written:
            counted = "được tính" if result.counted_written else "không tính"
            lines.append(f"Ý kiến bằng văn bản ({counted}): đồng ý {c.written_agree}, "
                         f"không đồng ý {c.written_disagree}, không biểu quyết "
                         f"{c.written_abstain}.")
        lines.append(f"Kết quả: {result.text()}.")
    return lines


def meeting(cfg, session_id: int) -> Minutes:
    session = sessions.get_session(session_id)
    serving, chair, secretary = _people(session)
    marks = sessions.attendance(session_id)
    present = [m for m in serving if marks.get(m.id) == "present"]
    written = [m for m in serving if marks.get(m.id) == "written"]
    q = sessions.quorum(cfg, session_id)
    held = session.ballots.exists()
    opening = [
        f"Thời gian: bắt đầu {session.starts_at or UNKNOWN}, kết thúc "
        f"{_clock(session_end(session_id)) if held else UNKNOWN} ngày "
        f"{text.format_date(session.held_on)}.",
        f"Địa điểm: {session.place or UNKNOWN}.",
        f"Chủ trì: {_name(chair) or UNKNOWN}; thư ký: {_name(secretary) or UNKNOWN}.",
    ]
    counters = _counters(session_id)
    if counters:
        opening.append(f"Ban kiểm phiếu: {counters}.")
    attendance = [
        f"Tổng số thành viên Hội đồng: {len(serving)}; có mặt: {len(present)}; vắng mặt: "
        f"{len(serving) - len(present)} (trong đó có ý kiến bằng văn bản: {len(written)})."]
    attendance += [f"{i}. {_name(m)} - {members.role_name(m)}: "
                   f"{ATTENDANCE.get(marks.get(m.id, 'absent'), '')}."
                   for i, m in enumerate(serving, 1)]
    attendance.append("Phiên họp " + ("đủ số thành viên theo quy chế." if q.met else
                                      f"chưa đủ số thành viên (cần {q.needed})."))
    business = [f"Hội đồng xem xét {len(sessions.agenda(session_id))} đề nghị khen thưởng."]
    said = _said([i for b in ballots.of_session(session_id) for i in ballots.items(b.id)])
    for ballot in ballots.of_session(session_id):
        business.append(f"Phiếu số {ballot.id}: {ballots.kind_name(ballot)}"
                        + (f" (biểu quyết lại phiếu số {ballot.replaces_id}: {ballot.reason})"
                           if ballot.replaces_id else "")
                        + (f"; mở khi chưa đủ số vì: {ballot.quorum_override}"
                           if ballot.quorum_override else "") + ".")
        business += _item_lines(cfg, ballot, said)
    agreed = [i for b in ballots.of_session(session_id) for i in ballots.items(b.id) if i.passed]
    passed = [f"{said[i.nomination_id]} ({cfg.title(i.nomination.title_code).name})"
              for i in agreed]
    cases = sum(lists.cases(i.nomination_id) for i in agreed)  # a village's list: its households
    conclusion = [f"Hội đồng thống nhất đề nghị khen thưởng {cases} trường hợp"
                  + (": " + "; ".join(passed) + "." if passed else ".")]
    return Minutes("minutes", session.id, session.year, session.held_on, "Biên bản họp",
                   f"Hội đồng Thi đua - Khen thưởng xã {cfg.commune.name}",
                   [("", opening), ("I. THÀNH PHẦN", attendance),
                    ("II. NỘI DUNG", business), ("III. KẾT LUẬN", conclusion)],
                   _name(chair), _name(secretary))


def _tally_row(cfg, item: BallotItem, name: str) -> tuple[str, ...]:
    result = ballots.result_of(item)
    title = cfg.title(item.nomination.title_code).name
    if result is None:
        return (name, title, "", "", "", "", "Chưa có kết quả")
    c = result.counts
    return (name, title, str(c.agree), str(c.disagree), str(c.abstain), str(c.invalid),
            "Thông qua" if result.passed else "Không thông qua")


def tally(cfg, ballot_id: int) -> Minutes:
    ballot = ballots.get(ballot_id)
    session = sessions.get_session(ballot.session_id)
    _serving, chair, secretary = _people(session)
    counters = _counters(session.id)
    opened_by, closed_by = person_of(ballot.opened_by), person_of(ballot.closed_by)
    opening = [
        f"Phiên họp ngày {text.format_date(session.held_on)}, tại {session.place or UNKNOWN}.",
        # A show of hands needs no committee; a secret or paper ballot is not issued
        # without one (committee.why_no_tally).
        *([f"Ban kiểm phiếu: {counters or UNKNOWN}."]
          if counters or ballot.kind in committee.COUNTED else []),
        f"Bắt đầu bỏ phiếu: {_clock(ballot.opened_at)}"
        + (f" ({opened_by} mở phiếu)" if opened_by else "") + "; kết thúc: "
        + (f"{_clock(ballot.closed_at)}" + (f" ({closed_by} kết thúc phiếu)" if closed_by else "")
           if ballot.closed_at else "chưa kết thúc") + ".",
        f"Tổng số thành viên: {ballot.members}; có mặt: {ballot.present}; "
        f"được bỏ phiếu: {ballot.voters}.",
    ]
    if ballot.kind != "paper" and ballot.state == "closed":
        opening.append(f"Số thành viên đã bỏ phiếu: {len(ballots.voters_done(ballot.id))}/"
                       f"{ballot.voters}.")
    items = ballots.items(ballot.id)
    said = _said(items)
    for item in items:
        if ballot.kind == "paper" and item.issued is not None:
            opening.append(f"{said[item.nomination_id]}: phát ra {item.issued}, "
                           f"thu về {item.returned}, hợp lệ {item.valid}, "
                           f"không hợp lệ {item.invalid}.")
    codes = ballots.receipts(ballot)
    return Minutes("tally", ballot.id, session.year, session.held_on, "Biên bản kiểm phiếu",
                   f"Phiếu số {ballot.id}: {ballots.kind_name(ballot)} - "
                   f"{_titles(cfg, ballots.title_codes(ballot.id))}",
                   [("", opening), ("KẾT QUẢ TỪNG NGƯỜI", _item_lines(cfg, ballot, said))],
                   _name(chair), _name(secretary),
                   table=[_tally_row(cfg, item, said[item.nomination_id]) for item in items],
                   receipts=codes)


def sessions_held() -> tuple[tuple[str, str], ...]:
    """(session id, "Số 3 · 24/11/2026 · place") of every session, the latest first:
    the minutes of an earlier session stay reachable."""
    return tuple((str(s.id), f"Số {s.id} · {text.format_date(s.held_on)} · {s.place}")
                 for s in CouncilSession.select().order_by(CouncilSession.held_on.desc(),
                                                           CouncilSession.id.desc()))


def _numbered(actor: Actor, minutes: Minutes, what: str, earlier: int | None) -> Minutes:
    number = issued.number_for(actor, minutes.kind, minutes.record_id, minutes.year, SERIES,
                               minutes.content(), what, earlier)
    return replace(minutes, number=number)


def issue_meeting_minutes(actor: Actor, cfg, session_id: int) -> Minutes:
    """The meeting minutes with their number (a new one when the content changed)."""
    require(actor, *members.RUN, action="lập biên bản họp Hội đồng")
    session = sessions.get_session(session_id)
    return _numbered(actor, meeting(cfg, session_id),
                     f"Biên bản họp Hội đồng ngày {text.format_date(session.held_on)}",
                     session.minutes_number)


def issue_tally_minutes(actor: Actor, cfg, ballot_id: int) -> Minutes:
    """The tally minutes of a closed ballot with their number; a secret or paper
    ballot's once its session's counting committee is recorded."""
    require(actor, *members.RUN, action="lập biên bản kiểm phiếu")
    ballot = ballots.get(ballot_id)
    refused = committee.why_no_tally(ballot)
    if refused:
        raise RuleError(refused)
    return _numbered(actor, tally(cfg, ballot_id), f"Biên bản kiểm phiếu, phiếu số {ballot.id}",
                     ballot.tally_number)
