"""The review queue: flagged and corrected values only, in reading order, with provenance."""

from __future__ import annotations

from validate_builders import PARSE, Cell, Spec, agreeing, build_table, form_77z, row

from extract.model import Candidate, DocumentMeta, DocumentResult, RowKind
from extract.validate import REVIEW_COLUMNS, ValidateSettings, review_queue, validate_document


def _doc(doc_id: str, source: str) -> DocumentResult:
    """Two 77Z tables over pages 0-2: one misread corrected, one misread flagged, one low-confidence note."""
    form = form_77z()
    tables = []
    for t in range(2):
        spec = Spec(rows=[row(RowKind.ITEM, "1", "1", "a"), row(RowKind.ITEM, "2", "2", "b")])
        for i in range(2):
            for key, text in (("da_kiem_tra", "30"), ("dat", "10"), ("khong_dat", "20")):
                spec.cells[(i, key)] = agreeing(text)
        # row 1: (4) misread "80"; table 0 has the right candidate, table 1 does not
        cands = (Candidate("80", 50.0, "vie+eng"), Candidate("30" if t == 0 else "88", 45.0, "vie"))
        spec.cells[(1, "da_kiem_tra")] = Cell("80", 50.0, cands)
        spec.cells[(0, "ghi_chu")] = Cell("mờ", 20.0)
        tables.append(
            build_table(form, spec, table_index=t, document_id=doc_id, source=source, pages={0: t, 1: t + 1})
        )
    return DocumentResult(doc_id, source, 3, DocumentMeta(), [], tables)


def test_review_queue_lists_flagged_and_corrected_cells_in_reading_order() -> None:
    docs = [
        validate_document(_doc(doc_id, source), {"77Z": form_77z()}, ValidateSettings(), parse=PARSE)
        for doc_id, source in (("bbbb", "z.pdf"), ("aaaa", "a.pdf"))
    ]

    queue = review_queue(docs)

    assert tuple(queue.columns) == REVIEW_COLUMNS
    assert set(queue["status"]) == {"flagged", "corrected"}
    assert list(queue["source"].unique()) == ["a.pdf", "z.pdf"]
    one = queue[queue["source"] == "a.pdf"]
    keys = list(zip(one["page"], one["table_index"], one["row_index"], one["column_key"], strict=True))
    assert keys == [
        (1, 0, 0, "ghi_chu"),  # page 1 (1-based): table 0, row 0
        (2, 0, 1, "da_kiem_tra"),  # page 2: table 0 row 1 (corrected)
        (2, 1, 0, "ghi_chu"),  # table 1 starts on page 2
        (3, 1, 1, "da_kiem_tra"),  # page 3: table 1 row 1, the failing rule's three cells (flagged)
        (3, 1, 1, "dat"),
        (3, 1, 1, "khong_dat"),
    ]
    fixed = one[one["corrected"]].iloc[0]
    assert (fixed["raw_text"], fixed["chosen_text"], fixed["chosen_value"], fixed["status"]) == (
        "80",
        "30",
        30.0,
        "corrected",
    )
    assert fixed["candidates"] == "80 (50, vie+eng); 30 (45, vie)" and fixed["rule"]
    left = one.iloc[3]
    assert (left["status"], left["raw_text"], left["chosen_value"], bool(left["corrected"])) == (
        "flagged",
        "80",
        80.0,
        False,
    )
    assert left["reason"].startswith("rule fails and no OCR candidate fixes it")
    # read "80" at 50 where its row's sure cells give 30: suggested, still flagged, as read
    assert "not read clearly: '80'; the form's rule '(4)=(5)+(6)' gives 30" in left["reason"]
    assert left["suggestion"] == 30.0
    assert (left["x0"], left["y0"], left["x1"], left["y1"]) == (
        100,
        40,
        190,
        75,
    )  # column 1 of the data columns, row 1
    assert one.iloc[0]["reason"].startswith("low confidence")


def test_review_queue_is_empty_but_typed_when_nothing_needs_review() -> None:
    spec = Spec(rows=[row(RowKind.ITEM, "1", "1", "a")])
    spec.cells[(0, "da_kiem_tra")] = agreeing("3")
    spec.cells[(0, "dat")] = agreeing("3")
    spec.cells[(0, "ty_le_dat")] = agreeing("100,0")
    doc = DocumentResult("c" * 16, "ok.pdf", 1, DocumentMeta(), [], [build_table(form_77z(), spec)])
    doc = validate_document(doc, {"77Z": form_77z()}, ValidateSettings(), parse=PARSE)

    queue = review_queue([doc])

    assert queue.empty and tuple(queue.columns) == REVIEW_COLUMNS
