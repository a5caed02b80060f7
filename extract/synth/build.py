"""Build real-looking scanned reports with ground truth: content file -> pages -> scans -> files.

``build_document`` renders a report (or some of its forms), optionally damages digits of chosen
cells, degrades every page at a quality level and returns the scanned pages with their ground
truth.  ``write_document`` saves them as an image-only PDF, a multi-page TIFF or PNG/JPEG pages,
with ``<stem>.truth.json`` beside.  ``build_samples`` regenerates the committed ``samples/``.

Ground truth coordinates are pixels of the *clean* page (before skew and rotation) at the page's
DPI; each page records ``transform``, the 3x3 matrix mapping them onto the scanned image
(:func:`extract.synth.scan.map_box` applies it to a box).  Everything is deterministic by seed.
"""

from __future__ import annotations

import functools
import json
import time
import unicodedata
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
import yaml
from PIL import Image

from ..config import FormSpec, load_forms
from ..errors import ConfigError
from . import render
from .render import (
    DocumentInfo,
    FormContent,
    FormRow,
    LayoutOptions,
    RenderedCell,
    RenderedPage,
    RenderedTable,
    ReportData,
)
from .scan import QUALITIES, Scan, ScanParams, degrade, quality_params

DEFAULT_DATA = Path(__file__).resolve().parent / "data" / "ke_sach_2019.yaml"
TRUTH_VERSION = 1
PDF_JPEG_QUALITY_CLEAN = 80  # JPEG quality of clean pages inside PDFs/TIFFs
DAMAGE_ERASE_SHARE = (0.45, 0.65)  # share of a damaged digit's height that is wiped out
ROW_META_KEYS = frozenset({"bold"})
DamageStyle = Literal["erase", "smudge"]


# ------------------------------------------------------------------------------------------------
# content file


def _text(value: Any, where: str) -> str:
    if value is None:
        return ""
    if isinstance(value, (bool, float)):
        raise ConfigError(
            f"{where}: {value!r} must be quoted text (a YAML float or bool loses its printed form)"
        )
    return str(value)


def load_report(path: str | Path = DEFAULT_DATA) -> ReportData:
    """Read a report content file (``document:`` metadata and prose, ``forms:`` with printed rows)."""
    path = Path(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(f"{path}: report content file not found") from exc
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: invalid YAML: {exc}") from exc
    if not isinstance(raw, dict) or "document" not in raw or "forms" not in raw:
        raise ConfigError(f"{path}: expected a mapping with 'document' and 'forms'")
    d = raw["document"]
    need = ("number", "date", "place", "district", "province", "issuer")
    missing = [k for k in need if not d.get(k)]
    if missing:
        raise ConfigError(f"{path}: document lacks {missing}")
    doc = DocumentInfo(
        number=_text(d["number"], "document.number"),
        date=_text(d["date"], "document.date"),
        place=_text(d["place"], "document.place"),
        district=_text(d["district"], "document.district"),
        province=_text(d["province"], "document.province"),
        issuer=_text(d["issuer"], "document.issuer"),
        title=_text(d.get("title", "BÁO CÁO"), "document.title"),
        subtitle=_text(d.get("subtitle", ""), "document.subtitle"),
        year=int(d["year"]) if d.get("year") is not None else None,
        recipients=tuple(_text(r, "document.recipients") for r in d.get("recipients") or ()),
        paragraphs=tuple(_text(p, "document.paragraphs") for p in d.get("paragraphs") or ()),
        signer_title=tuple(d.get("signer_title") or DocumentInfo.signer_title),
        signer=d.get("signer"),
    )
    forms = []
    for i, f in enumerate(raw["forms"] or ()):
        where = f"{path}: forms[{i}]"
        if not isinstance(f, dict) or "code" not in f:
            raise ConfigError(f"{where}: each form needs a code")
        rows = []
        for j, r in enumerate(f.get("rows") or ()):
            if not isinstance(r, dict):
                raise ConfigError(f"{where}.rows[{j}]: expected a mapping of column key to printed text")
            cells = tuple(
                (str(k), _text(v, f"{where}.rows[{j}].{k}")) for k, v in r.items() if k not in ROW_META_KEYS
            )
            rows.append(FormRow(cells, bool(r.get("bold", False))))
        forms.append(
            FormContent(
                code=str(f["code"]),
                reference=_text(f.get("reference", ""), f"{where}.reference"),
                rows=tuple(rows),
                title=_text(f["title"], f"{where}.title") if f.get("title") else None,
            )
        )
    codes = [f.code for f in forms]
    if len(set(codes)) != len(codes):
        raise ConfigError(f"{path}: duplicate form codes in {codes}")
    return ReportData(doc, tuple(forms))


def check_report(report: ReportData, forms: Sequence[FormSpec]) -> list[str]:
    """Problems of the content against the form declarations (unknown forms or column keys)."""
    specs = {f.code: f for f in forms}
    problems = []
    for content in report.forms:
        spec = specs.get(content.code)
        if spec is None:
            problems.append(f"form {content.code}: not declared in configs/forms")
            continue
        keys = {c.key for c in spec.columns}
        for j, row in enumerate(content.rows):
            unknown = [k for k, _ in row.cells if k not in keys]
            if unknown:
                problems.append(f"form {content.code} row {j}: unknown column keys {unknown}")
    return problems


# ------------------------------------------------------------------------------------------------
# administrative units (vietnamadminunits, offline)


def _norm(name: str) -> str:
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())


