"""Tests of the config package: shipped defaults, overlay, file lookup, errors."""

from __future__ import annotations

import dataclasses
import os
import re
import subprocess
import sys
from datetime import date
from fractions import Fraction
from pathlib import Path

import pytest

from config import DEFAULT_FILE, Config, ConfigError, load_config, model, schema
from config.kinds import ArrayOf, MapOf, Table
from tests.ui_helpers import ui_store

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """An environment with an empty home, so the real user's config never leaks in."""
    home = tmp_path / "home"
    home.mkdir()
    return {"HOME": str(home)}


@pytest.fixture
def cfg(env) -> Config:
    return load_config(env=env)


def write(tmp_path: Path, text: str, name: str = "user.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# --- the shipped defaults match DOMAIN.md ------------------------------------

def test_default_loads_alone(cfg: Config):
    assert cfg.sources == (str(DEFAULT_FILE),)
    assert cfg.commune.name == "Hòa Phong"
    assert cfg.commune.place_name == "Hòa Phong"
    assert cfg.commune.province == "Phú Yên"
    assert cfg.commune.issuing_body == "ỦY BAN NHÂN DÂN"
    assert cfg.commune.remote_area is False


def test_default_titles_and_coefficients(cfg: Config):
    assert list(cfg.titles) == ["LDTT", "CSTDCS", "TTLDTT", "TTLDXS", "GIAYKHEN", "GDVH", "THONVH"]
    f = Fraction
    assert cfg.title("LDTT").coefficient_individual == f("0.3")
    assert cfg.title("CSTDCS").coefficient_individual == 1
    assert cfg.title("TTLDTT").coefficient_collective == f("0.8")
    assert cfg.title("TTLDXS").coefficient_collective == f("1.5")
    assert cfg.title("GIAYKHEN").coefficient_individual == f("0.3")
    assert cfg.title("GIAYKHEN").coefficient_collective == f("0.6")
    assert cfg.title("GDVH").coefficient_for("household") == 0
    assert cfg.title("THONVH").coefficient_for("village") == f("1.5")
    assert cfg.title("LDTT").coefficient_collective == 0


def test_default_title_rules(cfg: Config):
    ldtt, cstdcs = cfg.title("LDTT"), cfg.title("CSTDCS")
    assert ldtt.name == "Lao động tiên tiến"
    assert ldtt.subjects == ("individual",) and ldtt.frequency == ("yearly",)
    assert ldtt.prerequisites == () and ldtt.min_months_since_recruitment == 6
    assert ldtt.decided_by == "chairman" and ldtt.voting == "title"
    assert isinstance(ldtt.dossier, tuple) and ldtt.dossier
    # Issue 12 (Luật 2022 Art. 23): the LĐTT standard, not the award, and one of three.
    assert cstdcs.prerequisites == () and cstdcs.standard_of == "LDTT"
    assert cstdcs.achievement_any_of == ("excellent", "initiative", "research")
    assert any("sáng kiến" in item for item in cstdcs.dossier)
    tt = cfg.title("TTLDTT")
    assert tt.subjects == ("collective",)
    assert tt.min_share_ldtt == Fraction(1, 2) and tt.min_share_ldtt_strict is True
    xs = cfg.title("TTLDXS")
    assert xs.min_share_ldtt == Fraction(7, 10) and xs.min_share_ldtt_strict is False
    assert xs.min_cstdcs == 1 and xs.min_share_tasks_completed == 1
    assert xs.decided_by == "province" and not xs.decided_by_commune
    gk = cfg.title("GIAYKHEN")
    assert gk.subjects == ("individual", "collective", "household")
    assert gk.frequency == ("yearly", "campaign", "ad_hoc") and gk.voting == "form"
    gd = cfg.title("GDVH")
    assert gd.subjects == ("household",) and gd.review_before == (25, 11) and gd.voting == "form"
    assert gd.posting_required and gd.decide_within_days == 10
    th = cfg.title("THONVH")
    assert th.subjects == ("village",) and th.frequency == ("periodic",) and len(th.dossier) == 3


def test_default_salary_money_and_deadlines(cfg: Config):
    assert [(s.effective, s.amount) for s in cfg.base_salary] == [
        (date(2023, 7, 1), 1_800_000), (date(2024, 7, 1), 2_340_000), (date(2026, 7, 1), 2_530_000)]
    assert cfg.money.rounding_step == 10_000 and cfg.money.rounding == "up"
    assert cfg.deadlines.registration == (31, 3)
    assert cfg.deadlines.six_month == (15, 6)
    assert cfg.deadlines.yearly == (15, 11)
    assert cfg.deadlines.on("six_month", 2025) == date(2025, 6, 15)
    assert cfg.posting.days == 10
    assert cfg.fund.limit_fraction == Fraction("0.01")
    assert cfg.fund.limit_fraction_remote == Fraction("0.015")
    assert cfg.fund_limit_fraction == Fraction("0.01")
    assert cfg.eligibility.cstdcs_cap_enabled is False
    assert cfg.eligibility.cstdcs_cap == Fraction("0.15")
    assert cfg.database.url == "" and cfg.backup.dir == ""
    assert cfg.ssh.service_account == "thidua"
    assert cfg.ui.color_mode == "auto" and dict(cfg.ui.keys) == {}


def test_default_voting(cfg: Config):
    title = cfg.voting_rule("LDTT")
    assert title.name == "title"
    assert title.quorum == Fraction(2, 3) and title.threshold == Fraction(7, 10)
    assert title.base == "present" and title.secret is True
    assert title.count_written_opinions is True and title.allow_vote_change is False
    form = cfg.voting_rule("GIAYKHEN")
    assert form.secret is False and form.threshold == Fraction(7, 10)
    high = cfg.voting["high"]
    assert high.threshold == Fraction(9, 10) and high.base == "all" and high.secret is True


def test_quorum_and_threshold_are_exact(cfg: Config):
    rule = cfg.voting_rule("LDTT")
    assert rule.quorum_met(6, 9) and not rule.quorum_met(5, 9)
    assert rule.quorum_met(7, 9) and not rule.quorum_met(0, 0)
    # 0.7 * 10 is 7.000000000000001 in floats: exact fractions make 7 of 10 pass.
    assert rule.passes(7, members=12, present=10, valid=9)
    assert not rule.passes(6, members=12, present=10, valid=9)
    assert cfg.voting["high"].passes(9, members=10, present=10, valid=10)
    assert not cfg.voting["high"].passes(8, members=10, present=9, valid=9)
    valid_rule = dataclasses.replace(rule, base="valid")
    assert valid_rule.passes(7, members=12, present=12, valid=10)


@pytest.mark.parametrize("day, amount", [
    (date(2024, 12, 20), 2_340_000),
    (date(2023, 12, 15), 1_800_000),
    (date(2024, 6, 30), 1_800_000),
    (date(2024, 7, 1), 2_340_000),
    (date(2023, 7, 1), 1_800_000),
    (date(2026, 7, 1), 2_530_000),
])
def test_base_salary_on(cfg: Config, day, amount):
    assert cfg.base_salary_on(day) == amount


def test_base_salary_before_first_step(cfg: Config):
    with pytest.raises(ValueError, match="Không có mức lương cơ sở cho ngày 30/06/2023"):
        cfg.base_salary_on(date(2023, 6, 30))


@pytest.mark.parametrize("day, code, subject, amount", [  # DOMAIN.md worked examples
    (date(2024, 12, 20), "LDTT", "individual", 710_000),
    (date(2024, 12, 20), "TTLDTT", "collective", 1_880_000),
    (date(2024, 12, 20), "CSTDCS", "individual", 2_340_000),
    (date(2023, 12, 15), "LDTT", "individual", 540_000),
    (date(2023, 12, 15), "TTLDXS", "collective", 2_700_000),
])
def test_award_money_examples(cfg: Config, day, code, subject, amount):
    value = cfg.title(code).coefficient_for(subject) * cfg.base_salary_on(day)
    assert cfg.money.round(value) == amount


def test_money_rounding_modes(cfg: Config):
    assert cfg.money.round(702_000) == 710_000
    assert cfg.money.round(700_000) == 700_000
    assert dataclasses.replace(cfg.money, rounding="down").round(709_999) == 700_000
    assert dataclasses.replace(cfg.money, rounding="nearest").round(705_000) == 710_000
    assert dataclasses.replace(cfg.money, rounding="nearest").round(704_999) == 700_000


def test_config_is_immutable(cfg: Config):
    with pytest.raises(dataclasses.FrozenInstanceError):
        cfg.posting.days = 5  # type: ignore[misc]
    with pytest.raises(TypeError):
        cfg.titles["X"] = cfg.title("LDTT")  # type: ignore[index]
    with pytest.raises(KeyError, match="Không có danh hiệu"):
        cfg.title("NOPE")


def test_paths_from_xdg_data_dir(cfg: Config, env):
    assert cfg.database_url(env) == "sqlite:///" + env["HOME"] + "/.local/share/thidua/thidua.sqlite"
    assert cfg.backup_dir({**env, "XDG_DATA_HOME": "/data"}) == Path("/data/thidua/backups")


# --- overlay ------------------------------------------------------------------

def test_overlay_one_key_leaves_others(tmp_path, env):
    path = write(tmp_path, '[voting.title]\nthreshold = 0.75\n\n[titles.LDTT]\ncoefficient_individual = 0.35\n')
    cfg = load_config(path, env)
    assert cfg.sources == (str(DEFAULT_FILE), str(path))
    assert cfg.voting["title"].threshold == Fraction(3, 4)
    assert cfg.voting["title"].quorum == Fraction(2, 3) and cfg.voting["title"].secret is True
    ldtt = cfg.title("LDTT")
    assert ldtt.coefficient_individual == Fraction("0.35")
    assert ldtt.name == "Lao động tiên tiến" and ldtt.min_months_since_recruitment == 6
    assert cfg.posting.days == 10 and len(cfg.base_salary) == 3


def test_overlay_arrays_replace_whole(tmp_path, env):
    path = write(tmp_path, """
[titles.LDTT]
dossier = ["Chỉ một giấy"]

[[base_salary]]
effective = 2024-07-01
amount = 2340000
""")
    cfg = load_config(path, env)
    assert cfg.title("LDTT").dossier == ("Chỉ một giấy",)
    assert [s.amount for s in cfg.base_salary] == [2_340_000]


def test_overlay_adds_title_and_voting_rule(tmp_path, env):
    path = write(tmp_path, """
[titles.NTVT]
name = "Người tốt, việc tốt"
subjects = ["individual"]
frequency = ["ad_hoc"]
coefficient_individual = 0.2
voting = "quick"

[voting.quick]
quorum = 0.5
threshold = "1/2"
base = "valid"
secret = false

[ui.keys]
save = "ctrl+s"
""")
    cfg = load_config(path, env)
    assert list(cfg.titles)[-1] == "NTVT"
    t = cfg.title("NTVT")
    assert t.code == "NTVT" and t.prerequisites == () and t.decided_by == "chairman"
    assert t.coefficient_collective == 0 and t.review_before is None
    rule = cfg.voting_rule("NTVT")
    assert rule.threshold == Fraction(1, 2) and rule.count_written_opinions is True
    assert cfg.ui.keys["save"] == "ctrl+s"


def test_int_accepted_where_number_expected(tmp_path, env):
    cfg = load_config(write(tmp_path, "[titles.LDTT]\ncoefficient_individual = 1\n"), env)
    assert cfg.title("LDTT").coefficient_individual == 1


def test_remote_area_raises_fund_limit(tmp_path, env):
    cfg = load_config(write(tmp_path, "[commune]\nremote_area = true\n"), env)
    assert cfg.fund_limit_fraction == Fraction("0.015")


# --- which user file ------------------------------------------------------------

def test_env_var_names_the_file(tmp_path, env):
    path = write(tmp_path, "[posting]\ndays = 7\n")
    assert load_config(env={**env, "THIDUA_CONFIG": str(path)}).posting.days == 7


def test_explicit_path_beats_env_var(tmp_path, env):
    a = write(tmp_path, "[posting]\ndays = 7\n", "a.toml")
    b = write(tmp_path, "[posting]\ndays = 8\n", "b.toml")
    assert load_config(a, {**env, "THIDUA_CONFIG": str(b)}).posting.days == 7


def test_xdg_config_home(tmp_path, env):
    xdg = tmp_path / "xdg"
    (xdg / "thidua").mkdir(parents=True)
    write(xdg / "thidua", "[posting]\ndays = 5\n", "config.toml")
    cfg = load_config(env={**env, "XDG_CONFIG_HOME": str(xdg)})
    assert cfg.posting.days == 5 and cfg.sources[-1] == str(xdg / "thidua" / "config.toml")


def test_default_xdg_location_under_home(env):
    folder = Path(env["HOME"]) / ".config" / "thidua"
    folder.mkdir(parents=True)
    (folder / "config.toml").write_text("[posting]\ndays = 4\n", encoding="utf-8")
    assert load_config(env=env).posting.days == 4


def test_missing_xdg_file_is_fine(tmp_path, env):
    cfg = load_config(env={**env, "XDG_CONFIG_HOME": str(tmp_path / "nowhere")})
    assert cfg.sources == (str(DEFAULT_FILE),)


def test_explicit_missing_path_is_an_error(tmp_path, env):
    missing = tmp_path / "nope.toml"
    with pytest.raises(ConfigError) as info:
        load_config(missing, env)
    assert info.value.file == str(missing) and info.value.key == ""
    assert "không tồn tại" in str(info.value)


def test_env_var_missing_file_is_an_error(tmp_path, env):
    with pytest.raises(ConfigError, match="không tồn tại"):
        load_config(env={**env, "THIDUA_CONFIG": str(tmp_path / "nope.toml")})


# --- bad files ---------------------------------------------------------------------

def test_message_format(tmp_path, env):
    path = write(tmp_path, "[voting.title]\nthreshold = 1.7\n")
    with pytest.raises(ConfigError) as info:
        load_config(path, env)
    e = info.value
    assert (e.file, e.key) == (str(path), "voting.title.threshold")
    assert str(e) == (f'Lỗi cấu hình trong {path}, khóa "voting.title.threshold": '
                      "giá trị 1.7 phải nằm trong khoảng 0 đến 1")


def test_syntax_error_gives_line_and_column(tmp_path, env):
    path = write(tmp_path, "[posting]\ndays = = 3\n")
    with pytest.raises(ConfigError) as info:
        load_config(path, env)
    assert info.value.file == str(path) and info.value.key == ""
    assert "lỗi cú pháp TOML ở dòng 2, cột" in str(info.value)
    assert "\n" not in str(info.value)


def test_directory_is_unreadable(tmp_path, env):
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path, env)
    assert info.value.file == str(tmp_path) and "thư mục" in info.value.problem


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads any file")
def test_unreadable_file(tmp_path, env):
    path = write(tmp_path, "[posting]\ndays = 3\n")
    path.chmod(0)
    with pytest.raises(ConfigError) as info:
        load_config(path, env)
    assert info.value.file == str(path) and "không đọc được tệp" in str(info.value)


