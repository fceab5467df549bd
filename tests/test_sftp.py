"""The file door over a real sshd on 127.0.0.1: real files-only accounts made
with the commands `thidua key add` prints, sshd's Match block as README gives
it, `sftp -b` with each officer's key. The officer reaches their own folder
and nothing else."""
from __future__ import annotations

import os
import pwd
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from config import load_config
from models.admin import sftp
from tests.sshkit import ssh_commune, wait_for

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="useradd and chroot need root")

# The real entry point, not pyenv's shim: sshd runs AuthorizedKeysCommand with a bare PATH.
THIDUA = str(Path(sys.executable).parent / "thidua")


def _reload(server) -> None:
    """sshd re-reads its configuration on SIGHUP; wait until it listens again."""
    before = server.log.read_text().count("Server listening")
    server.process.send_signal(signal.SIGHUP)
    assert wait_for(lambda: server.log.read_text().count("Server listening") > before, 10)


@pytest.fixture(scope="module")
def door(tmp_path_factory):
    tag = str(os.getpid() % 100000)
    officers = [f"tdsa{tag}", f"tdsb{tag}"]
    group = f"tdsg{tag}"
    # The chroot and every folder above it must be root's alone: not under /tmp.
    base = Path(f"/srv/thidua-sftp-test-{tag}")
    exchange = base / "trao-doi"
    c = ssh_commune(tmp_path_factory.mktemp("sftp"))
    config = Path(c.env["THIDUA_CONFIG"])
    config.write_text(config.read_text() + f'exchange_dir = "{exchange}"\n'
                      f'sftp_group = "{group}"\n')
    cfg = load_config(str(config))
    try:
        subprocess.run(["groupadd", group], check=True)
        base.mkdir(mode=0o755)
        exchange.mkdir(mode=sftp.CHROOT_MODE)
        os.chmod(exchange, sftp.CHROOT_MODE)
        keys, printed = {}, {}
        for login in officers:
            subprocess.run([THIDUA, "user", "add", login, "--name", f"Cán bộ {login}",
                            "--roles", "viewer"], env=c.env, check=True, capture_output=True)
            key = tmp_path_factory.getbasetemp() / f"id_{login}"
            subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key)],
                           check=True)
            added = subprocess.run([THIDUA, "key", "add", login, f"{key}.pub"], env=c.env,
                                   capture_output=True, text=True, check=True)
            printed[login] = added.stdout
            for command in sftp.missing_commands(cfg, login):
                subprocess.run(["sh", "-c", command], check=True)
            keys[login] = key
        # sshd runs the key look-up only from a path that root owns all the way up; this
        # test's interpreter may live where it does not (a virtual environment in /tmp).
        look_up = base / "bin" / "thidua"
        look_up.parent.mkdir(mode=0o755)
        look_up.write_text(f'#!/bin/sh\nexec "{THIDUA}" "$@"\n')
        look_up.chmod(0o755)
        with open(c.server.log.parent / "sshd_config", "a") as out:
            out.write("Subsystem sftp internal-sftp\n"  # sshkit's sshd has none
                      + sftp.match_block(cfg, [str(look_up), "--config", str(config)]))
        _reload(c.server)
        yield {"cfg": cfg, "commune": c, "keys": keys, "officers": officers,
               "exchange": exchange, "printed": printed, "config": config, "look_up": look_up}
    finally:
        c.server.stop()
        for login in officers:
            subprocess.run(["userdel", login], capture_output=True)
        subprocess.run(["groupdel", group], capture_output=True)
        shutil.rmtree(base, ignore_errors=True)


def run_sftp(door, login: str, *commands: str, cwd: Path | None = None):
    batch = Path(door["commune"].root) / f"batch-{login}"
    batch.write_text("".join(line + "\n" for line in commands))
    return subprocess.run(
        ["sftp", "-F", "/dev/null", "-i", str(door["keys"][login]),
         "-P", str(door["commune"].server.port), "-o", "StrictHostKeyChecking=no",
         "-o", "UserKnownHostsFile=/dev/null", "-o", "IdentitiesOnly=yes",
         "-o", "BatchMode=yes", "-o", "LogLevel=ERROR", "-b", str(batch),
         f"{login}@127.0.0.1"], capture_output=True, text=True, timeout=60, cwd=cwd)


def refused(result) -> bool:
    """sftp -b stops on a failed transfer or cd, but only reports a failed listing."""
    return result.returncode != 0 or "Permission denied" in result.stderr


def test_key_add_prints_the_commands_that_open_the_file_door(door):
    login = door["officers"][0]
    out = door["printed"][login]
    assert "sftp" in out
    for command in sftp.account_commands(door["cfg"], login):
        assert command in out
    assert sftp.missing_commands(door["cfg"], login) == []


