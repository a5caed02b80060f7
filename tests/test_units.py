"""The one units helper: millimetres and points to pixels, and no second copy of it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from extract.units import MM_PER_INCH, mm_to_px, mm_to_whole_px, pt_to_px

EXTRACT = Path(__file__).resolve().parents[1] / "extract"


@pytest.mark.parametrize("dpi", [150.0, 200.0, 250.0, 300.0])
def test_an_inch_is_dpi_pixels(dpi: float) -> None:
    assert mm_to_px(MM_PER_INCH, dpi) == pytest.approx(dpi)
    assert mm_to_whole_px(MM_PER_INCH, dpi) == int(dpi)
    assert pt_to_px(72.0, dpi) == int(dpi)


def test_fractions_are_kept_or_rounded_as_named() -> None:
    assert mm_to_px(1.0, 300.0) == pytest.approx(11.811, abs=1e-3)
    assert mm_to_whole_px(1.0, 300.0) == 12
    assert mm_to_whole_px(0.6, 100.0) == 2  # 2.36
    assert pt_to_px(0.6, 100.0) == 1  # 0.83: a rule at 100 dpi
    assert pt_to_px(13.0, 250.0) == 45  # 45.14
    assert mm_to_px(0.0, 300.0) == 0.0 and mm_to_whole_px(-1.0, 254.0) == -10


def test_no_module_defines_its_own_conversion() -> None:
    """Every conversion goes through :mod:`extract.units`: no module of the package defines an
    ``mm_to_px``/``pt_to_px``, its own millimetres or points per inch, or divides by 25.4."""
    found = []
    for path in sorted(EXTRACT.rglob("*.py")):
        if path.name == "units.py" and path.parent == EXTRACT:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef) and node.name in {"mm_to_px", "pt_to_px", "mm_to_whole_px"}:
                found.append(f"{path.relative_to(EXTRACT)}: def {node.name}")
            targets = node.targets if isinstance(node, ast.Assign) else []
            if isinstance(node, ast.AnnAssign):
                targets = [node.target]
            for t in targets:
                if isinstance(t, ast.Name) and t.id in {"MM_PER_INCH", "PT_PER_INCH", "POINTS_PER_INCH"}:
                    found.append(f"{path.relative_to(EXTRACT)}: {t.id} =")
            if isinstance(node, ast.Constant) and node.value == 25.4:
                found.append(f"{path.relative_to(EXTRACT)}:{node.lineno}: 25.4")
    assert found == []
