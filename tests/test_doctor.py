"""`thidua doctor` names what is wrong on the server and how to fix it."""
from __future__ import annotations

import getpass
import os


def test_doctor_names_each_problem_and_its_fix(home, thidua, tmp_path):
    keys = tmp_path / "ssh" / "authorized_keys"
    keys.parent.mkdir()
    keys.write_text("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDIthxwryvdYrhIIU9nHa934ExABz6tkWiNwEkypVcbp"
                    " admin@laptop\n")
    os.chmod(keys, 0o666)
    exchange = tmp_path / "trao-doi"
    config = tmp_path / "config.toml"
    config.write_text(f'[database]\nurl = "sqlite:///{tmp_path / "xa.sqlite"}"\n'
                      f'[ssh]\nservice_account = "{getpass.getuser()}"\n'
                      f'authorized_keys = "{keys}"\nexchange_dir = "{exchange}"\n')
    assert thidua("--config", config, "init").returncode == 0

    first = thidua("--config", config, "doctor")
    assert first.returncode == 1
    assert f"✗ quyền của {keys}: -rw-rw-rw-" in first.stdout
    assert f"chmod 600 {keys}" in first.stdout
    assert "✗ một dòng không do thidua quản lý" in first.stdout
    assert f"✗ thư mục trao đổi {exchange}" in first.stdout
    assert f"✓ tài khoản dịch vụ “{getpass.getuser()}”" in first.stdout
    assert "Traceback" not in first.stdout + first.stderr

    os.chmod(keys, 0o600)
    keys.write_text("")
    exchange.mkdir()
    second = thidua("--config", config, "doctor")
    assert f"✓ quyền của {keys}: -rw-------" in second.stdout
    assert f"✓ thư mục trao đổi {exchange}" in second.stdout
    assert "không do thidua quản lý" not in second.stdout
