"""Find, read, merge and validate the configuration files.

The shipped ``default.toml`` is read first; then at most ONE user file is laid
over it key by key.  Every key remembers the file it came from, so an error names
the file the user must fix, not the merged result.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

try:
    import tomllib
except ModuleNotFoundError:  # Python < 3.11
    import tomli as tomllib  # type: ignore[no-redef]

from .errors import ConfigError
from .kinds import Invalid, KeyPath
from .model import Config
from .paths import user_config_file
from .schema import CROSS_CHECKS, SCHEMA

__all__ = ["DEFAULT_FILE", "load_config", "find_user_file", "format_key"]

DEFAULT_FILE = Path(__file__).with_name("default.toml")
ENV_VAR = "THIDUA_CONFIG"


def find_user_file(path: str | os.PathLike | None = None,
                   env: Mapping[str, str] | None = None) -> tuple[Path | None, bool]:
    """The user file to overlay and whether it must exist.

    ``path`` wins, then ``$THIDUA_CONFIG``, then the XDG file; only the XDG file
    may be missing (a file someone named explicitly and that is not there is
    almost always a typo worth reporting).
    """
    env = os.environ if env is None else env
    if path is not None:
        return Path(path), True
    if env.get(ENV_VAR):
        return Path(env[ENV_VAR]), True
    return user_config_file(env), False


def load_config(path: str | os.PathLike | None = None,
                env: Mapping[str, str] | None = None) -> Config:
    """Read the shipped defaults and the user's file into a validated Config.

    Raises ConfigError (one Vietnamese line naming file, key and problem).
    """
    user, required = find_user_file(path, env)
    merged = _read(DEFAULT_FILE)
    origin: dict[KeyPath, str] = {}
    _record(merged, (), str(DEFAULT_FILE), origin)
    sources = [str(DEFAULT_FILE)]
    if user is not None and (required or user.exists()):
        _merge(merged, _read(user), (), str(user), origin)
        sources.append(str(user))
    try:
        config = SCHEMA.convert(merged, (), {"sources": tuple(sources)})
        for check in CROSS_CHECKS:
            check(config)
    except Invalid as e:
        raise ConfigError(_file_of(e.path, origin), format_key(e.path), e.problem) from None
    return config


def _read(path: Path) -> dict[str, Any]:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(str(path), "", "tệp không tồn tại") from None
    except IsADirectoryError:
        raise ConfigError(str(path), "", "đây là một thư mục, không phải tệp") from None
    except OSError as e:
        raise ConfigError(str(path), "", f"không đọc được tệp ({e.strerror or e})") from None
    try:
        # utf-8-sig: Windows Notepad may save a byte-order mark.
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise ConfigError(str(path), "",
                          f"tệp không phải mã UTF-8 (byte thứ {e.start + 1}); "
                          "hãy lưu lại với mã hóa UTF-8") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(str(path), "", _syntax_problem(e)) from None


def _syntax_problem(e: Exception) -> str:
    # tomllib says "Invalid value (at line 2, column 5)"; keep its words as a hint.
    message = str(e)
    m = re.search(r"\(at line (\d+), column (\d+)\)", message)
    if m:
        detail = message[: m.start()].strip()
        return f"lỗi cú pháp TOML ở dòng {m[1]}, cột {m[2]} ({detail})"
    m = re.search(r"\(at end of document\)", message)
    if m:
        return f"lỗi cú pháp TOML ở cuối tệp ({message[: m.start()].strip()})"
    return f"lỗi cú pháp TOML ({message})"


def _record(value: Any, path: KeyPath, file: str, origin: dict[KeyPath, str]) -> None:
    """Note ``file`` as the origin of ``value`` and of everything inside it."""
    origin[path] = file
    if isinstance(value, dict):
        for key, item in value.items():
            _record(item, (*path, key), file, origin)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _record(item, (*path, i), file, origin)


def _merge(base: dict, overlay: dict, path: KeyPath, file: str,
           origin: dict[KeyPath, str]) -> None:
    """Lay ``overlay`` over ``base`` in place: tables merge key by key; any other
    value, arrays and [[arrays of tables]] included, replaces the old one whole."""
    for key, value in overlay.items():
        here = (*path, key)
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            origin[here] = file  # the table now has keys from this file too
            _merge(base[key], value, here, file, origin)
        else:
            for stale in [p for p in origin if p[: len(here)] == here]:
                del origin[stale]
            base[key] = value
            _record(value, here, file, origin)


def _file_of(path: KeyPath, origin: Mapping[KeyPath, str]) -> str:
    """The file a key came from: that of the key, else of its nearest table."""
    for end in range(len(path), -1, -1):
        if path[:end] in origin:
            return origin[path[:end]]
    return str(DEFAULT_FILE)


_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def format_key(path: KeyPath) -> str:
    """("voting", "title", "quorum") -> "voting.title.quorum";
    ("base_salary", 1, "amount") -> "base_salary[2].amount" (entries count from 1)."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part + 1}]"
        else:
            text = part if _BARE_KEY.fullmatch(part) else '"' + part.replace('"', '\\"') + '"'
            out += ("." if out else "") + text
    return out