def _sql_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


@functools.lru_cache(maxsize=8)
def admin_units(province: str, district: str) -> tuple[dict[str, str], dict[str, tuple[str, str]]]:
    """Codes of a legacy (pre-2025) district: ``({"province_code", "district_code"}, {normalised
    commune name: (code, official name)})`` from ``vietnamadminunits``' offline database."""
    from vietnamadminunits.database import query

    rows = query(
        "select ward, wardCode, districtCode, provinceCode from admin_units_legacy "
        f"where province = {_sql_text(province)} and district = {_sql_text(district)}"
    )
    if not rows:
        return {}, {}
    codes = {"province_code": str(rows[0]["provinceCode"]), "district_code": str(rows[0]["districtCode"])}
    return codes, {_norm(r["ward"]): (str(r["wardCode"]), str(r["ward"])) for r in rows}


def commune_of(label: str, province: str, district: str) -> tuple[str, str] | None:
    """(official code, official name) when ``label`` is the full name of a commune of the district."""
    return admin_units(province, district)[1].get(_norm(label))


# ------------------------------------------------------------------------------------------------
# damage


@dataclass(frozen=True)
class Damage:
    """A digit made hard to read: where, which character, how."""

    form_code: str
    row_index: int
    column_key: str
    char_index: int  # index in the cell's printed text
    char: str
    style: DamageStyle
    box: tuple[int, int, int, int]  # clean-page pixels of the damaged glyph


def _find_cell(
    pages: Sequence[RenderedPage], form_code: str, row_index: int, key: str
) -> tuple[int, RenderedCell]:
    for i, page in enumerate(pages):
        for t in page.tables:
            if t.form_code != form_code:
                continue
            for r in t.rows:
                if r.row_index == row_index:
                    return i, r.cell(key)
    raise KeyError(f"no printed cell ({form_code!r}, row {row_index}, {key!r})")


def damage_cell(
    image: np.ndarray, cell: RenderedCell, rng: np.random.Generator, style: DamageStyle = "erase"
) -> tuple[np.ndarray, int, str, tuple[int, int, int, int]]:
    """Damage one digit of ``cell`` on a copy of the clean page ``image``.

    ``erase`` wipes the top or bottom 45-65 % of the glyph (as a worn or folded print); ``smudge``
    covers most of it with a gray blot.  Returns the new image, the digit's index in the cell text,
    the digit and its box.
    """
    spots = []
    offset = 0
    for run_i, run in enumerate(cell.runs):
        pos = cell.text.find(run.text, offset) if run.text else -1
        for ci, ch in enumerate(run.text):
            if ch.isdigit():
                spots.append((run_i, ci, (pos + ci) if pos >= 0 else ci))
        if pos >= 0:
            offset = pos + len(run.text)
    if not spots:
        raise ValueError(f"cell {cell.key!r} ({cell.text!r}) has no digit to damage")
    run_i, ci, text_index = spots[int(rng.integers(0, len(spots)))]
    run = cell.runs[run_i]
    g = run.char_box(ci)
    out = image.copy()
    x0, x1 = max(g.x0 - 1, 0), min(g.x1 + 1, out.shape[1])
    if style == "erase":
        share = rng.uniform(*DAMAGE_ERASE_SHARE)
        cut = round(g.height * float(share))
        if rng.random() < 0.5:
            y0, y1 = g.y0 - 1, g.y0 + cut
        else:
            y0, y1 = g.y1 - cut, g.y1 + 1
        out[max(y0, 0) : y1, x0:x1] = 255
    else:
        cy, cx = (g.y0 + g.y1) / 2, (g.x0 + g.x1) / 2
        yy, xx = np.mgrid[0 : out.shape[0], 0 : out.shape[1]]
        ry, rx = g.height * 0.45, g.width * 0.7
        blot = ((yy - cy) / ry) ** 2 + ((xx - cx) / rx) ** 2 <= 1.0
        level = rng.uniform(110, 150)
        out = np.where(blot, np.minimum(out, level), out).astype(np.uint8)
    return out, text_index, run.text[ci], g.as_tuple()


