"""Paper ballots: the secretary enters each name's tally, checked before it is
kept; the close (ballots.py) decides from it."""
from __future__ import annotations

from models.council import ballots, members
from models.council.tables import BallotItem
from models.errors import RuleError
from models.registry.access import Actor, require
from models.store import records

PAPER_FIELDS = ("issued", "returned", "valid", "invalid", "agree", "disagree", "blank")


def paper_counts(ballot, item: BallotItem) -> dict[str, int | None]:
    """The counts entered so far for one name of a paper ballot; until entered,
    the ballots issued are taken to be one per member present."""
    counts = {name: getattr(item, name) for name in PAPER_FIELDS}
    if counts["issued"] is None:
        counts["issued"] = ballot.present
    return counts


def enter_paper(actor: Actor, ballot_id: int, nomination_id: int, version: int,
                **counts) -> BallotItem:
    """The tally of a paper ballot for one name, checked before it is kept."""
    require(actor, *members.SECRETARY, action="nhập kết quả kiểm phiếu")
    ballot = ballots.get(ballot_id)
    if ballot.kind != "paper":
        raise RuleError("Chỉ nhập số phiếu cho phiếu giấy.")
    if ballot.state != "open":
        raise RuleError("Phiếu đã kết thúc: kết quả không sửa được nữa.")
    item = BallotItem.get_or_none((BallotItem.ballot == ballot_id)
                                  & (BallotItem.nomination == nomination_id))
    if item is None:
        raise RuleError("Đề nghị này không có trên phiếu.")
    values = {name: _count_value(counts.get(name), name) for name in PAPER_FIELDS}
    v = values
    if v["issued"] > ballot.present:
        raise RuleError(f"Số phiếu phát ra ({v['issued']}) nhiều hơn số thành viên có mặt "
                        f"({ballot.present}).")
    if v["returned"] > v["issued"]:
        raise RuleError(f"Số phiếu thu về ({v['returned']}) nhiều hơn số phát ra "
                        f"({v['issued']}).")
    if v["valid"] + v["invalid"] != v["returned"]:
        raise RuleError(f"Hợp lệ {v['valid']} + không hợp lệ {v['invalid']} phải bằng số thu về "
                        f"{v['returned']}.")
    if v["agree"] + v["disagree"] + v["blank"] != v["valid"]:
        raise RuleError(f"Đồng ý {v['agree']} + không đồng ý {v['disagree']} + để trống "
                        f"{v['blank']} phải bằng số phiếu hợp lệ {v['valid']}.")
    return records.update(actor, BallotItem, item.id, version, "kết quả kiểm phiếu", **values)


LABELS = {"issued": "Số phiếu phát ra", "returned": "Số phiếu thu về",
          "valid": "Số phiếu hợp lệ", "invalid": "Số phiếu không hợp lệ",
          "agree": "Đồng ý", "disagree": "Không đồng ý", "blank": "Để trống"}


def _count_value(value, name: str) -> int:
    label = LABELS[name]
    if value is None or str(value).strip() == "":
        return 0 if name in ("invalid", "blank") else _missing(label)
    shown = str(value).strip()
    if not shown.isdigit() or not shown.isascii():
        raise RuleError(f"{label} phải là một số nguyên không âm.")
    return int(shown)


def _missing(label: str) -> int:
    raise RuleError(f"Chưa nhập {label.lower()}.")
