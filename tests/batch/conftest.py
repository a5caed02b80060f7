"""Shared fixtures of the batch tests: input folders with good and broken files, database dumps."""

from __future__ import annotations

from pathlib import Path

import pytest
from batch_helpers import write_good
from pdfbytes import pdf_bytes


@pytest.fixture
def mixed_inputs(tmp_path: Path) -> Path:
    """A folder of good and broken inputs (see the expectations in test_batch_run)."""
    folder = tmp_path / "in"
    write_good(folder, {"a.pdf": 4, "b_failpage.pdf": 3, "c_raisepage.pdf": 2})
    (folder / "sub").mkdir()
    (folder / "sub" / "dup_of_a.pdf").write_bytes((folder / "a.pdf").read_bytes())
    (folder / "encrypted.pdf").write_bytes(pdf_bytes(2, 400, encrypted=True))
    (folder / "corrupt.pdf").write_bytes(pdf_bytes(3, 401)[:150])
    (folder / "empty.pdf").write_bytes(b"")
    (folder / "not_a_pdf.pdf").write_text("this is a text file with a .pdf name\n")
    (folder / "notes.txt").write_text("not an input\n")
    return folder
