"""Score a system against the printed truth of a population document (:mod:`extract.synth.population`).

Unlike :mod:`bench.scoring` (whose truth uses the reader's own column keys), the truth here is
the printed form: every printed cell with its header path, printed column number and value.  So
our output is matched to printed columns by header text (:func:`map_columns`), never by our
config's column keys: a printed column our config lacks is a missing column, a value our reader
puts under the wrong printed column is wrong.

Metrics, per document (counts; :func:`rates` turns them into shares):

- form id: truth tables whose form some table of ours on the same pages identified;
- rows found: truth body rows paired with a row of ours (by commune code, or by STT and label
  at least :data:`ROW_FOUND_MIN` alike);
- numbers exact: truth cells printed with a number whose (row, printed column) value of ours is
  that number;
- triples right: (row, printed column, value) over every cell of a numeric printed column --
  a number right, or a printed blank left blank -- out of those cells plus every number of ours
  that lands on no truth cell (an unmapped column, an unpaired row);
- communes canonical: commune rows whose paired row of ours carries the commune's official code;
- unflagged error rate: among the truth numbers, those we got wrong or left out without a flag,
  out of those we did not flag (a value missing from the output is unflagged: nothing tells the
  user it is gone);
- flagged share: flagged values among our values at truth numbers;
- suggested: triples right only thanks to a suggestion (a cell not read clearly, given the number
  a sum of the form fixes from cells read for sure: ``suggestion``, always flagged), counted in
  "triples right" and reported apart; and suggestions that are not the printed number.

img2table is scored by geometry (its cell containing the truth cell's centre, as in
:mod:`bench.scoring`): it has no form id, no flags, and its extra cells are not counted.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from rapidfuzz import fuzz

from .scoring import (
    _img_text,
    _page_cells,
    align_rows,
    norm_text,
    number_key,
    row_similarity,
    same_number,
    truth_rows,
)

HEADER_MATCH_MIN = 85.0  # fuzz.ratio of header texts for an output column to be a printed column
ROW_FOUND_MIN = 0.6  # row_similarity for a paired row to count as found
NUMERIC_COLUMN_TYPES = frozenset({"count", "signed"})  # printed columns whose blank cells are scored
UNFLAGGED = ("verified", "read", "corrected")


def _fold(text: str) -> str:
    return norm_text(unicodedata.normalize("NFC", text)).casefold()


@dataclass
class PrintedScore:
    pages: int = 0
    tables: int = 0
    tables_identified: int | None = None
    rows: int = 0
    rows_found: int = 0
    numbers: int = 0
    numbers_exact: int = 0
    numbers_missing: int = 0
    cells: int = 0  # cells of numeric printed columns (numbers and blanks)
    triples_right: int = 0
    triples_suggested: int = 0  # right only thanks to a suggestion (flagged; extract/validate/suggest.py)
    suggested_wrong: int = 0  # suggestions at truth cells that are not the printed value
    extra_values: int | None = None  # our numbers on no truth cell (None: not measured)
    communes: int = 0
    communes_correct: int = 0
    unflagged: int | None = None
    unflagged_wrong: int | None = None
    flagged: int | None = None
    matched_values: int | None = None
    printed_errors: int = 0  # truth cells that are the printed report's own arithmetic errors
    missing_columns: dict[str, list[str]] = field(
        default_factory=dict
    )  # form -> printed headers never mapped

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def add(self, other: PrintedScore) -> None:
        for k, v in asdict(other).items():
            if k == "missing_columns":
                for form, cols in v.items():
                    have = self.missing_columns.setdefault(form, [])
                    have += [c for c in cols if c not in have]
                continue
            mine = getattr(self, k)
            if v is None:
                continue
            setattr(self, k, (mine or 0) + v)


def rates(s: PrintedScore) -> dict[str, float | None]:
    def frac(a: int | None, b: int | None) -> float | None:
        return None if a is None or not b else a / b

    return {
        "form_id": frac(s.tables_identified, s.tables),
        "rows_found": frac(s.rows_found, s.rows),
        "numbers_exact": frac(s.numbers_exact, s.numbers),
        "triples_right": frac(s.triples_right, s.cells + (s.extra_values or 0)),
        "triples_suggested": frac(s.triples_suggested, s.cells + (s.extra_values or 0)),
        "communes_canonical": frac(s.communes_correct, s.communes),
        "unflagged_error": frac(s.unflagged_wrong, s.unflagged),
        "flagged_share": frac(s.flagged, s.matched_values),
    }


@dataclass(frozen=True)
class TruthColumn:
    key: str
    header_text: str
    number: str
    type: str


def truth_columns(truth: Mapping[str, Any]) -> dict[int, list[TruthColumn]]:
    """Per truth table index, its printed columns."""
    out: dict[int, list[TruthColumn]] = {}
    for page in truth["pages"]:
        for t in page["tables"]:
            out.setdefault(
                int(t["table_index"]),
                [TruthColumn(c["key"], c["header_text"], c["number"], c["type"]) for c in t["column_info"]],
            )
    return out


def map_columns(headers: Sequence[str], printed: Sequence[TruthColumn]) -> dict[int, str]:
    """``{our column index: printed column key}``: pairs of header texts at least
    :data:`HEADER_MATCH_MIN` alike, best pairs first, each column used once."""
    pairs = []
    for i, h in enumerate(headers):
        if not norm_text(h):
            continue
        for c in printed:
            score = fuzz.ratio(_fold(h), _fold(c.header_text))
            if score >= HEADER_MATCH_MIN:
                pairs.append((score, -abs(i - printed.index(c)), i, c.key))
    pairs.sort(reverse=True)
    out: dict[int, str] = {}
    used: set[str] = set()
    for _score, _dist, i, key in pairs:
        if i not in out and key not in used:
            out[i] = key
            used.add(key)
    return out


def _truth_value(value: Any) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _our_number(v: Mapping[str, Any]) -> float | None:
    return float(v["number"]) if v.get("number") is not None else None


def _text_number(text: str | None) -> float | None:
    key = number_key(text, "mixed") if text is not None else None
    return None if key is None or isinstance(key, tuple) else float(key)


def _tally(s: PrintedScore, numeric_col: bool, truth_v: float | None, got: float | None) -> bool:
    """Count one truth cell: a cell of a numeric column (a triple), and a number when printed
    with one; return whether ``got`` is the printed number."""
    ok = truth_v is not None and got is not None and same_number(got, truth_v)
    if numeric_col:
        s.cells += 1
        s.triples_right += ok or (truth_v is None and got is None)
    if truth_v is not None:
        s.numbers += 1
        s.numbers_exact += ok
    return ok


@dataclass
class _Reading:
    """Our output laid over the printed truth: what :func:`score_ours_printed` scores and
    :func:`explain_unflagged` explains (one pairing for both)."""

    tables: list[Mapping[str, Any]]
    cols_of: dict[int, list[TruthColumn]]
    rows: list[Any]  # TruthRow
    raw_rows: dict[tuple[int, int], Mapping[str, Any]]
    colmap: dict[int, dict[str, str]]  # our table -> {our column key: printed key}
    paired: dict[tuple[int, int], tuple[int, int]]  # (truth table, row) -> (our table, our row)
    values: dict[tuple[int, int, str], Mapping[str, Any]]  # (our table, row, printed key) -> value
    unplaced: int  # our numbers under no printed column


def _read(truth: Mapping[str, Any], ours: Mapping[str, Any]) -> _Reading:
    tables = list(ours.get("tables", ()))
    cols_of = truth_columns(truth)
    rows = truth_rows(truth)
    raw_rows = {
        (int(t["table_index"]), int(r["row_index"])): r
        for p in truth["pages"]
        for t in p["tables"]
        for r in t["rows"]
    }
    by_table: dict[int, list[Any]] = {}
    for r in rows:
        by_table.setdefault(r.table_index, []).append(r)

    # column maps of our tables, against the printed columns of the truth table of their form
    form_table = {t["form"]: int(t["table_index"]) for t in truth["tables"]}
    colmap: dict[int, dict[str, str]] = {}
    for oi, o in enumerate(tables):
        ti = form_table.get(o.get("form"))
        if ti is None:
            continue
        cols = list(o.get("columns", ()))
        headers = list(o.get("headers", ())) or [""] * len(cols)
        mapping = map_columns(headers, cols_of[ti])
        colmap[oi] = {cols[i]: key for i, key in mapping.items() if i < len(cols)}

    # row pairing per truth table
    paired: dict[tuple[int, int], tuple[int, int]] = {}
    for ti, t_rows in by_table.items():
        t_rows.sort(key=lambda r: r.row_index)
        form = t_rows[0].form
        mine = [
            (oi, i, r)
            for oi, o in enumerate(tables)
            if o.get("form") == form
            for i, r in enumerate(o.get("rows", ()))
        ]
        o_keys = [(r.get("index") or "", r.get("label") or "") for _oi, _i, r in mine]
        by_code = {}
        for oi, i, r in mine:
            if r.get("commune_code"):
                by_code.setdefault(r["commune_code"], []).append((oi, i))
        pairs = align_rows([(r.stt, r.label) for r in t_rows], o_keys)
        for a, b in pairs.items():
            tr = t_rows[a]
            if row_similarity((tr.stt, tr.label), o_keys[b]) >= ROW_FOUND_MIN:
                paired[(ti, tr.row_index)] = (mine[b][0], mine[b][1])
        aligned = {ours: t for t, ours in paired.items()}
        codes = {r.row_index: r.commune_code for r in t_rows}
        for tr in t_rows:
            if tr.commune_code and len(by_code.get(tr.commune_code, [])) == 1:
                other = aligned.get(by_code[tr.commune_code][0])
                if other is not None and other[1] != tr.row_index and codes.get(other[1]) == tr.commune_code:
                    continue  # a commune listed twice (3B): our one row of it is the other list's
                paired[(ti, tr.row_index)] = by_code[tr.commune_code][0]

    values: dict[tuple[int, int, str], Mapping[str, Any]] = {}
    unplaced = 0
    for oi, o in enumerate(tables):
        for v in o.get("values", ()):
            has_number = v.get("number") is not None or v.get("value_kind") == "ratio"
            # a cell we could not read as a number but flagged is in the output and says so: it
            # counts as flagged, not as a number left out without a flag
            if not has_number and v.get("status") != "flagged":
                continue
            key = colmap.get(oi, {}).get(v.get("column_key"))
            if key is None:
                unplaced += has_number
                continue
            values[(oi, int(v["row_index"]), key)] = v
    return _Reading(tables, cols_of, rows, raw_rows, colmap, paired, values, unplaced)


def _got(v: Mapping[str, Any] | None) -> float | None:
    """Our value at a cell: its suggestion where it has one (what the output offers the user for
    a cell not read clearly), else its number, else a number in its text."""
    if v is not None and v.get("suggestion") is not None:
        return float(v["suggestion"])
    got = _our_number(v) if v is not None else None
    if v is not None and got is None:
        got = _text_number(v.get("raw_text"))
    return got


def score_ours_printed(truth: Mapping[str, Any], ours: Mapping[str, Any]) -> PrintedScore:
    s = PrintedScore(
        pages=int(truth["page_count"]),
        tables_identified=0,
        extra_values=0,
        unflagged=0,
        unflagged_wrong=0,
        flagged=0,
        matched_values=0,
    )
    rd = _read(truth, ours)
    tables, cols_of = rd.tables, rd.cols_of
    s.tables = len(truth["tables"])
    for t in truth["tables"]:
        pages = set(t["pages"])
        s.tables_identified += any(
            o.get("form") == t["form"] and pages & set(o.get("pages", ())) for o in tables
        )
    form_table = {t["form"]: int(t["table_index"]) for t in truth["tables"]}
    for form, ti in form_table.items():
        mapped = {k for oi, m in rd.colmap.items() if tables[oi].get("form") == form for k in m.values()}
        missing = [
            c.header_text for c in cols_of[ti] if c.type in NUMERIC_COLUMN_TYPES and c.key not in mapped
        ]
        if missing:
            s.missing_columns[form] = missing

    s.extra_values += rd.unplaced  # numbers under no printed column
    claimed: set[tuple[int, int, str]] = set()
    for r in rd.rows:
        s.rows += 1
        hit = rd.paired.get((r.table_index, r.row_index))
        s.rows_found += hit is not None
        raw = rd.raw_rows[(r.table_index, r.row_index)]
        if r.commune_code:
            s.communes += 1
            if hit is not None:
                orow = tables[hit[0]]["rows"][hit[1]]
                s.communes_correct += orow.get("commune_code") == r.commune_code
        errs = raw.get("printed_errors", {})
        for col in cols_of[r.table_index]:
            truth_v = _truth_value(raw["values"].get(col.key))
            numeric_col = col.type in NUMERIC_COLUMN_TYPES
            if truth_v is None and not numeric_col:
                continue
            v = rd.values.get((hit[0], hit[1], col.key)) if hit else None
            if v is not None:
                claimed.add((hit[0], hit[1], col.key))  # type: ignore[index]
            ok = _tally(s, numeric_col, truth_v, _got(v))
            if v is not None and v.get("suggestion") is not None:
                read = _got({**v, "suggestion": None})
                s.triples_suggested += ok and not (read is not None and same_number(read, truth_v or 0.0))
                s.suggested_wrong += not ok
            if truth_v is None:
                continue
            s.printed_errors += col.key in errs
            if v is None:
                s.numbers_missing += 1
                s.unflagged += 1
                s.unflagged_wrong += 1
                continue
            s.matched_values += 1
            status = str(v.get("status", "read"))
            if status == "flagged":
                s.flagged += 1
            elif status in UNFLAGGED:
                s.unflagged += 1
                s.unflagged_wrong += not ok
    s.extra_values += sum(
        1
        for k, v in rd.values.items()
        if k not in claimed and (v.get("number") is not None or v.get("value_kind") == "ratio")
    )
    return s


# ------------------------------------------------------------------------------------------------
# diagnostics: where the unflagged errors come from (never part of the score)

MERGED_LABEL_MIN = 90.0  # fuzz.partial_ratio of a truth label inside a longer label of ours
HIGH_CONFIDENCE = 80.0  # a wrong number read at least this sure is a confident misread
ERROR_CLASSES = (
    "table not found on the page",
    "row missing",
    "row merged into another",
    "printed column not mapped",
    "left blank",
    "flagged without a number",
    "wrong column",
    "wrong row",
    "sign lost",
    "several numbers in one cell",
    "misread, confident",
    "misread, unsure",
)


def _merged_into(label: str, others: Sequence[str]) -> bool:
    """Whether a truth label is part of a longer label of ours (two rows read as one)."""
    t = _fold(label)
    return bool(t) and any(
        len(_fold(o)) > len(t) + 4 and fuzz.partial_ratio(t, _fold(o)) >= MERGED_LABEL_MIN for o in others
    )


def _wrong_kind(
    got: float, truth_v: float, v: Mapping[str, Any], row_vals: Mapping[str, Any], near_vals: Sequence[Any]
) -> str:
    """Why an unflagged number of ours is not the printed one."""
    raw = str(v.get("raw_text") or "")
    if len(raw.split()) > 1 and sum(any(ch.isdigit() for ch in w) for w in raw.split()) > 1:
        return "several numbers in one cell"
    if same_number(got, -truth_v):
        return "sign lost"
    if any(same_number(got, x) for x in map(_truth_value, row_vals.values()) if x is not None):
        return "wrong column"
    if any(same_number(got, x) for x in map(_truth_value, near_vals) if x is not None):
        return "wrong row"
    conf = float(v.get("confidence") or 0.0)
    return "misread, confident" if conf >= HIGH_CONFIDENCE else "misread, unsure"


def explain_unflagged(
    truth: Mapping[str, Any], ours: Mapping[str, Any], flagged_too: bool = False
) -> dict[str, Any]:
    """Every truth number counted as an unflagged error by :func:`score_ours_printed`, put in one
    class of :data:`ERROR_CLASSES`, with the statuses of the wrong values and the numbers given
    for printed-empty cells.  With ``flagged_too``, every truth number whose triple is not right,
    flagged or not (what keeps "triples right" below 100%).  A diagnostic: it changes no score."""
    rd = _read(truth, ours)
    classes = dict.fromkeys(ERROR_CLASSES, 0)
    statuses: dict[str, int] = {}
    empty_filled = {"flagged": 0, "unflagged": 0}
    examples: dict[str, list[str]] = {}
    flagged_text = {  # values of ours with no number: the score does not see them
        (oi, int(v["row_index"]), rd.colmap.get(oi, {}).get(v.get("column_key"), "")): v
        for oi, o in enumerate(rd.tables)
        for v in o.get("values", ())
        if v.get("number") is None and v.get("status") == "flagged"
    }
    row_labels = {
        oi: [str(r.get("label") or "") for r in o.get("rows", ())] for oi, o in enumerate(rd.tables)
    }
    claimed: set[tuple[int, int, str]] = set()
    for r in rd.rows:
        hit = rd.paired.get((r.table_index, r.row_index))
        raw = rd.raw_rows[(r.table_index, r.row_index)]
        found_table = any(
            o.get("form") == r.form and r.page_index in set(o.get("pages", ())) for o in rd.tables
        )
        for col in rd.cols_of[r.table_index]:
            truth_v = _truth_value(raw["values"].get(col.key))
            v = rd.values.get((hit[0], hit[1], col.key)) if hit else None
            if v is not None:
                claimed.add((hit[0], hit[1], col.key))  # type: ignore[index]
            got = _got(v)
            if truth_v is None:
                if col.type in NUMERIC_COLUMN_TYPES and got is not None and v is not None:
                    empty_filled["flagged" if v.get("status") == "flagged" else "unflagged"] += 1
                continue
            if v is not None and (
                same_number(got, truth_v) or (v.get("status") == "flagged" and not flagged_too)
            ):
                continue
            if v is None:
                if not found_table:
                    kind = "table not found on the page"
                elif hit is None:
                    others = [
                        lbl
                        for oi, labels in row_labels.items()
                        if rd.tables[oi].get("form") == r.form
                        for lbl in labels
                    ]
                    kind = "row merged into another" if _merged_into(r.label, others) else "row missing"
                elif col.key not in set(rd.colmap.get(hit[0], {}).values()):
                    kind = "printed column not mapped"
                elif (hit[0], hit[1], col.key) in flagged_text:
                    kind = "flagged without a number"
                else:
                    kind = "left blank"
            else:
                near = [
                    rd.raw_rows[(r.table_index, r.row_index + d)]["values"].get(col.key)
                    for d in (-2, -1, 1, 2)
                    if (r.table_index, r.row_index + d) in rd.raw_rows
                ]
                kind = (
                    _wrong_kind(got, truth_v, v, raw["values"], near)
                    if got is not None
                    else "misread, unsure"
                )
                st = str(v.get("status"))
                statuses[st] = statuses.get(st, 0) + 1
            classes[kind] += 1
            ex = examples.setdefault(kind, [])
            if len(ex) < 5:
                ex.append(
                    f"{r.form} p{r.page_index} row {r.stt!r} {r.label[:30]!r} {col.key}: "
                    + f"printed {truth_v:g}, "
                    + ("nothing" if v is None else f"{v.get('raw_text')!r} {v.get('status')}")
                )
    on_no_cell = {"flagged": 0, "unflagged": 0}  # our numbers that stand for no printed cell
    for oi, o in enumerate(rd.tables):
        rows = list(o.get("rows", ()))
        for v in o.get("values", ()):
            key = rd.colmap.get(oi, {}).get(v.get("column_key"))
            if v.get("number") is None or (key is not None and (oi, int(v["row_index"]), key) in claimed):
                continue
            flagged = v.get("status") == "flagged"
            on_no_cell["flagged" if flagged else "unflagged"] += 1
            ex = examples.setdefault(ON_NO_CELL, [])
            if not flagged and len(ex) < 5:
                i = int(v["row_index"])
                row = rows[i] if 0 <= i < len(rows) else {}
                why = "column under no printed column" if key is None else "row paired with no printed row"
                if key is not None and any(p == (oi, i) for p in rd.paired.values()):
                    why = "paired row, a column its table does not print"
                ex.append(
                    f"{o.get('form')} p{list(o.get('pages', ()))} row {row.get('index')!r} "
                    f"{str(row.get('label') or '')[:30]!r} {v.get('column_key')}: "
                    f"{v.get('raw_text')!r} {v.get('status')} ({why})"
                )
    blames, _ = _blames(truth, rd)
    wrong = [f"{form}: {issue[:200]}" for form, issue, hits in blames if not hits]
    if wrong:
        examples[BLAMED_WRONGLY] = wrong[:5]
    return {
        "classes": classes,
        "wrong_statuses": statuses,
        "printed_empty_filled": empty_filled,
        "numbers_on_no_printed_cell": on_no_cell,
        "print_blamed": print_blamed(truth, ours, rd),
        "examples": examples,
    }


ON_NO_CELL = "number on no printed cell, unflagged"
"""The examples' class of our numbers that stand for no printed cell and are not flagged."""

