"""Sealing the choices of a secret ballot (libsodium's sealed boxes, via PyNaCl).

A key pair is made when a secret ballot opens. Its public key goes in the
ballot's row, so that every voter's session can seal; its private key goes in a
file of its own in `[council] key_dir`, outside the database and the database's
folder (never in a backup, a dump or a replica), readable by the service
account only, and erased when the ballot closes. A vote is then one ciphertext,
of a length fixed by the ballot (the JSON is padded), whatever was chosen: a
copy of the database taken at any moment holds nothing it can open.

Someone with root on the server while the ballot is open can read the key
file: the README states that limit.
"""
from __future__ import annotations

import base64
import json
import os
import secrets
from pathlib import Path

from models.errors import RuleError, StoreError

# PyNaCl is imported where a key is made or used: every session's heartbeat reads this
# package, and loading the library there would weigh on each session's memory.

# Receipt codes: no 0/O, 1/I (read aloud and typed back without confusion).
CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
CODE_LENGTH = 8
# Room for one name's entry, '"<item id>":"disagree",' with an id of up to 12
# digits, and for the receipt code and the braces.
ENTRY_SIZE, FRAME_SIZE = 28, 40


def receipt_code() -> str:
    """A random code shown to the voter, e.g. "7KQM-XW3P" (40 bits)."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return f"{raw[:4]}-{raw[4:]}"


def new_key(folder: Path, database_folder: Path | None) -> tuple[str, Path]:
    """A fresh key pair: (public key in hex, file of the private key)."""
    folder = folder.expanduser().resolve()
    if database_folder is not None and folder.is_relative_to(database_folder.resolve()):
        raise StoreError(f"Thư mục khóa phiếu kín {folder} nằm trong thư mục cơ sở dữ liệu: "
                         "đặt [council] key_dir ở nơi khác (bản sao lưu không được chứa khóa).")
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.chmod(folder, 0o700)
        from nacl.encoding import HexEncoder
        from nacl.public import PrivateKey
        private = PrivateKey.generate()
        public = private.public_key.encode(HexEncoder).decode()
        path = folder / f"{public}.key"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(bytes(private))
            fh.flush()
            os.fsync(fh.fileno())
    except OSError as exc:
        raise StoreError(f"Không tạo được khóa phiếu kín trong {folder}: {exc.strerror}.") from None
    return public, path


def plain_size(items: int) -> int:
    """The padded length of a vote's plaintext on a ballot of `items` names."""
    return FRAME_SIZE + ENTRY_SIZE * items


def seal(public_key: str, choices: dict[int, str], code: str, size: int) -> str:
    """The choices (item id -> choice) and the receipt code, padded to `size`
    bytes and sealed to `public_key`: base64 text, the same length for any choice."""
    plain = json.dumps({"c": {str(k): v for k, v in sorted(choices.items())}, "r": code},
                       separators=(",", ":")).encode()
    if len(plain) > size:
        raise RuleError("Phiếu quá dài để niêm phong.")
    from nacl.encoding import HexEncoder
    from nacl.public import PublicKey, SealedBox
    box = SealedBox(PublicKey(public_key.encode(), HexEncoder))
    return base64.b64encode(box.encrypt(plain.ljust(size))).decode()


def unseal_all(key_file: str, sealed: list[str]) -> list[tuple[dict[int, str], str]]:
    """Open every ciphertext with the private key in `key_file`: (choices, code) each."""
    from nacl.exceptions import CryptoError
    from nacl.public import PrivateKey, SealedBox
    try:
        box = SealedBox(PrivateKey(Path(key_file).read_bytes()))
    except OSError:
        raise RuleError("Không tìm thấy khóa của phiếu kín (tệp khóa đã mất): chưa kiểm phiếu "
                        "được. Báo quản trị viên.") from None
    out = []
    for text in sealed:
        try:
            raw = json.loads(box.decrypt(base64.b64decode(text)))
        except (CryptoError, ValueError):
            raise RuleError("Một phiếu kín không mở được bằng khóa của phiếu.") from None
        out.append(({int(k): v for k, v in raw["c"].items()}, raw["r"]))
    return out


def erase_key(key_file: str) -> None:
    """Overwrite the private key file, then remove it (gone already: nothing to do)."""
    if not key_file:
        return
    try:
        with open(key_file, "r+b") as fh:
            fh.write(b"\0" * max(32, os.fstat(fh.fileno()).st_size))
            fh.flush()
            os.fsync(fh.fileno())
        os.unlink(key_file)
    except FileNotFoundError:
        return
