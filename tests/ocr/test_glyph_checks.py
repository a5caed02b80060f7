"""A text cell's reading checked against its crop's ink (extract/ocr/glyph_checks.py) and the
count of garbled words (extract/ocr/garble.py), on drawn crops."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from extract.ocr.garble import garbled_words
from extract.ocr.glyph_checks import roman_two, without_unprinted_stop

DPI = 200.0


def _page(width: int = 80, height: int = 60) -> np.ndarray:
    return np.full((height, width), 255, np.uint8)


def _roman_ii(crossbar: bool) -> np.ndarray:
    """A bold "II" whose serifs touch (one blob), or an "H" of the same strokes with a crossbar."""
    img = _page()
    cv2.rectangle(img, (20, 14), (28, 44), 0, -1)  # two stems
    cv2.rectangle(img, (36, 14), (44, 44), 0, -1)
    cv2.rectangle(img, (16, 12), (48, 15), 0, -1)  # the serifs, run together
    cv2.rectangle(img, (16, 43), (48, 46), 0, -1)
    if crossbar:
        cv2.rectangle(img, (28, 27), (36, 31), 0, -1)
    cv2.circle(img, (55, 44), 2, 0, -1)  # the full stop
    return img


@pytest.mark.parametrize("read", ["H", "H.", "H)"])
def test_an_h_without_a_crossbar_is_ii(read: str) -> None:
    assert roman_two(read, _roman_ii(crossbar=False)) == "II" + read[1:]


def test_an_h_with_its_crossbar_stays() -> None:
    assert roman_two("H.", _roman_ii(crossbar=True)) == "H."


@pytest.mark.parametrize("read", ["Hà", "HH.", "h.", "II.", ""])
def test_only_a_lone_h_is_checked(read: str) -> None:
    assert roman_two(read, _roman_ii(crossbar=False)) == read


def _text(text: str) -> np.ndarray:
    img = np.full((60, 40 + 22 * len(text)), 255, np.uint8)
    cv2.putText(img, text, (12, 40), cv2.FONT_HERSHEY_SIMPLEX, 1.0, 0, 3)
    return img


def test_a_comma_read_on_no_ink_is_dropped() -> None:
    assert without_unprinted_stop("ABHL,", _text("ABHL"), DPI) == "ABHL"


def test_a_printed_comma_or_stop_is_kept() -> None:
    assert without_unprinted_stop("ABHL,", _text("ABHL,"), DPI) == "ABHL,"
    # a full stop is never dropped (on a 1-bit scan it often touches the last letter's serif)
    assert without_unprinted_stop("ABHL.", _text("ABHL"), DPI) == "ABHL."
    assert without_unprinted_stop("ABHL", _text("ABHL"), DPI) == "ABHL"


def test_the_last_line_is_the_one_checked() -> None:
    img = np.full((110, 200), 255, np.uint8)
    cv2.putText(img, "ABC", (12, 40), cv2.FONT_HERSHEY_SIMPLEX, 1.0, 0, 3)
    cv2.putText(img, "DE", (12, 85), cv2.FONT_HERSHEY_SIMPLEX, 1.0, 0, 3)
    # the first line reaches further right than the second's last letter: no ink after "DE"
    assert without_unprinted_stop("ABC DE,", img, DPI) == "ABC DE"
    cv2.putText(img, ",", (60, 85), cv2.FONT_HERSHEY_SIMPLEX, 1.0, 0, 3)
    assert without_unprinted_stop("ABC DE,", img, DPI) == "ABC DE,"


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("và b 12t? vực có quy mô", 1),
        ("nhiệm vụ được g1ao", 1),
        ("trên cơ sở rủi r0.", 1),
        ("Nghị định số 81/2019/NĐ-CP về PCRT/TTKB", 0),
        ("ngày 28/12/2021, (Khuyến nghị 26, 27)", 0),
        ("Biểu 3B", 1),  # a code mixes them too: the same in every reading, never chosen against
    ],
)
def test_garbled_words(text: str, count: int) -> None:
    assert garbled_words(text) == count
