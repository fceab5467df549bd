"""The quick integrity check at start: a damaged file is refused, and left as it was."""
from __future__ import annotations

import sqlite3

import pytest

from models import store
from models.errors import StoreError


def test_a_file_damaged_in_the_middle_is_refused_untouched(tmp_path, thidua, home):
    path = tmp_path / "xa.sqlite"
    assert thidua("demo", "--db", path, "--persons", "300").returncode == 0
    sqlite3.connect(path).execute("PRAGMA journal_mode=delete").connection.close()
    data = bytearray(path.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    offset = len(data) // page * 3 // 4 * page
    data[offset:offset + 64] = b"\xa5" * 64  # one page header, three quarters in
    path.write_bytes(bytes(data))
    with pytest.raises(StoreError, match="bị hỏng"):
        store.open_store(str(path))
    refused = thidua("user", "list", "--db", path)
    assert refused.returncode == 1 and "bị hỏng" in refused.stderr
    assert "thidua restore" in refused.stderr and len(refused.stderr.splitlines()) == 1
    assert path.read_bytes() == bytes(data)
