"""Property tests: tables built to satisfy a form's invariants, then one digit misread.

Form 5B comes from configs/forms; form 77Z is invented in tests/validate/data (config only), with
hierarchical sections, a percentage rule and a decimal column -- a new form needs no code.
"""

from __future__ import annotations

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from validate_builders import PARSE, build_table, form_5b, form_77z, snapshot, value_at
from validate_strategies import Generated, misread, tables_5b, tables_77z

from extract.model import Candidate, ValueStatus
from extract.validate import ValidateSettings, check_table, validate_table
from extract.validate.statuses import MISSING_VALUE, MISSING_VALUE_MIN_ROWS

FORMS = {"5B": form_5b(), "77Z": form_77z()}
STRATEGIES = {"5B": tables_5b(), "77Z": tables_77z()}
SETTINGS = ValidateSettings()
fast = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def generated(draw: st.DrawFn) -> tuple[str, Generated]:
    code = draw(st.sampled_from(sorted(FORMS)))
    return code, draw(STRATEGIES[code])


@st.composite
def corrupted(draw: st.DrawFn) -> tuple[str, Generated, tuple[int, str], str, str]:
    """A generated table, a covered non-blank cell, its true text and a one-digit misread."""
    code, gen = draw(generated())
    table = build_table(FORMS[code], gen.spec)
    covered = sorted({c.key for chk in check_table(table, FORMS[code]) for c in chk.cells})
    covered = [k for k in covered if gen.spec.cells[k].text.strip()]
    assume(covered)
    key = draw(st.sampled_from(covered))
    right = gen.spec.cells[key].text
    wrong = draw(misread(right, gen.column_types[key[1]]))
    return code, gen, key, right, wrong


def _lone_blank(table, form, value) -> bool:
    """A blank in a numeric column that at least MISSING_VALUE_MIN_ROWS other rows all fill."""
    if value.raw_text.strip() or form.column(value.column_key).type not in (
        "count",
        "signed",
        "decimal",
        "percent",
    ):
        return False
    others = [v for v in table.values if v.column_key == value.column_key and v is not value]
    return len(others) >= MISSING_VALUE_MIN_ROWS and all(v.raw_text.strip() for v in others)


@fast
@given(generated())
def test_tables_that_obey_their_form_are_all_verified(case: tuple[str, Generated]) -> None:
    code, gen = case
    table = build_table(FORMS[code], gen.spec)
    before = snapshot(table.values)

    table, checks = validate_table(table, FORMS[code], SETTINGS, parse=PARSE)

    assert all(c.holds for c in checks)
    assert table.issues == ()
    assert snapshot(table.values) == before
    covered = {c.key for chk in checks for c in chk.cells}
    for v in table.values:
        key = (v.row_index, v.column_key)
        if key in covered:
            assert v.status == ValueStatus.VERIFIED, (key, v.raw_text, v.flag_reason)
            assert v.rule
        elif key in gen.truth and v.raw_text.strip():
            raise AssertionError(f"numeric cell {key} {v.raw_text!r} is covered by no rule")
        elif _lone_blank(table, FORMS[code], v):
            assert (v.status, v.flag_reason) == (ValueStatus.FLAGGED, MISSING_VALUE)
        else:
            assert v.status == ValueStatus.READ
    for key, number in gen.truth.items():
        v = value_at(table, *key)
        assert (v.number or 0.0) == number


@fast
@given(corrupted())
def test_a_single_misread_digit_is_detected_and_located(case) -> None:  # type: ignore[no-untyped-def]
    code, gen, key, _right, wrong = case
    gen.spec.cells[key].text = wrong
    table = build_table(FORMS[code], gen.spec)

    checks = check_table(table, FORMS[code])

    failing = [c for c in checks if not c.holds]
    assert failing, f"misread {wrong!r} at {key} went unnoticed"
    for chk in failing:
        assert key in {c.key for c in chk.cells}, chk