# ------------------------------------------------------------------------------------------------
# building a document


@dataclass(eq=False)
class BuiltDocument:
    """Scanned pages and their ground truth (a JSON-ready dict)."""

    scans: list[Scan]
    truth: dict[str, Any]
    jpeg_quality: int


def layout_for_seed(seed: int, codes: Sequence[str]) -> LayoutOptions:
    """Typist's choices drawn from ``seed``: where "Biểu mẫu NB" sits, how numbers align."""
    rng = np.random.default_rng([seed, 7])
    aligns: dict[str, Literal["right", "center"]] = {
        code: ("right" if rng.random() < 0.6 else "center") for code in codes
    }
    number_align: Literal["right", "center"] = "center" if rng.random() < 0.7 else "right"
    return LayoutOptions(form_code_align=aligns, number_align=number_align)


def _box(b: Any) -> list[int]:
    return list(b.as_tuple())


def header_truth(t: RenderedTable) -> list[dict[str, Any]]:
    """The printed header cells of a table piece (the column-number row's marked as such)."""
    depth = max(len(p) for p in t.header_paths)
    return [
        {
            "text": c.text,
            "row": c.row,
            "col": c.col,
            "row_span": c.row_span,
            "col_span": c.col_span,
            "key": c.key,
            "role": "column_number" if c.row >= depth else "header",
            "box": _box(c.box),
        }
        for c in t.header_cells
    ]


def placement_truth(t: RenderedTable) -> dict[str, Any]:
    """Where a table piece is: its form, part, page position and grid."""
    return {
        "form": t.form_code,
        "table_index": t.table_index,
        "part": t.part,
        "index_on_page": t.index_on_page,
        "continued_from_previous_page": t.continued_from_previous_page,
        "continues_on_next_page": t.continues_on_next_page,
        "box": _box(t.box),
        "grid": {"row_edges": list(t.row_edges), "col_edges": list(t.col_edges)},
    }


def page_truth(index: int, page: RenderedPage, scan: Scan, quality: str, dpi: float) -> dict[str, Any]:
    """What the truth says of a scanned page besides its tables: size, geometry, printed lines."""
    return {
        "index": index,
        "kind": page.kind,
        "orientation": page.orientation,
        "quality": quality,
        "dpi": dpi,
        "width": int(page.image.shape[1]),
        "height": int(page.image.shape[0]),
        "scan_width": int(scan.image.shape[1]),
        "scan_height": int(scan.image.shape[0]),
        "rotation": scan.rotation,
        "skew_deg": round(scan.skew_deg, 4),
        "transform": [[round(float(v), 6) for v in row] for row in scan.transform],
        "bilevel": scan.bilevel,
        "lines": [{"text": ln.text, "role": ln.role, "box": _box(ln.box)} for ln in page.lines],
    }


