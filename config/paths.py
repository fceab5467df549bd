"""Where thidua looks for its files, following the XDG base directory spec."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

__all__ = ["home", "config_dir", "data_dir", "state_dir", "user_config_file"]


def _env(env: Mapping[str, str] | None) -> Mapping[str, str]:
    return os.environ if env is None else env


def home(env: Mapping[str, str] | None = None) -> Path:
    h = _env(env).get("HOME")
    return Path(h) if h else Path.home()


def _xdg(env: Mapping[str, str] | None, var: str, fallback: str) -> Path:
    # The spec says a relative or empty value is to be ignored.
    value = _env(env).get(var, "")
    if value and os.path.isabs(value):
        return Path(value)
    return home(env) / fallback


def config_dir(env: Mapping[str, str] | None = None) -> Path:
    """``$XDG_CONFIG_HOME/thidua``, by default ``~/.config/thidua``."""
    return _xdg(env, "XDG_CONFIG_HOME", ".config") / "thidua"


def data_dir(env: Mapping[str, str] | None = None) -> Path:
    """``$XDG_DATA_HOME/thidua``, by default ``~/.local/share/thidua``."""
    return _xdg(env, "XDG_DATA_HOME", ".local/share") / "thidua"


def state_dir(env: Mapping[str, str] | None = None) -> Path:
    """``$XDG_STATE_HOME/thidua``, by default ``~/.local/state/thidua``: what the
    service account keeps apart from the database (the change log's key and head)."""
    return _xdg(env, "XDG_STATE_HOME", ".local/state") / "thidua"


def user_config_file(env: Mapping[str, str] | None = None) -> Path:
    """The user's config file when neither a path nor $THIDUA_CONFIG is given."""
    return config_dir(env) / "config.toml"
