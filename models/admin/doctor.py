"""`thidua doctor`: is the commune server set up the way the README says?

Each check returns what it looked at, whether it is right, and what to do.
"""
from __future__ import annotations

import os
import pwd
import shutil
import stat
import subprocess
from dataclasses import dataclass
from pathlib import Path

from models.admin import ssh_keys
from models.errors import ThiduaError
from models.registry import users


@dataclass(frozen=True)
class Finding:
    ok: bool
    what: str
    fix: str = ""


def authorized_keys_path(cfg, override: str | None = None) -> Path:
    if override:
        return Path(override).expanduser()
    if cfg.ssh.authorized_keys:
        return Path(cfg.ssh.authorized_keys).expanduser()
    try:
        home = pwd.getpwnam(cfg.ssh.service_account).pw_dir
    except KeyError:
        raise ThiduaError(f"Không có tài khoản dịch vụ “{cfg.ssh.service_account}” trên máy này; "
                          "tạo nó (xem README) hoặc chỉ rõ --authorized-keys.") from None
    return Path(home) / ".ssh" / "authorized_keys"


def _service_account(cfg) -> list[Finding]:
    try:
        pwd.getpwnam(cfg.ssh.service_account)
    except KeyError:
        return [Finding(False, f"tài khoản dịch vụ “{cfg.ssh.service_account}”",
                        f"sudo adduser --disabled-password {cfg.ssh.service_account}")]
    return [Finding(True, f"tài khoản dịch vụ “{cfg.ssh.service_account}” có trên máy")]


def _keys_file(path: Path) -> list[Finding]:
    if not path.exists():
        return [Finding(False, f"{path} chưa có", "thêm khóa đầu tiên: thidua key add LOGIN TỆP.pub")]
    found = []
    mode = path.stat().st_mode
    found.append(Finding(not mode & (stat.S_IWGRP | stat.S_IWOTH),
                         f"quyền của {path}: {stat.filemode(mode)}", f"chmod 600 {path}"))
    dmode = path.parent.stat().st_mode
    found.append(Finding(not dmode & (stat.S_IWGRP | stat.S_IWOTH),
                         f"quyền của {path.parent}: {stat.filemode(dmode)}",
                         f"chmod 700 {path.parent}"))
    for entry in ssh_keys.read(path):
        if entry.login is None:
            found.append(Finding(False, "một dòng không do thidua quản lý trong authorized_keys "
                                        "(cho phép đăng nhập shell)",
                                 "xóa dòng đó nếu không phải của quản trị máy chủ"))
            continue
        try:
            user = users.find(entry.login)
            active = user.active
        except ThiduaError:
            active = False
        found.append(Finding(active, f"khóa của {entry.login}: tài khoản "
                             + ("đang hoạt động" if active else "không tồn tại hoặc đã khóa"),
                             f"thidua key remove {entry.login}"))
    return found


def sshd_settings() -> dict[str, str]:
    """The effective sshd configuration (`sshd -T`), or {} when it cannot be read."""
    sshd = shutil.which("sshd") or "/usr/sbin/sshd"
    if not os.path.exists(sshd):
        return {}
    try:
        out = subprocess.run([sshd, "-T"], capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return {}
    return dict(line.split(" ", 1) for line in out.stdout.splitlines() if " " in line)


def _sshd(settings: dict[str, str]) -> list[Finding]:
    if not settings:
        return [Finding(False, "không đọc được cấu hình sshd (sshd -T)",
                        "cài openssh-server và chạy doctor bằng root")]
    alive = int(settings.get("clientaliveinterval", "0") or 0)
    return [
        Finding(0 < alive <= 60, f"ClientAliveInterval = {alive}",
                "đặt ClientAliveInterval 15 và ClientAliveCountMax 4 trong /etc/ssh/sshd_config "
                "để phiên bị rớt mạng được đóng sau khoảng một phút"),
        Finding(settings.get("passwordauthentication") == "no",
                f"PasswordAuthentication = {settings.get('passwordauthentication', '?')}",
                "đặt PasswordAuthentication no: cán bộ chỉ vào bằng khóa"),
        Finding(settings.get("permittty", "yes") == "yes", "PermitTTY",
                "đặt PermitTTY yes: ứng dụng cần terminal"),
    ]


def _exchange(cfg) -> list[Finding]:
    if not cfg.ssh.exchange_dir:
        return [Finding(False, "chưa đặt thư mục trao đổi tệp ([ssh] exchange_dir)",
                        "đặt exchange_dir, ví dụ /srv/thidua/trao-doi")]
    path = Path(cfg.ssh.exchange_dir).expanduser()
    ok = path.is_dir() and os.access(path, os.W_OK)
    return [Finding(ok, f"thư mục trao đổi {path}", f"mkdir -p {path} và cấp quyền ghi "
                                                     "cho tài khoản dịch vụ")]


def run_checks(cfg, keys_path: Path | None) -> list[Finding]:
    found = _service_account(cfg)
    if keys_path is not None:
        found += _keys_file(keys_path)
    found += _sshd(sshd_settings())
    found += _exchange(cfg)
    thidua = shutil.which("thidua")
    found.append(Finding(thidua is not None, f"lệnh thidua: {thidua or 'không có trong PATH'}",
                         "cài thidua cho mọi người dùng (pip install ... với quyền root)"))
    return found
