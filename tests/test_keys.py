"""authorized_keys management: real keys from ssh-keygen, real files."""
from __future__ import annotations

import base64
import subprocess
from pathlib import Path

import pytest

from models.admin import ssh_keys
from models.errors import RuleError

COMMAND = ["/usr/local/bin/thidua", "--config", "/srv/thidua/config.toml"]


@pytest.fixture
def keypair(tmp_path):
    def make(name: str, kind: str = "ed25519") -> Path:
        key = tmp_path / f"id_{name}"
        subprocess.run(["ssh-keygen", "-q", "-t", kind, "-N", "", "-C", name, "-f", str(key)],
                       check=True)
        return key
    return make


def test_add_writes_a_restricted_forced_command_line(tmp_path, keypair):
    path = tmp_path / "ssh" / "authorized_keys"
    ssh_keys.add(path, "thon3", keypair("a").with_suffix(".pub").read_text(), COMMAND)
    line = path.read_text().strip()
    assert line.startswith('restrict,pty,command="/usr/local/bin/thidua --config '
                           '/srv/thidua/config.toml --as thon3" ssh-ed25519 ')
    assert line.endswith(" thidua:thon3")
    assert path.stat().st_mode & 0o777 == 0o600
    assert path.parent.stat().st_mode & 0o777 == 0o700


def test_fingerprint_matches_ssh_keygen(tmp_path, keypair):
    pub = keypair("b").with_suffix(".pub")
    key = ssh_keys.parse_public_key(pub.read_text())
    listed = subprocess.run(["ssh-keygen", "-lf", str(pub)], capture_output=True, text=True)
    assert key.fingerprint == listed.stdout.split()[1]


def test_one_key_one_login_and_no_duplicates(tmp_path, keypair):
    path = tmp_path / "authorized_keys"
    text = keypair("c").with_suffix(".pub").read_text()
    ssh_keys.add(path, "thon1", text, COMMAND)
    with pytest.raises(RuleError, match="đã được gán cho thon1"):
        ssh_keys.add(path, "thon1", text, COMMAND)
    with pytest.raises(RuleError, match="đã thuộc về thon1"):
        ssh_keys.add(path, "thon2", text, COMMAND)
    assert len(path.read_text().splitlines()) == 1


def test_private_keys_are_refused(keypair):
    with pytest.raises(RuleError, match="KHÓA BÍ MẬT"):
        ssh_keys.parse_public_key(keypair("d").read_text())
    with pytest.raises(RuleError, match="KHÓA BÍ MẬT"):
        ssh_keys.parse_public_key("PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\n")


@pytest.mark.parametrize("text", [
    "", "hello", "ssh-ed25519", "ssh-ed25519 not*base64", "ssh-ed25519 AAAA",
    "ssh-rsa " + base64.b64encode(b"\x00\x00\x00\x0bssh-ed25519rest").decode(),
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI x\nssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI y",
])
def test_malformed_keys_are_refused_clearly(text):
    with pytest.raises(RuleError):
        ssh_keys.parse_public_key(text)


def test_putty_public_key_format_is_accepted(keypair):
    pub = keypair("e").with_suffix(".pub")
    rfc4716 = subprocess.run(["ssh-keygen", "-e", "-f", str(pub)], capture_output=True,
                             text=True, check=True).stdout
    assert rfc4716.startswith("---- BEGIN SSH2 PUBLIC KEY ----")
    assert ssh_keys.parse_public_key(rfc4716) == ssh_keys.parse_public_key(pub.read_text())


def test_remove_and_foreign_lines_are_kept(tmp_path, keypair):
    path = tmp_path / "authorized_keys"
    admin_line = keypair("admin").with_suffix(".pub").read_text().strip()
    path.write_text(admin_line + "\n")
    first = ssh_keys.add(path, "thon1", keypair("f").with_suffix(".pub").read_text(), COMMAND)
    ssh_keys.add(path, "thon1", keypair("g").with_suffix(".pub").read_text(), COMMAND)
    assert ssh_keys.remove(path, "thon1", first.fingerprint) == 1
    assert ssh_keys.remove(path, "thon1") == 1
    with pytest.raises(RuleError, match="Không có khóa nào"):
        ssh_keys.remove(path, "thon1")
    assert path.read_text().strip() == admin_line


def test_rewrite_is_atomic_no_temporary_files_left(tmp_path, keypair):
    path = tmp_path / "authorized_keys"
    for name in "hijk":
        ssh_keys.add(path, f"u{name}", keypair(name).with_suffix(".pub").read_text(), COMMAND)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".authorized")) == []
