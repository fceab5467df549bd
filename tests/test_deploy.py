"""README's "Deploying on the commune server", run as written on this Debian
machine: the shell blocks of that section, in order, as root, with only the
substitutions README names. Then an officer signs in over SSH with the key the
steps installed, and exchanges a file through the file door."""
from __future__ import annotations

import os
import pwd
import re
import shutil
import signal
import subprocess
import textwrap
from pathlib import Path

import pytest

from tests.sshkit import Tmux, free_port, wait_for

README = Path(__file__).resolve().parents[1] / "README.md"
REPO = README.parent
CLEAN_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
# What the steps create on the machine; the test runs only where none of it exists.
SERVICE, OFFICER, GROUP = "thidua", "vanphong", "thidua-sftp"
PLACES = [Path("/srv/thidua"), Path("/opt/thidua"), Path("/etc/ssh/sshd_config.d/thidua.conf"),
          Path("/usr/local/bin/thidua")]


def _exists(name: str, database: str) -> bool:
    return subprocess.run(["getent", database, name], capture_output=True).returncode == 0


pytestmark = [
    pytest.mark.skipif(os.geteuid() != 0, reason="the steps run as root"),
    pytest.mark.skipif(any(_exists(n, "passwd") for n in (SERVICE, OFFICER))
                       or _exists(GROUP, "group") or any(p.exists() for p in PLACES),
                       reason="this machine already has a thidua deployment"),
]


def deploying_blocks() -> list[str]:
    """The ```sh blocks of README's Deploying section, de-indented as Markdown reads them."""
    text = README.read_text(encoding="utf-8")
    section = text.split("## Deploying on the commune server", 1)[1].split("\n## ", 1)[0]
    return [textwrap.dedent(m.group(2)) for m in
            re.finditer(r"^( *)```sh\n(.*?)^\1```", section, flags=re.S | re.M)]


def _cleanup(work: Path) -> None:
    pid_file = work / "sshd.pid"
    if pid_file.exists():
        try:
            os.kill(int(pid_file.read_text()), signal.SIGTERM)
        except (ValueError, ProcessLookupError):
            pass
    try:
        uid = pwd.getpwnam(SERVICE).pw_uid
    except KeyError:
        uid = None
    if uid is not None:
        # What the sessions left running as the account (a session server outlives
        # them): all started here, since the account did not exist before.
        found = subprocess.run(["pgrep", "-u", str(uid)], capture_output=True, text=True)
        pids = [int(pid) for pid in found.stdout.split()]
        for pid in pids:
            os.kill(pid, signal.SIGTERM)
        wait_for(lambda: not any(Path(f"/proc/{pid}").exists() for pid in pids), 10)
        for entry in Path("/tmp").iterdir():
            if entry.lstat().st_uid != uid:
                continue
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            else:
                entry.unlink()
    for name in (OFFICER, SERVICE):
        subprocess.run(["userdel", "-r", name], capture_output=True)
    subprocess.run(["groupdel", GROUP], capture_output=True)
    for place in PLACES:
        if place.is_symlink() or place.is_file():
            place.unlink()
        elif place.exists():
            shutil.rmtree(place)


