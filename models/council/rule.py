"""How the counts of one name make its result (`decide`), by the title's rule.

- members: the council's members when the ballot opened, less those recused;
- present: members present, less those recused;
- valid ballots: agree + disagree + abstain/blank (a blank or abstaining ballot
  is valid and is not agreement); invalid ones, and members who did not vote,
  are outside it;
- written opinions of absent members count, when the rule says so, as votes:
  in agree/disagree/abstain, in the valid ballots and among the present;
- passes when agree >= threshold x base, exactly (config.VotingRule.passes): a
  result exactly on the threshold, e.g. a tie at 50 %, passes; a base of 0 fails.
"""
from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass
from fractions import Fraction

BASE_NAMES = {"all": "tổng số thành viên", "present": "số thành viên có mặt",
              "valid": "số phiếu hợp lệ"}


@dataclass(frozen=True)
class Counts:
    members: int            # all members, less the recused
    present: int            # present members, less the recused
    agree: int
    disagree: int
    abstain: int = 0        # abstained (on screen) or blank (on paper): valid, not agreement
    invalid: int = 0        # paper only
    not_voted: int = 0      # present but cast nothing before the close
    written_agree: int = 0
    written_disagree: int = 0
    written_abstain: int = 0
    issued: int | None = None      # paper only
    returned: int | None = None    # paper only
    recused: int = 0

    @property
    def valid(self) -> int:
        return self.agree + self.disagree + self.abstain

    @property
    def written(self) -> int:
        return self.written_agree + self.written_disagree + self.written_abstain


@dataclass(frozen=True)
class Result:
    counts: Counts
    rule: str
    base_kind: str
    threshold: str           # "7/10"
    counted_written: bool
    agree: int               # counted agreement (written opinions included when they count)
    base: int
    needed: int              # the fewest "agree" that pass
    passed: bool

    def text(self) -> str:
        share = f"{_percent(Fraction(self.agree, self.base))}" if self.base else "—"
        verdict = "thông qua" if self.passed else "không thông qua"
        return (f"{self.agree}/{self.base} đồng ý ({share} {BASE_NAMES[self.base_kind]}, "
                f"cần từ {_percent(Fraction(self.threshold))}): {verdict}")

    def brief(self) -> str:
        """The result in a list's column: "5/7 đồng ý · THÔNG QUA"."""
        return f"{self.agree}/{self.base} đồng ý · " + ("THÔNG QUA" if self.passed
                                                       else "KHÔNG THÔNG QUA")

    def as_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, data: str) -> "Result":
        raw = json.loads(data)
        return cls(**{**raw, "counts": Counts(**raw["counts"])})


def _percent(value: Fraction) -> str:
    shown = f"{float(value * 100):.1f}".replace(".", ",")
    return shown.removesuffix(",0") + "%"


def decide(rule, counts: Counts) -> Result:
    """The result of one name by `rule` (config.VotingRule)."""
    counted = bool(rule.count_written_opinions)
    agree = counts.agree + (counts.written_agree if counted else 0)
    present = counts.present + (counts.written if counted else 0)
    valid = counts.valid + (counts.written if counted else 0)
    base = rule.base_count(members=counts.members, present=present, valid=valid)
    needed = max(1, math.ceil(rule.threshold * base)) if base else 0
    passed = rule.passes(agree, members=counts.members, present=present, valid=valid)
    threshold = Fraction(rule.threshold)
    return Result(counts, rule.name, rule.base, f"{threshold.numerator}/{threshold.denominator}",
                  counted, agree, base, needed, passed)
