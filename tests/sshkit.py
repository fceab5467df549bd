"""A real OpenSSH server on 127.0.0.1 and real clients in tmux, for the tests
that prove what officers get when they connect with their keys."""
from __future__ import annotations

import getpass
import os
import shlex
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

SSHD = shutil.which("sshd") or "/usr/sbin/sshd"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(predicate, timeout: float, step: float = 0.1):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    return predicate()


@dataclass
class Server:
    port: int
    authorized_keys: Path
    process: subprocess.Popen
    log: Path

    def stop(self) -> None:
        end(self.process)


def end(process: subprocess.Popen) -> str:
    """Terminate `process`, killing it if it lingers (an ssh client busy with a
    forwarding has been seen to outlast SIGTERM); returns what it wrote to stderr."""
    process.terminate()
    try:
        _, err = process.communicate(timeout=5)
    except subprocess.TimeoutExpired:
        process.kill()
        _, err = process.communicate(timeout=10)
    return err or ""


def start_sshd(folder: Path) -> Server:
    folder.mkdir(parents=True, exist_ok=True)
    Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)  # privilege separation
    host_key = folder / "host_ed25519"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(host_key)],
                   check=True)
    port = free_port()
    keys = folder / "authorized_keys"
    config = folder / "sshd_config"
    config.write_text(f"""Port {port}
ListenAddress 127.0.0.1
HostKey {host_key}
PidFile {folder / 'sshd.pid'}
AuthorizedKeysFile {keys}
UsePAM no
StrictModes no
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
PubkeyAuthentication yes
AllowTcpForwarding yes
AllowAgentForwarding yes
X11Forwarding no
PrintMotd no
PrintLastLog no
ClientAliveInterval 15
MaxStartups 50:30:100
MaxSessions 50
LogLevel VERBOSE
""")
    log = folder / "sshd.log"
    process = subprocess.Popen([SSHD, "-D", "-e", "-f", str(config)],
                               stdout=open(log, "w"), stderr=subprocess.STDOUT)

    def listening() -> bool:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return True
        except OSError:
            return False

    if not wait_for(listening, 10):
        process.kill()
        raise RuntimeError("sshd did not start: " + log.read_text())
    return Server(port, keys, process, log)


def make_key(folder: Path, name: str) -> Path:
    key = folder / f"id_{name}"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", str(key)],
                   check=True)
    return key


def run_thidua(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    """The installed `thidua` with `env`; a failure stops the caller with its message."""
    result = subprocess.run(["thidua", *args], env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise AssertionError(f"thidua {' '.join(args)}: {result.stderr}")
    return result


@dataclass
class SshCommune:
    root: Path
    server: Server
    db: Path
    env: dict[str, str]

    def add_key(self, login: str) -> Path:
        """A key pair for `login`, its public half added with `thidua key add`."""
        key = make_key(self.root, login)
        run_thidua(self.env, "key", "add", login, f"{key}.pub")
        return key


def ssh_commune(root: Path) -> SshCommune:
    """An sshd on 127.0.0.1 and an initialised commune store whose configuration
    names this account as the service account and the sshd's authorized_keys."""
    server = start_sshd(root / "sshd")
    db = root / "xa.sqlite"
    config = root / "config.toml"
    config.write_text(f'[database]\nurl = "sqlite:///{db}"\n'
                      f'[ssh]\nservice_account = "{getpass.getuser()}"\n'
                      f'authorized_keys = "{server.authorized_keys}"\n')
    env = {**os.environ, "THIDUA_CONFIG": str(config), "HOME": str(root),
           "XDG_DATA_HOME": str(root / "data"), "XDG_CONFIG_HOME": str(root / "cfg")}
    run_thidua(env, "init")
    return SshCommune(root, server, db, env)


def ssh_command(server: Server, key: Path, *extra: str) -> list[str]:
    return ["ssh", "-F", "/dev/null", "-i", str(key), "-p", str(server.port),
            "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
            "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes", "-o", "LogLevel=ERROR",
            *extra, f"{getpass.getuser()}@127.0.0.1"]


class Tmux:
    """A private tmux server (its own socket) whose windows are 80x24 terminals."""

    def __init__(self, name: str) -> None:
        self.socket = name
        self.started = False

    def run(self, *args: str) -> str:
        return subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True,
                              text=True).stdout

    def open(self, window: str, command: list[str], env: dict[str, str] | None = None) -> None:
        line = shlex.join(command)
        if env:
            line = "env " + " ".join(shlex.quote(f"{k}={v}") for k, v in env.items()) + " " + line
        if not self.started:
            self.run("new-session", "-d", "-x", "80", "-y", "24", "-n", window, line)
            self.started = True
        else:
            self.run("new-window", "-d", "-n", window, line)
        self.run("set-option", "-w", "-t", window, "remain-on-exit", "on")

    def keys(self, window: str, *keys: str) -> None:
        self.run("send-keys", "-t", window, *keys)

    def type(self, window: str, text: str) -> None:
        self.run("send-keys", "-t", window, "-l", text)

    def screen(self, window: str) -> str:
        return self.run("capture-pane", "-p", "-t", window)

    def wait_text(self, window: str, text: str, timeout: float = 15, step: float = 0.2) -> bool:
        return bool(wait_for(lambda: text in self.screen(window), timeout, step))

    def running(self, window: str) -> bool:
        """Whether the program in the window is still alive (tmux does not always
        mark a dead pane, and keeps the exited process as a zombie)."""
        pid = self.run("display-message", "-p", "-t", window, "#{pane_pid}").strip()
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            return False
        return state != "Z"

    def kill(self) -> None:
        self.run("kill-server")