def test_unreadable_file_as_root(tmp_path, env, monkeypatch):
    # The same case when tests run as root, who can read a chmod 0 file.
    path = write(tmp_path, "[posting]\ndays = 3\n")
    real = Path.read_bytes

    def deny(self):
        if self == path:
            raise PermissionError(13, "Permission denied")
        return real(self)
    monkeypatch.setattr(Path, "read_bytes", deny)
    with pytest.raises(ConfigError) as info:
        load_config(path, env)
    assert info.value.file == str(path) and info.value.key == ""
    assert str(info.value) == f"Lỗi cấu hình trong {path}: không đọc được tệp (Permission denied)"


def test_not_utf8(tmp_path, env):
    path = tmp_path / "latin1.toml"
    path.write_bytes('[commune]\nname = "Hòa"\n'.encode("latin-1"))
    with pytest.raises(ConfigError, match="UTF-8"):
        load_config(path, env)


def test_bom_is_accepted(tmp_path, env):
    path = tmp_path / "bom.toml"
    path.write_bytes("\ufeff[posting]\ndays = 3\n".encode("utf-8"))
    assert load_config(path, env).posting.days == 3


NEW_TITLE = '[titles.NEW]\nname = "Mới"\nsubjects = ["individual"]\nfrequency = ["yearly"]\n'

