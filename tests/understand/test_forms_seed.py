"""The form configs against the printed seed report: every printed value has a column.

The seed (``tests/data/seed``) is the OCR text of report 542/BC-UBND: one line per printed row,
cells separated by tabs.  Its header cells are partly garbled, but its data rows show how many
values each row prints after its label: a form must declare at least as many value columns as
any of its rows prints values, or a printed column vanishes (issue 9: 7B printed 17 values in
16 declared columns, 10B's third "mức độ 3" column was missing).
"""

from __future__ import annotations

import re

import pytest

from extract.config import load_forms
from extract.understand.forms import fold
from tests.repo_data import SEED

FORMS = {f.code: f for f in load_forms()}
_MARK = re.compile(r"^\**(?:Biểu mẫu\s+(\S+?)|## (DANH SÁCH))\**\s*$")
_CODE_FIX = {"IB": "1B", "SB": "5B", "14": "14B"}  # OCR of the seed's code lines
_STT = re.compile(r"^(?:[IVX]+|\d+(?:\.\d+)*|-)$")


def seed_rows() -> dict[str, list[tuple[str, list[str]]]]:
    """Form code -> the seed's data rows: (STT or total label, cells after STT and label)."""
    out: dict[str, list[tuple[str, list[str]]]] = {}
    code = None
    for line in SEED.read_text(encoding="utf-8").splitlines():
        m = _MARK.match(line.strip())
        if m:
            code = "danh_sach" if m.group(2) else _CODE_FIX.get(m.group(1), m.group(1))
            continue
        if code is None or "\t" not in line:
            continue
        cells = [re.sub(r"</?b>", "", c).strip() for c in line.split("\t")]
        if cells[0] == "-" and len(cells) > 2 and cells[1] in ("", "1"):  # 2B prints "S | TT" as two cells
            cells = cells[1:]
        if _STT.match(cells[0]) or fold(cells[0]).startswith("tong"):
            out.setdefault(code, []).append((cells[0], cells[2:] if _STT.match(cells[0]) else cells[1:]))
    return out


def _value_columns(code: str) -> int:
    form = FORMS[code]
    return sum(1 for c in form.columns if c.key not in (form.index_column, form.label_column))


def test_every_form_of_the_seed_is_found() -> None:
    assert set(seed_rows()) == set(FORMS)


@pytest.mark.parametrize("code", sorted(FORMS))
def test_no_seed_row_prints_more_values_than_its_form_declares(code: str) -> None:
    rows = [
        cells for head, cells in seed_rows()[code] if not (code == "7B" and fold(head).startswith("tong"))
    ]
    # (7B's total row prints an 18th number no column explains: I + II give 17 values, the OCR
    # split a cell; every other row is checked)
    printed = max(sum(1 for c in r if c) for r in rows)
    assert printed <= _value_columns(code), (code, printed, _value_columns(code))


def test_7b_row_i_prints_seventeen_values_and_the_transfers_have_two_columns() -> None:
    row_i = seed_rows()["7B"][0][1]
    values = [c for c in row_i if c]
    assert len(values) == 17 == _value_columns("7B")
    form = FORMS["7B"]
    transfers = [c for c in form.columns if c.header[0].startswith("Điều động, chuyển công tác")]
    assert [c.key for c in transfers] == ["dieu_dong", "chuyen_cong_tac"]
    by_key = dict(zip((c.key for c in form.columns[2:]), values, strict=True))
    assert (by_key["dieu_dong"], by_key["chuyen_cong_tac"], by_key["nang_luong_tx"]) == ("4", "0", "543")


def test_10b_level_3_services_have_three_columns() -> None:
    form = FORMS["10B"]
    level3 = [c.header[-1] for c in form.columns if c.header[0] == "Dịch vụ công trực tuyến mức độ 3"]
    assert level3 == [
        "Tổng số TTHC đã cung cấp",
        "Hồ sơ đã tiếp nhận",
        "Tiếp nhận qua mạng hoặc dịch vụ bưu chính",
    ]
    seed_header = (SEED.read_text(encoding="utf-8").split("Biểu mẫu 10B")[1]).split("\n1\t")[0]
    assert "Tiếp nhận qua mạng hoặc dịch vụ bưu chính" in seed_header
    # its data: Tổng số văn bản đi = giấy + điện tử + song song (2.978 = 2.003 + 599 + 376)
    row_i = seed_rows()["10B"][0][1]
    assert row_i[:4] == ["2.978", "2.003", "599", "376"]
