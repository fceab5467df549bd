"""The council's minutes as plain text: the meeting minutes (biên bản họp) and
the tally minutes (biên bản kiểm phiếu). Time, place, attendance, each name's
counts and result, the chair and the secretary. Numbered in the council's own
series of the year, "Số: 02/BB-HĐTĐKT" (the register of numbers of
decisions.py), once: writing the minutes again keeps their number.

Plain text until the documents issue provides .docx.
"""
from __future__ import annotations

from models import text
from models.awards import decisions, nominations
from models.council import ballots, members, sessions
from models.council.tables import ATTENDANCE, Ballot, CouncilSession
from models.errors import RuleError
from models.registry import commune
from models.registry.access import Actor, require
from models.store import audit, records
from models.store.tables import database

DOC_TYPE, ISSUER = "BB", "HĐTĐKT"
WIDTH = 78


def _number(value: int | None) -> str:
    return "Số: " + (decisions.format_number(value, DOC_TYPE, ISSUER) if value
                     else f"..../{DOC_TYPE}-{ISSUER}")


def _header(cfg, number: int | None, day) -> list[str]:
    profile = commune.profile()
    place = profile.place_name if profile else cfg.commune.place_name
    left = [cfg.commune.issuing_body, "HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG", _number(number)]
    right = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", ""]
    lines = [f"{a:<40}{b}".rstrip() for a, b in zip(left, right)]
    lines.append(" " * 40 + text.format_long_date(day, place))
    return lines


def _people(session: CouncilSession):
    serving = members.members(session.held_on)
    chair = next((m for m in serving if m.role == "chair"), None)
    secretary = next((m for m in serving if m.role == "secretary"), None)
    return serving, chair, secretary


def _signatures(chair, secretary) -> list[str]:
    name = lambda m: members.member_name(m) if m else ""  # noqa: E731
    return ["", f"{'THƯ KÝ':<40}CHỦ TRÌ", f"{'(ký, ghi rõ họ tên)':<40}(ký, ghi rõ họ tên)",
            "", "", f"{name(secretary):<40}{name(chair)}"]


def _item_lines(ballot: Ballot) -> list[str]:
    lines = []
    title = ballot.title_code
    for i, item in enumerate(ballots.items(ballot.id), 1):
        name = nominations.subject_label(item.nomination)
        result = ballots.result_of(item)
        lines.append(f"  {i}. {name} ({title})")
        if result is None:
            lines.append("     Chưa có kết quả.")
            continue
        c = result.counts
        blank = "để trống" if ballot.kind == "paper" else "không biểu quyết"
        lines.append(f"     Đồng ý: {c.agree}; không đồng ý: {c.disagree}; {blank}: {c.abstain}"
                     + (f"; không hợp lệ: {c.invalid}" if ballot.kind == "paper" else "")
                     + (f"; không bỏ phiếu: {c.not_voted}" if c.not_voted else "")
                     + (f"; không biểu quyết do liên quan: {c.recused}" if c.recused else ""))
        if c.written:
            counted = "được tính" if result.counted_written else "không tính"
            lines.append(f"     Ý kiến bằng văn bản ({counted}): đồng ý {c.written_agree}, "
                         f"không đồng ý {c.written_disagree}, không biểu quyết "
                         f"{c.written_abstain}")
        lines.append(f"     Kết quả: {result.text()}.")
    return lines


def meeting_minutes(cfg, session_id: int) -> str:
    session = sessions.get_session(session_id)
    serving, chair, secretary = _people(session)
    marks = sessions.attendance(session_id)
    present = [m for m in serving if marks.get(m.id) == "present"]
    written = [m for m in serving if marks.get(m.id) == "written"]
    q = sessions.quorum(cfg, session_id)
    when = f"{session.starts_at + ' ' if session.starts_at else ''}ngày " \
           f"{text.format_date(session.held_on)}"
    lines = _header(cfg, session.minutes_number, session.held_on) + [
        "", "BIÊN BẢN HỌP".center(WIDTH).rstrip(),
        "Hội đồng Thi đua - Khen thưởng xã".center(WIDTH).rstrip(), "",
        f"Thời gian: {when}", f"Địa điểm: {session.place or '...'}",
        f"Chủ trì: {members.member_name(chair) if chair else '...'}",
        f"Thư ký: {members.member_name(secretary) if secretary else '...'}", "",
        "I. THÀNH PHẦN",
        f"Tổng số thành viên Hội đồng: {len(serving)}; có mặt: {len(present)}; vắng mặt: "
        f"{len(serving) - len(present)} (trong đó có ý kiến bằng văn bản: {len(written)}).",
    ]
    for i, m in enumerate(serving, 1):
        status = ATTENDANCE.get(marks.get(m.id, "absent"), "")
        lines.append(f"  {i}. {members.member_name(m)} - {members.role_name(m)}: {status}")
    lines.append("Phiên họp " + ("đủ số thành viên theo quy chế." if q.met else
                                 f"chưa đủ số thành viên (cần {q.needed})."))
    lines += ["", "II. NỘI DUNG",
              f"Hội đồng xem xét {len(sessions.agenda(session_id))} đề nghị khen thưởng."]
    for ballot in ballots.of_session(session_id):
        lines += ["", f"Phiếu số {ballot.id}: {ballots.kind_name(ballot)}"
                  + (f" (biểu quyết lại phiếu số {ballot.replaces_id}: {ballot.reason})"
                     if ballot.replaces_id else "")
                  + (f"; mở khi chưa đủ số vì: {ballot.quorum_override}"
                     if ballot.quorum_override else "")]
        lines += _item_lines(ballot)
    lines += ["", "III. KẾT LUẬN"]
    passed = [nominations.subject_label(i.nomination) for b in ballots.of_session(session_id)
              for i in ballots.items(b.id) if i.passed]
    lines.append(f"Hội đồng thống nhất đề nghị khen thưởng {len(passed)} trường hợp"
                 + (": " + "; ".join(passed) + "." if passed else "."))
    lines += _signatures(chair, secretary)
    return "\n".join(text.visible(line) for line in lines) + "\n"