PRINT_BLAMED = "printed totals inconsistent"
"""How a table issue of ours blames the printed report (``extract.validate.statuses.PRINTED``)."""


def print_blamed(
    truth: Mapping[str, Any], ours: Mapping[str, Any], rd: _Reading | None = None
) -> dict[str, int]:
    """How often our table issues blame the printed report, against the truth's own arithmetic
    errors (a row's ``printed_errors``: printed column -> the rule the report breaks there).  An
    issue is right when it names, in a table of the same form, a column of ours mapped to a
    misprinted column, or the misprinted row (its STT or label: a rule within that row fails
    through the misprinted cell, and names the rule's total column); ``named``: the truth's
    misprints some issue names that way; ``misprints``: all of them.  A diagnostic."""
    blames, misprints = _blames(truth, rd or _read(truth, ours))
    named = {m for _form, _issue, hits in blames for m in hits}
    right = sum(1 for _form, _issue, hits in blames if hits)
    return {"right": right, "wrong": len(blames) - right, "named": len(named), "misprints": misprints}


BLAMED_WRONGLY = "print blamed wrongly"
"""The examples' class of our "printed totals inconsistent" issues that name no misprint."""


def _blames(
    truth: Mapping[str, Any], rd: _Reading
) -> tuple[list[tuple[str, str, list[tuple[str, str, str, str]]]], int]:
    """Our issues that blame the print, each with its form and the truth's misprints it names;
    and how many misprints the truth has."""
    misprints = [
        (t["form"], key, _fold(str(r.get("stt") or "")), _fold(str(r.get("label") or "")))
        for p in truth["pages"]
        for t in p["tables"]
        for r in t["rows"]
        for key in (r.get("printed_errors") or {})
    ]
    out = []
    for oi, o in enumerate(rd.tables):
        for issue in o.get("issues", ()):
            if not str(issue).startswith(PRINT_BLAMED):
                continue
            column = issue.split(", column ", 1)[1].split()[0].rstrip(":") if ", column " in issue else ""
            row = (
                _fold(issue.split(" row ", 1)[1].split(", column ", 1)[0].strip("'\""))
                if " row " in issue
                else ""
            )
            hits = [
                m
                for m in misprints
                if m[0] == o.get("form")
                and (
                    rd.colmap.get(oi, {}).get(column) == m[1]
                    or (row and (row == m[2] or fuzz.ratio(row, m[3]) >= HEADER_MATCH_MIN))
                )
            ]
            out.append((str(o.get("form")), str(issue), hits))
    return out, len(misprints)


