"""The proposal (tờ trình) to the province for titles the commune cannot award, with its
nomination list: whom, told apart by date of birth and unit, and for which title."""
from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from pathlib import Path

from models import text
from models.awards import proposals
from models.awards.history import title_name
from models.awards.tables import Nomination, Proposal, ProposalItem
from models.documents import builder, subjects
from models.documents.decision import SUBJECT_WORDS
from models.errors import NotFound

KIND = "proposal"
COLUMNS = [("TT", 0.9, "center"), ("Họ và tên / Tập thể", 4.8, "left"),
           ("Ngày sinh", 2.8, "center"), ("Đơn vị, thôn", 3.9, "left"),
           ("Danh hiệu, hình thức đề nghị", 4.1, "left")]


def _number_line(proposal: Proposal) -> str:
    if proposal.number is not None:
        return proposals.reference(proposal)
    return f"Số:       /{proposals.DOC_TYPE}-UBND"


def find(value: str, year: int) -> int:
    """The submitted proposal numbered `value` ("3" or "03/TTr-UBND") in `year`."""
    match = re.fullmatch(r"\s*(?:Số:\s*)?0*(\d+)\s*(?:/\s*TTr\s*-\s*UBND\s*)?",
                         text.nfc(value or ""))
    found = match and (Proposal.select(Proposal.id)
                       .where((Proposal.number == int(match.group(1)))
                              & (Proposal.proposed_on >= dt.date(year, 1, 1))
                              & (Proposal.proposed_on <= dt.date(year, 12, 31))).scalar())
    if not found:
        raise NotFound(f"Không có tờ trình đã ký số “{text.visible(value)}” năm {year}.")
    return found


def _lines(proposal_id: int):
    listed = ProposalItem.select(ProposalItem.nomination).where(
        ProposalItem.proposal == proposal_id)
    return subjects.read(subjects.lines(Nomination, Nomination.id.in_(listed), amounts=False))


def build(cfg, proposal_id: int) -> builder.Document:
    p = proposals.get(proposal_id)
    commune, province = cfg.commune.name, cfg.commune.province
    doc = builder.Document(cfg)
    doc.heading(_number_line(p), p.proposed_on if p.number is not None else None)
    doc.title("Tờ trình", p.title)
    doc.line(f"Kính gửi: Chủ tịch Ủy ban nhân dân tỉnh {province}", after=12)
    doc.grounds(KIND)
    counts = Counter((line.title_code, line.subject.kind) for line in _lines(p.id))
    doc.text(f"Ủy ban nhân dân xã {commune} kính trình Chủ tịch Ủy ban nhân dân tỉnh "
             f"{province} xem xét, khen thưởng cho {sum(counts.values())} tập thể, cá nhân "
             "có thành tích xuất sắc, gồm:")
    for (code, kind), n in sorted(counts.items()):
        doc.text(f"- {title_name(cfg.titles, code)}: {n} {SUBJECT_WORDS[kind]};", after=0)
    doc.text("(Có danh sách và hồ sơ kèm theo)", italic=True)
    if p.note:
        doc.text(p.note)
    doc.text(f"Ủy ban nhân dân xã {commune} kính trình Chủ tịch Ủy ban nhân dân tỉnh xem "
             "xét, quyết định./.")
    doc.sign(builder.signature(cfg, p.signer), KIND)
    doc.page_break()
    doc.line("DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG", bold=True)
    doc.line(f"(Kèm theo Tờ trình {_number_line(p).removeprefix('Số: ')} của Ủy ban nhân dân "
             f"xã {commune})", italic=True, after=12)
    doc.table(COLUMNS, ([n, line.subject.label, line.subject.birth, line.subject.where,
                         title_name(cfg.titles, line.title_code)]
                        for n, line in enumerate(_lines(p.id), 1)))
    return doc


def write_docx(cfg, proposal_id: int, path: Path) -> Path:
    return build(cfg, proposal_id).save(path)
