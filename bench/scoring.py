"""Score a system's output against the generator's ground truth (``<stem>.truth.json``).

Pure functions over plain JSON-ready data, so a run's raw output can be saved and re-scored:

- the truth is the dict written by :func:`extract.synth.build.write_document`;
- our pipeline's output is the dict made by :func:`bench.systems.ours_to_dict` (tables with
  rows and values, as in :class:`extract.model.DocumentResult`);
- img2table's output is the dict made by :func:`bench.systems.img2table_to_dict` (per page: the
  rendered image size and every table cell's box and text).

Alignment.  Ours is aligned by content: a truth table of form F against our tables of form F;
a truth row against our row of the same commune code (numbers only) or, otherwise, the row the
sequence alignment of :func:`align_rows` (STT and label text, order kept) pairs it with.
img2table has no form or row model, so it is aligned by geometry: the centre of a truth cell's
box is moved onto the scan by the page's ``transform``, scaled to img2table's rendering and
moved by img2table's own deskew (``affine``), and the img2table cell whose box contains that
point is the answer.

Both systems' cell texts go through the same :func:`extract.understand.numbers.parse_value`, so
number formats are normalised the same way.  Text is compared after NFC and whitespace folding.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

NUMERIC_TYPES = frozenset({"count", "signed", "decimal", "percent", "ratio", "mixed"})
"""Column types whose cells may hold a number (mirrors ``extract.config.NUMERIC_TYPES``)."""

STATUSES = ("verified", "read", "corrected", "flagged")
UNFLAGGED = ("verified", "read", "corrected")

NUMBER_TOLERANCE = 1e-6  # two parsed numbers are equal when they differ by less than this
ROW_GAP_PENALTY = 0.5  # score lost per unpaired row in :func:`align_rows` (a pair scores 0..1)
ROW_LABEL_WEIGHT = 0.75  # share of a row pair's score from label similarity (the rest: STT equal)

NumberKey = float | tuple[float, float]
"""What a numeric cell is compared by: its number, or (numerator, denominator) for "32/32"."""


# ------------------------------------------------------------------------------------------------
# normalisation


def norm_text(text: str | None) -> str:
    """NFC with runs of whitespace (line breaks included) folded to one space, ends stripped."""
    if not text:
        return ""
    return " ".join(unicodedata.normalize("NFC", text).split())


def number_key(text: str | None, column_type: str) -> NumberKey | None:
    """The number (or ratio) ``text`` means in a column of ``column_type``, by our parser; None
    when it is blank, ambiguous, not a number or not in a numeric column."""
    if column_type not in NUMERIC_TYPES or text is None:
        return None
    from extract.understand.numbers import parse_value

    parsed = parse_value(text, column_type)
    if parsed.number is not None:
        return float(parsed.number)
    if parsed.ratio is not None:
        return (float(parsed.ratio[0]), float(parsed.ratio[1]))
    return None


def same_number(a: NumberKey | None, b: NumberKey | None) -> bool:
    """Whether two number keys are equal (None equals nothing, not even None)."""
    if a is None or b is None:
        return False
    if isinstance(a, tuple) != isinstance(b, tuple):
        return False
    if isinstance(a, tuple) and isinstance(b, tuple):
        return all(abs(x - y) < NUMBER_TOLERANCE for x, y in zip(a, b, strict=False))
    return abs(float(a) - float(b)) < NUMBER_TOLERANCE  # type: ignore[arg-type]


def edit_counts(predicted: str | None, truth: str) -> tuple[int, int]:
    """(Levenshtein distance, length of the truth) after :func:`norm_text`; CER is their ratio.

    A missing prediction costs the whole truth length."""
    t = norm_text(truth)
    return Levenshtein.distance(norm_text(predicted), t), len(t)


# ------------------------------------------------------------------------------------------------
# ground truth


@dataclass(frozen=True)
class FormColumns:
    """What scoring needs of a form declaration: column types and the label column."""

    types: Mapping[str, str]  # column key -> ColumnType
    label_column: str
    index_column: str | None = None


def form_columns(forms: Sequence[Any]) -> dict[str, FormColumns]:
    """``{form code: FormColumns}`` from :class:`extract.config.FormSpec` declarations."""
    return {
        f.code: FormColumns({c.key: c.type for c in f.columns}, f.label_column, f.index_column) for f in forms
    }


Matrix = tuple[tuple[float, float, float], tuple[float, float, float], tuple[float, float, float]]


@dataclass(frozen=True)
class TruthRow:
    """A printed body row of a form, with where it is on which page."""

    form: str
    table_index: int  # the form's index in the document
    row_index: int  # 0-based within the form, across pages
    page_index: int
    stt: str
    label: str
    commune_code: str | None
    commune_name: str | None
    cells: Mapping[str, str]  # column key -> printed text
    boxes: Mapping[str, tuple[int, int, int, int]]  # column key -> clean-page pixel box
    transform: Matrix  # clean-page pixels -> scan pixels
    scan_size: tuple[int, int]  # (width, height) of the scanned page, pixels


def truth_rows(truth: Mapping[str, Any]) -> list[TruthRow]:
    """Every body row of every form in the truth, in document order."""
    out = []
    for page in truth["pages"]:
        transform = tuple(tuple(float(v) for v in row) for row in page["transform"])
        size = (int(page["scan_width"]), int(page["scan_height"]))
        for t in page["tables"]:
            for r in t["rows"]:
                out.append(
                    TruthRow(
                        form=t["form"],
                        table_index=int(t["table_index"]),
                        row_index=int(r["row_index"]),
                        page_index=int(page["index"]),
                        stt=r.get("stt") or "",
                        label=r.get("label") or "",
                        commune_code=r.get("commune_code"),
                        commune_name=r.get("commune_name"),
                        cells=dict(r["cells"]),
                        boxes={k: tuple(v) for k, v in r["boxes"].items()},  # type: ignore[misc]
                        transform=transform,  # type: ignore[arg-type]
                        scan_size=size,
                    )
                )
    return out


@dataclass(frozen=True)
class TruthNumber:
    """A truth cell whose printed text parses to a number."""

    row: TruthRow
    column_key: str
    column_type: str
    text: str
    key: NumberKey


def truth_numbers(rows: Sequence[TruthRow], columns: Mapping[str, FormColumns]) -> list[TruthNumber]:
    """The numeric truth cells: numeric column type and printed text that parses to a number."""
    out = []
    for row in rows:
        types = columns[row.form].types if row.form in columns else {}
        for key, text in row.cells.items():
            ctype = types.get(key, "text")
            k = number_key(text, ctype)
            if k is not None:
                out.append(TruthNumber(row, key, ctype, text, k))
    return out


def truth_labels(rows: Sequence[TruthRow], columns: Mapping[str, FormColumns]) -> list[tuple[TruthRow, str]]:
    """(row, label column key) of every row with a non-empty printed label."""
    out = []
    for row in rows:
        spec = columns.get(row.form)
        if spec is not None and norm_text(row.cells.get(spec.label_column)):
            out.append((row, spec.label_column))
    return out


# ------------------------------------------------------------------------------------------------
# geometry (img2table)


def map_point(x: float, y: float, transform: Matrix) -> tuple[float, float]:
    """A clean-page point moved onto the scan by the 3x3 ``transform`` (projective divide)."""
    (a, b, c), (d, e, f), (g, h, i) = transform
    w = g * x + h * y + i
    return (a * x + b * y + c) / w, (d * x + e * y + f) / w


def scan_centre(
    box: Sequence[float], transform: Matrix, scale: tuple[float, float] = (1.0, 1.0)
) -> tuple[float, float]:
    """Centre of a clean-page box ``(x0, y0, x1, y1)`` on the scan, times ``scale`` (sx, sy): the
    point in the pixels of an image the scan was resampled to."""
    x0, y0, x1, y1 = box
    x, y = map_point((x0 + x1) / 2.0, (y0 + y1) / 2.0, transform)
    return x * scale[0], y * scale[1]


def apply_affine(point: tuple[float, float], affine: Sequence[Sequence[float]] | None) -> tuple[float, float]:
    """``point`` moved by a 2x3 affine matrix (None: unchanged)."""
    if affine is None:
        return point
    x, y = point
    (a, b, c), (d, e, f) = affine[0], affine[1]
    return a * x + b * y + c, d * x + e * y + f


IMG2TABLE_NONE = re.compile(r"(?<!\S)None(?!\S)")


def clean_img2table_text(text: str | None) -> str | None:
    """img2table 2.0 joins a cell's OCR words with ``str()``, so a word it dropped shows up as the
    literal word "None" ("None 1.582"); remove those tokens (no report prints "None")."""
    if text is None:
        return None
    return IMG2TABLE_NONE.sub("", text).strip()


def cell_at(cells: Sequence[Sequence[Any]], point: tuple[float, float]) -> str | None:
    """Text of the smallest cell ``(x0, y0, x1, y1, text)`` containing ``point`` (``x0 <= x <= x1``);
    ``""`` for a found cell without text, None when no cell contains the point."""
    x, y = point
    best: tuple[float, str] | None = None
    for x0, y0, x1, y1, text in cells:
        if x0 <= x <= x1 and y0 <= y <= y1:
            area = float(x1 - x0) * float(y1 - y0)
            if best is None or area < best[0]:
                best = (area, text or "")
    return None if best is None else best[1]


# ------------------------------------------------------------------------------------------------
# row alignment (ours)


def row_similarity(truth: tuple[str, str], ours: tuple[str, str]) -> float:
    """0..1: how alike two rows given as (STT, label) are (label similarity and equal STT)."""
    t_stt, t_label = (norm_text(s).casefold() for s in truth)
    o_stt, o_label = (norm_text(s).casefold() for s in ours)
    label = fuzz.ratio(t_label, o_label) / 100.0 if (t_label or o_label) else 1.0
    return ROW_LABEL_WEIGHT * label + (1.0 - ROW_LABEL_WEIGHT) * float(t_stt == o_stt)


def align_rows(
    truth: Sequence[tuple[str, str]], ours: Sequence[tuple[str, str]], gap: float = ROW_GAP_PENALTY
) -> dict[int, int]:
    """Pair truth rows with our rows, order kept (Needleman-Wunsch over :func:`row_similarity`).

    Rows are (STT, label).  A pair scores its similarity, a row left unpaired loses ``gap``, so
    equal-length tables pair row by row unless shifting by one row gains more than ``2 * gap``.
    Returns ``{truth index: our index}`` for paired rows.
    """
    n, m = len(truth), len(ours)
    score = [[0.0] * (m + 1) for _ in range(n + 1)]
    move = [[0] * (m + 1) for _ in range(n + 1)]  # 0 pair, 1 skip truth, 2 skip ours
    for i in range(1, n + 1):
        score[i][0], move[i][0] = -gap * i, 1
    for j in range(1, m + 1):
        score[0][j], move[0][j] = -gap * j, 2
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            options = (
                score[i - 1][j - 1] + row_similarity(truth[i - 1], ours[j - 1]),
                score[i - 1][j] - gap,
                score[i][j - 1] - gap,
            )
            best = max(range(3), key=lambda k: options[k])
            score[i][j], move[i][j] = options[best], best
    pairs: dict[int, int] = {}
    i, j = n, m
    while i > 0 or j > 0:
        k = move[i][j]
        if k == 0:
            pairs[i - 1] = j - 1
            i, j = i - 1, j - 1
        elif k == 1:
            i -= 1
        else:
            j -= 1
    return pairs


# ------------------------------------------------------------------------------------------------
# scores


@dataclass
class Score:
    """Counts behind every metric of one system on one document (JSON-ready via ``asdict``)."""

    tables: int = 0  # truth tables (forms)
    tables_identified: int | None = None  # truth tables whose form was identified (None: no form id)
    numeric: int = 0  # truth numeric cells
    numeric_correct: int = 0
    numeric_missing: int = 0  # truth cells the system gave no cell/value for
    label_cells: int = 0
    label_chars: int = 0
    label_edits: int = 0
    label_missing: int = 0
    communes: int = 0  # truth rows that are communes of the district
    communes_correct: int = 0
    # ours only (issue #3): statuses of the values matched to truth numeric cells
    status: dict[str, int] = field(default_factory=dict)
    status_wrong: dict[str, int] = field(default_factory=dict)
    status_all: dict[str, int] = field(default_factory=dict)  # statuses of every value output
    numeric_before_correct: int | None = None  # correct as first read, before self-correction
    corrections: int = 0  # matched values self-correction changed
    corrections_fixed: int = 0  # wrong before, right after
    corrections_broken: int = 0  # right before, wrong after
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _frac(num: int | None, den: int) -> float | None:
    return None if num is None or den == 0 else num / den


def rates(score: Score) -> dict[str, float | None]:
    """The headline rates of a :class:`Score` (None where undefined)."""
    unflagged = sum(score.status.get(s, 0) for s in UNFLAGGED)
    unflagged_wrong = sum(score.status_wrong.get(s, 0) for s in UNFLAGGED)
    return {
        "form_id_accuracy": _frac(score.tables_identified, score.tables),
        "numeric_exact": _frac(score.numeric_correct, score.numeric),
        "label_cer": _frac(score.label_edits, score.label_chars),
        "commune_accuracy": _frac(score.communes_correct, score.communes),
        "numeric_before_correction": _frac(score.numeric_before_correct, score.numeric),
        "unflagged_error_rate": _frac(unflagged_wrong, unflagged) if score.status else None,
    }


@dataclass(frozen=True)
class _OurRow:
    table: int  # position of the table in the output's table list
    row_index: int
    stt: str
    label: str
    commune_code: str | None


def _our_rows(tables: Sequence[Mapping[str, Any]]) -> list[_OurRow]:
    out = []
    for ti, t in enumerate(tables):
        for i, r in enumerate(t.get("rows", ())):
            out.append(_OurRow(ti, i, r.get("index") or "", r.get("label") or "", r.get("commune_code")))
    return out


def _group_by_form(rows: Sequence[TruthRow]) -> dict[int, list[TruthRow]]:
    by_table: dict[int, list[TruthRow]] = {}
    for r in rows:
        by_table.setdefault(r.table_index, []).append(r)
    for v in by_table.values():
        v.sort(key=lambda r: r.row_index)
    return by_table


def _truth_tables(truth: Mapping[str, Any]) -> list[tuple[str, set[int]]]:
    return [(t["form"], set(t.get("pages", ()))) for t in truth.get("tables", ())]


def score_ours(
    truth: Mapping[str, Any], ours: Mapping[str, Any], columns: Mapping[str, FormColumns]
) -> Score:
    """Score our pipeline's output dict (:func:`bench.systems.ours_to_dict`) against ``truth``."""
    score = Score(status={s: 0 for s in STATUSES}, status_wrong={s: 0 for s in STATUSES})
    tables = list(ours.get("tables", ()))

    # form identification
    truth_tables = _truth_tables(truth)
    score.tables = len(truth_tables)
    score.tables_identified = sum(
        any(t.get("form") == form and pages & set(t.get("pages", ())) for t in tables)
        for form, pages in truth_tables
    )

    rows = truth_rows(truth)
    numbers = truth_numbers(rows, columns)
    labels = truth_labels(rows, columns)
    by_table = _group_by_form(rows)

    # row alignment, per truth form, against our tables of that form (in order)
    row_map: dict[tuple[int, int], _OurRow] = {}  # (truth table, truth row) -> our row
    code_map: dict[tuple[int, str], _OurRow] = {}  # (truth table, commune code) -> our row
    for ti, t_rows in by_table.items():
        form = t_rows[0].form
        mine = [t for t in tables if t.get("form") == form]
        ids = [i for i, t in enumerate(tables) if t.get("form") == form]
        o_rows = [_OurRow(ids[r.table], r.row_index, r.stt, r.label, r.commune_code) for r in _our_rows(mine)]
        pairs = align_rows([(r.stt, r.label) for r in t_rows], [(r.stt, r.label) for r in o_rows])
        for i, j in pairs.items():
            row_map[(ti, t_rows[i].row_index)] = o_rows[j]
        codes: dict[str, list[_OurRow]] = {}
        for r in o_rows:
            if r.commune_code:
                codes.setdefault(r.commune_code, []).append(r)
        for code, found in codes.items():
            if len(found) == 1:
                code_map[(ti, code)] = found[0]

    values: dict[tuple[int, int, str], Mapping[str, Any]] = {}
    score.status_all = {s: 0 for s in STATUSES}
    for ti, t in enumerate(tables):
        for v in t.get("values", ()):
            values[(ti, int(v["row_index"]), v["column_key"])] = v
            status = str(v.get("status", "read"))
            score.status_all[status] = score.status_all.get(status, 0) + 1

    # numeric cells
    score.numeric = len(numbers)
    score.numeric_before_correct = 0
    for n in numbers:
        ti, ri = n.row.table_index, n.row.row_index
        mine_row = code_map.get((ti, n.row.commune_code)) if n.row.commune_code else None
        mine_row = mine_row or row_map.get((ti, ri))
        v = values.get((mine_row.table, mine_row.row_index, n.column_key)) if mine_row else None
        if v is None:
            score.numeric_missing += 1
            continue
        after = _value_key(v, n.column_type)
        ok = same_number(after, n.key)
        score.numeric_correct += ok
        original = v.get("original_text")
        before = after if original is None else number_key(original, n.column_type)
        ok_before = same_number(before, n.key)
        score.numeric_before_correct += ok_before
        if original is not None:
            score.corrections += 1
            score.corrections_fixed += ok and not ok_before
            score.corrections_broken += ok_before and not ok
        status = str(v.get("status", "read"))
        score.status[status] = score.status.get(status, 0) + 1
        score.status_wrong[status] = score.status_wrong.get(status, 0) + (not ok)

    # labels
    for row, _key in labels:
        mine_row = row_map.get((row.table_index, row.row_index))
        score.label_cells += 1
        score.label_missing += mine_row is None
        d, length = edit_counts(mine_row.label if mine_row else None, row.label)
        score.label_edits += d
        score.label_chars += length

    # communes: the row the alignment pairs (by STT and label as read) must carry the right code
    for row in rows:
        if not row.commune_code:
            continue
        score.communes += 1
        mine_row = row_map.get((row.table_index, row.row_index))
        score.communes_correct += bool(mine_row and mine_row.commune_code == row.commune_code)
    return score


