"""`thidua doctor`'s checks of the file door (see models/admin/sftp.py): each
officer's files-only account and folder, and the Match block sshd applies."""
from __future__ import annotations

import grp
import pwd
import stat

from models.admin import sftp, ssh_keys
from models.admin.probe import Finding, password_locked, sshd_settings

NO_SHELLS = ("/usr/sbin/nologin", "/sbin/nologin", "/bin/false", "/usr/bin/false")


def connection(login: str) -> str:
    """`sshd -T -C`'s description of a connection by `login`, so Match blocks apply."""
    return f"user={login},host=localhost,addr=127.0.0.1"


def _folder(cfg, login: str, account: pwd.struct_passwd) -> Finding:
    folder = sftp.officer_folder(cfg, login)
    service = cfg.ssh.service_account
    fix = f"bằng root: {sftp.account_commands(cfg, login)[1]}"
    try:
        st = folder.lstat()
        owner = pwd.getpwuid(st.st_uid).pw_name
    except (OSError, KeyError):
        return Finding(False, f"{login}: thư mục {folder} chưa có", fix)
    right = (stat.S_ISDIR(st.st_mode) and owner == service and st.st_gid == account.pw_gid
             and stat.S_IMODE(st.st_mode) == sftp.FOLDER_MODE)
    return Finding(right, f"{login}: thư mục {folder}: chủ {owner}, nhóm "
                          f"{grp.getgrgid(st.st_gid).gr_name}, quyền {stat.S_IMODE(st.st_mode):o}",
                   fix)


def _officer(cfg, login: str, members: list[str]) -> list[Finding]:
    group = cfg.ssh.sftp_group
    try:
        account = pwd.getpwnam(login)
    except KeyError:
        return [Finding(False, f"{login}: chưa có tài khoản trao đổi tệp (sftp)",
                        "bằng root: " + " && ".join(sftp.account_commands(cfg, login)))]
    found = [
        Finding(login in members, f"{login}: tài khoản thuộc nhóm {group}",
                f"bằng root: usermod -aG {group} {login}"),
        Finding(account.pw_shell in NO_SHELLS, f"{login}: tài khoản không có shell "
                                                f"({account.pw_shell})",
                f"bằng root: usermod -s {sftp.NOLOGIN} {login}"),
        _folder(cfg, login, account),
    ]
    if password_locked(login):  # told only when root runs doctor
        found.append(Finding(False, f"{login}: tài khoản bị khóa (sshd từ chối khi UsePAM no)",
                             f"bằng root: usermod -p '*' {login}"))
    return found


def _match_block(cfg, settings: dict[str, str], thidua: list[str], sshd_config: str,
                 login: str) -> list[Finding]:
    wanted = {
        "chrootdirectory": str(sftp.exchange_root(cfg)),
        "forcecommand": sftp.SFTP_COMMAND,
        "authorizedkeysfile": "none",
        "authorizedkeyscommand": sftp.keys_command(thidua),
        "authorizedkeyscommanduser": cfg.ssh.service_account,
        "disableforwarding": "yes",
        "permittty": "no",
    }
    wrong = [f"{key} = {settings.get(key, '?')}" for key, value in wanted.items()
             if settings.get(key) != value]
    if not settings.get("subsystem", "").startswith("sftp "):  # refused before ForceCommand
        wrong.append("thiếu Subsystem sftp (Debian có sẵn: Subsystem sftp "
                     "/usr/lib/openssh/sftp-server)")
    return [Finding(not wrong, f"khối Match của sshd cho {login}"
                               + (": " + "; ".join(wrong) if wrong else ""),
                    f"thêm vào cuối {sshd_config} rồi systemctl reload ssh:\n"
                    + sftp.match_block(cfg, thidua))]


def checks(cfg, entries: list[ssh_keys.Entry], thidua: list[str],
           sshd_config: str) -> list[Finding]:
    """Each officer holding a key has a working file door, and the Match block
    applies to them and not to the service account."""
    group = cfg.ssh.sftp_group
    try:
        members = grp.getgrnam(group).gr_mem
    except KeyError:
        return [Finding(False, f"nhóm {group} của các tài khoản trao đổi tệp chưa có",
                        f"bằng root: groupadd {group}")]
    logins = sorted({e.login for e in entries if e.login})
    found = [f for login in logins for f in _officer(cfg, login, members)]
    service = sshd_settings(sshd_config, connection(cfg.ssh.service_account))
    found.append(Finding(service.get("chrootdirectory") == "none"
                         and service.get("forcecommand") == "none",
                         f"sshd không giam tài khoản dịch vụ {cfg.ssh.service_account}",
                         f"tài khoản dịch vụ không được ở trong nhóm {group} hay khối Match"))
    sample = next((login for login in logins if login in members), None)
    if sample is not None:
        found += _match_block(cfg, sshd_settings(sshd_config, connection(sample)), thidua,
                              sshd_config, sample)
    return found

