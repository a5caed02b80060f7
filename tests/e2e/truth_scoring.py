"""Compare pipeline output (the ``values`` table of results.sqlite) with a sample's truth JSON."""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from extract.config import load_forms
from extract.understand.numbers import parse_value


@dataclass
class Score:
    numeric_total: int = 0
    numeric_exact: int = 0
    commune_total: int = 0
    commune_right: int = 0
    forms_expected: list[str] = field(default_factory=list)
    forms_found: list[str] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)
    silent_errors: list[str] = field(default_factory=list)  # wrong and not flagged

    @property
    def numeric_rate(self) -> float:
        return self.numeric_exact / self.numeric_total if self.numeric_total else 1.0

    @property
    def commune_rate(self) -> float:
        return self.commune_right / self.commune_total if self.commune_total else 1.0


def load_truth(sample: Path) -> dict:
    return json.loads(sample.with_name(sample.stem.split("-p")[0] + ".truth.json").read_text("utf-8"))


def nfc(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def score(truth: dict, values: pd.DataFrame, tables: pd.DataFrame) -> Score:
    """Numeric exact rate, commune canonicalisation and form ids of one document."""
    forms = {f.code: f for f in load_forms()}
    out = Score()
    out.forms_expected = [t["form"] for t in truth["tables"]]
    out.forms_found = list(tables.sort_values("table_index")["form"])
    ours = {}
    for row in values.itertuples():
        ours[(row.form, int(row.row_index), row.column_key)] = row
    communes = {}
    for row in values.itertuples():
        if isinstance(row.commune_code, str) and row.commune_code:
            communes[(row.form, int(row.row_index))] = row.commune_code
    seen_rows: set[tuple[str, int]] = set()
    for page in truth["pages"]:
        for table in page["tables"]:
            form = forms[table["form"]]
            for trow in table["rows"]:
                key_row = (table["form"], trow["row_index"])
                if trow.get("commune_code") and key_row not in seen_rows:
                    seen_rows.add(key_row)
                    out.commune_total += 1
                    if communes.get(key_row) == trow["commune_code"]:
                        out.commune_right += 1
                    else:
                        out.misses.append(
                            f"commune {key_row}: want {trow['commune_code']}, got {communes.get(key_row)}"
                        )
                for col, text in trow["cells"].items():
                    spec = form.column(col)
                    if spec.type not in ("count", "signed", "decimal", "percent"):
                        continue
                    want = parse_value(text, spec.type).number
                    if want is None:
                        continue
                    out.numeric_total += 1
                    got = ours.get((table["form"], trow["row_index"], col))
                    got_number = None if got is None or pd.isna(got.number) else float(got.number)
                    if got_number == want:
                        out.numeric_exact += 1
                        continue
                    label = nfc(trow["label"])[:30]
                    where = f"{table['form']} row {trow['row_index']} ({label}) {col}: want {text!r}"
                    out.misses.append(f"{where}, got {None if got is None else got.raw_text!r}")
                    if got is not None and got.status != "flagged":
                        out.silent_errors.append(f"{where}, got {got.raw_text!r} marked {got.status}")
    return out


def flagged_share(truth: dict, values: pd.DataFrame) -> tuple[int, int]:
    """(flagged, total) over our values at the truth's numeric cells."""
    forms = {f.code: f for f in load_forms()}
    status = {(r.form, int(r.row_index), r.column_key): r.status for r in values.itertuples()}
    flagged = total = 0
    for page in truth["pages"]:
        for table in page["tables"]:
            form = forms[table["form"]]
            for trow in table["rows"]:
                for col, text in trow["cells"].items():
                    if form.column(col).type not in ("count", "signed", "decimal", "percent"):
                        continue
                    if parse_value(text, form.column(col).type).number is None:
                        continue
                    total += 1
                    flagged += status.get((table["form"], trow["row_index"], col)) == "flagged"
    return flagged, total


def main(argv: list[str] | None = None) -> int:
    """``python tests/e2e/truth_scoring.py OUT SAMPLE...``: score a pipeline run (its
    results.sqlite in OUT) against the samples' truth, one line per sample and a total."""
    import sqlite3
    import sys

    from extract.ingest import document_id
    from extract.writers.schema import CELL_VALUES

    args = sys.argv[1:] if argv is None else argv
    out, samples = Path(args[0]), [Path(a) for a in args[1:]]
    with sqlite3.connect(out / "results.sqlite") as conn:
        values = pd.read_sql_query(f'SELECT * FROM "{CELL_VALUES.name}"', conn)
        tables = pd.read_sql_query('SELECT * FROM "tables"', conn)
    totals = [0] * 7
    print("sample | forms | numbers exact | communes | wrong unflagged | flagged")
    for sample in samples:
        doc = document_id(sample)
        v, t = values[values.document_id == doc], tables[tables.document_id == doc]
        truth = load_truth(sample)
        s = score(truth, v, t)
        flagged, total = flagged_share(truth, v)
        forms_ok = sum(a == b for a, b in zip(s.forms_found, s.forms_expected, strict=False))
        row = [
            forms_ok,
            len(s.forms_expected),
            s.numeric_exact,
            s.numeric_total,
            s.commune_right,
            s.commune_total,
            len(s.silent_errors),
        ]
        print(
            f"{sample.name} | {forms_ok}/{len(s.forms_expected)} | {s.numeric_exact}/{s.numeric_total} | "
            f"{s.commune_right}/{s.commune_total} | {len(s.silent_errors)} | {flagged}/{total}"
        )
        totals = [a + b for a, b in zip(totals, row, strict=True)]
    print("total | {}/{} | {}/{} | {}/{} | {}".format(*totals))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
