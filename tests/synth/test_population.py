"""The population generator: its own printed layouts, arithmetic that holds, fonts, the fixed split."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import sys
from collections import Counter

import numpy as np
import pytest

from extract.synth import population, render, wear
from extract.synth.fill import Filler, NumberStyle, fmt_number, misprint
from extract.synth.population import (
    COMBOS,
    SPLITS,
    build_population_document,
    legacy_districts,
    plan_document,
    plan_split,
    split_of,
)
from extract.synth.printed import printed_forms
from extract.synth.scan import QUALITIES, degrade

SMALL_DPI = 100  # truth and arithmetic do not depend on the resolution; small pages are fast


def small_plan(index: int = 0, forms: tuple[str, ...] = ("5B", "7B", "10B"), split: str = "dev"):
    return dataclasses.replace(plan_document(split, index), forms=forms, dpi=SMALL_DPI)


def truth_tables(truth):
    for page in truth["pages"]:
        for t in page["tables"]:
            yield page, t


def form_rows(truth, code):
    rows = [r for _p, t in truth_tables(truth) if t["form"] == code for r in t["rows"]]
    return sorted(rows, key=lambda r: r["row_index"])


# ------------------------------------------------------------------------------------------------
# printed layouts: transcribed from the seed, not from configs/forms


def test_printed_layouts_carry_the_seed_columns_the_reader_config_lacked():
    forms = printed_forms()
    assert set(forms.codes) == {f"{n}B" for n in (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 14)} | {"danh_sach"}
    b7 = forms.form("7B")
    # the seed's 7B rows carry 17 values after the label ("Điều động, chuyển công tác" has two sub-columns)
    assert len(b7.columns) - 2 == 17
    assert [c.header for c in b7.columns if c.header[0].startswith("Điều động")] == [
        ("Điều động, chuyển công tác CB, CC, VC", "Điều động"),
        ("Điều động, chuyển công tác CB, CC, VC", "Chuyển công tác"),
    ]
    b10 = forms.form("10B")
    under3 = [c.header[1] for c in b10.columns if c.header[0] == "Dịch vụ công trực tuyến mức độ 3"]
    assert "Tiếp nhận qua mạng hoặc dịch vụ bưu chính" in under3
    # 5B prints its column numbers as the seed does
    assert [c.number for c in forms.form("5B").columns][2] == "(3)=(4)+(5)"
    assert forms.form("10B").column("vb_di").number == "(3)=(4)+(5)+(6)"


def test_the_generator_never_reads_configs_forms(monkeypatch, tmp_path):
    """Build a document with the reader's form loader broken and every file opened watched."""
    import extract.config as config

    def broken(*_a, **_k):
        raise AssertionError("the population generator called extract.config.load_forms")

    monkeypatch.setattr(config, "load_forms", broken)
    monkeypatch.setattr(config, "DEFAULT_CONFIG_DIR", tmp_path / "absent")
    monkeypatch.setenv("EXTRACT_CONFIGS", str(tmp_path / "absent"))
    opened: list[str] = []
    watching = [True]

    def hook(event, args):
        if watching[0] and event == "open" and args and isinstance(args[0], (str, bytes)):
            opened.append(str(args[0]))

    sys.addaudithook(hook)
    try:
        printed_forms.cache_clear()
        doc = build_population_document(small_plan(1, ("5B", "7B")))
    finally:
        watching[0] = False
    assert [t["form"] for t in doc.truth["tables"]] == ["5B", "7B"]
    assert not [p for p in opened if "configs" in p.replace("\\", "/").split("/")]
    assert any(p.endswith("printed/forms.yaml") for p in opened)


# ------------------------------------------------------------------------------------------------
# values: the arithmetic holds (except the printed errors the truth marks)


def _num(row, key):
    v = row["values"].get(key)
    return v if isinstance(v, int) else 0


def _check_form(code, rows):
    form = printed_forms().form(code)
    bad = []
    for r in rows:
        errs = r.get("printed_errors", {})
        for total, parts in form.sums:
            if total in errs or r["kind"] in ("heading",):
                continue
            if r["values"].get(total) is not None and _num(r, total) != sum(_num(r, p) for p in parts):
                bad.append((r["stt"], total))
        if (
            form.split
            and r["values"].get(form.split[0]) is not None
            and form.split[0] not in errs
            and _num(r, form.split[0]) != sum(_num(r, p) for p in form.split[1])
        ):
            bad.append((r["stt"], "split"))
    if form.body == "units":
        sec = {r["stt"]: r for r in rows if r["kind"] == "section"}
        communes = [r for r in rows if r["kind"] == "commune"]
        units = [r for r in rows if r["kind"] == "unit"]
        for key in form.commune_columns or form.numeric_keys:
            if key not in sec["II"].get("printed_errors", {}):
                assert _num(sec["II"], key) == sum(_num(r, key) for r in communes), (code, key)
        if units:
            for key in form.numeric_keys:
                if key not in sec["I"].get("printed_errors", {}):
                    assert _num(sec["I"], key) == sum(_num(r, key) for r in units), (code, key)
        totals = [r for r in rows if r["kind"] == "total"]
        assert len(totals) == (1 if form.total_labels else 0)
        for t in totals:
            for key in form.numeric_keys:
                if key not in t.get("printed_errors", {}):
                    assert _num(t, key) == _num(sec["I"], key) + _num(sec["II"], key), (code, key)
    if form.body == "fields":
        heads = [i for i, r in enumerate(rows) if r["kind"] == "section"]
        for a, b in zip(heads, heads[1:] + [len(rows)], strict=False):
            for key in form.numeric_keys:
                assert _num(rows[a], key) == sum(_num(r, key) for r in rows[a + 1 : b]), (code, key)
    return bad


