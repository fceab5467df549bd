"""What the `thidua` client and the session server share: where the server listens,
who may talk to it, and the stamp of the installed code (the messages themselves are
in cli/session_relay.py).

Standard library only, and small: the client imports this module in every SSH
session before it knows whether it will run the app itself.
"""
from __future__ import annotations

import hashlib
import os
import socket
import stat
import struct
import sys
import sysconfig
from pathlib import Path

PACKAGES = ("cli", "config", "models", "tui")
CODE_SUFFIXES = (".py", ".tcss", ".toml")
SOCKET_NAME = "session.sock"
LOCK_NAME = "server.lock"  # held by the running server
START_LOCK_NAME = "start.lock"  # held by a client while it starts one
LOG_NAME = "server.log"
# THIDUA_SESSION_SERVER: "on" for every session, "off" for none; otherwise (unset,
# "auto") only the service account's `--as` sessions, the SSH forced command.
SWITCH = "THIDUA_SESSION_SERVER"


def runtime_dir(env=os.environ) -> Path:
    """Per user: $XDG_RUNTIME_DIR/thidua, else /tmp/thidua-UID."""
    base = env.get("XDG_RUNTIME_DIR")
    return Path(base) / "thidua" if base else Path(f"/tmp/thidua-{os.geteuid()}")


def private_dir(env=os.environ) -> Path | None:
    """The runtime folder, made if missing; None unless it is a real folder that only
    this user can reach: the socket hands terminals to whoever may connect, and the
    server runs sessions as this account."""
    folder = runtime_dir(env)
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = os.lstat(folder)
    except OSError:
        return None
    if (not stat.S_ISDIR(info.st_mode) or info.st_uid != os.geteuid()
            or info.st_mode & 0o077):
        return None
    return folder


def code_stamp() -> str:
    """Changes whenever the installed code does: our packages' files (names, sizes,
    modification times), the interpreter and its PYTHONPATH, and the site-packages
    folder (an install or upgrade of any library adds and removes folders there)."""
    root = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256(
        f"{sys.executable}\0{sys.version}\0{os.environ.get('PYTHONPATH', '')}".encode())
    try:
        digest.update(str(os.stat(sysconfig.get_paths()["purelib"]).st_mtime_ns).encode())
    except OSError:
        pass
    for package in PACKAGES:
        for folder, subdirs, files in os.walk(root / package):
            subdirs[:] = sorted(d for d in subdirs if d != "__pycache__")
            for name in sorted(files):
                if name.endswith(CODE_SUFFIXES):
                    path = os.path.join(folder, name)
                    try:
                        info = os.stat(path)
                    except OSError:
                        continue
                    digest.update(f"{path}\0{info.st_size}\0{info.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def peer_uid(conn: socket.socket) -> int:
    creds = conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
    return struct.unpack("3i", creds)[1]
