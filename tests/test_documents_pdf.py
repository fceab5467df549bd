"""Every kind of document through LibreOffice to PDF, read back with pdftotext (issue 13,
"Verification"). LibreOffice takes a second or two a conversion: one per kind, on one
commune built once per test."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from test_documents import CFG, Y, build_world, household_decision

from models.documents import kinds

TOOLS = ("soffice", "pdftotext", "pdfinfo")


@pytest.fixture(autouse=True)
def tools():
    missing = [t for t in TOOLS if shutil.which(t) is None]
    if missing:  # fail, not skip: .ci/run installs libreoffice-writer and poppler-utils
        pytest.fail("missing " + ", ".join(missing) + ": apt-get install libreoffice-writer "
                    "poppler-utils")


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout


def pages(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True,
                          check=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages")))


def test_each_kind_converts_to_pdf_with_its_key_lines(admin, tmp_path):
    world = build_world(admin)
    expected = {
        ("decision", "1"): ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                            "Số: 01/QĐ-UBND", "Hòa Phong, ngày 05 tháng 02 năm 2026",
                            "QUYẾT ĐỊNH:", "Nơi nhận:", "KT. CHỦ TỊCH", "Trần Văn Tâm",
                            "DANH SÁCH KHEN THƯỞNG", "Nguyễn Văn Phú", "03/04/1980",
                            "Tổng cộng"],
        ("decision", "2"): ["Số: 02/QĐ-UBND", "Sửa đổi, bổ sung Quyết định Số: 01/QĐ-UBND"],
        ("proposal", "1"): ["TỜ TRÌNH", "Số: 01/TTr-UBND", "DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG",
                            "TM. ỦY BAN NHÂN DÂN"],
        ("achievement", str(world["nomination"])): [
            "BÁO CÁO THÀNH TÍCH", "I. SƠ LƯỢC LÝ LỊCH", "Họ và tên: Nguyễn Văn Phú",
            "III. CÁC HÌNH THỨC ĐÃ ĐƯỢC KHEN THƯỞNG", "NGƯỜI BÁO CÁO THÀNH TÍCH"],
    }
    for (kind, number), lines in expected.items():
        path = kinds.export(CFG, kind, number, Y, tmp_path / f"{kind}-{number}.pdf")
        assert path.read_bytes().startswith(b"%PDF")
        found = " ".join(pdf_text(path).split())
        for line in lines:
            assert line in found, (kind, line)


def test_a_300_row_list_repeats_its_header_on_every_page(admin, tmp_path):
    household_decision(admin, 300)
    path = kinds.export(CFG, "decision", "1", Y, tmp_path / "gdvh.pdf")
    by_page = pdf_text(path).split("\f")
    count = pages(path)
    assert count >= 8
    list_pages = [page for page in by_page[:count] if "Nguyễn Văn Hộ" in page]
    assert len(list_pages) >= 7
    for page in list_pages:
        assert "Chủ hộ" in page and "Địa chỉ" in page
    assert "Nguyễn Văn Hộ 299" in by_page[count - 1] and "Tổng cộng" in by_page[count - 1]