BAD = [
    # (file text, key, words in the problem)
    # unknown keys, at any depth
    ("[postin]\ndays = 3\n", "postin", 'có phải "posting"'),
    ("[posting]\ndayz = 3\n", "posting.dayz", "không được hỗ trợ"),
    ("[titles.LDTT]\ncoeficient_individual = 0.3\n", "titles.LDTT.coeficient_individual",
     'có phải "coefficient_individual"'),
    ("[voting.title]\nsecrets = true\n", "voting.title.secrets", "không được hỗ trợ"),
    ("[[base_salary]]\neffective = 2023-07-01\namount = 1800000\nnote = 1\n",
     "base_salary[1].note", "không được hỗ trợ"),
    ("[ui.keys.save]\nkey = 1\n", "ui.keys.save", "chuỗi"),
    # wrong types
    ("[posting]\ndays = true\n", "posting.days", "phải là số nguyên"),
    ("[posting]\ndays = 10.0\n", "posting.days", "phải là số nguyên"),
    ("[voting.title]\nthreshold = true\n", "voting.title.threshold", "phải là số"),
    ("[voting.title]\nsecret = 1\n", "voting.title.secret", "true hoặc false"),
    ("[commune]\nname = 5\n", "commune.name", "phải là chuỗi"),
    ('[titles.LDTT]\nsubjects = "individual"\n', "titles.LDTT.subjects", "mảng"),
    ("[titles.LDTT]\nsubjects = [1]\n", "titles.LDTT.subjects", "phần tử thứ 1"),
    ('[[base_salary]]\neffective = "2023-07-01"\namount = 1800000\n',
     "base_salary[1].effective", "không có ngoặc kép"),
    ("[[base_salary]]\neffective = 2023-07-01T00:00:00\namount = 1800000\n",
     "base_salary[1].effective", "không ghi giờ"),
    ("posting = 3\n", "posting", "phải là một bảng"),
    ('[voting.title]\nthreshold = "abc"\n', "voting.title.threshold", "không phải là số"),
    ("[voting.title]\nthreshold = nan\n", "voting.title.threshold", "hữu hạn"),
    # impossible values
    ("[voting.title]\nthreshold = 1.7\n", "voting.title.threshold", "khoảng 0 đến 1"),
    ("[voting.title]\nthreshold = -0.1\n", "voting.title.threshold", "khoảng 0 đến 1"),
    ("[voting.title]\nquorum = 0\n", "voting.title.quorum", "phải lớn hơn 0"),
    ('[voting.title]\nquorum = "4/3"\n', "voting.title.quorum", "khoảng 0 đến 1"),
    ("[fund]\nlimit_fraction = 2\n", "fund.limit_fraction", "khoảng 0 đến 1"),
    ("[titles.TTLDTT]\nmin_share_ldtt = 1.5\n", "titles.TTLDTT.min_share_ldtt", "khoảng 0 đến 1"),
    ("[eligibility]\ncstdcs_cap = 0\n", "eligibility.cstdcs_cap", "lớn hơn 0"),
    ("[titles.LDTT]\ncoefficient_individual = -0.3\n", "titles.LDTT.coefficient_individual",
     "không được là số âm"),
    ("[[base_salary]]\neffective = 2023-07-01\namount = 0\n", "base_salary[1].amount", "lớn hơn 0"),
    ("[[base_salary]]\neffective = 2023-07-01\namount = -5\n", "base_salary[1].amount", "lớn hơn 0"),
    ('[voting.title]\nbase = "everyone"\n', "voting.title.base", '"all", "present", "valid"'),
    ('[deadlines]\nyearly = "31/02"\n', "deadlines.yearly", "không có thật"),
    ('[deadlines]\nyearly = "abc"\n', "deadlines.yearly", '"dd/mm"'),
    ('[deadlines]\nyearly = "29/02"\n', "deadlines.yearly", "29/02"),
    ('[deadlines]\nyearly = "15/13"\n', "deadlines.yearly", "không có thật"),
    ("[deadlines]\nyearly = 1511\n", "deadlines.yearly", '"dd/mm"'),
    ('[titles.GDVH]\nreview_before = "32/11"\n', "titles.GDVH.review_before", "không có thật"),
    ("[posting]\ndays = 0\n", "posting.days", "khoảng 1 đến 60"),
    ("[posting]\ndays = 61\n", "posting.days", "khoảng 1 đến 60"),
    ("[money]\nrounding_step = 0\n", "money.rounding_step", "lớn hơn 0"),
    ('[money]\nrounding = "ceil"\n', "money.rounding", '"up", "nearest", "down"'),
    ('[ui]\ncolor_mode = "rainbow"\n', "ui.color_mode", '"auto", "256", "16", "mono"'),
    # Retired: every input is one line at 80x24; a bordered one would not fit.
    ("[ui]\ncompact = false\n", "ui.compact", "không được hỗ trợ"),
    ('[titles.LDTT]\nsubjects = ["person"]\n', "titles.LDTT.subjects", "phần tử thứ 1"),
    ("[titles.LDTT]\nsubjects = []\n", "titles.LDTT.subjects", "không được để trống"),
    ('[titles.LDTT]\nfrequency = ["yearly", "yearly"]\n', "titles.LDTT.frequency", "lặp lại"),
    ('[titles.LDTT]\ndecided_by = "king"\n', "titles.LDTT.decided_by", '"chairman"'),
    ('[titles.LDTT]\nname = "  "\n', "titles.LDTT.name", "không được để trống"),
    ('[titles."LĐTT 2"]\nname = "x"\n', 'titles."LĐTT 2"', "không dấu"),
    ('[database]\nurl = "mysql://x"\n', "database.url", "postgresql://"),
    # references between keys
    ('[titles.CSTDCS]\nprerequisites = ["LDTTT"]\n', "titles.CSTDCS.prerequisites", '"LDTTT"'),
    ('[titles.LDTT]\nprerequisites = ["LDTT"]\n', "titles.LDTT.prerequisites", "chính nó"),
    ('[titles.LDTT]\nprerequisites = ["CSTDCS"]\n[titles.CSTDCS]\nprerequisites = ["LDTT"]\n',
     "titles.LDTT.prerequisites", "lặp vòng"),
    ('[titles.CSTDCS]\nrole = "basic_individual"\n', "titles.CSTDCS.role", "đã thuộc"),
    ('[titles.CSTDCS]\nstandard_of = "NONE"\n', "titles.CSTDCS.standard_of", "không có"),
    ('[titles.LDTT]\nvoting = "secretive"\n', "titles.LDTT.voting", '"secretive" không có trong [voting]'),
    # base salary table
    ("base_salary = []\n", "base_salary", "ít nhất một"),
    ("[[base_salary]]\neffective = 2024-07-01\namount = 2340000\n"
     "[[base_salary]]\neffective = 2023-07-01\namount = 1800000\n",
     "base_salary[2].effective", "tăng dần"),
    ("[[base_salary]]\neffective = 2024-07-01\namount = 2340000\n"
     "[[base_salary]]\neffective = 2024-07-01\namount = 2500000\n",
     "base_salary[2].effective", "trùng"),
    # a new title or voting rule must be complete
    ('[titles.NEW]\nname = "Mới"\nsubjects = ["individual"]\n', "titles.NEW.frequency",
     "thiếu khóa bắt buộc"),
    (NEW_TITLE + 'voting = "quick"\n[voting.quick]\nthreshold = 0.5\nbase = "all"\nsecret = true\n',
     "voting.quick.quorum", "thiếu khóa bắt buộc"),
    (NEW_TITLE + "min_cstdcs = -1\n", "titles.NEW.min_cstdcs", "không được là số âm"),
]


