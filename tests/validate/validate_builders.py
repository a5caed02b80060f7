"""Builders shared by the validation tests: forms, tables of values, number formatting."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from extract.config import FormSpec, load_forms
from extract.model import (
    Candidate,
    DocumentMeta,
    DocumentResult,
    ParsedValue,
    PixelBox,
    RowInfo,
    RowKind,
    TableResult,
    Value,
)

DATA = Path(__file__).parent / "data"
Parser = Callable[[str, str], ParsedValue]


def _tiny_parse(text: str, column_type: str) -> ParsedValue:
    """Fallback used only while extract.understand.numbers is absent: counts, decimals, percents."""
    s = text.strip().rstrip("%").strip()
    if column_type in ("index", "label", "text", "note"):
        return ParsedValue(raw=text, kind="text", text=s) if s else ParsedValue(raw=text, kind="null")
    if s in ("", "-"):
        return ParsedValue(raw=text, kind="null")
    kind = "percent" if column_type == "percent" else "number"
    if re.fullmatch(r"[0-9]+|[0-9]{1,3}(\.[0-9]{3})+", s):
        return ParsedValue(raw=text, kind=kind, number=float(s.replace(".", "")))
    if re.fullmatch(r"([0-9]+|[0-9]{1,3}(\.[0-9]{3})+),[0-9]+", s) and column_type in ("decimal", "percent"):
        return ParsedValue(raw=text, kind=kind, number=float(s.replace(".", "").replace(",", ".")))
    if re.fullmatch(r"[0-9.,]+", s):
        return ParsedValue(raw=text, kind="number", ambiguous=True, problem="ambiguous")
    return ParsedValue(raw=text, kind="text", text=s, problem=f"{s!r}: not a number")


def resolve_parser() -> Parser:
    """The project's parser when it is present, else the tiny fallback above."""
    try:
        from extract.understand.numbers import parse_value
    except ImportError:
        return _tiny_parse
    return parse_value


PARSE = resolve_parser()


def form_5b() -> FormSpec:
    return next(f for f in load_forms() if f.code == "5B")


def form_77z() -> FormSpec:
    return FormSpec.model_validate(yaml.safe_load((DATA / "form_77Z.yaml").read_text(encoding="utf-8")))


def vn_count(n: int) -> str:
    """5697 -> "5.697" (thousands grouped with dots)."""
    return f"{n:,}".replace(",", ".")


def vn_decimal(x: float, decimals: int) -> str:
    """1234.5 -> "1.234,50" with ``decimals`` digits after the comma."""
    whole, _, frac = f"{x:.{decimals}f}".partition(".")
    return vn_count(int(whole)) + ("," + frac if frac else "")


@dataclass
class Cell:
    text: str
    confidence: float = 95.0
    candidates: tuple[Candidate, ...] = ()


@dataclass
class Spec:
    """A table to build: its rows and the text of each cell by (row index, column key)."""

    rows: list[RowInfo]
    cells: dict[tuple[int, str], Cell] = field(default_factory=dict)


def agreeing(text: str, confidence: float = 95.0) -> Cell:
    """A cell two OCR variants read the same way."""
    return Cell(
        text, confidence, (Candidate(text, confidence, "vie+eng"), Candidate(text, confidence - 3, "vie"))
    )


def row(kind: RowKind, index: str, path: str, label: str, key: str | None = None) -> RowInfo:
    return RowInfo(kind=kind, index=index, path=path, label=label, key=key or path)


