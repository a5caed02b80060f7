"""Values are frozen and pickle as they are; a value stored by an older version (a manifest's
document results, with a string-keyed ``extra`` and a tuple box) is read into today's fields, so a
re-run over an older output folder rebuilds its outputs instead of failing."""

from __future__ import annotations

import dataclasses
import pickle

import pytest

from extract.model import OcrCorrection, PixelBox, ReviewDecision, Value, ValueStatus


def _value(**changes: object) -> Value:
    v = Value(
        "d" * 16, "x.pdf", "5B", 0, 1, 2, "commune:31534", "commune", "Xã Xuân Hòa", "31534", "Xã Xuân Hòa",
        "tiep_nhan_tong", "Tổng số", "number", 5697.0, None, None, "hồ sơ", None, "5.697", 91.0,
        PixelBox(10, 20, 110, 60),
    )  # fmt: skip
    return dataclasses.replace(v, **changes)


def test_a_value_is_frozen_and_pickles_as_it_is() -> None:
    v = _value(
        status=ValueStatus.CORRECTED,
        correction=OcrCorrection("9.697", 9697.0, 55.0, "vie", original_problem=None),
        suspect=True,
    )
    with pytest.raises(dataclasses.FrozenInstanceError):
        v.status = ValueStatus.READ  # type: ignore[misc]
    assert pickle.loads(pickle.dumps(v)) == v


def test_a_value_stored_by_an_older_version_is_read_into_todays_fields() -> None:
    state = {
        k: x
        for k, x in vars(_value()).items()
        if k not in ("problem", "ambiguous", "suspect", "correction", "review", "continued")
    }
    state["box"] = (10, 20, 110, 60)
    state["extra"] = {
        "original_text": "9.697",
        "original_number": 9697.0,
        "original_confidence": 55.0,
        "original_problem": "ambiguous number",
        "variant": "vie",
        "suspect": True,
        "review": {"id": 7, "action": "type", "reviewer": "lan", "at": "2026-12-01T10:00:00", "reason": None},
    }
    old = Value.__new__(Value)
    old.__setstate__(state)
    assert old.box == PixelBox(10, 20, 110, 60) and not hasattr(old, "extra")
    assert old.correction == OcrCorrection("9.697", 9697.0, 55.0, "vie", "ambiguous number")
    assert old.suspect and not old.ambiguous and old.problem is None and not old.continued
    assert old.review == ReviewDecision(7, "type", "lan", "2026-12-01T10:00:00", None)
    assert dataclasses.replace(old, review=None, correction=None, suspect=False) == _value()