@pytest.mark.parametrize("text, key, words", BAD, ids=[b[1] + ":" + b[2] for b in BAD])
def test_bad_value(tmp_path, env, text, key, words):
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load_config(path, env)
    e = info.value
    assert e.file == str(path)
    assert e.key == key
    assert words in e.problem
    message = str(e)
    assert message.startswith(f'Lỗi cấu hình trong {path}, khóa "{key}": ')
    assert "\n" not in message


def test_error_in_default_key_names_user_file_only_when_user_set_it(tmp_path, env):
    # A user title that needs a default title still reports against the user file.
    path = write(tmp_path, NEW_TITLE + 'prerequisites = ["GONE"]\n')
    with pytest.raises(ConfigError) as info:
        load_config(path, env)
    assert (info.value.file, info.value.key) == (str(path), "titles.NEW.prerequisites")


# --- [ui] color_mode reaches the terminal ----------------------------------------

store_ids = pytest.fixture(ui_store)
SGR = re.compile(r"\x1b\[([0-9;]*)m")

# One process per frame, as in use (one app per SSH session): Textual keeps each
# style's escape codes on the style, for whichever console drew it first.
_FRAME = """
import sys
from config import load_config
from models import store
from tests.ui_helpers import make_app, run
store.open_store(sys.argv[1])
app = make_app(cfg=load_config(sys.argv[2], {"HOME": "/nonexistent"}))

async def body(pilot):
    sys.stdout.write(app.screen._compositor.render_full_update().render_segments(app.console))
run(app, body)
"""


