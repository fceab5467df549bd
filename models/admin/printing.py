"""Printing a document on the commune's CUPS queue (`[print] queue`) with `lp`;
a .docx goes through LibreOffice to PDF first (models.documents.pdf)."""
from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from models.documents import pdf
from models.errors import RuleError


def print_document(cfg, path: Path) -> str:
    """Send a .pdf or .docx to the configured queue; returns what `lp` answered."""
    if not cfg.print.queue:
        raise RuleError("Chưa cấu hình máy in ([print] queue); nhờ quản trị viên đặt.")
    kind = path.suffix.lower()
    if kind not in (".pdf", ".docx") or not path.is_file():
        raise RuleError(f"Chỉ in được tệp .pdf hoặc .docx có sẵn: {path.name}.")
    lp = shutil.which("lp")
    if lp is None:
        raise RuleError("Máy chủ chưa cài CUPS (lệnh lp): apt-get install cups-client.")
    if kind == ".pdf":
        return _send(lp, cfg.print.queue, path)
    with tempfile.TemporaryDirectory(prefix="thidua-print-") as work:
        return _send(lp, cfg.print.queue, pdf.convert(path, Path(work, path.stem + ".pdf")))


def _send(lp: str, queue: str, path: Path) -> str:
    # "--" keeps a file name that starts with "-" from being read as an option.
    done = subprocess.run([lp, "-d", queue, "--", str(path)], capture_output=True, text=True,
                          timeout=60)
    if done.returncode != 0:
        raise RuleError(f"Máy in “{queue}” không nhận tệp: {(done.stderr or done.stdout).strip()}")
    return done.stdout.strip()