def tally_minutes(cfg, ballot_id: int) -> str:
    ballot = ballots.get(ballot_id)
    session = sessions.get_session(ballot.session_id)
    _serving, chair, secretary = _people(session)
    opened = audit.local_time(ballot.opened_at)
    closed = audit.local_time(ballot.closed_at) if ballot.closed_at else None
    lines = _header(cfg, ballot.tally_number, session.held_on) + [
        "", "BIÊN BẢN KIỂM PHIẾU".center(WIDTH).rstrip(),
        f"Phiếu số {ballot.id}: {ballots.kind_name(ballot)} - "
        f"{cfg.title(ballot.title_code).name}".center(WIDTH).rstrip(), "",
        f"Phiên họp ngày {text.format_date(session.held_on)}, tại {session.place or '...'}.",
        f"Mở phiếu: {opened:%H:%M} bởi {ballot.opened_by}; kết thúc: "
        + (f"{closed:%H:%M} bởi {ballot.closed_by}." if closed else "chưa kết thúc."),
        f"Tổng số thành viên: {ballot.members}; có mặt: {ballot.present}; "
        f"được bỏ phiếu: {ballot.voters}.",
    ]
    if ballot.kind != "paper" and ballot.state == "closed":
        voted = len(ballots.voters_done(ballot.id))
        lines.append(f"Số thành viên đã bỏ phiếu: {voted}/{ballot.voters}.")
    lines += ["", "KẾT QUẢ TỪNG NGƯỜI"]
    for item in ballots.items(ballot.id):
        if ballot.kind == "paper" and item.issued is not None:
            lines.append(f"  {nominations.subject_label(item.nomination)}: phát ra {item.issued}, "
                         f"thu về {item.returned}, hợp lệ {item.valid}, "
                         f"không hợp lệ {item.invalid}.")
    lines += _item_lines(ballot)
    lines += _signatures(chair, secretary)
    return "\n".join(text.visible(line) for line in lines) + "\n"


def issue_meeting_minutes(actor: Actor, cfg, session_id: int) -> str:
    """The meeting minutes, numbered on first issue."""
    require(actor, *members.RUN, action="lập biên bản họp Hội đồng")
    with database.atomic():
        session = sessions.get_session(session_id)
        if session.minutes_number is None:
            number = decisions.reserve_number(actor, session.year, DOC_TYPE, ISSUER,
                                              what=f"Biên bản họp Hội đồng ngày "
                                                   f"{text.format_date(session.held_on)}")
            records.update(actor, CouncilSession, session.id, session.version, sessions.SESSION,
                           minutes_number=number)
    return meeting_minutes(cfg, session_id)


def issue_tally_minutes(actor: Actor, cfg, ballot_id: int) -> str:
    """The tally minutes of a closed ballot, numbered on first issue."""
    require(actor, *members.RUN, action="lập biên bản kiểm phiếu")
    with database.atomic():
        ballot = ballots.get(ballot_id)
        if ballot.state != "closed":
            raise RuleError("Phiếu chưa kết thúc: chưa lập biên bản kiểm phiếu được.")
        if ballot.tally_number is None:
            session = sessions.get_session(ballot.session_id)
            number = decisions.reserve_number(actor, session.year, DOC_TYPE, ISSUER,
                                              what=f"Biên bản kiểm phiếu, phiếu số {ballot.id}")
            records.update(actor, Ballot, ballot.id, ballot.version, ballots.WHAT,
                           tally_number=number)
    return tally_minutes(cfg, ballot_id)
