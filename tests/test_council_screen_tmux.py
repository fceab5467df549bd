"""A ballot closed under a member's open confirmation, in real terminals: the
installed `thidua` twice on one SQLite file, the chair and a member each in a
tmux window of 80x24. The member confirms, the chair closes first, the member
presses Enter: a message, the process alive, the next keys answered."""
from __future__ import annotations

import getpass
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.sshkit import Tmux, run_thidua, wait_for

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def council(tmp_path: Path) -> dict[str, str]:
    """A commune whose service account is this one (so `--as` is honoured), its
    council built by the tests' council world, one secret ballot open."""
    db = tmp_path / "db" / "xa.sqlite"  # the ballot keys' folder must lie outside it
    db.parent.mkdir()
    config = tmp_path / "config.toml"
    config.write_text(f'[database]\nurl = "sqlite:///{db}"\n'
                      f'[ssh]\nservice_account = "{getpass.getuser()}"\n')
    env = {**os.environ, "THIDUA_CONFIG": str(config), "HOME": str(tmp_path),
           "XDG_DATA_HOME": str(tmp_path / "data"), "XDG_CONFIG_HOME": str(tmp_path / "cfg"),
           "TERM": "xterm", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8",
           "PYTHONPATH": str(REPO)}  # the code of this tree, whatever is installed
    env = {k: v for k, v in env.items() if not k.startswith(("PYTEST", "TMUX"))}
    run_thidua(env, "init")
    code = ("from config import load_config\nfrom models import store\n"
            "from models.council import ballots\n"
            "from tests.council_world import actor, build\n"
            f"store.open_store({str(db)!r})\nw = build()\n"
            "ballots.open_ballot(actor('chutich'), load_config(), w['session'], w['ldtt'])\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return env


@pytest.fixture
def tmux():
    mux = Tmux(f"thidua-vote-{os.getpid()}")
    yield mux
    mux.kill()


def test_ballot_closed_under_the_confirmation_ends_no_session(council, tmux):
    for login in ("chutich", "uv01"):
        tmux.open(login, ["thidua", "--as", login, "--open", "vote"], env=council)
    for login in ("chutich", "uv01"):
        assert tmux.wait_text(login, "Lựa chọn của bạn", 30), tmux.screen(login)
    # The chair puts the ballot aside, to run the session. A lone Esc is told from the
    # start of a key's sequence by a pause: on a loaded machine it may need a second one.
    for _ in range(3):
        tmux.keys("chutich", "Escape")
        if wait_for(lambda: "Lựa chọn của bạn" not in tmux.screen("chutich"), 5):
            break
    assert tmux.wait_text("chutich", "0/7 đã bỏ phiếu"), tmux.screen("chutich")
    assert "Lựa chọn của bạn" not in tmux.screen("chutich"), tmux.screen("chutich")
    tmux.keys("uv01", "1", "1", "1")
    assert tmux.wait_text("uv01", "[1] Đồng ý"), tmux.screen("uv01")
    tmux.keys("uv01", "Enter")
    assert tmux.wait_text("uv01", "Gửi phiếu số"), tmux.screen("uv01")
    tmux.keys("chutich", "k")
    assert tmux.wait_text("chutich", "Kết thúc phiếu số"), tmux.screen("chutich")
    tmux.keys("chutich", "Enter")
    assert tmux.wait_text("chutich", "KHÔNG THÔNG QUA"), tmux.screen("chutich")
    tmux.keys("uv01", "Enter")  # the member confirms on a ballot closed meanwhile
    assert tmux.wait_text("uv01", "đã kết thúc"), tmux.screen("uv01")
    screen = tmux.screen("uv01")
    assert "Traceback" not in screen and tmux.running("uv01"), screen
    assert tmux.wait_text("uv01", "KHÔNG THÔNG QUA"), screen  # the console, with the results
    tmux.keys("uv01", "Escape")
    assert tmux.wait_text("uv01", "Hội đồng và bỏ phiếu"), tmux.screen("uv01")
    tmux.keys("uv01", "F7")
    assert tmux.wait_text("uv01", "Hội đồng TĐKT"), tmux.screen("uv01")
    assert tmux.running("uv01") and tmux.running("chutich")