def _table_truth(
    t: RenderedTable, report: ReportData, spec: FormSpec, damaged: dict[tuple[str, int, str], Damage]
) -> dict[str, Any]:
    doc = report.document
    content = report.form(t.form_code)
    header = header_truth(t)
    rows = []
    for r in t.rows:
        data = content.rows[r.row_index]
        label = data.text(spec.label_column)
        commune = commune_of(label, doc.province, doc.district) if label else None
        row: dict[str, Any] = {
            "row_index": r.row_index,
            "grid_row": r.cells[0].row,
            "stt": data.text(spec.index_column) if spec.index_column else None,
            "label": label,
            "commune_code": commune[0] if commune else None,
            "commune_name": commune[1] if commune else None,
            "bold": r.bold,
            "cells": {c.key: c.text for c in r.cells},
            "boxes": {c.key: _box(c.box) for c in r.cells},
        }
        hurt = {k: d for (f, i, k), d in damaged.items() if f == t.form_code and i == r.row_index}
        if hurt:
            row["damaged"] = {
                k: {"char_index": d.char_index, "char": d.char, "style": d.style, "box": list(d.box)}
                for k, d in hurt.items()
            }
        rows.append(row)
    return {
        **placement_truth(t),
        "header_rows": t.header_rows,
        "columns": list(t.column_keys),
        "header_paths": [list(p) for p in t.header_paths],
        "header_cells": header,
        "rows": rows,
    }


def build_document(
    report: ReportData,
    forms: Sequence[FormSpec] | None = None,
    *,
    form_codes: Sequence[str] | None = None,
    include_cover: bool = True,
    quality: str | ScanParams = "mild",
    dpi: float | None = None,
    seed: int = 0,
    layout: LayoutOptions | None = None,
    rotation: int | Sequence[int] = 0,
    bilevel: bool | None = None,
    damage: Sequence[tuple[str, int, str]] = (),
    damage_style: DamageStyle = "erase",
    name: str = "document",
) -> BuiltDocument:
    """Render, damage and scan a report.

    ``forms`` are the form declarations (default: ``load_forms()``); ``form_codes`` picks the
    forms to print (default: all in the content's order); ``dpi`` defaults to the quality's DPI;
    ``rotation`` turns every scanned page (or, given a list, each page) clockwise by 0/90/180/270
    degrees; ``bilevel`` overrides the quality's; ``damage`` lists ``(form_code, row_index,
    column_key)`` cells whose printed number gets one digit damaged (the truth keeps the true text
    and marks the cell); ``damage_style`` is "erase" (part of the digit wiped) or "smudge".
    """
    forms = tuple(forms) if forms is not None else load_forms()
    codes = list(form_codes) if form_codes is not None else [f.code for f in report.forms]
    problems = [p for p in check_report(report, forms) if p.split()[1] in codes]
    if problems:
        raise ConfigError("report content does not match the form declarations: " + "; ".join(problems))
    params = quality_params(quality)
    if bilevel is not None:
        params = params.model_copy(update={"bilevel": bilevel})
    dpi = float(dpi or params.dpi)
    layout = layout or layout_for_seed(seed, codes)
    pages = render.render_document(report, forms, dpi, layout, include_cover=include_cover, form_codes=codes)
    specs = {f.code: f for f in forms}

    images = [p.image for p in pages]
    damaged: dict[tuple[str, int, str], Damage] = {}
    drng = np.random.default_rng([seed, 1_000_003])
    for form_code, row_index, key in damage:
        page_i, cell = _find_cell(pages, form_code, row_index, key)
        images[page_i], ci, ch, box = damage_cell(images[page_i], cell, drng, damage_style)
        damaged[(form_code, row_index, key)] = Damage(form_code, row_index, key, ci, ch, damage_style, box)

    turns = [rotation] * len(images) if isinstance(rotation, int) else list(rotation)
    if len(turns) != len(images):
        raise ValueError(f"rotation lists {len(turns)} pages, the document has {len(images)}")
    scans = []
    for i, (image, turn) in enumerate(zip(images, turns, strict=False)):
        page_seed = int(np.random.SeedSequence([seed, i]).generate_state(1)[0])
        scans.append(degrade(image, dpi, params, page_seed, rotation=turn))

    doc = report.document
    unit_codes = admin_units(doc.province, doc.district)[0]
    quality_name = quality if isinstance(quality, str) else "custom"
    truth_pages: list[dict[str, Any]] = []
    for i, (page, scan) in enumerate(zip(pages, scans, strict=False)):
        truth_pages.append(
            {
                **page_truth(i, page, scan, quality_name, dpi),
                "tables": [_table_truth(t, report, specs[t.form_code], damaged) for t in page.tables],
            }
        )
    tables = []
    for ti, code in enumerate(codes):
        parts = [p["index"] for p in truth_pages for t in p["tables"] if t["table_index"] == ti]
        tables.append({"table_index": ti, "form": code, "pages": parts, "rows": len(report.form(code).rows)})
    truth = {
        "generator": {
            "name": "extract.synth",
            "truth_version": TRUTH_VERSION,
            "seed": seed,
            "font": render.font_family()[0],
            "quality": quality_name,
            "scan_params": params.model_dump(),
            "dpi": dpi,
            "layout": {
                "repeat_header": layout.repeat_header,
                "pack_forms": layout.pack_forms,
                "number_align": layout.number_align,
                "column_numbers": layout.column_numbers,
            },
        },
        "name": name,
        "document": {
            "number": doc.number,
            "date": doc.date,
            "year": doc.year,
            "place": doc.place,
            "district": doc.district,
            "district_code": unit_codes.get("district_code"),
            "province": doc.province,
            "province_code": unit_codes.get("province_code"),
            "issuer": doc.issuer,
            "title": doc.title,
            "subtitle": doc.subtitle,
        },
        "page_count": len(pages),
        "tables": tables,
        "damaged": [
            {
                "form": d.form_code,
                "row_index": d.row_index,
                "column": d.column_key,
                "char_index": d.char_index,
                "char": d.char,
                "style": d.style,
            }
            for d in damaged.values()
        ],
        "pages": truth_pages,
    }
    jpeg_q = params.jpeg_quality or PDF_JPEG_QUALITY_CLEAN
    return BuiltDocument(scans, truth, jpeg_q)