def _value_key(v: Mapping[str, Any], column_type: str) -> NumberKey | None:
    """Our value's number key: its number, or the ratio of its text for ratio values."""
    if v.get("number") is not None:
        return float(v["number"])
    if v.get("value_kind") == "ratio":
        return number_key(v.get("raw_text"), column_type)
    return None


def _page_cells(img: Mapping[str, Any]) -> dict[int, Mapping[str, Any]]:
    return {int(p["page_index"]): p for p in img.get("pages", ())}


def _img_text(pages: Mapping[int, Mapping[str, Any]], row: TruthRow, key: str) -> str | None:
    page = pages.get(row.page_index)
    box = row.boxes.get(key)
    if page is None or box is None:
        return None
    sx = float(page["width"]) / row.scan_size[0]
    sy = float(page["height"]) / row.scan_size[1]
    point = apply_affine(scan_centre(box, row.transform, (sx, sy)), page.get("affine"))
    return clean_img2table_text(cell_at(page["cells"], point))


def score_img2table(
    truth: Mapping[str, Any], img: Mapping[str, Any], columns: Mapping[str, FormColumns]
) -> Score:
    """Score img2table's output dict (:func:`bench.systems.img2table_to_dict`) against ``truth``
    by geometry; it identifies no form (``tables_identified`` stays None)."""
    score = Score()
    score.tables = len(_truth_tables(truth))
    pages = _page_cells(img)
    rows = truth_rows(truth)
    for n in truth_numbers(rows, columns):
        score.numeric += 1
        text = _img_text(pages, n.row, n.column_key)
        if text is None:
            score.numeric_missing += 1
            continue
        score.numeric_correct += same_number(number_key(text, n.column_type), n.key)
    for row, key in truth_labels(rows, columns):
        text = _img_text(pages, row, key)
        score.label_cells += 1
        score.label_missing += text is None
        d, length = edit_counts(text, row.label)
        score.label_edits += d
        score.label_chars += length
    for row in rows:
        if not row.commune_code:
            continue
        score.communes += 1
        spec = columns.get(row.form)
        text = _img_text(pages, row, spec.label_column) if spec else None
        score.communes_correct += bool(text is not None and norm_text(text) == norm_text(row.commune_name))
    return score


def iter_numbers_debug(
    truth: Mapping[str, Any], img: Mapping[str, Any], columns: Mapping[str, FormColumns]
) -> Iterator[tuple[TruthNumber, str | None]]:
    """(truth number, img2table text found at it): for looking at alignment by eye."""
    pages = _page_cells(img)
    for n in truth_numbers(truth_rows(truth), columns):
        yield n, _img_text(pages, n.row, n.column_key)
