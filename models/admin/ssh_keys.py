"""The officers' keys in the service account's `authorized_keys`.

OpenSSH is the front door: each key's line forces `thidua --as LOGIN`, so the
key, not anything the client sends, fixes who the officer is. `restrict`
forbids forwarding, agents and X11; `pty` gives back the terminal a TUI needs.
The file is rewritten atomically so sshd never reads half of it.
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import os
import shlex
import struct
import tempfile
from dataclasses import dataclass
from pathlib import Path

from models.errors import RuleError

KEY_TYPES = ("ssh-ed25519", "ssh-rsa", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384",
             "ecdsa-sha2-nistp521", "sk-ssh-ed25519@openssh.com",
             "sk-ecdsa-sha2-nistp256@openssh.com")
PRIVATE_MARKERS = ("PRIVATE KEY", "PuTTY-User-Key-File")
TAG = "thidua:"


@dataclass(frozen=True)
class PublicKey:
    type: str
    blob: str  # base64, as in the file

    @property
    def fingerprint(self) -> str:
        digest = hashlib.sha256(base64.b64decode(self.blob)).digest()
        return "SHA256:" + base64.b64encode(digest).decode().rstrip("=")


@dataclass(frozen=True)
class Entry:
    login: str | None  # None: a line thidua did not write; kept as it is
    key: PublicKey | None
    line: str


def _from_rfc4716(text: str) -> str:
    """PuTTYgen saves public keys as "---- BEGIN SSH2 PUBLIC KEY ----" blocks."""
    body, continued = [], False
    for raw in text.splitlines()[1:]:
        line = raw.strip()
        if line.startswith("---- END"):
            break
        if continued or ":" in line and not body:
            continued = line.endswith("\\")
            continue
        body.append(line)
    blob = "".join(body)
    return f"{_blob_type(blob)} {blob}"


def _blob_type(blob: str) -> str:
    try:
        raw = base64.b64decode(blob, validate=True)
        (length,) = struct.unpack(">I", raw[:4])
        return raw[4:4 + length].decode("ascii")
    except (binascii.Error, struct.error, UnicodeDecodeError, ValueError):
        raise RuleError("Khóa công khai bị hỏng: phần mã base64 không đọc được.") from None


def parse_public_key(text: str) -> PublicKey:
    """One public key from what an officer handed over (OpenSSH or PuTTY format)."""
    text = text.strip()
    if any(marker in text for marker in PRIVATE_MARKERS):
        raise RuleError("Đây là KHÓA BÍ MẬT, không phải khóa công khai. Không gửi tệp này cho ai; "
                        "hãy dùng tệp .pub (hoặc “Public key” trong PuTTYgen).")
    if text.startswith("---- BEGIN SSH2 PUBLIC KEY"):
        text = _from_rfc4716(text)
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    if len(lines) != 1:
        raise RuleError("Tệp phải chứa đúng một khóa công khai.")
    parts = lines[0].split()
    found = next((i for i, p in enumerate(parts) if p in KEY_TYPES), None)
    if found is None or found + 1 >= len(parts):
        raise RuleError("Không nhận ra khóa công khai SSH (cần dạng “ssh-ed25519 AAAA...”).")
    key = PublicKey(parts[found], parts[found + 1])
    if _blob_type(key.blob) != key.type:
        raise RuleError("Khóa công khai bị hỏng: loại khóa không khớp với nội dung.")
    return key


def forced_line(login: str, key: PublicKey, command: list[str]) -> str:
    forced = " ".join(shlex.quote(part) for part in [*command, "--as", login])
    escaped = forced.replace("\\", "\\\\").replace('"', '\\"')
    return f'restrict,pty,command="{escaped}" {key.type} {key.blob} {TAG}{login}'


def _entry(line: str) -> Entry:
    parts = line.split()
    key = next((PublicKey(p, parts[i + 1]) for i, p in enumerate(parts[:-1])
                if p in KEY_TYPES), None)
    tag = parts[-1] if parts else ""
    login = tag[len(TAG):] if tag.startswith(TAG) else None
    return Entry(login, key, line)


def read(path: Path) -> list[Entry]:
    if not path.exists():
        return []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleError(f"Không đọc được {path}: {exc}.") from None
    return [_entry(line) for line in lines if line.strip()]


def write(path: Path, entries: list[Entry]) -> None:
    """Replace the file in one step, mode 0600 in a 0700 directory (sshd's StrictModes)."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".authorized_keys.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            os.fchmod(out.fileno(), 0o600)
            out.write("".join(e.line + "\n" for e in entries))
            out.flush()
            os.fsync(out.fileno())
        if path.exists():
            stat = path.stat()
            os.chown(tmp, stat.st_uid, stat.st_gid)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def add(path: Path, login: str, key_text: str, command: list[str]) -> PublicKey:
    key = parse_public_key(key_text)
    entries = read(path)
    for entry in entries:
        if entry.key is not None and entry.key.blob == key.blob:
            owner = entry.login or "một dòng không do thidua quản lý"
            if entry.login == login:
                raise RuleError(f"Khóa này đã được gán cho {login}.")
            raise RuleError(f"Khóa này đã thuộc về {owner}; mỗi khóa chỉ của một người.")
    entries.append(Entry(login, key, forced_line(login, key, command)))
    write(path, entries)
    return key


def remove(path: Path, login: str, fingerprint: str | None = None) -> int:
    entries = read(path)
    keep = [e for e in entries if not (e.login == login and (
        fingerprint is None or (e.key is not None and e.key.fingerprint == fingerprint)))]
    removed = len(entries) - len(keep)
    if not removed:
        raise RuleError(f"Không có khóa nào của {login}"
                        + (f" với dấu vân tay {fingerprint}." if fingerprint else "."))
    write(path, keep)
    return removed


