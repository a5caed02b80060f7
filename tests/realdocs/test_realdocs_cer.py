"""The floor of the page-1 truth (bench/realdocs_cer.py): how well any reader can score against
the publishers' transcriptions, and our reading against the scans' own text."""

from __future__ import annotations

import pytest

from bench.realdocs_cer import (
    cer,
    corrected_transcription,
    main,
    measure,
    page_correlation,
    scan_of,
    scan_version_passages,
    source_of,
    transcriptions,
    word_diff,
)


@pytest.fixture(scope="module")
def floors():
    return {r.doc_id: r for r in measure(sorted(transcriptions()), reader=None)}  # no OCR


def test_every_source_is_the_scans_own_page_and_another_page_is_not(floors) -> None:
    assert len(floors) == 9 and all(r.same_page for r in floors.values())
    # the same letterhead and layout, another document: far below the threshold (0.13)
    assert page_correlation(source_of("real_qd_729_ttg"), scan_of("real_qd_707_ttg")) < 0.5


def test_the_exact_layers_floor_and_the_corrected_transcriptions(floors) -> None:
    layered = {d for d, r in floors.items() if r.has_layer}
    assert layered == {"real_hanoi_kh_173_festival", "real_hanoi_qd_2280_water", "real_hanoi_tb_453_flag"}
    assert floors["real_hanoi_qd_2280_water"].floor < 0.01  # the transcription of this very version
    assert 0.07 < floors["real_hanoi_kh_173_festival"].floor < 0.09  # its first paragraph rewritten
    assert 0.03 < floors["real_hanoi_tb_453_flag"].floor < 0.05  # two printed recipients left out
    truth = transcriptions()
    for doc_id, pairs in scan_version_passages().items():
        fixed = corrected_transcription(doc_id, truth[doc_id])
        assert (fixed != truth[doc_id]) == bool(pairs)
        assert floors[doc_id].floor == pytest.approx(cer(fixed, truth[doc_id]))
    assert floors["real_qd_729_ttg"].floor > 0.08  # a rewritten "Căn cứ", recipients and signature


def test_a_passage_must_be_in_the_transcription_once() -> None:
    with pytest.raises(ValueError, match="not found once"):
        corrected_transcription("real_qd_729_ttg", "a transcription of something else")


def test_the_table_with_our_reading(capsys) -> None:
    assert main(["--doc", "real_hanoi_tb_453_flag", "--diff"]) == 0
    out = capsys.readouterr().out
    row = next(ln for ln in out.splitlines() if ln.startswith("| hanoi_tb_453_flag"))
    cells = [c.strip() for c in row.strip("|").split("|")]
    assert cells[1:4] == ["held", "text layer", cells[3]] and cells[3].startswith("yes")
    floor, ours_truth, ours_scan = (float(c.rstrip("%")) for c in cells[4:7])
    assert floor == pytest.approx(4.2, abs=0.1)
    # our reading is nearer the scan's own text than the transcription: the source is its version
    assert ours_scan < ours_truth and ours_truth >= floor
    # and where it differs from the scan's text, word by word
    listed = out.split("real_hanoi_tb_453_flag: ours against the scan's own text")[1].splitlines()[1:]
    assert listed and all(ln.startswith("  OURS[") and "] → THEIRS[" in ln for ln in listed)


def test_the_word_diff_names_each_difference_once() -> None:
    assert word_diff("Thành phô  treo cờ", "Thành phố treo “cờ”") == [
        "OURS[phô] → THEIRS[phố]",
        'OURS[cờ] → THEIRS["cờ"]',
    ]
    assert word_diff("a b c", "a c") == ["OURS[b] → THEIRS[]"]
    assert word_diff("hòa", "hoà") == []  # one spelling
