"""``--format pdf``: the scan with an invisible text layer from the same OCR pass, end to end."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pdfplumber

from extract.cli import main
from tests.repo_data import REALDATA


def test_searchable_pdf_of_a_scan_and_of_pages_declared_one_document(tmp_path: Path) -> None:
    scans = tmp_path / "scans"
    scans.mkdir()
    shutil.copy(REALDATA / "pages" / "real_hanoi_tb_453_flag_p1.png", scans / "p-1.png")
    shutil.copy(next((REALDATA / "qd_707_table_pages").glob("p-007-*.png")), scans / "p-2.png")
    out = tmp_path / "out"
    code = main(
        [
            str(scans),
            "--one-document",
            "--out",
            str(out),
            "--format",
            "json,pdf",
            "--serial",
            "--no-progress",
            "-q",
        ]
    )
    assert code == 0
    (doc_json,) = (out / "json").glob("*.json")
    data = json.loads(doc_json.read_text(encoding="utf-8"))
    assert data["document"]["pages"] == 2
    assert {f["name"] for f in data["fields"]} >= {"number", "date", "issuer", "title", "signer"}
    assert all(f["status"] in ("read", "flagged") for f in data["fields"])
    lines = data["lines"]
    assert any("THÔNG BÁO" in ln["text"] for ln in lines) and all(ln["page"] in (1, 2) for ln in lines)
    (pdf_path,) = (out / "pdf").glob("*.pdf")
    assert pdf_path.stem == doc_json.stem
    with pdfplumber.open(pdf_path) as pdf:
        assert len(pdf.pages) == 2
        first, second = pdf.pages
        assert len(first.images) == 1 and len(second.images) == 1  # the scans themselves
        words = {w["text"]: w for w in first.extract_words()}
        line = next(ln for ln in lines if ln["page"] == 1 and "THÔNG BÁO" in ln["text"])
        scale = 72.0 / data["pages"][0]["dpi"]
        assert abs(words["THÔNG"]["x0"] - line["x0"] * scale) < 3  # where it is printed
        assert abs(words["THÔNG"]["top"] - line["y0"] * scale) < 6
        text = second.extract_text()
        assert "Bộ Quốc phòng" in text and "12/2027" in text  # table cells are searchable too
        assert all(ch["text"] for ch in first.chars)


def test_searchable_pdf_of_a_member_of_a_nested_zip_archive_even_after_the_cache_is_emptied(
    tmp_path: Path,
) -> None:
    import zipfile

    inner = tmp_path / "inner.zip"
    with zipfile.ZipFile(inner, "w") as zf:
        zf.write(
            REALDATA / "pages" / "real_hanoi_tb_453_flag_p1.png", "scans/tb 453!p1.png"
        )  # "!" in a member name
    archive = tmp_path / "batch.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(inner, "inner.zip")
    out = tmp_path / "out"
    args = [str(archive), "--out", str(out), "--format", "json,pdf", "--serial", "--no-progress", "-q"]
    assert main(args) == 0
    (doc_json,) = (out / "json").glob("*.json")
    data = json.loads(doc_json.read_text(encoding="utf-8"))
    assert data["document"]["source"].endswith("batch.zip!inner.zip!scans/tb 453!p1.png")
    (pdf_path,) = (out / "pdf").glob("*.pdf")
    assert pdf_path.stem == doc_json.stem
    with pdfplumber.open(pdf_path) as pdf:
        (page,) = pdf.pages
        assert len(page.images) == 1 and "THÔNG BÁO" in page.extract_text()
    shutil.rmtree(out / "pdf")
    shutil.rmtree(out / "cache")  # the extracted members are gone: the PDF is made from the archive again
    assert main(args) == 0
    (again,) = (out / "pdf").glob("*.pdf")
    assert again.name == pdf_path.name
    with pdfplumber.open(again) as pdf:
        assert "THÔNG BÁO" in pdf.pages[0].extract_text()


def test_source_file_finds_the_member_and_says_what_is_missing(tmp_path: Path) -> None:
    import zipfile

    import pytest

    from extract.inputs import source_file

    archive = tmp_path / "a!b.zip"  # "!" in the archive's own name
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("x!y.png", b"member bytes")
    got = source_file(f"{archive}!x!y.png", tmp_path / "cache")
    assert got.parent == tmp_path / "cache" and got.read_bytes() == b"member bytes"
    assert source_file(str(archive), tmp_path / "cache") == archive
    with pytest.raises(FileNotFoundError, match="no member 'z.png'"):
        source_file(f"{archive}!z.png", tmp_path / "cache")
    with pytest.raises(FileNotFoundError, match="no such file"):
        source_file(str(tmp_path / "gone.zip!x.png"), tmp_path / "cache")
