"""The worked examples of DOMAIN.md, "Award money"."""
import datetime as dt

import pytest

from config import load_config
from models.awards.money import award_amount
from models.errors import RuleError

CFG = load_config(env={})


@pytest.mark.parametrize("decided_on, code, subject, amount", [
    (dt.date(2024, 12, 20), "LDTT", "individual", 710_000),
    (dt.date(2024, 12, 20), "TTLDTT", "collective", 1_880_000),
    (dt.date(2024, 12, 20), "CSTDCS", "individual", 2_340_000),
    (dt.date(2023, 12, 15), "LDTT", "individual", 540_000),
    (dt.date(2023, 12, 15), "TTLDXS", "collective", 2_700_000),
])
def test_worked_examples(decided_on, code, subject, amount):
    assert award_amount(CFG, code, subject, decided_on) == amount


def test_salary_in_force_on_the_decision_date_not_the_year():
    assert award_amount(CFG, "LDTT", "individual", dt.date(2024, 6, 30)) == 540_000
    assert award_amount(CFG, "LDTT", "individual", dt.date(2024, 7, 1)) == 710_000


def test_title_without_money():
    assert award_amount(CFG, "GDVH", "household", dt.date(2024, 12, 20)) == 0


def test_unknown_title_and_date_before_the_table_are_clear_errors():
    with pytest.raises(RuleError, match="LDTX"):
        award_amount(CFG, "LDTX", "individual", dt.date(2024, 12, 20))
    with pytest.raises(RuleError, match="lương cơ sở"):
        award_amount(CFG, "LDTT", "individual", dt.date(2020, 1, 1))
