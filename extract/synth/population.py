"""The population of reports: any legacy district, any of four serif fonts, worn scans, with truth.

``python -m extract.synth.population --split test --out DIR [--limit N] [--pages N]`` writes the
documents of a split as image-only PDFs with ``<stem>.truth.json`` beside each, and
``DIR/split.json`` listing them.

Independent of the reader: the printed layouts are :mod:`extract.synth.printed`'s (transcribed
from the seed report), the values :mod:`extract.synth.fill`'s, the districts and communes
``vietnamadminunits``' legacy (pre-2025) table; nothing here reads ``configs/forms/``.

The split is fixed.  Every legacy district with at least :data:`MIN_COMMUNES` communes belongs
to one split by a hash of its official code (:func:`split_of`), so no district of the test split
is ever seen while tuning on the dev split.  Document ``i`` of a split draws everything (district,
forms, font, size, layout, values, scan damage) from the seed ``SPLITS[split].base + i``; its
quality and resolution cycle through :data:`COMBOS`.  The same split, index and code version give
the same bytes.
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import json
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from . import render
from .build import BuiltDocument, header_truth, page_truth, placement_truth, write_document
from .fill import Commune, Filler, GenRow, NumberStyle, fmt_number, misprint
from .printed import PrintedForm, PrintedForms, printed_forms
from .render import DocumentInfo, FormContent, FormRow, LayoutOptions, RenderedTable
from .scan import QUALITIES, degrade

TRUTH_VERSION = 1
MIN_COMMUNES = 4  # a district with fewer communes makes no commune table worth the name


@dataclass(frozen=True)
class Split:
    name: str
    base: int  # seed of document 0
    documents: int  # documents in the split
    forms_per_document: int  # annex forms per document (the cover page comes on top)


SPLITS: dict[str, Split] = {
    "dev": Split("dev", 910_000, 40, 7),
    "test": Split("test", 920_000, 28, 7),
}

#: (quality, dpi) of document i is COMBOS[i % len(COMBOS)].  "hard" prints worn and scans hard
#: (scan level "worn": rule gaps of 5-40 mm, faded toner, speckle, seals and signatures over
#: cells, binding shadow, page curl); "fax" is a 150-dpi bilevel fax.
COMBOS: tuple[tuple[str, int], ...] = (
    ("clean", 300),
    ("mild", 300),
    ("hard", 300),
    ("mild", 200),
    ("hard", 200),
    ("fax", 150),
    ("clean", 200),
)
SCAN_LEVEL = {"clean": "clean", "mild": "mild", "hard": "worn", "fax": "fax"}
TABLE_PT = (10.0, 11.0, 12.0, 13.0, 14.0)
MISPRINT_SHARE = 0.25  # share of documents with one printed arithmetic error


# ------------------------------------------------------------------------------------------------
# districts


@dataclass(frozen=True)
class District:
    code: str
    name: str  # "Huyện Tam Nông"
    short: str  # "Tam Nông"
    kind: str  # "Huyện", "Quận", "Thị xã", "Thành phố"
    province: str  # "Tỉnh Phú Thọ"
    province_code: str
    communes: tuple[Commune, ...]


@functools.lru_cache(maxsize=1)
def legacy_districts() -> tuple[District, ...]:
    """Every legacy district of the 63 provinces with its communes (official names and codes)."""
    from vietnamadminunits.database import query

    rows = query(
        "select province, provinceCode, district, districtShort, districtType, districtCode, ward, wardCode "
        "from admin_units_legacy order by provinceCode, districtCode, wardCode"
    )
    by: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        if r["ward"] and r["district"]:
            by.setdefault(str(r["districtCode"]), []).append(r)
    out = []
    for code, wards in by.items():
        r0 = wards[0]
        out.append(
            District(
                code=code,
                name=str(r0["district"]),
                short=str(r0["districtShort"]),
                kind=str(r0["districtType"]),
                province=str(r0["province"]),
                province_code=str(r0["provinceCode"]),
                communes=tuple(Commune(str(w["wardCode"]), str(w["ward"])) for w in wards),
            )
        )
    return tuple(out)


def split_of(district_code: str) -> str:
    """The split a district belongs to, fixed by a hash of its official code."""
    return "test" if hashlib.sha256(f"bcubnd:{district_code}".encode()).digest()[0] % 2 else "dev"


def split_districts(split: str) -> tuple[District, ...]:
    return tuple(
        d for d in legacy_districts() if len(d.communes) >= MIN_COMMUNES and split_of(d.code) == split
    )


# ------------------------------------------------------------------------------------------------
# one document's plan


@dataclass(frozen=True)
class DocumentPlan:
    split: str
    index: int
    seed: int
    quality: str
    dpi: int
    district: District
    forms: tuple[str, ...]
    font: str
    table_pt: float
    year: int

    @property
    def stem(self) -> str:
        return f"{self.split}_{self.index:03d}_{self.quality}_{self.dpi}"


def plan_document(split: str, index: int) -> DocumentPlan:
    """Document ``index`` of ``split``: everything drawn from the split's seed for it."""
    spec = SPLITS[split]
    seed = spec.base + index
    rng = np.random.default_rng(seed)
    districts = split_districts(split)
    district = districts[int(rng.integers(0, len(districts)))]
    codes = printed_forms().codes
    # a sliding window over the forms, so every form appears as often as the others
    start = (index * spec.forms_per_document) % len(codes)
    forms = tuple(
        sorted({codes[(start + j) % len(codes)] for j in range(spec.forms_per_document)}, key=codes.index)
    )
    quality, dpi = COMBOS[index % len(COMBOS)]
    family = render.VIETNAMESE_SERIF_FAMILIES[index % len(render.VIETNAMESE_SERIF_FAMILIES)]
    return DocumentPlan(
        split=split,
        index=index,
        seed=seed,
        quality=quality,
        dpi=dpi,
        district=district,
        forms=forms,
        font=family,
        table_pt=float(rng.choice(TABLE_PT)),
        year=int(rng.integers(2016, 2025)),
    )