@pytest.mark.parametrize("index", range(6))
def test_every_form_s_arithmetic_holds_in_the_values(index):
    forms = printed_forms()
    rng = np.random.default_rng(index)
    district = legacy_districts()[index * 97 % len(legacy_districts())]
    style = NumberStyle("." if index % 2 else "", "" if index % 3 else "0", bool(index % 2))
    filler = Filler(forms, district.communes, rng, style, 2019)
    for form in forms.forms:
        rows = filler.rows(form)
        as_truth = [
            {
                "stt": r.cells[form.index_column],
                "kind": r.kind,
                "values": r.values,
                "printed_errors": r.printed_errors,
            }
            for r in rows
        ]
        assert _check_form(form.code, as_truth) == []
        for r in rows:  # printed text and normalised value agree
            for key in form.numeric_keys:
                v = r.values.get(key)
                if isinstance(v, int):
                    assert r.cells[key] == fmt_number(v, style, form.column(key).type == "signed")
                else:
                    assert r.cells[key] == ""
        if form.body == "units":
            commune_rows = [r for r in rows if r.kind == "commune"]
            assert [r.commune for r in commune_rows] == list(district.communes)
            assert [r.cells[form.label] for r in commune_rows] == [c.name for c in district.communes]


def test_values_cover_negatives_zeros_blanks_and_large_numbers():
    forms = printed_forms()
    seen = Counter()
    for seed in range(8):
        rng = np.random.default_rng(seed)
        filler = Filler(forms, legacy_districts()[seed * 31].communes, rng, NumberStyle(".", "", True), 2020)
        for form in forms.forms:
            for r in filler.rows(form):
                for key in form.numeric_keys:
                    v, text = r.values.get(key), r.cells.get(key)
                    seen["negative"] += isinstance(v, int) and v < 0 and text.startswith("-")
                    seen["zero"] += v == 0
                    seen["blank"] += v is None and text == ""
                    seen["thousands"] += isinstance(v, int) and v >= 1000 and "." in text
                    seen["plus"] += text.startswith("+")
                note = r.cells.get("ghi_chu", "")
                seen["percent"] += note.endswith("%")
    assert all(seen[k] > 0 for k in ("negative", "zero", "blank", "thousands", "plus", "percent")), seen


def test_a_misprint_breaks_exactly_one_rule_and_the_truth_marks_it():
    forms = printed_forms()
    form = forms.form("5B")
    rng = np.random.default_rng(3)
    style = NumberStyle(".", "", False)
    rows = Filler(forms, legacy_districts()[5].communes, rng, style, 2019).rows(form)
    rule = misprint(rows, form, rng, style)
    marked = [(r.cells["stt"], k) for r in rows for k in r.printed_errors]
    assert rule and len(marked) == 1
    as_truth = [
        {"stt": r.cells["stt"], "kind": r.kind, "values": r.values, "printed_errors": {}} for r in rows
    ]
    try:  # without the mark, a rule fails: a row sum, or a section/total rule (which asserts)
        broken = bool(_check_form("5B", as_truth))
    except AssertionError:
        broken = True
    assert broken


# ------------------------------------------------------------------------------------------------
# documents: determinism, truth per printed cell


def test_a_document_is_deterministic_and_its_truth_lists_every_printed_cell():
    plan = small_plan(2, ("danh_sach", "6B", "14B"))
    a, b = build_population_document(plan), build_population_document(plan)
    assert json.dumps(a.truth, sort_keys=True) == json.dumps(b.truth, sort_keys=True)
    assert [hashlib.sha256(s.image.tobytes()).hexdigest() for s in a.scans] == [
        hashlib.sha256(s.image.tobytes()).hexdigest() for s in b.scans
    ]
    other = build_population_document(small_plan(3, ("danh_sach", "6B", "14B")))
    assert other.truth["document"] != a.truth["document"]

    truth = a.truth
    assert truth["document"]["district_code"] == plan.district.code
    assert truth["generator"]["font"] == plan.font
    codes = {c["code"]: c["name"] for c in truth["document"]["communes"]}
    for _page, t in truth_tables(truth):
        info = {c["key"]: c for c in t["column_info"]}
        assert [c["position"] for c in t["column_info"]] == list(range(1, len(info) + 1))
        for r in t["rows"]:
            assert set(r["cells"]) == set(info) == set(r["values"]) == set(r["boxes"])
            if r["commune_code"]:
                assert codes[r["commune_code"]] == r["commune_name"] == r["label"]
    rows6 = form_rows(truth, "6B")
    assert [(r["stt"], r["kind"]) for r in rows6][:3] == [
        ("I", "section"),
        ("II", "section"),
        ("1", "commune"),
    ]
    assert sum(r["kind"] == "commune" for r in rows6) == len(plan.district.communes)
    staff = form_rows(truth, "danh_sach")
    assert all(r["values"]["ho_ten"] for r in staff)
    for r in staff:
        contact = r["cells"]["lien_he"]
        assert "@example.com" in contact or contact.replace(" ", "").replace("SĐT:", "").isdigit(), contact


