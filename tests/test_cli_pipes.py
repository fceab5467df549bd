"""The command line never prints "Exception ignored" tracebacks: every subcommand that
prints, its output piped into a reader that leaves after the first line (`| head -1`),
into a pipe nobody reads any more, and with standard output closed (`>&-`)."""
from __future__ import annotations

import os
import subprocess

import pytest
from conftest import THIDUA

# A key as an officer's would be: `key list` prints the thidua entries of the file.
PUBKEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHfYBTxydgRw3B/3kx7jsf5mERMl4ZFWI7RA58IG8S31"

COMMANDS = [
    ["--help"],
    ["export", "--help"],
    ["user", "list"],
    ["lookup", "nguyen", "--limit", "200"],
    ["lookup", "nguyen", "--json"],
    ["check"],
    ["doctor"],
    ["migrate"],
    ["export", "people", "--out", "people.xlsx"],
    ["export", "plan", "1", "--out", "plan.docx"],
    ["council", "list"],
    ["key", "list", "--authorized-keys", "keys"],
    ["backup", "copy.sqlite"],
]


@pytest.fixture(scope="module")
def commune(tmp_path_factory):
    """The demo commune, made once, in a home of its own."""
    root = tmp_path_factory.mktemp("pipes")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("THIDUA", "XDG_"))}
    env.update(HOME=str(root), XDG_DATA_HOME=str(root / "data"), LANG="C.UTF-8",
               XDG_CONFIG_HOME=str(root / "config"), XDG_STATE_HOME=str(root / "state"),
               THIDUA_DB=str(root / "thidua.sqlite"))
    (root / "keys").write_text(f'command="thidua --as chutich" {PUBKEY} chutich\n')
    made = subprocess.run([THIDUA, "--db", str(root / "thidua.sqlite"), "demo", "--persons",
                           "300"], env=env, cwd=root, capture_output=True, timeout=120)
    assert made.returncode == 0, made.stderr
    return root, env


def shell(commune, line: str) -> subprocess.CompletedProcess:
    root, env = commune
    return subprocess.run(["sh", "-c", line], env=env, cwd=root, capture_output=True,
                          text=True, timeout=120)


def quoted(args: list[str]) -> str:
    return " ".join([THIDUA, "--db", "thidua.sqlite", *args])


def assert_quiet(stderr: str) -> None:
    assert "Exception ignored" not in stderr and "Traceback" not in stderr, stderr
    assert "Lỗi không mong đợi" not in stderr, stderr


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_a_reader_that_leaves_after_one_line(commune, args):
    done = shell(commune, f"{quoted(args)} 2>err | head -1; cat err >&2")
    assert_quiet(done.stderr)
    assert done.stdout.count("\n") <= 1


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_a_pipe_nobody_reads(commune, args):
    """The reader is gone before the first byte: the first write meets EPIPE."""
    root, env = commune
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        done = subprocess.run([THIDUA, "--db", "thidua.sqlite", *args], env=env, cwd=root,
                              stdout=write_end, stderr=subprocess.PIPE, text=True, timeout=120)
    finally:
        os.close(write_end)
    assert_quiet(done.stderr)


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_standard_output_closed(commune, args):
    done = shell(commune, f"{quoted(args)} >&-")
    assert_quiet(done.stderr)


def test_a_closed_output_never_lands_in_the_database(commune):
    """With descriptor 1 closed the store would be opened on it; /dev/null takes it."""
    assert shell(commune, f"{quoted(['user', 'list'])} >&-").returncode == 0
    checked = shell(commune, quoted(["check"]))
    assert checked.returncode == 0, checked.stdout + checked.stderr