def plan_split(split: str, limit: int | None = None) -> list[DocumentPlan]:
    """The documents of ``split`` in order (the first ``limit`` when given)."""
    n = SPLITS[split].documents if limit is None else min(limit, SPLITS[split].documents)
    return [plan_document(split, i) for i in range(n)]


# ------------------------------------------------------------------------------------------------
# content


def _document_info(plan: DocumentPlan, rng: np.random.Generator) -> DocumentInfo:
    d = plan.district
    number = f"{int(rng.integers(10, 900))}/BC-UBND"
    month, day = int(rng.integers(6, 13)), int(rng.integers(1, 29))
    date = f"{plan.year}-{month:02d}-{day:02d}"
    unit = f"{d.kind.lower()} {d.short}"
    paragraphs = (
        f"Thực hiện Công văn số {int(rng.integers(100, 2000))}/SNV-CCHC của Giám đốc Sở Nội vụ "
        f"{d.province[0].lower()}{d.province[1:]} về việc hướng dẫn xây dựng báo cáo định kỳ công tác cải "
        f"cách hành chính, Ủy ban nhân dân {unit} báo cáo kết quả thực hiện công tác cải cách hành chính "
        f"(CCHC) năm {plan.year} và phương hướng, nhiệm vụ năm {plan.year + 1}, cụ thể như sau:",
        f"Trong năm {plan.year}, Bộ phận một cửa {unit} tiếp nhận tổng số "
        f"{fmt_number(int(rng.integers(1000, 9000)), NumberStyle('.', '0', False))} hồ sơ, kết quả giải "
        f"quyết đúng hạn đạt tỷ lệ {str(round(float(rng.uniform(95, 99.9)), 1)).replace('.', ',')}%.",
        f"Ủy ban nhân dân {unit} tiếp tục chỉ đạo các phòng, ban chuyên môn và Ủy ban nhân dân các xã, "
        f"thị trấn đẩy mạnh công tác cải cách hành chính, tăng cường kỷ luật, kỷ cương hành chính.",
        "(Đính kèm các Biểu mẫu " + ", ".join(c for c in plan.forms if c != "danh_sach") + ").",
    )
    return DocumentInfo(
        number=number,
        date=date,
        place=d.short,
        district=d.name,
        province=d.province,
        issuer=f"ỦY BAN NHÂN DÂN {d.kind.upper()} {d.short.upper()}",
        subtitle=(
            f"Tình hình, kết quả thực hiện cải cách hành chính năm {plan.year} trên địa bàn {unit}, "
            f"phương hướng, nhiệm vụ năm {plan.year + 1}"
        ),
        year=plan.year,
        recipients=("Sở Nội vụ (phòng CCHC);", "Lưu: VT (VP)."),
        paragraphs=paragraphs,
    )


