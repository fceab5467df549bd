"""Where an officer's session may read and write files.

Over SSH an officer must not be able to read the database, the configuration
or authorized_keys by typing their path into an import box, nor write
anywhere but the commune's exchange folder.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from models.errors import PermissionDenied, RuleError

NAME_MAX = 255  # bytes in one file name, on Linux's file systems


def over_ssh(env=os.environ) -> bool:
    return bool(env.get("SSH_CONNECTION") or env.get("SSH_CLIENT"))


@dataclass(frozen=True)
class FilePolicy:
    exchange_dir: str          # "" when not configured
    remote: bool               # the session came in over SSH
    protected: tuple[Path, ...]

    @classmethod
    def for_session(cls, cfg, db_path: Path | None, keys_path: Path | None,
                    remote: bool) -> "FilePolicy":
        files = [Path(p) for p in cfg.sources]
        if db_path is not None:
            files += [db_path, Path(f"{db_path}-wal"), Path(f"{db_path}-shm")]
        if keys_path is not None:
            files.append(keys_path)
        return cls(cfg.ssh.exchange_dir, remote, tuple(f.resolve() for f in files))

    def officer_folder(self, login: str) -> Path | None:
        """Where the app offers to write the officer's files: their own folder in the
        exchange folder (models/admin/sftp.officer_folder), reached with sftp; the
        exchange folder itself until an administrator makes it; None when unset."""
        if not self.exchange_dir:
            return None
        base = Path(self.exchange_dir).expanduser()
        return base / login if (base / login).is_dir() else base

    def resolve(self, requested: str) -> Path:
        """The real path for a file name typed by the user, or a clear refusal."""
        requested = (requested or "").strip()
        if not requested:
            raise RuleError("Hãy nhập tên tệp.")
        try:
            parts = [len(part.encode("utf-8")) for part in Path(requested).parts]
        except UnicodeEncodeError:  # a lone surrogate: no file system can hold it
            raise RuleError("Tên tệp có ký tự không hợp lệ; hãy gõ lại tên tệp.") from None
        if max(parts) > NAME_MAX:
            raise RuleError(f"Tên tệp quá dài: tối đa {NAME_MAX} byte (một chữ có dấu "
                            "chiếm 2-3 byte); hãy đặt tên ngắn hơn.")
        base = Path(self.exchange_dir).expanduser().resolve() if self.exchange_dir else None
        if self.remote and base is None:
            raise PermissionDenied("Máy chủ chưa cấu hình thư mục trao đổi tệp "
                                   "([ssh] exchange_dir); nhờ quản trị viên đặt.")
        path = Path(requested).expanduser()
        if not path.is_absolute() and base is not None:
            path = base / path
        path = path.resolve()  # follows links: a link out of the folder is caught below
        if self.remote and not path.is_relative_to(base):
            raise PermissionDenied(f"Chỉ được dùng tệp trong thư mục trao đổi {base}.")
        if path in self.protected:
            raise PermissionDenied("Không được đọc hay ghi tệp dữ liệu, cấu hình hay khóa "
                                   "của hệ thống.")
        return path
