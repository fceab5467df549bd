"""`thidua doctor`: is the commune server set up the way the README says?

Each check returns what it looked at, whether it is right, and what to do.
"""
from __future__ import annotations

import pwd
import shutil
import stat
from pathlib import Path

from models.admin import files_door, sftp, ssh_keys
from models.admin.probe import Finding, password_locked, sshd_settings
from models.errors import ThiduaError
from models.registry import users


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


UNLOCK = 'echo "{0}:$(head -c 24 /dev/urandom | base64)" | chpasswd'


def _service_account(cfg, settings: dict[str, str]) -> list[Finding]:
    name = cfg.ssh.service_account
    try:
        pwd.getpwnam(name)
    except KeyError:
        return [Finding(False, f"tài khoản dịch vụ “{name}”",
                        f"bằng root: adduser --disabled-password --gecos thidua {name} && "
                        + UNLOCK.format(name))]
    found = [Finding(True, f"tài khoản dịch vụ “{name}” có trên máy")]
    if password_locked(name) and settings.get("usepam") != "yes":
        found.append(Finding(False, f"tài khoản dịch vụ “{name}” bị khóa (passwd -S: L): "
                                    "sshd không dùng PAM (UsePAM no) sẽ từ chối mọi khóa",
                             "bằng root, đặt một mật khẩu ngẫu nhiên không ai biết: "
                             + UNLOCK.format(name)))
    return found


def _keys_file(path: Path) -> list[Finding]:
    if not path.exists():
        return [Finding(False, f"{path} chưa có",
                        "thêm khóa đầu tiên: thidua key add LOGIN TỆP.pub")]
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


SSHD_CONFIG = "/etc/ssh/sshd_config"


def _sshd(settings: dict[str, str], config_file: str) -> list[Finding]:
    if not settings:
        return [Finding(False, f"không đọc được cấu hình sshd (sshd -T -f {config_file})",
                        "cài openssh-server; nếu sshd phục vụ thidua dùng tệp cấu hình khác, "
                        "chỉ ra bằng thidua doctor --sshd-config TỆP")]
    alive = int(settings.get("clientaliveinterval", "0") or 0)
    return [
        Finding(True, f"cấu hình sshd: {config_file}"),
        Finding(0 < alive <= 60, f"ClientAliveInterval = {alive}",
                f"đặt ClientAliveInterval 15 và ClientAliveCountMax 4 trong {config_file} "
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
    path = sftp.exchange_root(cfg)
    if not path.is_dir():
        return [Finding(False, f"thư mục trao đổi {path}",
                        f"bằng root: install -d -o root -g root -m 711 {path}")]
    # sshd refuses a ChrootDirectory any of whose components is not root's alone.
    bad = [p for p in (path, *path.parents)
           if p.stat().st_uid != 0 or p.stat().st_mode & (stat.S_IWGRP | stat.S_IWOTH)]
    return [Finding(True, f"thư mục trao đổi {path}"),
            Finding(not bad, f"{path} và các thư mục cha thuộc root, không ai khác ghi được "
                             "(sshd đòi hỏi cho ChrootDirectory)",
                    "bằng root: " + "; ".join(f"chown root:root {p}; chmod go-w {p}"
                                              for p in bad))]


def _thidua_command(thidua: list[str]) -> list[Finding]:
    """sshd runs AuthorizedKeysCommand only from a program root owns, in folders
    only root may write: an install in someone's home or a user's pip fails."""
    found = shutil.which("thidua")
    program = Path(thidua[0]).resolve()
    safe = all(p.exists() and p.stat().st_uid == 0
               and not p.stat().st_mode & (stat.S_IWGRP | stat.S_IWOTH)
               for p in (program, *program.parents))
    return [Finding(found is not None, f"lệnh thidua: {found or 'không có trong PATH'}",
                    "cài thidua vào /opt/thidua và liên kết /usr/local/bin/thidua (README)"),
            Finding(safe, f"{program} và các thư mục chứa nó thuộc root, không ai khác ghi được",
                    "cài thidua bằng root vào /opt/thidua (README, Deploying)")]


def run_checks(cfg, keys_path: Path | None, thidua: list[str],
               sshd_config: str = SSHD_CONFIG) -> list[Finding]:
    """Every check; `thidua` is the command the keys' lines run (with its --config)."""
    settings = sshd_settings(sshd_config)
    found = _service_account(cfg, settings)
    entries = []
    if keys_path is not None:
        found += _keys_file(keys_path)
        entries = ssh_keys.read(keys_path)
    found += _sshd(settings, sshd_config)
    found += _exchange(cfg)
    if cfg.ssh.exchange_dir:
        found += files_door.checks(cfg, entries, thidua, sshd_config)
    found += _thidua_command(thidua)
    return found
