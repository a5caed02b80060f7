"""How far tesseract searches for a text cell's other choices: a short search on a clean scan.

A text cell is read with tesseract's other choices per symbol (``lstm_choice_mode`` 2) and its
words' marks chosen among them (``extract/ocr/marks.py``).  The choices come from a cascading
beam search run ``lstm_choice_iterations`` times (tesseract's default 5), most of what mode 2
costs over a plain reading; the top reading is the same at any count, only the choices differ.
On a worn scan the marks the walk needs are found late ("Cẩm", "Bắc", "thẩm": 14 right labels of
15 hard documents read wrong at 2), so the full search stays there.  On a clean scan (paper
light and even, ink dark) the first choices are the marks' own, and a short search reads the
same labels for less (cpupage22: 3-4% of a mild document's CPU).

Clean is measured on the page as scanned (:func:`clean_scan`): the paper's grey level against
the ink's (their medians, ``min_contrast`` apart at least: mild scans 143-186, hard ones 74-114
on the dev sets) and the paper's noise (its median absolute deviation, as a Gaussian sigma, at
most ``max_noise``); a 1-bit scan (a fax) is never clean: its letters' edges are staircases.
"""

from __future__ import annotations

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from ..model import PreparedPage

FULL_SEARCH = 5  # tesseract's lstm_choice_iterations
_STEP = 4  # every 4th pixel each way: the medians of a page need no more
_MAD_SIGMA = 1.4826  # a Gaussian's sigma per median absolute deviation


class ShortSearchSettings(BaseModel):
    """``ocr.text_cell_short_search`` in ``configs/pipeline.yaml``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    # the choice search of a clean scan's text cells (lstm_choice_iterations); 5 = the full one: off
    iterations: int = Field(default=FULL_SEARCH, ge=1, le=FULL_SEARCH)
    min_contrast: float = Field(default=130.0, ge=0, le=255)  # paper minus ink, grey levels
    max_noise: float = Field(default=5.0, ge=0)  # the paper's noise (sigma, grey levels)


def scan_measures(page: PreparedPage) -> tuple[float, float]:
    """The page's contrast (median paper level minus median ink level, by ``page.binary``) and
    its paper's noise (the median absolute deviation of paper pixels, as a sigma); (0, inf)
    where the page has no paper or no ink."""
    gray = page.gray[::_STEP, ::_STEP]
    ink = page.binary[::_STEP, ::_STEP] > 0
    paper = gray[~ink]
    if not paper.size or not ink.any():
        return 0.0, float("inf")
    level = float(np.median(paper))
    noise = float(np.median(np.abs(paper.astype(np.float32) - level))) * _MAD_SIGMA
    return level - float(np.median(gray[ink])), noise


def clean_scan(page: PreparedPage, settings: ShortSearchSettings) -> bool:
    """Whether ``page`` is clean enough for the short choice search (module docstring)."""
    if page.bilevel:
        return False
    contrast, noise = scan_measures(page)
    return contrast >= settings.min_contrast and noise <= settings.max_noise


def choice_iterations(page: PreparedPage, settings: ShortSearchSettings) -> int:
    """The choice search for ``page``'s text cells: ``settings.iterations`` on a clean scan,
    the full search elsewhere (and when the setting is the full search: no measuring)."""
    if settings.iterations >= FULL_SEARCH or not clean_scan(page, settings):
        return FULL_SEARCH
    return settings.iterations