@pytest.fixture(scope="module")
def deployed(tmp_path_factory):
    # The steps run as root from a folder the service account may enter: `runuser`
    # keeps the working folder, and pytest's own folders are root's alone.
    work = Path(tmp_path_factory.mktemp("deploy"))
    for folder in (work, *work.parents):
        if str(folder).startswith("/tmp/"):
            os.chmod(folder, os.stat(folder).st_mode | 0o711)
    source = work / "thidua-src"
    shutil.copytree(REPO, source, ignore=shutil.ignore_patterns(
        ".git", "build", "*.egg-info", "__pycache__", "*.sqlite*", "tests", "benchmarks"))
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", OFFICER,
                    "-f", str(work / OFFICER)], check=True)
    port = free_port()
    blocks = deploying_blocks()
    script = "\n".join(blocks)
    # The substitutions README names: where the source is, the packages (installed
    # here; apt may be busy with another job), and an sshd of our own on 127.0.0.1.
    script = script.replace("/path/to/thidua", str(source))
    script = re.sub(r"^apt-get install -y (.*)$", r"dpkg -s \1 >/dev/null", script, flags=re.M)
    script = script.replace(
        "systemctl reload ssh",
        f"mkdir -p /run/sshd && /usr/sbin/sshd -f /etc/ssh/sshd_config -o Port={port} "
        f"-o ListenAddress=127.0.0.1 -o UsePAM=no -o PidFile={work}/sshd.pid "
        f"-E {work}/sshd.log")
    env = {"PATH": CLEAN_PATH, "HOME": "/root", "LANG": "C.UTF-8", "TERM": "xterm"}
    try:
        done = subprocess.run(["bash", "-euo", "pipefail", "-c", script], cwd=work, env=env,
                              capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, done.stdout + done.stderr
        yield {"work": work, "port": port, "key": work / OFFICER, "blocks": blocks,
               "out": done.stdout, "env": env}
    finally:
        _cleanup(work)


def _client(kind: str, deployed, user: str, *extra: str) -> list[str]:
    port_flag = "-P" if kind == "sftp" else "-p"
    return [kind, "-F", "/dev/null", "-i", str(deployed["key"]), port_flag,
            str(deployed["port"]), "-o", "StrictHostKeyChecking=no",
            "-o", "UserKnownHostsFile=/dev/null", "-o", "IdentitiesOnly=yes",
            "-o", "BatchMode=yes", "-o", "LogLevel=ERROR", *extra, f"{user}@127.0.0.1"]


def test_readme_steps_cover_the_whole_setup(deployed):
    script = "\n".join(deployed["blocks"])
    for step in ("adduser", "chpasswd", "python3 -m venv /opt/thidua", "ChrootDirectory",
                 "thidua key add", "useradd", "thidua doctor"):
        assert step in script
    assert "Mọi thứ ổn." in deployed["out"], deployed["out"]
    assert "✗" not in deployed["out"]


def test_the_key_line_forces_the_installed_thidua(deployed):
    keys = Path(pwd.getpwnam(SERVICE).pw_dir) / ".ssh" / "authorized_keys"
    line = keys.read_text().strip()
    assert line.startswith('restrict,pty,command="/usr/local/bin/thidua --as vanphong" ')


def test_an_officer_signs_in_over_ssh(deployed):
    mux = Tmux(f"thidua-deploy-{os.getpid()}")
    try:
        mux.open("app", _client("ssh", deployed, SERVICE, "-tt"))
        assert mux.wait_text("app", f"({OFFICER})", 30), mux.screen("app")
        mux.keys("app", "F10")
    finally:
        mux.kill()


def test_the_officer_exchanges_files_through_the_file_door(deployed, tmp_path):
    folder = Path("/srv/thidua/trao-doi") / OFFICER
    (tmp_path / "len.xlsx").write_bytes(b"PK upload")
    subprocess.run(["runuser", "-u", SERVICE, "--", "sh", "-c",
                    f"printf 'PK export' > {folder}/xuong.docx"], check=True)
    batch = tmp_path / "batch"
    batch.write_text("put len.xlsx\nget xuong.docx\nget /srv/thidua/data/thidua.sqlite\n")
    result = subprocess.run(_client("sftp", deployed, OFFICER, "-b", str(batch)), cwd=tmp_path,
                            capture_output=True, text=True, timeout=60)
    assert (folder / "len.xlsx").read_bytes() == b"PK upload"
    assert (tmp_path / "xuong.docx").read_bytes() == b"PK export"
    assert result.returncode != 0 and not (tmp_path / "thidua.sqlite").exists()
    # The app, as the service account, reads what the officer uploaded.
    read = subprocess.run(["runuser", "-u", SERVICE, "--", "cat", str(folder / "len.xlsx")],
                          capture_output=True, text=True)
    assert read.stdout == "PK upload"


def test_doctor_as_the_service_account_sees_a_locked_account(deployed, tmp_path):
    no_pam = tmp_path / "sshd_config"
    no_pam.write_text("UsePAM no\nInclude /etc/ssh/sshd_config\n")
    os.chmod(tmp_path, 0o755)
    doctor = ["runuser", "-u", SERVICE, "--", "thidua", "doctor", "--sshd-config", str(no_pam)]
    subprocess.run(["usermod", "-L", SERVICE], check=True)
    try:
        locked = subprocess.run(doctor, cwd=deployed["work"], env=deployed["env"],
                                capture_output=True, text=True)
    finally:
        subprocess.run(["sh", "-c", f'echo "{SERVICE}:$(head -c 24 /dev/urandom | base64)"'
                                    " | chpasswd"], check=True)
    assert locked.returncode == 1
    assert f"✗ tài khoản dịch vụ “{SERVICE}” bị khóa" in locked.stdout, locked.stdout
    assert "chpasswd" in locked.stdout
    again = subprocess.run(doctor, cwd=deployed["work"], env=deployed["env"],
                           capture_output=True, text=True)
    assert "bị khóa" not in again.stdout, again.stdout
