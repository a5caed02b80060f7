"""The benchmark's start-up check: OpenCV's contrib module is there and img2table reads a page."""

from __future__ import annotations

import sys
import types

from bench import preflight


def test_the_installed_opencv_serves_img2table_and_img2table_reads_a_printed_form():
    assert preflight.opencv_problem() is None
    assert preflight.img2table_problem() is None
    assert preflight.problems() == []


def test_a_non_contrib_opencv_is_reported_with_the_fix(monkeypatch):
    fake = types.ModuleType("cv2")
    fake.__version__ = "4.9.0"
    monkeypatch.setitem(sys.modules, "cv2", fake)
    problem = preflight.opencv_problem()
    assert (
        problem is not None and "niBlackThreshold" in problem and "opencv-contrib-python-headless" in problem
    )
    assert preflight.problems() == [problem]  # img2table is not even tried
    fake.ximgproc = types.SimpleNamespace(niBlackThreshold=lambda *a: None)
    assert preflight.opencv_problem() is None


def test_the_check_page_prints_the_numbers_it_expects():
    image, numbers = preflight.check_page()
    assert image.ndim == 2 and (image < 128).mean() > 0.01
    assert len(numbers) == len(set(numbers)) == 25
