"""Award money: coefficient × the base salary in force on the decision date,
rounded as the configuration says (Decree 98/2023, Art. 53-54: up to 10,000 đ)."""
from __future__ import annotations

import datetime as dt

from models.errors import RuleError


def award_amount(cfg, title_code: str, subject: str, decided_on: dt.date) -> int:
    """The amount for one award, in đồng; 0 for titles that carry no money."""
    try:
        title = cfg.title(title_code)
        coefficient = title.coefficient_for(subject)
        base = cfg.base_salary_on(decided_on)
    except (KeyError, ValueError) as exc:
        raise RuleError(str(exc).strip("'\"")) from None
    return cfg.money.round(coefficient * base) if coefficient else 0
