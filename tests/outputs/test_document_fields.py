"""Metadata fields keep the status and confidence the metadata reader gave them, in every output."""

from __future__ import annotations

import dataclasses
import sqlite3
import sys
from pathlib import Path
from types import SimpleNamespace

from extract import load_results
from extract.model import DocumentMeta, DocumentResult
from extract.writers import WriterContext, make_writers
from extract.writers.tables import document_rows
from tests.repo_data import ROOT

sys.path.insert(0, str(ROOT / "tests" / "batch"))
from batch_fakes import assemble_document, process_page

from extract.page import PageTask


@dataclasses.dataclass(frozen=True)
class MetaWithFields(DocumentMeta):
    """``DocumentMeta`` as the metadata reader of issue 12 extends it (fields with their trust)."""

    issuer: str | None = None
    fields: tuple[SimpleNamespace, ...] = ()


def test_metadata_fields_are_written_with_status_and_confidence(tmp_path: Path) -> None:
    doc = assemble_document("f" * 16, "/scans/r.pdf", [process_page(PageTask("/scans/r.pdf", 0, "f" * 16))])
    number = SimpleNamespace(
        name="number",
        value="542/BC-UDBND",
        status="flagged",
        confidence=61.0,
        raw="542/BC-UDBND",
        reason="the symbol fails its pattern",
    )
    date = SimpleNamespace(
        name="date", value="2019-11-21", status="read", confidence=93.0, raw="ngày 21", reason=None
    )
    meta = MetaWithFields(
        number="542/BC-UDBND", date="2019-11-21", issuer="UBND huyện Kế Sách", fields=(number, date)
    )
    doc = DocumentResult(doc.document_id, doc.source, doc.page_count, meta, doc.pages, doc.tables)
    rows = document_rows(doc)
    assert [(f["name"], f["status"], f["confidence"]) for f in rows["document_fields"]] == [
        ("number", "flagged", 61.0),
        ("date", "read", 93.0),
    ]
    assert rows["documents"][0]["issuer"] == "UBND huyện Kế Sách"
    [writer] = make_writers(["sqlite"], WriterContext(out_dir=tmp_path))
    writer.write_document(doc, [])
    writer.close()
    db = sqlite3.connect(tmp_path / "results.sqlite")
    assert db.execute("SELECT status, reason FROM document_fields WHERE name = 'number'").fetchone() == (
        "flagged",
        "the symbol fails its pattern",
    )
    loaded = load_results(tmp_path)["document_fields"]
    assert str(loaded["confidence"].dtype) == "Float64" and set(loaded["status"]) == {"flagged", "read"}