# ------------------------------------------------------------------------------------------------
# files


def _pil(scan: Scan) -> Image.Image:
    img = Image.fromarray(scan.image, mode="L")
    return img.convert("1", dither=Image.Dither.NONE) if scan.bilevel else img


def _fixed_time(truth: dict[str, Any]) -> time.struct_time:
    date = truth["document"].get("date") or "2000-01-01"
    return time.strptime(date, "%Y-%m-%d")


def truth_path(path: str | Path) -> Path:
    """``<folder>/<stem>.truth.json`` for an output file."""
    p = Path(path)
    return p.with_name(p.stem + ".truth.json")


def write_document(doc: BuiltDocument, path: str | Path) -> list[Path]:
    """Save ``doc`` by suffix (.pdf, .tif/.tiff, .png, .jpg/.jpeg) plus its truth JSON; return the files.

    PDFs and TIFFs hold every page (JPEG-compressed grayscale, or CCITT G4 when bilevel); PNG and
    JPEG write one file per page, ``<stem>-p2.png`` ... after the first.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    suffix = path.suffix.lower()
    images = [_pil(s) for s in doc.scans]
    dpi = doc.scans[0].dpi
    files = []
    truth = json.loads(json.dumps(doc.truth))
    if suffix == ".pdf":
        stamp = _fixed_time(truth)
        jpeg = {} if doc.scans[0].bilevel else {"quality": doc.jpeg_quality, "optimize": True}
        images[0].save(
            path,
            "PDF",
            save_all=True,
            append_images=images[1:],
            resolution=dpi,
            title=path.stem,
            creationDate=stamp,
            modDate=stamp,
            **jpeg,
        )
        files.append(path)
        for p in truth["pages"]:
            p["file"] = path.name
    elif suffix in (".tif", ".tiff"):
        compression = "group4" if doc.scans[0].bilevel else "jpeg"
        extra = {} if doc.scans[0].bilevel else {"quality": doc.jpeg_quality}
        images[0].save(
            path,
            "TIFF",
            save_all=True,
            append_images=images[1:],
            dpi=(dpi, dpi),
            compression=compression,
            **extra,
        )
        files.append(path)
        for p in truth["pages"]:
            p["file"] = path.name
    elif suffix in (".png", ".jpg", ".jpeg"):
        for i, img in enumerate(images):
            target = path if i == 0 else path.with_name(f"{path.stem}-p{i + 1}{path.suffix}")
            if suffix == ".png":
                img.save(target, "PNG", dpi=(dpi, dpi), optimize=False)
            else:
                img.convert("L").save(target, "JPEG", dpi=(dpi, dpi), quality=doc.jpeg_quality, optimize=True)
            truth["pages"][i]["file"] = target.name
            files.append(target)
    else:
        raise ValueError(f"unsupported output type {path.suffix!r} (use .pdf, .tiff, .png or .jpg)")
    truth["file"] = path.name
    tp = truth_path(path)
    tp.write_text(json.dumps(truth, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    files.append(tp)
    return files


# ------------------------------------------------------------------------------------------------
# the committed samples


@dataclass(frozen=True)
class SampleSpec:
    """One file of ``samples/``."""

    name: str  # file name; its suffix picks the format
    description: str
    forms: tuple[str, ...] | None = None  # None: every form of the report
    cover: bool = False
    quality: str = "mild"
    dpi: float | None = None
    rotation: int = 0
    bilevel: bool | None = None
    repeat_header: bool = False
    damage: tuple[tuple[str, int, str], ...] = field(default_factory=tuple)


SAMPLES: tuple[SampleSpec, ...] = (
    SampleSpec(
        "ke_sach_2019_bc542.pdf",
        "the whole report: cover and prose, then every annex form",
        None,
        True,
        "mild",
        300,
    ),
    SampleSpec("5B_clean_300.pdf", "form 5B, clean print", ("5B",), quality="clean", dpi=300),
    SampleSpec(
        "5B_hard_200.pdf",
        "form 5B, hard scan: skew up to 3°, faded and broken rules",
        ("5B",),
        quality="hard",
        dpi=200,
    ),
    SampleSpec(
        "5B_hard_150.jpg",
        "form 5B, hard scan at 150 dpi, one JPEG per page",
        ("5B",),
        quality="hard",
        dpi=150,
    ),
    SampleSpec(
        "5B_damaged_mild.pdf",
        "form 5B, mild, two digits damaged (see truth 'damaged')",
        ("5B",),
        damage=(("5B", 2, "tiep_nhan_tong"), ("5B", 7, "da_giai_quyet_dung_han")),
    ),
    SampleSpec("10B_mild.tiff", "form 10B, mild, multi-page TIFF", ("10B",)),
    SampleSpec("14B_mild.png", "form 14B, mild, PNG per page", ("14B",)),
    SampleSpec("7B_rotated_180.pdf", "form 7B, mild, every page upside down", ("7B",), rotation=180),
    SampleSpec(
        "4B_bilevel_200.pdf",
        "form 4B (a long table over several pages, header repeated), bilevel 200 dpi",
        ("4B",),
        dpi=200,
        bilevel=True,
        repeat_header=True,
    ),
    SampleSpec(
        "8B_9B_13B_clean_200.png",
        "forms 8B, 9B and 13B, short forms printed several to a page; clean 200 dpi",
        ("8B", "9B", "13B"),
        quality="clean",
        dpi=200,
    ),
)


def sample_seed(seed: int, name: str) -> int:
    """A stable per-sample seed."""
    return (seed * 1_000_003 + zlib.crc32(name.encode())) % (2**31)


def build_samples(
    out: str | Path,
    seed: int = 0,
    data: str | Path = DEFAULT_DATA,
    configs: str | Path | None = None,
    only: Sequence[str] | None = None,
) -> list[dict[str, Any]]:
    """Write the files of :data:`SAMPLES` (or those named in ``only``) and a README under ``out``.

    Returns one record per sample: name, files, bytes, pages, seconds.
    """
    out = Path(out)
    report = load_report(data)
    forms = load_forms(configs)
    results = []
    for spec in SAMPLES:
        if only and spec.name not in only:
            continue
        start = time.perf_counter()
        s = sample_seed(seed, spec.name)
        layout = layout_for_seed(s, spec.forms or [f.code for f in report.forms])
        if spec.repeat_header:
            layout = render.with_options(layout, repeat_header=True)
        doc = build_document(
            report,
            forms,
            form_codes=spec.forms,
            include_cover=spec.cover,
            quality=spec.quality,
            dpi=spec.dpi,
            seed=s,
            layout=layout,
            rotation=spec.rotation,
            bilevel=spec.bilevel,
            damage=spec.damage,
            name=Path(spec.name).stem,
        )
        files = write_document(doc, out / spec.name)
        results.append(
            {
                "name": spec.name,
                "description": spec.description,
                "quality": spec.quality,
                "dpi": doc.truth["generator"]["dpi"],
                "pages": doc.truth["page_count"],
                "files": [f.name for f in files],
                "bytes": sum(f.stat().st_size for f in files),
                "seconds": round(time.perf_counter() - start, 2),
            }
        )
    if not only:
        (out / "README.md").write_text(_readme(results, seed), encoding="utf-8")
    return results


def _quality_table() -> list[str]:
    rows = [
        "| level | dpi | skew (°) | paper | noise σ | specks /cm² | blur (mm) | JPEG | ruling lines |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for name, p in QUALITIES.items():
        skew = f"{p.skew_min_deg:g}-{p.skew_max_deg:g}" if p.skew_max_deg else "0"
        lines = (
            f"{p.line_fade:.0%} faded, {p.line_break:.0%} broken" if p.line_fade or p.line_break else "intact"
        )
        rows.append(
            f"| `{name}` | {p.dpi} | {skew} | {p.paper[0]}-{p.paper[1]} | {p.noise_sigma:g} | "
            f"{p.speckles_per_cm2:g} | {p.blur_sigma_mm:g} | {p.jpeg_quality or '-'} | {lines} |"
        )
    return rows


def _readme(results: Sequence[dict[str, Any]], seed: int) -> str:
    lines = [
        "# Samples: generated scans of report 542/BC-UBND (Kế Sách, 2019)",
        "",
        (
            f"Made by `python -m extract.synth --out samples/ --seed {seed}` from "
            "`extract/synth/data/ke_sach_2019.yaml` and `configs/forms/*.yaml` (code: `extract/synth/`). "
            "Do not edit by hand: regenerate. The staff list names made-up people."
        ),
        "",
        "| file | what | quality | dpi | pages | size |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for r in results:
        lines.append(
            f"| `{r['name']}` | {r['description']} | {r['quality']} | {r['dpi']:g} | {r['pages']} | "
            f"{r['bytes'] / 1e6:.2f} MB |"
        )
    total = sum(r["bytes"] for r in results)
    lines += [
        "",
        (
            f"Total: {total / 1e6:.1f} MB, truth files included. Multi-page PNG/JPEG samples are one file "
            "a page: `<stem>.png`, `<stem>-p2.png`, ..."
        ),
        "",
        "## Ground truth: `<stem>.truth.json`",
        "",
        "- `document`: number, ISO date, year, place, district and province with their official codes.",
        (
            "- `tables`: one entry per printed form: `table_index` (order in the document), `form`, the "
            "pages it spans, its number of body rows."
        ),
        (
            "- `damaged`: digits damaged on purpose (form, row index, column, index of the character); the "
            "truth keeps the true printed text."
        ),
        (
            "- `pages[]`: `kind` (cover, text, form), `orientation`, `quality`, `dpi`, `width`/`height` of "
            "the clean page, `scan_width`/`scan_height`, `rotation` (clockwise degrees the scan was "
            "turned: a reader turns it back by the same amount counter-clockwise), `skew_deg` "
            "(counter-clockwise, as displayed), `transform` (3x3 matrix from clean-page pixels to scan "
            "pixels; `extract.synth.scan.map_box` applies it), `lines` (text outside tables with a role: "
            "number, place_date, title, form_code, form_title, form_reference, paragraph, ...), and "
            "`tables[]`."
        ),
        (
            "- `pages[].tables[]`: the part of a form printed on that page: `form`, `table_index`, `part`, "
            "`index_on_page`, `continued_from_previous_page`, `continues_on_next_page`, `box`, `grid` (row "
            "and column edges: the centres of the ruling lines), `header_rows`, `columns` (keys), "
            "`header_paths`, `header_cells` (merged cells with row/col spans, and the column-number row), "
            "and `rows[]`: `row_index` (0-based within the form, across pages), `stt`, `label`, "
            "`commune_code` and `commune_name` (from vietnamadminunits, legacy units, when the label is a "
            "commune of the district), `bold`, `cells` {column key: printed text}, `boxes` {column key: "
            "[x0, y0, x1, y1]}."
        ),
        "",
        "Boxes are in pixels of the clean page (before skew and rotation), `x0 <= x < x1`.",
        "",
        "## Quality levels (`extract/synth/scan.py`)",
        "",
        *_quality_table(),
        "",
        (
            "Mild and hard scans also get toned paper, uneven light and uneven toner; hard scans a dark "
            "band along one edge. Bilevel samples are thresholded to black and white (CCITT G4 in "
            "PDF/TIFF)."
        ),
        "",
    ]
    return "\n".join(lines)


def sample_names() -> list[str]:
    return [s.name for s in SAMPLES]