def test_officer_uploads_and_downloads_in_their_own_folder(door, tmp_path):
    login = door["officers"][0]
    folder = door["exchange"] / login
    (tmp_path / "danh-sach.xlsx").write_bytes(b"PK\x03\x04 sheet")
    export = folder / "quyet-dinh.docx"
    export.write_bytes(b"PK\x03\x04 document")  # what the app writes as the service account
    result = run_sftp(door, login, "pwd", "put danh-sach.xlsx", "get quyet-dinh.docx ra.docx",
                      "ls", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert f"/{login}" in result.stdout
    assert (folder / "danh-sach.xlsx").read_bytes() == b"PK\x03\x04 sheet"
    assert (tmp_path / "ra.docx").read_bytes() == b"PK\x03\x04 document"
    uploaded = (folder / "danh-sach.xlsx").stat()
    assert pwd.getpwuid(uploaded.st_uid).pw_name == login
    assert uploaded.st_gid == folder.stat().st_gid  # the folder's setgid bit


@pytest.mark.parametrize("commands", [
    ["cd ..", "ls"],
    ["ls /"],
    ["cd /", "get *"],
    ["get ../../xa.sqlite"],
    ["put /etc/hostname ../hostname"],
])
def test_nothing_above_the_folder_is_reachable(door, commands, tmp_path):
    result = run_sftp(door, door["officers"][0], *commands, cwd=tmp_path)
    assert refused(result), result.stdout
    assert "tdsb" not in result.stdout
    assert not (tmp_path / "xa.sqlite").exists()
    assert not (door["exchange"] / "hostname").exists()


def test_the_database_and_the_keys_cannot_be_fetched_by_their_paths(door, tmp_path):
    commune = door["commune"]
    for path in (commune.db, commune.server.authorized_keys, door["config"]):
        result = run_sftp(door, door["officers"][0], f"get {path} got", cwd=tmp_path)
        assert result.returncode != 0
        assert not (tmp_path / "got").exists()


def test_a_planted_symlink_leads_nowhere_and_none_can_be_made(door, tmp_path):
    login = door["officers"][0]
    folder = door["exchange"] / login
    (folder / "link-abs.xlsx").symlink_to(door["commune"].db)
    relative = os.path.relpath(door["commune"].db, folder)
    (folder / "link-rel.xlsx").symlink_to(relative)
    for name in ("link-abs.xlsx", "link-rel.xlsx"):
        result = run_sftp(door, login, f"get {name} got", cwd=tmp_path)
        assert result.returncode != 0
        assert not (tmp_path / "got").exists()
    made = run_sftp(door, login, f"symlink {relative} mine.xlsx", cwd=tmp_path)
    assert made.returncode != 0
    assert not (folder / "mine.xlsx").is_symlink()


def test_the_other_officers_folder_is_closed(door, tmp_path):
    mine, other = door["officers"]
    (door["exchange"] / other / "rieng.docx").write_bytes(b"private")
    (tmp_path / "x.xlsx").write_bytes(b"x")
    for commands in (["ls /" + other], [f"cd /{other}", "ls"], [f"get /{other}/rieng.docx"],
                     [f"put x.xlsx /{other}/x.xlsx"], [f"get ../{other}/rieng.docx"]):
        result = run_sftp(door, mine, *commands, cwd=tmp_path)
        assert refused(result), commands
        assert "rieng.docx" not in result.stdout.replace(f"/{other}/rieng.docx", "")
    assert not (tmp_path / "rieng.docx").exists()
    assert not (door["exchange"] / other / "x.xlsx").exists()


def test_the_file_door_gives_no_shell_and_no_terminal(door):
    login = door["officers"][0]
    result = subprocess.run(
        ["ssh", "-F", "/dev/null", "-i", str(door["keys"][login]),
         "-p", str(door["commune"].server.port), "-o", "StrictHostKeyChecking=no",
         "-o", "UserKnownHostsFile=/dev/null", "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes",
         f"{login}@127.0.0.1", "cat /etc/hostname"], capture_output=True, text=True, timeout=30)
    assert Path("/etc/hostname").read_text().strip() not in result.stdout


def test_doctor_finds_the_door_set_up_then_a_folder_left_open(door):
    env = door["commune"].env
    # The thidua that doctor finds on PATH is the one the Match block names.
    env = dict(env, PATH=f"{door['look_up'].parent}:{env.get('PATH', os.defpath)}")
    sshd_config = door["commune"].server.log.parent / "sshd_config"
    login = door["officers"][1]

    def doctor():
        return subprocess.run([THIDUA, "doctor", "--sshd-config", str(sshd_config)], env=env,
                              capture_output=True, text=True).stdout

    first = doctor()
    for officer in door["officers"]:
        assert f"✓ {officer}: tài khoản thuộc nhóm" in first
        assert f"✓ {officer}: thư mục {door['exchange'] / officer}" in first
    assert f"✓ khối Match của sshd cho {door['officers'][0]}" in first
    assert f"✓ {door['exchange']} và các thư mục cha thuộc root" in first
    folder = door["exchange"] / login
    os.chmod(folder, 0o777)
    try:
        second = doctor()
    finally:
        os.chmod(folder, sftp.FOLDER_MODE)
    assert f"✗ {login}: thư mục {folder}" in second
    assert f"install -d -o root -g {login} -m 2770 {folder}" in second


def test_a_disabled_officer_loses_the_file_door(door, tmp_path):
    login = door["officers"][1]
    assert run_sftp(door, login, "ls", cwd=tmp_path).returncode == 0
    subprocess.run([THIDUA, "user", "disable", login], env=door["commune"].env, check=True,
                   capture_output=True)
    try:
        assert run_sftp(door, login, "ls", cwd=tmp_path).returncode != 0
    finally:
        subprocess.run([THIDUA, "user", "enable", login], env=door["commune"].env, check=True,
                       capture_output=True)
