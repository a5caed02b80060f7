"""Scoring of table pages against hand-labelled cell truth (tests/realdocs/qd707/*.json).

A truth page lists the printed cells: grid row and column of the top-left slot, row and column
spans, and the text as printed (line breaks inside a cell as spaces).  A page read by the
pipeline is scored by:

- **body rows right**: a truth row (not a header row) is right when every truth cell that starts
  in it is found at the same place with the same spans and its text is within ``ROW_CELL_CER``;
- **cell text CER**: edit distance over all truth cells / characters of the truth text, the
  reading of the cell at the same place (an unmatched cell counts its whole text);
- **missing text**: truth cells whose text is nowhere in the outputs (no value, header or
  label of the assembled document within ``FOUND_CER`` of it).
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz.distance import Levenshtein

from extract.model import DocumentResult, ReadTable

TRUTH_DIR = Path(__file__).parent / "qd707"
ROW_CELL_CER = 0.03
FOUND_CER = 0.10
HEADER_ROWS = {"p-005": 1}  # the only labelled page that prints the header


def norm(text: str) -> str:
    s = unicodedata.normalize("NFC", text).replace("…", "...").replace("“", '"').replace("”", '"')
    return " ".join(s.split())


def cer(ours: str, truth: str) -> float:
    t = norm(truth)
    return Levenshtein.distance(norm(ours), t) / max(len(t), 1)


def load_truth(page: str) -> dict:
    return json.loads((TRUTH_DIR / f"{page}.json").read_text(encoding="utf-8"))


def truth_pages() -> list[str]:
    return sorted(p.stem for p in TRUTH_DIR.glob("p-*.json"))


@dataclass
class PageScore:
    page: str
    rows: int
    rows_right: int
    chars: int
    errors: int
    wrong_rows: list[int]


def score_page(page: str, table: ReadTable | None) -> PageScore:
    truth = load_truth(page)
    ours = {}
    if table is not None:
        ours = {(c.cell.row, c.cell.col): c for c in table.cells}
    rows: dict[int, bool] = {}
    chars = errors = 0
    for cell in truth["cells"]:
        if not norm(cell["text"]) and (cell["row"], cell["col"]) not in ours:
            continue
        mine = ours.get((cell["row"], cell["col"]))
        same_place = mine is not None and (mine.cell.row_span, mine.cell.col_span) == (
            cell["row_span"],
            cell["col_span"],
        )
        text = mine.text if mine is not None else ""
        t = norm(cell["text"])
        chars += len(t)
        errors += Levenshtein.distance(norm(text), t) if same_place else len(t)
        ok = same_place and (cer(text, t) <= ROW_CELL_CER if t else not norm(text))
        if cell["row"] >= HEADER_ROWS.get(page, 0):
            rows[cell["row"]] = rows.get(cell["row"], True) and ok
    return PageScore(
        page, len(rows), sum(rows.values()), chars, errors, sorted(r for r, ok in rows.items() if not ok)
    )


def missing_text(page: str, doc: DocumentResult) -> list[str]:
    """Truth texts of ``page`` found in no output of ``doc`` (values, headers, row labels)."""
    outputs = [v.raw_text for v in doc.values()] + [v.row_label for v in doc.values()]
    outputs += [part.raw_text for v in doc.values() for part in v.parts]  # joined over a break
    outputs += [h for t in doc.tables for h in t.headers]
    outputs = [norm(o) for o in outputs if o and o.strip()]
    missing = []
    for cell in load_truth(page)["cells"]:
        t = norm(cell["text"])
        if t and not any(cer(o, t) <= FOUND_CER for o in outputs):
            missing.append(t)
    return missing