def _colours_sent(store_ids, tmp_path, mode: str) -> list[tuple[int, ...]]:
    """Every colour one full 80x24 frame sets under `color_mode = mode`, on a terminal
    that claims true colour: (n,) one of the 16, (5, n) of the 256, (2, r, g, b)."""
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    env.update(TERM="xterm-256color", COLORTERM="truecolor", PYTHONIOENCODING="utf-8")
    config_file = write(tmp_path, f'[ui]\ncolor_mode = "{mode}"\n', f"{mode}.toml")
    done = subprocess.run([sys.executable, "-c", _FRAME, store_ids["path"], str(config_file)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    colours = []
    for params in SGR.findall(done.stdout):
        codes = [int(code) for code in params.split(";") if code]
        while codes:
            code = codes.pop(0)
            if code in (38, 48):
                colours.append(tuple(codes[:4] if codes[0] == 2 else codes[:2]))
                del codes[:len(colours[-1])]
            elif 30 <= code <= 37 or 40 <= code <= 47 or 90 <= code <= 97 or 100 <= code <= 107:
                colours.append((code,))
    return colours


def test_color_mode_sets_the_colours_sent_to_the_terminal(store_ids, tmp_path):
    auto = _colours_sent(store_ids, tmp_path, "auto")
    assert any(c[0] == 2 and len(set(c[1:])) > 1 for c in auto)  # 24-bit, not all grey
    assert all(len(c) == 1 for c in _colours_sent(store_ids, tmp_path, "16"))
    palette = _colours_sent(store_ids, tmp_path, "256")
    assert any(c[0] == 5 for c in palette) and all(len(c) < 4 for c in palette)
    mono = [c for c in _colours_sent(store_ids, tmp_path, "mono") if len(c) > 1]
    assert mono and all(len(set(c[1:])) == 1 for c in mono)  # greys only


# --- the schema and the dataclasses agree; no Textual ---------------------------

def _tables(node, seen):
    if isinstance(node, Table):
        seen.append(node)
        for child in node.fields.values():
            _tables(child, seen)
    elif isinstance(node, MapOf):
        _tables(node.value, seen)
    elif isinstance(node, ArrayOf):
        _tables(node.item, seen)
    return seen


def test_schema_matches_dataclasses():
    extra = {model.Config: {"sources"}, model.Title: {"code"}, model.VotingRule: {"name"}}
    tables = _tables(schema.SCHEMA, [])
    assert len(tables) >= 13
    for table in tables:
        fields = {f.name for f in dataclasses.fields(table.cls)}
        assert fields == set(table.fields) | extra.get(table.cls, set()), table.cls


def test_importing_config_does_not_import_textual():
    code = ("import sys, config; config.load_config(env={'HOME': '/nonexistent'}); "
            "bad = [m for m in sys.modules if m.split('.')[0] in ('textual', 'models', 'tui')]; "
            "print(bad); sys.exit(1 if bad else 0)")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