def _reference(info: DocumentInfo, plan: DocumentPlan) -> str:
    y, m, d = info.date.split("-")
    unit = f"{plan.district.kind.lower()} {plan.district.short}"
    return (
        f"(Kèm theo Báo cáo số {info.number} ngày {int(d)} tháng {int(m)} năm {y} của Ủy ban nhân dân {unit})"
    )


def _form_title(form: PrintedForm, plan: DocumentPlan, rng: np.random.Generator) -> str:
    unit = f"{plan.district.kind.lower()} {plan.district.short}"
    return form.title + (f" trên địa bàn {unit}" if rng.random() < 0.5 else "")


def _layout(plan: DocumentPlan, forms: PrintedForms, rng: np.random.Generator) -> LayoutOptions:
    widest = max(len(forms.form(c).columns) for c in plan.forms)
    jitter = tuple(float(v) for v in rng.uniform(1.0, 1.5, size=widest))
    return LayoutOptions(
        number_align="center" if rng.random() < 0.6 else "right",
        default_form_code_align="right" if rng.random() < 0.6 else "center",
        column_numbers=bool(rng.random() < 0.5),
        font_family=plan.font,
        table_pt=plan.table_pt,
        width_jitter=jitter,
        orientation="landscape" if rng.random() < 0.3 else None,
    )


def build_population_document(plan: DocumentPlan) -> BuiltDocument:
    """Render and scan one planned document; the truth lists every printed cell."""
    forms = printed_forms()
    rng = np.random.default_rng([plan.seed, 1])
    info = _document_info(plan, rng)
    style = NumberStyle(
        thousands="." if rng.random() < 0.75 else "",
        zero="" if rng.random() < 0.5 else "0",
        plus_sign=bool(rng.random() < 0.3),
    )
    filler = Filler(forms, plan.district.communes, rng, style, plan.year)
    rows: dict[str, list[GenRow]] = {code: filler.rows(forms.form(code)) for code in plan.forms}
    misprinted = []
    if rng.random() < MISPRINT_SHARE:
        candidates = [c for c in plan.forms if forms.form(c).body == "units" and forms.form(c).total_labels]
        if candidates:
            code = candidates[int(rng.integers(0, len(candidates)))]
            rule = misprint(rows[code], forms.form(code), rng, style)
            if rule:
                misprinted.append({"form": code, "rule": rule})
    contents = tuple(
        FormContent(
            code=code,
            reference=_reference(info, plan),
            rows=tuple(FormRow(tuple(r.cells.items()), r.bold) for r in rows[code]),
            title=_form_title(forms.form(code), plan, rng),
        )
        for code in plan.forms
    )
    layout = _layout(plan, forms, rng)
    report = render.ReportData(info, contents)
    pages = _render(report, [forms.form(c) for c in plan.forms], plan, layout)

    params = QUALITIES[SCAN_LEVEL[plan.quality]]
    scans = []
    for i, page in enumerate(pages):
        page_seed = int(np.random.SeedSequence([plan.seed, 7, i]).generate_state(1)[0])
        scans.append(degrade(page.image, plan.dpi, params, page_seed))
    truth = _truth(plan, info, pages, scans, rows, forms, style, layout, misprinted)
    return BuiltDocument(scans, truth, params.jpeg_quality or 90)


