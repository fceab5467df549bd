"""The council's meeting minutes (biên bản họp) in the Decree 30 layout: the council
under the commune at the top left, its own number series ("Số: 02/BB-HĐTĐKT"), the
session's day, the parts of models/council/minutes.py, the secretary's and the chair's
signatures. Issuing it numbers it (the same content keeps its number); tally.py lays
out the tally minutes the same way."""
from __future__ import annotations

from pathlib import Path

from models.awards import decisions
from models.council import minutes, sessions
from models.documents import builder
from models.errors import NotFound, RuleError
from models.registry.access import Actor

TALLY_COLUMNS = [("TT", 0.8, "center"), ("Người được đề nghị", 3.8, "left"),
                 ("Danh hiệu, hình thức", 3.0, "left"), ("Đồng ý", 1.5, "center"),
                 ("Không đồng ý", 1.7, "center"), ("Trống", 1.4, "center"),
                 ("Không hợp lệ", 1.6, "center"), ("Kết quả", 2.7, "left")]


def number_of(value: str, what: str) -> int:
    """The short number an officer reads on the council's screens."""
    if not (value or "").strip().isdigit():
        raise RuleError(f"Số {what} “{value}” phải là một số (xem màn hình F7).")
    return int(value)


def find(value: str, year: int) -> int:
    """The session numbered `value` (its number on the F7 screen); `year` unused."""
    session_id = number_of(value, "phiên họp")
    if sessions.CouncilSession.get_or_none(sessions.CouncilSession.id == session_id) is None:
        raise NotFound(f"Không có phiên họp số {session_id}.")
    return session_id


def council_lines(cfg) -> list[str]:
    """The issuer at the top left: the council under its commune."""
    place = builder.issuing_lines(cfg)[-1]
    return [f"UBND {place}", minutes.COUNCIL]


def render(cfg, made: minutes.Minutes, columns=None) -> builder.Document:
    doc = builder.Document(cfg)
    number = decisions.format_number(made.number, *minutes.SERIES) if made.number else \
        f"    /{minutes.SERIES[0]}-{minutes.SERIES[1]}"
    doc.heading(f"Số: {number}", made.day, body=council_lines(cfg))
    doc.title(made.title, made.summary)
    for heading, lines in made.sections:
        if heading:
            doc.line(heading, bold=True, align="left", before=6, after=3)
        for value in lines:
            doc.text(value, after=3)
    if made.table and columns:
        doc.table(columns, ([n, *row] for n, row in enumerate(made.table, 1)))
    if made.receipts:
        doc.line(f"MÃ BIÊN NHẬN CÁC PHIẾU ĐÃ KIỂM ({len(made.receipts)})", bold=True,
                 align="left", before=12, after=3)
        doc.text("Mỗi thành viên tìm thấy mã mình đã nhận trên màn hình; danh sách sắp theo "
                 "thứ tự, không cho biết ai đã chọn gì.", italic=True, after=3)
        doc.text("  ".join(made.receipts))
    doc.text("Biên bản được lập xong lúc cuối phiên họp, đã đọc lại cho Hội đồng nghe và "
             "thống nhất./.", after=6)
    doc.sign(builder.Signature("CHỦ TRÌ", "(Ký, ghi rõ họ tên)", made.chair),
             left=["THƯ KÝ", "(Ký, ghi rõ họ tên)", *[""] * builder.SIGNATURE_SPACE,
                   made.secretary])
    return doc


def write_docx(cfg, session_id: int, path: Path, actor: Actor) -> Path:
    return render(cfg, minutes.issue_meeting_minutes(actor, cfg, session_id)).save(path)
