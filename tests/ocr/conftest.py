"""Shared fixtures of the OCR tests: one real tesseract engine per test session."""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("OMP_THREAD_LIMIT", "1")
sys.path.insert(0, str(Path(__file__).parent))  # ocr_synth

import pytest

from extract.ocr.engine import OcrEngine, OcrSettings
from extract.ocr.tesseract import get_engine


@pytest.fixture(scope="session")
def settings() -> OcrSettings:
    return OcrSettings()


@pytest.fixture(scope="session")
def engine(settings: OcrSettings) -> OcrEngine:
    return get_engine(settings)
