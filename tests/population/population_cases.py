"""Generated reports of several districts and fonts, read by the real pipeline (shared by the tests)."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from extract.synth.build import write_document
from extract.synth.population import build_population_document, plan_document

#: (dev document, form printed): four districts of four provinces, one font family each
CASES: tuple[tuple[int, str], ...] = ((12, "14B"), (15, "5B"), (25, "11B"), (10, "6B"))


def write_case(index: int, form: str, folder: Path) -> tuple[Path, dict[str, Any]]:
    """Write dev document ``index`` with only ``form``, scanned mild at 300 dpi, no cover."""
    plan = dataclasses.replace(plan_document("dev", index), forms=(form,), quality="mild", dpi=300)
    doc = build_population_document(plan)
    path = folder / f"{plan.stem}_{form}.pdf"
    write_document(doc, path)
    return path, doc.truth
