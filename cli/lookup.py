"""`thidua lookup QUERY [--json]`: for the officer answering a citizen on the phone,
everyone who matches (people, households, units) with their awards, one a line."""
from __future__ import annotations

import json

from models import text
from models.awards import history
from models.errors import RuleError


def _award(row: history.AwardRow) -> dict:
    return {"year": row.year, "title_code": row.title_code, "title": row.title_name,
            "decision": row.decision_ref,
            "decided_on": row.decided_on.isoformat() if row.decided_on else None,
            "level": row.level, "level_name": row.level_name,
            # Only on a revoked award, so that the others read as they always have.
            **({"revoked": row.revoked} if row.revoked else {})}


def _award_lines(row: history.AwardRow) -> list[str]:
    """"  2023  Lao động tiên tiến · QĐ 112/QĐ-UBND ngày 15/12/2023 · Cấp xã", and
    below a revoked one "        Đã hủy bỏ: Quyết định Số: … ngày …, <reason>"."""
    decision = f"QĐ {row.decision_ref}" if row.decision_ref else "chưa rõ số quyết định"
    if row.date_text:
        decision += f" ngày {row.date_text}"
    line = f"  {row.year}  {row.title_name} · {decision} · {row.level_name}"
    # A revoked award stays in the history, marked, with the decision that revoked it.
    return [f"{line} (đã hủy bỏ)", f"        {row.revoked}"] if row.revoked else [line]


def show(cfg, query: str, as_json: bool, limit: int) -> int:
    if not text.fold(query):
        raise RuleError("Gõ tên, mã hộ hay tên đơn vị cần tra cứu.")
    if limit < 1:
        raise RuleError("--limit phải từ 1 trở lên.")
    total = history.count(query)
    matches = history.find(query, 0, limit)
    found = [(m, history.history_of(m.kind, m.id, cfg.titles)) for m in matches]
    if as_json:
        print(json.dumps({"query": query, "total": total, "matches": [
            {"kind": m.kind, "id": m.id, "name": m.name, "about": m.about,
             "awards": [_award(a) for a in awards]} for m, awards in found]},
            ensure_ascii=False, indent=2))
        return 0 if matches else 1
    if not matches:
        print(f"Không tìm thấy ai khớp “{text.visible(query)}”.")
        return 1
    for match, awards in found:
        about = f" ({match.about})" if match.about else ""
        print(text.visible(f"{history.KINDS[match.kind]}: {match.name}{about}"))
        lines = ([line for a in awards for line in _award_lines(a)]
                 or ["  chưa có khen thưởng nào được ghi nhận"])
        print("\n".join(map(text.visible, lines)))
    if total > len(matches):
        print(f"… và {total - len(matches)} kết quả khác: gõ cụ thể hơn, hoặc thêm --limit.")
    return 0
