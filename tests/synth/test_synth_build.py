"""Building documents: content file, commune codes, ground truth, damage, files, committed samples."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pytest
from PIL import Image
from synth_helpers import FIXTURE, TEST_DPI, fixture_report

from extract.config import load_forms
from extract.errors import ConfigError
from extract.synth.build import (
    DEFAULT_DATA,
    SAMPLES,
    build_document,
    check_report,
    commune_of,
    load_report,
    write_document,
)
from extract.synth.scan import map_box

SAMPLES_DIR = Path(__file__).resolve().parents[2] / "samples"
PROVINCE, DISTRICT = "Tỉnh Sóc Trăng", "Huyện Kế Sách"


def _rows_of(truth: dict, form: str) -> list[dict]:
    return [r for p in truth["pages"] for t in p["tables"] if t["form"] == form for r in t["rows"]]


# -- content file ---------------------------------------------------------------------------------


def test_load_report_refuses_unquoted_numbers(tmp_path):
    text = FIXTURE.read_text(encoding="utf-8").replace('tiep_nhan_tong: "5.697"', "tiep_nhan_tong: 5.697")
    bad = tmp_path / "bad.yaml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match="quoted"):
        load_report(bad)


def test_load_report_needs_document_metadata(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("document: {number: '1/BC-UBND'}\nforms: []\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="date"):
        load_report(bad)


def test_check_report_names_unknown_column_keys(tmp_path):
    text = FIXTURE.read_text(encoding="utf-8").replace("tiep_nhan_moi:", "tiep_nhan_new:", 1)
    bad = tmp_path / "bad.yaml"
    bad.write_text(text, encoding="utf-8")
    problems = check_report(load_report(bad), load_forms())
    assert len(problems) == 1 and "tiep_nhan_new" in problems[0]
    with pytest.raises(ConfigError, match="tiep_nhan_new"):
        build_document(load_report(bad), dpi=TEST_DPI, quality="clean", include_cover=False)


def test_real_content_file_matches_the_form_declarations():
    report = load_report(DEFAULT_DATA)
    forms = load_forms()
    assert check_report(report, forms) == []
    assert {f.code for f in report.forms} == {f.code for f in forms}


def test_real_content_lists_every_commune_in_commune_forms():
    report = load_report(DEFAULT_DATA)
    doc = report.document
    specs = {f.code: f for f in load_forms()}
    all_codes = {code for code, _ in _district_communes(doc.province, doc.district)}
    assert len(all_codes) == 13
    for content in report.forms:
        spec = specs[content.code]
        if not spec.commune_rows:
            continue
        found = {commune_of(r.text(spec.label_column), doc.province, doc.district) for r in content.rows}
        assert all_codes <= {c[0] for c in found if c}, content.code


def _district_communes(province: str, district: str):
    from extract.synth.build import admin_units

    return admin_units(province, district)[1].values()


# -- commune codes --------------------------------------------------------------------------------


def test_commune_codes_come_from_the_gazetteer():
    report = fixture_report()
    labels = [r.text("co_quan") for r in report.forms[0].rows]
    found = [commune_of(lb, PROVINCE, DISTRICT) for lb in labels]
    codes = [c[0] for c in found if c]
    assert len(codes) == 13 and len(set(codes)) == 13
    assert all(len(c) == 5 and c.isdigit() for c in codes)
    assert commune_of("Thị trấn Kế Sách", PROVINCE, DISTRICT) == ("31528", "Thị trấn Kế Sách")
    assert commune_of("TTHC thuộc phạm vi thẩm quyền giải quyết của UBND cấp xã", PROVINCE, DISTRICT) is None


def test_commune_lookup_ignores_case_spacing_and_normal_form():
    want = commune_of("Xã Phong Nẫm", PROVINCE, DISTRICT)
    assert want is not None
    assert commune_of("  xã   PHONG NẪM ", PROVINCE, DISTRICT) == want
    assert commune_of(unicodedata.normalize("NFD", "Xã Phong Nẫm"), PROVINCE, DISTRICT) == want


# -- ground truth ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def built():
    return build_document(fixture_report(), quality="mild", dpi=TEST_DPI, seed=3, name="t")


def test_truth_rows_are_the_content_rows(built):
    report = fixture_report()
    rows = _rows_of(built.truth, "5B")
    data = report.form("5B").rows
    assert [r["row_index"] for r in rows] == list(range(len(data)))
    for r, d in zip(rows, data, strict=False):
        assert {k: v for k, v in r["cells"].items() if v} == {k: v for k, v in d.cells if v}
        assert r["stt"] == d.text("stt") and r["label"] == d.text("co_quan") and r["bold"] == d.bold
        assert (r["commune_code"] is not None) == (commune_of(r["label"], PROVINCE, DISTRICT) is not None)
    assert built.truth["document"]["number"] == "542/BC-UBND"
    assert built.truth["document"]["district_code"] == "943"


def test_truth_pages_and_tables_agree(built):
    truth = built.truth
    assert truth["page_count"] == len(built.scans) == len(truth["pages"])
    assert truth["pages"][0]["kind"] == "cover"
    parts = [t for p in truth["pages"] for t in p["tables"]]
    assert truth["tables"] == [
        {
            "table_index": 0,
            "form": "5B",
            "pages": [p["index"] for p in truth["pages"] if p["tables"]],
            "rows": 16,
        }
    ]
    assert [t["continued_from_previous_page"] for t in parts] == [False] + [True] * (len(parts) - 1)
    for p, scan in zip(truth["pages"], built.scans, strict=False):
        assert abs(p["skew_deg"]) <= 1.0 and p["dpi"] == TEST_DPI and p["quality"] == "mild"
        assert (p["scan_height"], p["scan_width"]) == scan.image.shape
        for t in p["tables"]:
            assert t["header_paths"][2] == ["Số hồ sơ đã tiếp nhận", "Tổng số"]
            for r in t["rows"]:
                for key, box in r["boxes"].items():
                    x0, y0, x1, y1 = box
                    assert 0 <= x0 < x1 <= p["width"] and 0 <= y0 < y1 <= p["height"], key


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path):
    report = fixture_report()
    out = {}
    for tag, seed in (("a", 1), ("b", 1), ("c", 2)):
        doc = build_document(report, quality="hard", dpi=TEST_DPI, seed=seed, include_cover=False)
        out[tag] = [f.read_bytes() for f in write_document(doc, tmp_path / tag / "x.pdf")]
        out[tag + "t"] = [f.read_bytes() for f in write_document(doc, tmp_path / tag / "x.tiff")]
    assert out["a"] == out["b"] and out["at"] == out["bt"]
    assert out["a"][0] != out["c"][0]


def test_damage_marks_and_changes_exactly_the_requested_cell():
    report = fixture_report()
    target = ("5B", 4, "tiep_nhan_tong")  # Xã Kế Thành, "5.737"
    plain = build_document(report, quality="clean", dpi=TEST_DPI, seed=9, include_cover=False)
    hurt = build_document(report, quality="clean", dpi=TEST_DPI, seed=9, include_cover=False, damage=[target])
    assert hurt.truth["damaged"][0]["form"] == "5B" and len(hurt.truth["damaged"]) == 1
    marked = [(r["row_index"], k) for r in _rows_of(hurt.truth, "5B") for k in r.get("damaged", {})]
    assert marked == [(4, "tiep_nhan_tong")]
    row = _rows_of(hurt.truth, "5B")[4]
    assert row["cells"]["tiep_nhan_tong"] == "5.737"  # the truth keeps the printed value
    info = row["damaged"]["tiep_nhan_tong"]
    assert "5.737"[info["char_index"]] == info["char"] and info["char"].isdigit()
    changed = [
        i
        for i, (a, b) in enumerate(zip(plain.scans, hurt.scans, strict=False))
        if not np.array_equal(a.image, b.image)
    ]
    assert len(changed) == 1
    diff = np.nonzero(plain.scans[changed[0]].image != hurt.scans[changed[0]].image)
    x0, y0, x1, y1 = row["boxes"]["tiep_nhan_tong"]
    assert diff[0].size > 0
    assert diff[1].min() >= x0 and diff[1].max() < x1 and diff[0].min() >= y0 and diff[0].max() < y1


def test_damage_of_a_cell_without_digits_is_refused():
    with pytest.raises(ValueError, match="no digit"):
        build_document(
            fixture_report(),
            quality="clean",
            dpi=TEST_DPI,
            include_cover=False,
            damage=[("5B", 3, "co_quan")],
        )


def test_rotated_build_is_the_turned_scan_and_its_transform_maps_boxes():
    report = fixture_report()
    up = build_document(report, quality="mild", dpi=TEST_DPI, seed=4, include_cover=False)
    down = build_document(report, quality="mild", dpi=TEST_DPI, seed=4, include_cover=False, rotation=180)
    for a, b, p in zip(up.scans, down.scans, down.truth["pages"], strict=False):
        assert np.array_equal(np.rot90(a.image, 2), b.image)
        assert p["rotation"] == 180
        box = p["tables"][0]["box"]
        mx0, my0, mx1, my1 = map_box(tuple(box), np.array(p["transform"]))
        h, w = b.image.shape
        assert -5 <= mx0 < mx1 <= w + 5 and -5 <= my0 < my1 <= h + 5
        assert np.array_equal(map_box(tuple(box), np.array(p["transform"])), map_box(tuple(box), b.transform))


def test_rotation_can_differ_per_page():
    doc = build_document(
        fixture_report(), quality="clean", dpi=TEST_DPI, include_cover=False, rotation=[0, 90]
    )
    assert [p["rotation"] for p in doc.truth["pages"]] == [0, 90]
    assert doc.scans[1].image.shape == doc.scans[0].image.shape[::-1]
    with pytest.raises(ValueError, match="rotation"):
        build_document(fixture_report(), quality="clean", dpi=TEST_DPI, include_cover=False, rotation=[90])


# -- files ----------------------------------------------------------------------------------------


def test_pdf_has_every_page_at_the_declared_resolution(built, tmp_path):
    files = write_document(built, tmp_path / "doc.pdf")
    assert [f.name for f in files] == ["doc.pdf", "doc.truth.json"]
    pdf = pdfium.PdfDocument(str(files[0]))
    assert len(pdf) == len(built.scans)
    for i, scan in enumerate(built.scans):
        w_pt, h_pt = pdf[i].get_size()
        assert abs(w_pt - scan.image.shape[1] * 72 / TEST_DPI) < 1
        assert abs(h_pt - scan.image.shape[0] * 72 / TEST_DPI) < 1
    truth = json.loads(files[1].read_text(encoding="utf-8"))
    assert truth["file"] == "doc.pdf" and {p["file"] for p in truth["pages"]} == {"doc.pdf"}


def test_tiff_png_and_bilevel_outputs(tmp_path):
    doc = build_document(fixture_report(), quality="mild", dpi=TEST_DPI, seed=2, bilevel=True)
    tiff = write_document(doc, tmp_path / "d.tiff")[0]
    with Image.open(tiff) as im:
        assert im.n_frames == len(doc.scans) and im.mode == "1"
    pngs = write_document(doc, tmp_path / "d.png")
    assert [f.name for f in pngs] == ["d.png"] + [f"d-p{i}.png" for i in range(2, len(doc.scans) + 1)] + [
        "d.truth.json"
    ]
    with Image.open(pngs[1]) as im:
        assert np.array_equal(np.asarray(im.convert("L")), doc.scans[1].image)
    with pytest.raises(ValueError, match="unsupported"):
        write_document(doc, tmp_path / "d.bmp")


# -- the committed samples -------------------------------------------------------------------------


def test_committed_samples_match_the_content_file():
    report = load_report(DEFAULT_DATA)
    readme = (SAMPLES_DIR / "README.md").read_text(encoding="utf-8")
    for spec in SAMPLES:
        stem = Path(spec.name).stem
        truth = json.loads((SAMPLES_DIR / f"{stem}.truth.json").read_text(encoding="utf-8"))
        assert f"`{spec.name}`" in readme
        for p in truth["pages"]:
            assert (SAMPLES_DIR / p["file"]).is_file()
        for t in truth["tables"]:
            data = report.form(t["form"]).rows
            rows = _rows_of(truth, t["form"])
            assert len(rows) == len(data) == t["rows"], (spec.name, t["form"])
            for r, d in zip(rows, data, strict=False):
                assert {k: v for k, v in r["cells"].items() if v} == {k: v for k, v in d.cells if v}, (
                    spec.name
                )