def test_long_tables_continue_over_pages_and_landscape_is_used():
    plan = dataclasses.replace(small_plan(4, ("4B", "7B")), table_pt=14.0)
    truth = build_population_document(plan).truth
    parts = Counter(t["form"] for _p, t in truth_tables(truth))
    assert parts["4B"] >= 2
    assert any(t["continued_from_previous_page"] for _p, t in truth_tables(truth))
    assert {p["orientation"] for p in truth["pages"] if p["tables"]} >= {"landscape"}


# ------------------------------------------------------------------------------------------------
# fonts


@pytest.mark.parametrize("family", render.VIETNAMESE_SERIF_FAMILIES)
def test_every_font_family_draws_vietnamese(family):
    paths = render.family_paths(family)
    assert paths is not None, (
        f"{family} is not installed with Vietnamese letters (scripts/setup.sh installs it)"
    )
    with render.using_family(family):
        fnt = render.font("regular", 40)
        notdef = bytes(fnt.getmask("\uffff"))
        for ch in "ĐăkMônHưngHóaỹựẫ":
            assert bytes(fnt.getmask(ch)) != notdef, (family, ch)
    widths = {
        f: render.font("regular", 40, f).getlength("Xã Đăk Môn 1.582")
        for f in render.VIETNAMESE_SERIF_FAMILIES
    }
    assert len(set(round(w) for w in widths.values())) == len(widths)  # four different faces


# ------------------------------------------------------------------------------------------------
# the split


def test_the_split_is_fixed_disjoint_and_covers_the_population():
    test, dev = plan_split("test"), plan_split("dev")
    assert [p.seed for p in test] == [SPLITS["test"].base + i for i in range(SPLITS["test"].documents)]
    assert plan_split("test") == test  # deterministic
    assert {p.district.code for p in test}.isdisjoint({p.district.code for p in dev})
    assert all(split_of(p.district.code) == "test" for p in test)
    assert len({p.district.code for p in test}) >= 20
    assert {c for p in test for c in p.forms} == set(printed_forms().codes)
    assert {p.font for p in test} == set(render.VIETNAMESE_SERIF_FAMILIES)
    assert {(p.quality, p.dpi) for p in test} == set(COMBOS)
    assert {p.dpi for p in test} == {150, 200, 300}
    provinces = {d.province_code for d in legacy_districts()}
    assert len(provinces) == 63
    both = {d.province_code for name in ("dev", "test") for d in population.split_districts(name)}
    assert both == provinces  # the population spans all 63 provinces


# ------------------------------------------------------------------------------------------------
# worn scans


def _ruled_page(dpi=200):
    img = np.full((800, 600), 255, np.uint8)
    for y in range(100, 700, 60):
        img[y : y + 2, 50:550] = 0
    for x in range(50, 551, 100):
        img[100:702, x : x + 2] = 0
    img[130:140, 70:90] = 0  # a "letter"
    return img


def test_rule_gaps_erase_5_to_40_mm_of_ruling_lines_only():
    img = _ruled_page()
    darkness = (255.0 - img.astype(np.float32)) / 255.0
    out, boxes = wear.rule_gaps(darkness, 200, 6, (5.0, 40.0), np.random.default_rng(1))
    assert len(boxes) == 6
    assert out.sum() < darkness.sum()
    assert out[130:140, 70:90].min() == 1.0  # the letter is untouched
    for x0, y0, x1, y1 in boxes:
        length_mm = max(x1 - x0, y1 - y0) / 200 * 25.4
        assert 4.0 <= length_mm <= 41.0


def test_worn_and_fax_levels_damage_the_page_and_plain_levels_scan_as_before():
    img = _ruled_page()
    worn = QUALITIES["worn"].model_copy(
        update={"seal_prob": 1.0, "signature_prob": 1.0, "binding_shadow_prob": 1.0}
    )
    scan = degrade(img, 200, worn, 5)
    assert set(scan.wear) >= {"rule_gaps", "seal", "signature", "curl", "binding_shadow"}
    fax = degrade(img, 150, "fax", 5)
    assert fax.bilevel and set(np.unique(fax.image)) <= {0, 255}
    hard = degrade(img, 200, "hard", 5)
    assert hard.wear == {}
