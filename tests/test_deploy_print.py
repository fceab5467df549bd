"""`thidua print`: a PDF goes to the `[print] queue` with `lp -d`; an `lp` of our
own on PATH records what it was asked."""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest


@pytest.fixture
def printer(home, tmp_path):
    """A stand-in `lp` first on PATH, writing its arguments to a file."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    calls = tmp_path / "lp-calls"
    lp = bin_dir / "lp"
    lp.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" > {calls}\ncp -- "$4" {tmp_path}/printed\n'
                  'echo "request id is hp-7 (1 file(s))"\n')
    lp.chmod(0o755)
    home.env["PATH"] = f"{bin_dir}{os.pathsep}{home.env['PATH']}"
    return calls


def config_with(tmp_path: Path, queue: str) -> Path:
    config = tmp_path / "config.toml"
    config.write_text(f'[print]\nqueue = "{queue}"\n')
    return config


def test_a_pdf_goes_to_the_configured_queue(thidua, printer, tmp_path):
    pdf = tmp_path / "-quyết định.pdf"
    pdf.write_bytes(b"%PDF-1.4\n")
    result = thidua("--config", config_with(tmp_path, "may-in_1"), "print", pdf)
    assert result.returncode == 0, result.stderr
    assert "request id is hp-7" in result.stdout
    assert printer.read_text().splitlines() == ["-d", "may-in_1", "--", str(pdf)]


def test_printing_is_refused_clearly(thidua, printer, tmp_path):
    text = tmp_path / "a.txt"
    text.write_text("x")
    unset = thidua("--config", config_with(tmp_path, ""), "print", text)
    assert unset.returncode != 0 and "[print] queue" in unset.stderr
    wrong_kind = thidua("--config", config_with(tmp_path, "q"), "print", text)
    assert wrong_kind.returncode != 0 and "Chỉ in được tệp .pdf hoặc .docx" in wrong_kind.stderr
    bad_queue = thidua("--config", config_with(tmp_path, "q; rm"), "print", text)
    assert bad_queue.returncode == 2
    assert not printer.exists()


def test_a_docx_is_printed_as_its_pdf(thidua, printer, tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("QUYẾT ĐỊNH về việc khen thưởng <b>[red]")
    source = tmp_path / "quyet-dinh.docx"
    document.save(source)
    result = thidua("--config", config_with(tmp_path, "q"), "print", source, timeout=300)
    assert result.returncode == 0, result.stderr
    sent = printer.read_text().splitlines()
    assert sent[:3] == ["-d", "q", "--"] and sent[3].endswith("quyet-dinh.pdf")
    text = subprocess.run(["pdftotext", str(tmp_path / "printed"), "-"], capture_output=True,
                          text=True).stdout
    assert "QUYẾT ĐỊNH về việc khen thưởng <b>[red]" in text
