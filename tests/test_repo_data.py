"""Guard: every real document the tests read is in the repository (a fresh clone needs nothing else)."""

from __future__ import annotations

import json

import pytest

from tests.repo_data import REALDATA, SEED

EXPECTED = [
    "LICENSE",
    "metadata_real.jsonl",
    *[
        f"pages/real_{name}_p1.png"
        for name in (
            "cv_3722_metro",
            "hanoi_kh_173_festival",
            "hanoi_qd_2280_water",
            "hanoi_tb_453_flag",
            "nq_115_ba_vi",
            "qd_707_ttg",
            "qd_729_ttg",
            "tt_21_bct_fuel",
            "tt_37_bca_vehicle",
        )
    ],
    *[f"qd_707_table_pages/p-{page:03d}-{page - 5:03d}.png" for page in range(5, 22)],
    "sources/qd_707_ttg.pdf",
    "sources/tt_37_bca_vehicle.pdf",
    "sources/hanoi_kh_173_festival.pdf",
    "sources/hanoi_qd_2280_water.pdf",
    "sources/hanoi_tb_453_flag.pdf",
]


@pytest.mark.parametrize("rel", EXPECTED)
def test_real_document_is_in_the_repository(rel):
    path = REALDATA / rel
    assert path.is_file() and path.stat().st_size > 0, f"missing test data: {path}"


def test_every_transcription_points_at_a_shipped_pdf():
    rows = [
        json.loads(line)
        for line in (REALDATA / "metadata_real.jsonl").read_text("utf-8").splitlines()
        if line
    ]
    assert len(rows) == 9
    for row in rows:
        assert (REALDATA / row["pdf"]).is_file(), row["pdf"]


def test_seed_is_shipped_without_real_contacts():
    text = SEED.read_text(encoding="utf-8")
    assert "Biểu mẫu 7B" in text and "DANH SÁCH" in text
    assert "@gmail" not in text and "@yahoo" not in text
    assert "example.com" in text
