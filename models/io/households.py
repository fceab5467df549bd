"""Importing households: their columns, the plan (a household matches by its code, else
by its head's name and its village) and the writes, a few statements for thousands of
rows.
"""
from __future__ import annotations

from models import fields, text
from models.errors import RuleError
from models.io.plan import Column, ImportPlan, RowPlan, cell_text, each_row, first_seen
from models.io.reader import Table
from models.registry import codes, units
from models.registry.access import Actor
from models.registry.tables import Household
from models.store import bulk

COLUMNS = [
    Column("code", "Mã hộ", ("mã hộ gia đình",), hint="để trống: tự đặt (HO00001...)"),
    Column("head_name", "Chủ hộ", ("họ tên chủ hộ", "tên chủ hộ"), True),
    Column("village", "Thôn", ("thôn/xóm", "tên thôn"), True),
    Column("address", "Địa chỉ"),
]
EXAMPLE = {"code": "HO00001", "head_name": "Nguyễn Văn An", "village": "Thôn 1",
           "address": "xóm Đông"}


def _code(value) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        # Before codes, the households export wrote each household's number here.
        raise RuleError(f"Mã hộ {cell_text(value)} là một số: tệp xuất từ phiên bản trước ghi "
                        "số thứ tự của hộ, không phải mã hộ; hãy xuất lại danh sách hộ")
    return codes.typed(Household, cell_text(value))


def villages() -> dict[str, int]:
    """Village search key -> unit id: how a file names a village."""
    return {u.search_key: u.id for u in units.villages()}


def plan_rows(table: Table, columns: dict[str, int], cfg=None) -> list[RowPlan]:
    village_ids = villages()
    by_code: dict[str, Household] = {}
    by_head: dict[tuple, list[Household]] = {}
    for h in Household.select():
        by_code[(h.code or "").upper()] = h
        by_head.setdefault((h.search_key, h.village_id), []).append(h)
    seen: dict[tuple, int] = {}
    out = []
    for p, cell in each_row(table, columns, "head_name"):
        code = p.check(_code, cell("code"))
        head = p.check(fields.name, cell_text(cell("head_name")), "Chủ hộ")
        village_name = cell_text(cell("village")).strip()
        village = village_ids.get(text.fold(village_name))
        if not village_name:
            p.errors.append("thiếu tên thôn")
        elif village is None:
            p.errors.append(f"không có thôn “{text.visible(village_name)}”")
        address = p.check(fields.optional_text, cell_text(cell("address")), "Địa chỉ")
        match = None
        if code:
            first_seen(seen, code.upper(), p, "cùng mã hộ")
            match = by_code.get(code.upper())
        elif code is not None and head is not None and village is not None:
            key = (text.fold(head), village)
            first_seen(seen, key, p, "cùng chủ hộ, cùng thôn")
            same_head = by_head.get(key, [])
            if len(same_head) > 1:
                p.errors.append(f"có {len(same_head)} hộ cùng chủ hộ “{text.visible(head)}” ở "
                                "thôn này; ghi mã hộ để chỉ rõ")
            match = same_head[0] if len(same_head) == 1 else None
        p.values = {"code": code or "", "head_name": head, "village": village,
                    "address": address or ""}
        if match is not None:
            p.target_id = match.id
            p.action = "same" if (match.head_name, match.village_id, match.address) == \
                (head, village, address or "") else "update"
        out.append(p)
    return out


def _new_codes(rows: list[RowPlan]) -> list[str]:
    """The code of each new household: the file's, else the next free "HO....." after
    the highest id (a bulk insert cannot ask codes.next_for row by row)."""
    prefix, width = codes.PREFIXES[Household]
    taken = {c.upper() for (c,) in Household.select(Household.code).tuples() if c}
    taken |= {r.values["code"].upper() for r in rows if r.values["code"]}
    n = Household.select(Household.id).order_by(Household.id.desc()).scalar() or 0
    out = []
    for r in rows:
        code = r.values["code"]
        while not code:
            n += 1
            candidate = f"{prefix}{n:0{width}d}"
            code = "" if candidate in taken else candidate
        out.append(code)
    return out


def _values(v: dict) -> dict:
    return {"head_name": v["head_name"], "search_key": text.search_key(v["head_name"]),
            "sort_key": text.sort_key(v["head_name"]), "village": v["village"],
            "address": v["address"]}


def write(actor: Actor, plan: ImportPlan) -> None:
    new = [r for r in plan.rows if r.action == "insert"]
    bulk.insert_logged(actor, Household, [{**_values(r.values), "code": code}
                                          for r, code in zip(new, _new_codes(new))])
    bulk.update_logged(actor, Household, [(r.target_id, _values(r.values))
                                          for r in plan.rows if r.action == "update"])
