"""bcubnd-extract: scanned BC-UBND reports into validated tables.

``from extract import load_results`` reads an output folder or database back as typed pandas
DataFrames (see :mod:`extract.load`); imported on first use, so ``import extract`` stays light.
"""

from __future__ import annotations

from typing import Any

__all__ = ["load_results"]


def __getattr__(name: str) -> Any:
    if name == "load_results":
        from .load import load_results

        return load_results
    raise AttributeError(f"module 'extract' has no attribute {name!r}")
