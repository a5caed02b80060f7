"""A printed column the form config does not declare is kept, in every output, with a table issue.

A 5B page is generated from the full configs (real rendering, real tesseract and OpenCV); it is
then read with a copy of the configs whose 5B lacks column (8) "Trả quá hạn".  The values of
that printed column must survive under their own key ``extra_8`` with the printed header text.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from extract.config import DEFAULT_CONFIG_DIR, load_forms
from extract.document import assemble_document
from extract.page import PageTask, process_page
from extract.synth.build import build_document, load_report, write_document
from extract.understand.forms import fold
from extract.writers.schema import CELL_VALUES
from extract.writers.tables import ALL_CELLS, WideCollector, document_rows, form_columns

DROPPED = "da_giai_quyet_qua_han"  # printed column (8): 14 in row I, 216 for Xã Ba Trinh


def _reduced_configs(folder: Path) -> Path:
    shutil.copytree(DEFAULT_CONFIG_DIR, folder)
    path = folder / "forms" / "5B.yaml"
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    spec["columns"] = [c for c in spec["columns"] if c["key"] != DROPPED]
    spec["invariants"] = [i for i in spec["invariants"] if DROPPED not in (i.get("parts") or [])]
    path.write_text(yaml.safe_dump(spec, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def read_with_reduced_config(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    work = tmp_path_factory.mktemp("undeclared")
    built = build_document(
        load_report(), load_forms(), form_codes=["5B"], include_cover=False, quality="clean", dpi=200, seed=3
    )
    files = write_document(built, work / "5B.pdf")
    configs = _reduced_configs(work / "configs")
    pages = [
        process_page(PageTask(str(files[0]), i, "doc5b"))  # reading a page needs no form config
        for i in range(len(built.scans))
    ]
    assert not any(p.failed for p in pages), [p.error for p in pages]
    return assemble_document("doc5b", str(files[0]), pages, str(configs))


def test_the_undeclared_column_keeps_its_values_and_header(read_with_reduced_config) -> None:  # type: ignore[no-untyped-def]
    doc = read_with_reduced_config
    [table] = [t for t in doc.tables if t.form == "5B"]
    assert DROPPED not in table.columns
    assert "extra_8" in table.columns  # its printed column number "(8)" names it
    extra = [v for v in table.values if v.column_key == "extra_8"]
    header = fold(extra[0].column_header)
    assert "qua han" in header and "giai quyet" in header, extra[0].column_header
    by_row = {v.row_label: v for v in extra}
    ba_trinh = next(v for label, v in by_row.items() if "Ba Trinh" in label)
    assert ba_trinh.number == 216 and ba_trinh.commune_name == "Xã Ba Trinh"
    district_row = next(v for v in extra if v.row_key == "I")
    assert district_row.number == 14
    # the neighbours keep their own columns
    assert {"da_giai_quyet_dung_han", "dang_giai_quyet_tong"} <= set(table.columns)


def test_the_table_gets_an_issue_naming_the_column(read_with_reduced_config) -> None:  # type: ignore[no-untyped-def]
    [table] = [t for t in read_with_reduced_config.tables if t.form == "5B"]
    issues = [i for i in table.issues if "extra_8" in i]
    assert len(issues) == 1 and "undeclared printed column" in issues[0] and "5B" in issues[0]


def test_every_output_carries_the_column(read_with_reduced_config) -> None:  # type: ignore[no-untyped-def]
    rows = document_rows(read_with_reduced_config)
    long = [v for v in rows[CELL_VALUES.name] if v["column_key"] == "extra_8"]
    assert long and all(v["column_header"] for v in long)
    assert any(v["number"] == 216 for v in long)
    wide = WideCollector(form_columns(None))
    wide.add(rows[ALL_CELLS], "5B.pdf")
    five_b = wide.forms()["5B"]
    assert "extra_8" in five_b.keys and "extra_8" in five_b.header
    assert any(r.get("extra_8") == 216 for r in five_b.rows)
    assert any("extra_8" in issue for t in rows["tables"] for issue in yaml.safe_load(t["issues"]))
