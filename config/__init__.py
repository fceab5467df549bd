"""Configuration of thidua: TOML files read into frozen dataclasses.

    from config import load_config, ConfigError
    cfg = load_config()                    # shipped defaults + the user's file
    cfg.title("LDTT").coefficient_individual   # Fraction(3, 10)
    cfg.voting_rule("LDTT").passes(7, members=9, present=7, valid=7)
    cfg.base_salary_on(date(2024, 12, 20))     # 2340000

Rules that differ between communes, provinces and years live in
``default.toml`` (shipped) and the user's overlay, never in code.  This package
imports nothing else of thidua, and never Textual.
"""

from .errors import ConfigError
from .loader import DEFAULT_FILE, find_user_file, load_config
from .model import (Backup, Commune, Config, Database, DayMonth, Deadlines, Eligibility, Fund,
                    Money, Posting, SalaryStep, Ssh, Title, Ui, VotingRule, on_year)
from .paths import config_dir, data_dir, user_config_file

__all__ = [
    "ConfigError", "load_config", "find_user_file", "DEFAULT_FILE",
    "Config", "Commune", "Title", "SalaryStep", "Money", "VotingRule", "Deadlines", "Posting",
    "Fund", "Eligibility", "Database", "Backup", "Ssh", "Ui", "DayMonth", "on_year",
    "config_dir", "data_dir", "user_config_file",
]