def _render(
    report: render.ReportData, specs: Sequence[PrintedForm], plan: DocumentPlan, options: LayoutOptions
) -> list[render.RenderedPage]:
    """Render the cover then the forms; forms that always print their column numbers (5B) get
    them whatever the layout says (rendered in one flow, so forms still share pages)."""
    if options.column_numbers or not any(s.numbers_always for s in specs):
        return render.render_document(report, specs, float(plan.dpi), options)
    numbered = [_Numbered(s) if not s.numbers_always else s for s in specs]
    return render.render_document(
        report, numbered, float(plan.dpi), render.with_options(options, column_numbers=True)
    )


class _Numbered:
    """A form seen without column numbers (so the renderer prints no number row for it)."""

    def __init__(self, form: PrintedForm) -> None:
        self._form = form
        self.code, self.title, self.heading = form.code, form.title, form.heading
        self.columns = tuple(_Unnumbered(c) for c in form.columns)


class _Unnumbered:
    def __init__(self, column: Any) -> None:
        self.key, self.header, self.type, self.number = column.key, column.header, column.type, None


# ------------------------------------------------------------------------------------------------
# truth


def _box(b: Any) -> list[int]:
    return list(b.as_tuple())


def _table_truth(
    t: RenderedTable, form: PrintedForm, rows: Sequence[GenRow], printed_numbers: bool
) -> dict[str, Any]:
    columns = [
        {
            "key": c.key,
            "header_path": list(c.header),
            "header_text": c.header_text,
            "number": c.number,
            "number_printed": printed_numbers,
            "position": c.position,
            "type": c.type,
        }
        for c in form.columns
    ]
    out_rows = []
    for r in t.rows:
        g = rows[r.row_index]
        row: dict[str, Any] = {
            "row_index": r.row_index,
            "grid_row": r.cells[0].row,
            "kind": g.kind,
            "stt": g.cells.get(form.index_column, ""),
            "label": g.cells.get(form.label, ""),
            "commune_code": g.commune.code if g.commune else None,
            "commune_name": g.commune.name if g.commune else None,
            "bold": r.bold,
            "cells": {c.key: c.text for c in r.cells},
            "values": {c.key: g.values.get(c.key) if c.key is not None else None for c in r.cells},
            "boxes": {c.key: _box(c.box) for c in r.cells},
        }
        if g.printed_errors:
            row["printed_errors"] = dict(g.printed_errors)
        out_rows.append(row)
    return {
        **placement_truth(t),
        "orientation": t.orientation,
        "header_rows": t.header_rows,
        "columns": [c.key for c in form.columns],
        "column_info": columns,
        "header_paths": [list(c.header) for c in form.columns],
        "header_cells": header_truth(t),
        "rows": out_rows,
    }


