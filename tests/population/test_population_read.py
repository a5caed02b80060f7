"""The real pipeline on generated reports of four districts (four provinces) in four fonts.

Each case is one annex form (plus the cover, whose subtitle names the district) printed by the
population generator -- its own layouts, not the reader's configs -- scanned mild at 300 dpi and
read by the real page task and document assembly (tesseract, OpenCV).  Named cells are found by
what is printed (commune name, printed header text), never by the reader's column keys.

The named cells are each commune's value in the form's first unsigned count column that the
communes print, and the II row's; the signed (tăng/giảm) columns are left to the tests of the
minus-sign fix (issue 9, class 5).
"""

from __future__ import annotations

from typing import Any

import pytest
from population_cases import CASES, write_case

from bench.printed_scoring import map_columns, truth_columns
from bench.systems import run_ours
from extract.synth import render

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def read_cases(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    folder = tmp_path_factory.mktemp("population")
    out = []
    for index, form in CASES:
        path, truth = write_case(index, form, folder)
        out.append((truth, run_ours(str(path))))
    return out


def _truth_rows(truth: dict[str, Any]) -> list[dict[str, Any]]:
    rows = [r for p in truth["pages"] for t in p["tables"] for r in t["rows"]]
    return sorted(rows, key=lambda r: r["row_index"])


def test_the_cases_span_four_provinces_and_the_four_font_families(read_cases):
    provinces = {t["document"]["province"] for t, _ in read_cases}
    fonts = {t["generator"]["font"] for t, _ in read_cases}
    assert len(provinces) == 4 and fonts == set(render.VIETNAMESE_SERIF_FAMILIES)


def test_forms_are_identified_and_every_commune_row_gets_its_official_code(read_cases):
    for truth, ours in read_cases:
        form = truth["tables"][0]["form"]
        mine = [t for t in ours["tables"] if t["form"] == form]
        assert len(mine) == 1, (form, [t["form"] for t in ours["tables"]])
        expected = [(r["commune_code"], r["commune_name"]) for r in _truth_rows(truth) if r["commune_code"]]
        got = [(r["commune_code"], r["commune_name"]) for r in mine[0]["rows"] if r["commune_code"]]
        assert got == expected and len(expected) == len(truth["document"]["communes"])


def test_named_cells_are_read_exactly(read_cases):
    checked = 0
    for truth, ours in read_cases:
        form = truth["tables"][0]["form"]
        table = next(t for t in ours["tables"] if t["form"] == form)
        printed = truth_columns(truth)[0]
        rows = _truth_rows(truth)
        communes = [r for r in rows if r["commune_code"]]
        column = next(
            c
            for c in printed
            if c.type == "count" and any(isinstance(r["values"][c.key], int) for r in communes)
        )
        ours_key = {table["columns"][i]: key for i, key in map_columns(table["headers"], printed).items()}
        by_row = {r["commune_code"] or r["index"]: i for i, r in enumerate(table["rows"])}
        values = {
            (v["row_index"], ours_key.get(v["column_key"])): v["number"]
            for v in table["values"]
            if v["number"] is not None
        }
        for r in [*communes, next(r for r in rows if r["stt"] == "II")]:
            want = r["values"][column.key]
            got = values.get((by_row[r["commune_code"] or r["stt"]], column.key))
            assert got == (float(want) if isinstance(want, int) else None), (
                form,
                r["label"],
                column.header_text,
            )
            checked += 1
    assert checked >= 30