@fast
@given(corrupted())
def test_a_misread_with_the_right_candidate_is_corrected(case) -> None:  # type: ignore[no-untyped-def]
    code, gen, key, right, wrong = case
    cell = gen.spec.cells[key]
    cell.text, cell.confidence = wrong, 60.0
    cell.candidates = (Candidate(wrong, 60.0, "vie+eng"), Candidate(right, 55.0, "vie"))
    table = build_table(FORMS[code], gen.spec)
    others_before = [
        s
        for v, s in zip(table.values, snapshot(table.values), strict=True)
        if (v.row_index, v.column_key) != key
    ]

    table, checks = validate_table(table, FORMS[code], SETTINGS, parse=PARSE)

    v = value_at(table, *key)
    if v.status != ValueStatus.CORRECTED and any(_lone_blank(table, FORMS[code], x) for x in table.values):
        # a rule whose parts include a row left blank where every other row has a value cannot tell
        # which part was misread: it flags a reading problem, never corrects, never blames the print
        assert v.status == ValueStatus.FLAGGED and "not all read" in (v.flag_reason or ""), v.flag_reason
        assert not any("printed totals" in i for i in table.issues)
        assert not [x for x in table.values if x.status == ValueStatus.CORRECTED]
        return
    assert v.status == ValueStatus.CORRECTED, v.flag_reason
    assert v.raw_text == right and v.correction.original_text == wrong
    assert v.number == PARSE(right, gen.column_types[key[1]]).number
    assert v.rule and v.flag_reason is None
    assert all(c.holds for c in checks) and table.issues == ()
    others_after = [
        s
        for v, s in zip(table.values, snapshot(table.values), strict=True)
        if (v.row_index, v.column_key) != key
    ]
    assert others_after == others_before
    flagged = [v for v in table.values if v.status == ValueStatus.FLAGGED]
    covered = {c.key for chk in checks for c in chk.cells}
    lone = [
        v
        for v in table.values
        if (v.row_index, v.column_key) not in covered and _lone_blank(table, FORMS[code], v)
    ]
    assert flagged == lone


@fast
@given(corrupted(), st.booleans())
def test_a_misread_without_the_right_candidate_is_flagged_unchanged(case, confident: bool) -> None:  # type: ignore[no-untyped-def]
    code, gen, key, right, wrong = case
    cell = gen.spec.cells[key]
    kind = gen.column_types[key[1]]
    decoy = "9" + wrong  # another reading, too far from the truth for any rule to accept
    assert PARSE(decoy, kind).number != PARSE(right, kind).number
    if confident:  # every variant read the same wrong digit: indistinguishable from a misprint
        cell.text, cell.confidence = wrong, 96.0
        cell.candidates = (Candidate(wrong, 96.0, "vie+eng"), Candidate(wrong, 93.0, "vie"))
    else:
        cell.text, cell.confidence = wrong, 45.0
        cell.candidates = (Candidate(wrong, 45.0, "vie+eng"), Candidate(decoy, 30.0, "vie"))
    table = build_table(FORMS[code], gen.spec)
    before = snapshot(table.values)

    table = validate_table(table, FORMS[code], SETTINGS, parse=PARSE).table

    assert snapshot(table.values) == before
    v = value_at(table, *key)
    assert v.status == ValueStatus.FLAGGED
    assert v.raw_text == wrong and v.correction is None
    assert v.flag_reason and "rule" in v.flag_reason
    assert table.issues
    if not confident:
        # reading problems only: the misread itself, or a sum over a row left blank where every other
        # row has a value (a lone blank is a lost reading too) -- never the print blamed
        reading = ("rule fails and no OCR candidate fixes it", "rule fails over rows that are not all read")
        assert all(i.startswith(reading) for i in table.issues), table.issues
        assert not any("printed totals" in i for i in table.issues)
        assert "printed totals" not in v.flag_reason
    assert not [x for x in table.values if x.status == ValueStatus.CORRECTED]