def _truth(
    plan: DocumentPlan,
    info: DocumentInfo,
    pages: Sequence[render.RenderedPage],
    scans: Sequence[Any],
    rows: dict[str, list[GenRow]],
    forms: PrintedForms,
    style: NumberStyle,
    layout: LayoutOptions,
    misprinted: list[dict[str, str]],
) -> dict[str, Any]:
    d = plan.district
    truth_pages = []
    for i, (page, scan) in enumerate(zip(pages, scans, strict=False)):
        numbered = {c: layout.column_numbers or forms.form(c).numbers_always for c in plan.forms}
        truth_pages.append(
            {
                **page_truth(i, page, scan, plan.quality, plan.dpi),
                "wear": scan.wear,
                "tables": [
                    _table_truth(t, forms.form(t.form_code), rows[t.form_code], numbered[t.form_code])
                    for t in page.tables
                ],
            }
        )
    tables = []
    for ti, code in enumerate(plan.forms):
        parts = [p["index"] for p in truth_pages for t in p["tables"] if t["table_index"] == ti]
        tables.append({"table_index": ti, "form": code, "pages": parts, "rows": len(rows[code])})
    return {
        "generator": {
            "name": "extract.synth.population",
            "truth_version": TRUTH_VERSION,
            "split": plan.split,
            "index": plan.index,
            "seed": plan.seed,
            "font": plan.font,
            "table_pt": plan.table_pt,
            "quality": plan.quality,
            "scan_level": SCAN_LEVEL[plan.quality],
            "scan_params": QUALITIES[SCAN_LEVEL[plan.quality]].model_dump(),
            "dpi": plan.dpi,
            "number_style": {"thousands": style.thousands, "zero": style.zero, "plus_sign": style.plus_sign},
            "layout": {
                "number_align": layout.number_align,
                "column_numbers": layout.column_numbers,
                "orientation": layout.orientation,
            },
            "printed_errors": misprinted,
        },
        "name": plan.stem,
        "document": {
            "number": info.number,
            "date": info.date,
            "year": info.year,
            "place": info.place,
            "district": d.name,
            "district_code": d.code,
            "province": d.province,
            "province_code": d.province_code,
            "issuer": info.issuer,
            "title": info.title,
            "subtitle": info.subtitle,
            "communes": [{"code": c.code, "name": c.name} for c in d.communes],
        },
        "page_count": len(pages),
        "tables": tables,
        "pages": truth_pages,
    }


# ------------------------------------------------------------------------------------------------
# the command


def write_split(
    split: str, out: str | Path, limit: int | None = None, pages: int | None = None, log: Any = None
) -> list[dict[str, Any]]:
    """Write the documents of ``split`` (the first ``limit``; or as many as reach ``pages`` pages)
    as ``<out>/<stem>.pdf`` + truth; return the manifest written to ``<out>/split.json``."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    manifest = []
    total = 0
    for plan in plan_split(split, limit):
        if pages is not None and total >= pages:
            break
        t0 = time.perf_counter()
        doc = build_population_document(plan)
        path = out / f"{plan.stem}.pdf"
        write_document(doc, path)
        total += len(doc.scans)
        manifest.append(
            {
                "file": path.name,
                "truth": path.with_name(path.stem + ".truth.json").name,
                "split": split,
                "index": plan.index,
                "seed": plan.seed,
                "quality": plan.quality,
                "dpi": plan.dpi,
                "district": plan.district.name,
                "district_code": plan.district.code,
                "province": plan.district.province,
                "font": plan.font,
                "table_pt": plan.table_pt,
                "forms": list(plan.forms),
                "pages": len(doc.scans),
            }
        )
        if log:
            log(
                f"{path.name}: {len(doc.scans)} pages, {plan.district.name} ({plan.district.province}), "
                f"{plan.font} {plan.table_pt:g} pt, {time.perf_counter() - t0:.1f} s"
            )
    (out / "split.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    return manifest


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m extract.synth.population",
        description="Write a fixed split of generated BC-UBND reports (PDF + truth JSON).",
    )
    parser.add_argument("--split", choices=sorted(SPLITS), required=True)
    parser.add_argument("--out", required=True, help="folder for the PDFs, truths and split.json")
    parser.add_argument("--limit", type=int, help="only the first N documents")
    parser.add_argument("--pages", type=int, help="stop once this many pages are written")
    args = parser.parse_args(argv)

    def log(msg: str) -> None:
        print(msg, file=sys.stderr, flush=True)

    manifest = write_split(args.split, args.out, args.limit, args.pages, log)
    print(f"{len(manifest)} documents, {sum(m['pages'] for m in manifest)} pages in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