def score_img2table_printed(truth: Mapping[str, Any], img: Mapping[str, Any]) -> PrintedScore:
    s = PrintedScore(pages=int(truth["page_count"]))
    s.tables = len(truth["tables"])
    pages = _page_cells(img)
    cols_of = truth_columns(truth)
    raw_rows = {
        (int(t["table_index"]), int(r["row_index"])): r
        for p in truth["pages"]
        for t in p["tables"]
        for r in t["rows"]
    }
    label_key = {int(t["table_index"]): t["columns"][1] for p in truth["pages"] for t in p["tables"]}
    for r in truth_rows(truth):
        s.rows += 1
        raw = raw_rows[(r.table_index, r.row_index)]
        label = _img_text(pages, r, label_key[r.table_index])
        if label is not None and fuzz.ratio(_fold(label), _fold(r.label)) >= 100 * ROW_FOUND_MIN:
            s.rows_found += 1
        if r.commune_code:
            s.communes += 1
            s.communes_correct += label is not None and norm_text(label) == norm_text(r.commune_name)
        for col in cols_of[r.table_index]:
            truth_v = _truth_value(raw["values"].get(col.key))
            numeric_col = col.type in NUMERIC_COLUMN_TYPES
            if truth_v is None and not numeric_col:
                continue
            text = _img_text(pages, r, col.key)
            _tally(s, numeric_col, truth_v, _text_number(text))
            s.numbers_missing += truth_v is not None and text is None
    s.unflagged, s.unflagged_wrong = s.numbers, s.numbers - s.numbers_exact  # it flags nothing
    return s


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m bench.printed_scoring DIR``: the unflagged errors of a ``bench.population``
    run folder, by class, per (quality, dpi)."""
    import argparse
    import json
    from pathlib import Path

    parser = argparse.ArgumentParser(prog="python -m bench.printed_scoring", description=main.__doc__)
    parser.add_argument("folder", help="a bench.population --out folder")
    parser.add_argument("--examples", action="store_true", help="print a few cells of each class")
    parser.add_argument(
        "--flagged-too",
        action="store_true",
        help="class every number whose triple is wrong, flagged or not (not only the unflagged errors)",
    )
    args = parser.parse_args(argv)
    folder = Path(args.folder)
    docs = json.loads((folder / "scans" / "population.params.json").read_text(encoding="utf-8"))["documents"]
    groups: dict[str, dict[str, Any]] = {}
    for d in docs:
        stem = Path(d["file"]).stem
        run = folder / "runs" / f"{stem}_ours.json"
        if not run.exists():
            continue
        truth = json.loads((folder / "scans" / f"{stem}.truth.json").read_text(encoding="utf-8"))
        ours = json.loads(run.read_text(encoding="utf-8"))
        got = explain_unflagged(truth, ours, args.flagged_too)
        g = groups.setdefault(
            f"{d['quality']} {d['dpi']}", {"classes": dict.fromkeys(ERROR_CLASSES, 0), "examples": []}
        )
        score = score_ours_printed(truth, ours)
        sugg = g.setdefault("suggested", {"right": 0, "wrong": 0})
        sugg["right"] += score.triples_suggested
        sugg["wrong"] += score.suggested_wrong
        for k, n in got["classes"].items():
            g["classes"][k] += n
        for k in ("wrong_statuses", "printed_empty_filled", "numbers_on_no_printed_cell", "print_blamed"):
            for sk, n in got[k].items():
                g.setdefault(k, {})[sk] = g.setdefault(k, {}).get(sk, 0) + n
        g["examples"] += [f"{stem} {kind}: {e}" for kind, ex in got["examples"].items() for e in ex]
    print("| class | " + " | ".join(groups) + " |")
    print("|---|" + "---|" * len(groups))
    for c in ERROR_CLASSES:
        print(f"| {c} | " + " | ".join(str(g["classes"][c]) for g in groups.values()) + " |")
    print("| **all** | " + " | ".join(str(sum(g["classes"].values())) for g in groups.values()) + " |")
    for name, g in groups.items():
        print(
            f"{name}: wrong values' statuses {g.get('wrong_statuses', {})}; "
            f"printed-empty cells given a number {g.get('printed_empty_filled', {})}; "
            f"numbers on no printed cell {g.get('numbers_on_no_printed_cell', {})}; "
            f"print blamed {g.get('print_blamed', {})}; "
            f"suggestions (flagged) {g.get('suggested', {})}"
        )
    if args.examples:
        for g in groups.values():
            for e in g["examples"]:
                print(e)
    return 0


if __name__ == "__main__":
    import sys

    sys.exit(main())
