"""The 9 real government documents (tests/data/realdata/vn-gov-scans/pages): page 1 read by
the real page task (tesseract + OpenCV), its header fields checked against the labelled truth
in ``metadata_truth.json``, and its text against the publishers' transcription.

Target (issue 12): every field right or flagged, none wrong and unflagged.
"""

from __future__ import annotations

import json
import unicodedata
from functools import cache
from pathlib import Path

import pytest
from rapidfuzz.distance import Levenshtein

from bench.realdocs_cer import cer
from extract.model import PageResult
from extract.page import PageTask, process_page
from extract.pagetext import page_text
from extract.understand.gazetteer import Gazetteer
from extract.understand.metadata import read_metadata
from tests.repo_data import REALDATA

TRUTH = json.loads((Path(__file__).parent / "metadata_truth.json").read_text(encoding="utf-8"))["documents"]
TITLE_CER = 0.03  # a title within this character error rate of the truth counts as right
PAGE1_CER_NOW = 0.072  # measured 0.069 (mean of 9, spellings made comparable; 0.082 before
# received stamps were read apart, weak lines read again and marks chosen by compounds; 0.083 before the
# marks of unknown words were chosen among tesseract's alternatives, 0.085 before text
# the layout analysis left out was searched again, 0.090 before the issuer
# was cut from the motto beside it, 0.103 before the closing block was read list first, then
# signature; 0.124 before noise
# segments were left out of the text): it may only get better


def _norm(s: str | None) -> str | None:
    if s is None:
        return None
    s = unicodedata.normalize("NFC", s).replace("“", '"').replace("”", '"')
    return " ".join(s.split()).lower()


@cache
def _page(doc_id: str) -> PageResult:
    result = process_page(PageTask(str(REALDATA / "pages" / f"{doc_id}_p1.png"), 0, doc_id))
    assert result.error is None, result.error
    return result


def _right(name: str, value: str | None, truth: str | None) -> bool:
    if name == "title" and value and truth:
        return Levenshtein.distance(_norm(value), _norm(truth)) / len(truth) <= TITLE_CER
    return _norm(value) == _norm(truth)


@pytest.mark.parametrize("doc_id", sorted(TRUTH))
def test_every_header_field_right_or_flagged(doc_id: str) -> None:
    page = _page(doc_id)
    lines = sorted(page.lines, key=lambda ln: (ln.box.y0, ln.box.x0))
    meta = read_metadata(lines, Gazetteer.load())
    truth = TRUTH[doc_id]
    wrong = [
        (f.name, f.value, truth[f.name])
        for f in meta.fields
        if f.name in truth and f.status != "flagged" and not _right(f.name, f.value, truth[f.name])
    ]
    assert not wrong, wrong
    assert {f.name for f in meta.fields} >= set(truth)  # every field is reported, read or flagged
    issuer = meta.field("issuer")
    assert issuer is not None and _right("issuer", issuer.value, truth["issuer"])  # found on every page


def test_page_one_text_error_rate() -> None:
    rows = [
        json.loads(line)
        for line in (REALDATA / "metadata_real.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    rates = [
        cer(page_text(_page(row["doc_id"])), row["text"]) for row in rows
    ]  # bench/realdocs_cer.py's scoring
    assert len(rates) == 9
    assert sum(rates) / len(rates) <= PAGE1_CER_NOW
