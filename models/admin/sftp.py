"""The file door: each officer's files-only account, which sshd locks into the
exchange folder with OpenSSH's own `internal-sftp`.

OpenSSH picks a ChrootDirectory and a ForceCommand by account (a Match block),
never by key, so each officer who exchanges files has a Linux account of their
own, named as their thidua login, in `[ssh] sftp_group`. That account holds no
key: its Match block has sshd ask `thidua key sftp LOGIN` (AuthorizedKeysCommand,
run as the service account) for the keys `thidua key add` wrote into the service
account's authorized_keys. One file then serves both doors, so adding or removing
a key, or disabling the officer, acts on both at once.

Layout: exchange_dir is the chroot, owned by root and not writable by anyone else
(sshd refuses it otherwise), mode 0711 so nobody lists whose folders exist; each
officer's folder in it belongs to the service account (the app's exports land
there) with the officer's group, mode 2770: the officer reads and writes it, the
other officers cannot enter it.
"""
from __future__ import annotations

import pwd
import shlex
from pathlib import Path

from models.admin import ssh_keys

CHROOT_MODE = 0o711
FOLDER_MODE = 0o2770
NOLOGIN = "/usr/sbin/nologin"
# Links are refused: the app follows links when it writes an export, so a link an
# officer planted in their folder could send the app's writes into another folder.
DENIED_REQUESTS = "symlink,hardlink"
SFTP_COMMAND = f"internal-sftp -d /%u -P {DENIED_REQUESTS}"


def exchange_root(cfg) -> Path:
    return Path(cfg.ssh.exchange_dir).expanduser()


def officer_folder(cfg, login: str) -> Path:
    """Where the officer's uploads arrive and the app's exports for them land."""
    return exchange_root(cfg) / login


def door_lines(entries: list[ssh_keys.Entry], login: str) -> list[str]:
    """The authorized_keys lines sshd reads for the officer's files-only account:
    the keys of `login` in the service account's file, with every forwarding and
    the terminal taken away (the Match block forces internal-sftp)."""
    return [f"restrict {e.key.type} {e.key.blob} {ssh_keys.TAG}{login}"
            for e in entries if e.login == login and e.key is not None]


def keys_command(thidua: list[str]) -> str:
    """AuthorizedKeysCommand's value: this thidua (with its --config), `key sftp %u`."""
    return " ".join(shlex.quote(part) for part in thidua) + " key sftp %u"


def match_block(cfg, thidua: list[str]) -> str:
    """The sshd_config lines that open the file door; README shows the same."""
    return "\n".join([
        f"Match Group {cfg.ssh.sftp_group}",
        f"    ChrootDirectory {exchange_root(cfg)}",
        f"    ForceCommand {SFTP_COMMAND}",
        "    AuthorizedKeysFile none",
        f"    AuthorizedKeysCommand {keys_command(thidua)}",
        f"    AuthorizedKeysCommandUser {cfg.ssh.service_account}",
        "    DisableForwarding yes",
        "    PermitTTY no",
    ]) + "\n"


def account_commands(cfg, login: str) -> list[str]:
    """What root runs once per officer to open their file door: the account (no
    password, no shell; '*' rather than useradd's '!', which sshd reads as locked
    when PAM is off) and their folder."""
    folder = shlex.quote(str(officer_folder(cfg, login)))
    return [
        f"useradd --no-create-home --home-dir {folder} --shell {NOLOGIN} "
        f"--groups {cfg.ssh.sftp_group} --password '*' {login}",
        f"install -d -o {cfg.ssh.service_account} -g {login} -m {FOLDER_MODE:o} {folder}",
    ]


def missing_commands(cfg, login: str) -> list[str]:
    """What root still has to run for the officer's file door; [] when it is open
    (or when no exchange folder is configured, so there is no door to open)."""
    if not cfg.ssh.exchange_dir:
        return []
    try:
        pwd.getpwnam(login)
    except KeyError:
        return account_commands(cfg, login)
    return [] if officer_folder(cfg, login).is_dir() else account_commands(cfg, login)[1:]
