"""PDF through LibreOffice (`soffice --headless --convert-to pdf`), when it is installed.

Each conversion runs with a profile of its own in a temporary folder: two officers
exporting at once would otherwise share, and lock, the service account's profile."""
from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from models.errors import RuleError, StoreError

TIMEOUT = 300   # seconds; a first start of LibreOffice on a slow server takes a while
MISSING = ("Máy chủ chưa cài LibreOffice nên không xuất được PDF: xuất .docx (mở bằng Word "
           "rồi in), hoặc nhờ quản trị cài gói libreoffice-writer.")


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert(source: Path, target: Path) -> Path:
    """Convert the .docx `source` into the .pdf `target`."""
    program = soffice()
    if program is None:
        raise RuleError(MISSING)
    with tempfile.TemporaryDirectory(prefix="thidua-pdf-") as work:
        profile = Path(work, "profile").as_uri()
        try:
            done = subprocess.run(
                [program, f"-env:UserInstallation={profile}", "--headless", "--norestore",
                 "--convert-to", "pdf", "--outdir", work, str(source)],
                capture_output=True, text=True, timeout=TIMEOUT, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            raise StoreError(f"LibreOffice không chuyển xong sang PDF sau {TIMEOUT} giây.") \
                from None
        made = Path(work, source.with_suffix(".pdf").name)
        if done.returncode != 0 or not made.exists():
            detail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["không rõ lỗi"]
            raise StoreError(f"LibreOffice không chuyển được sang PDF: {detail[0]}")
        try:
            shutil.move(str(made), str(target))
        except OSError as exc:
            raise StoreError(f"Không ghi được {target}: {exc.strerror or exc}.") from None
    return target