def build_table(
    form: FormSpec,
    spec: Spec,
    *,
    table_index: int = 0,
    document_id: str = "doc0",
    source: str = "report.pdf",
    pages: Mapping[int, int] | None = None,
) -> TableResult:
    """A :class:`TableResult` with one :class:`Value` per data cell, parsed with the column type.

    ``pages`` maps row index -> page index (default page 0).  Boxes are deterministic per cell.
    """
    data_cols = [c for c in form.columns if c.key not in (form.index_column, form.label_column)]
    values: list[Value] = []
    for i, info in enumerate(spec.rows):
        for j, col in enumerate(data_cols):
            cell = spec.cells.get((i, col.key), Cell("", 100.0))
            parsed = PARSE(cell.text, col.type)
            values.append(
                Value(
                    document_id=document_id,
                    source=source,
                    form=form.code,
                    table_index=table_index,
                    page_index=(pages or {}).get(i, 0),
                    row_index=i,
                    row_key=info.key,
                    row_kind=info.kind.value,
                    row_label=info.label,
                    commune_code=None,
                    commune_name=None,
                    column_key=col.key,
                    column_header=" / ".join(col.header),
                    value_kind=parsed.kind,
                    number=parsed.number,
                    boolean=parsed.boolean,
                    text=parsed.text,
                    unit=parsed.unit or col.unit,
                    note=parsed.note,
                    raw_text=cell.text,
                    confidence=cell.confidence,
                    box=PixelBox(100 * j, 40 * i, 100 * j + 90, 40 * i + 35),
                    candidates=cell.candidates,
                    ambiguous=parsed.ambiguous,
                    problem=(parsed.problem or "ambiguous number")
                    if parsed.problem or parsed.ambiguous
                    else None,
                )
            )
    return TableResult(
        table_index=table_index,
        form=form.code,
        form_score=100.0,
        title=form.title,
        pages=tuple(sorted(set((pages or {0: 0}).values()))),
        columns=tuple(c.key for c in form.columns),
        headers=tuple(" / ".join(c.header) for c in form.columns),
        rows=list(spec.rows),
        values=values,
        raw=[],
    )


def one_table_document(table: TableResult) -> DocumentResult:
    """A one-page document holding ``table`` alone (for ``validate_document``)."""
    return DocumentResult(
        document_id="d", source="s.pdf", page_count=1, meta=DocumentMeta(), pages=[], tables=[table]
    )


def value_at(table: TableResult, row_index: int, column_key: str) -> Value:
    return next(v for v in table.values if v.row_index == row_index and v.column_key == column_key)


def snapshot(values: Sequence[Value]) -> list[tuple[str, float | None, str]]:
    return [(v.raw_text, v.number, v.value_kind) for v in values]


def set_value(table: TableResult, row_index: int, column_key: str, **changes: Any) -> TableResult:
    """``table`` with the value at (``row_index``, ``column_key``) changed (values are frozen)."""
    values = tuple(
        dataclasses.replace(v, **changes) if (v.row_index, v.column_key) == (row_index, column_key) else v
        for v in table.values
    )
    return dataclasses.replace(table, values=values)


def sections_7b() -> list[RowInfo]:
    """Rows of a table of sections as 7B (and 5B, 6B, 10B, 14B) print them: section I with one
    unit, section II with one commune."""
    return [
        row(RowKind.SECTION, "I", "I", "UBND cấp huyện"),
        row(RowKind.ITEM, "1", "I/1", "Phòng Nội vụ"),
        row(RowKind.SECTION, "II", "II", "UBND cấp xã"),
        row(RowKind.ITEM, "1", "II/1", "Xã An Lạc"),
    ]


# -- generated pages read end to end ---------------------------------------------------------

UNSKEWED = [[1.0, 0, 0], [0, 1.0, 0], [0, 0, 1.0]]


def generated_table(
    index: int, page_index: int, form: str, quality: str, dpi: int
) -> tuple[Any, dict[str, Any]]:
    """Dev document ``index`` as the generator builds it, and the truth of the one table printed
    on its page ``page_index`` (checked: form ``form``, the page neither skewed nor turned)."""
    from extract.synth.population import build_population_document, plan_document

    plan = plan_document("dev", index)
    assert (plan.quality, plan.dpi) == (quality, dpi)
    doc = build_population_document(plan)
    page = next(p for p in doc.truth["pages"] if p["index"] == page_index)
    (table,) = page["tables"]
    assert table["form"] == form and page["transform"] == UNSKEWED
    return doc, table


def read_with_page_image(doc: Any, page_index: int, image: Any, path: Path) -> Any:
    """``doc`` with the scan of page ``page_index`` replaced by ``image``, written to ``path``,
    that page read (real OpenCV and tesseract) and assembled as document "doc"."""
    from extract.document import assemble_document
    from extract.page import PageTask, process_page
    from extract.synth.build import write_document

    scans = list(doc.scans)
    scans[page_index] = dataclasses.replace(scans[page_index], image=image)
    write_document(dataclasses.replace(doc, scans=scans), path)
    result = process_page(PageTask(str(path), page_index, "doc"))
    assert result.error is None
    return assemble_document("doc", str(path), [result])
