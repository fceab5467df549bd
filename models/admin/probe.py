"""What the machine says about itself: an account's password lock, the
configuration sshd would use. `thidua doctor` and the file door's checks read it."""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Finding:
    ok: bool
    what: str
    fix: str = ""


def password_locked(account: str) -> bool | None:
    """Whether sshd with PAM off would refuse the account as locked ('!' in
    /etc/shadow); None when it cannot be told. Only root reads the shadow file;
    the account itself asks `passwd -S`, whose "L" also covers a '*' password."""
    if os.geteuid() == 0:
        try:
            lines = Path("/etc/shadow").read_text(encoding="utf-8").splitlines()
        except OSError:
            return None
        entry = next((line.split(":") for line in lines if line.startswith(f"{account}:")), None)
        return None if entry is None else entry[1].startswith("!")
    try:
        out = subprocess.run(["passwd", "-S", account], capture_output=True, text=True,
                             timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return None
    fields = out.stdout.split()
    return fields[1] == "L" if out.returncode == 0 and len(fields) > 1 else None



def sshd_settings(config_file: str, connection: str | None = None) -> dict[str, str]:
    """The configuration sshd would use (`sshd -T -f FILE`, for the connection
    `-C user=...,host=...,addr=...` when given), or {} when it cannot be read.

    `sshd -T` loads a host key before printing anything and the system's keys are
    root's alone, so a throwaway key lets the service account run it too."""
    sshd = shutil.which("sshd") or "/usr/sbin/sshd"
    if not os.path.exists(sshd):
        return {}
    with tempfile.TemporaryDirectory(prefix="thidua-doctor-") as tmp:
        key = Path(tmp) / "host_ed25519"
        command = [sshd, "-T", "-f", config_file, "-h", str(key)]
        if connection:
            command += ["-C", connection]
        try:
            subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key)],
                           capture_output=True, timeout=10, check=True)
            out = subprocess.run(command, capture_output=True, text=True, timeout=10)
        except (OSError, subprocess.SubprocessError):
            return {}
    return dict(line.split(" ", 1) for line in out.stdout.splitlines() if " " in line)
