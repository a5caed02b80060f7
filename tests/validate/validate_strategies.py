"""Hypothesis strategies: random tables that satisfy a form's invariants, and single-digit misreads."""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import strategies as st
from validate_builders import Cell, Spec, agreeing, row, vn_count, vn_decimal

from extract.model import RowKind

COLUMNS_5B = (
    "tiep_nhan_tong",
    "tiep_nhan_ky_truoc",
    "tiep_nhan_moi",
    "da_giai_quyet_tong",
    "da_giai_quyet_dung_han",
    "da_giai_quyet_qua_han",
    "dang_giai_quyet_tong",
    "dang_giai_quyet_chua_den_han",
    "dang_giai_quyet_qua_han",
)
SUMMED_77Z = ("ke_hoach", "dat", "khong_dat", "kinh_phi")  # kinh_phi in cents while generating


@dataclass
class Generated:
    """A generated table: what to build, and the true number of every numeric cell."""

    spec: Spec
    truth: dict[tuple[int, str], float]
    column_types: dict[str, str]


amounts = st.one_of(st.just(0), st.integers(1, 40), st.integers(0, 30_000))


@st.composite
def count_text(draw: st.DrawFn, n: int) -> str:
    """How a report prints a count: blank or "0" for zero, "5.697" or sometimes "1582"."""
    if n == 0:
        return draw(st.sampled_from(["", "0"]))
    if n >= 1000 and draw(st.integers(0, 4)) == 0:
        return str(n)
    return vn_count(n)


@st.composite
def row_5b(draw: st.DrawFn) -> dict[str, int]:
    """One leaf row of 5B: (3)=(4)+(5), (6)=(7)+(8), (9)=(10)+(11) and received = settled +
    pending, (3)=(6)+(9); "from the previous period" (4) is often 0, as in the seed."""
    n = {k: draw(amounts) for k in COLUMNS_5B[4:6] + COLUMNS_5B[7:9]}
    n["da_giai_quyet_tong"] = n["da_giai_quyet_dung_han"] + n["da_giai_quyet_qua_han"]
    n["dang_giai_quyet_tong"] = n["dang_giai_quyet_chua_den_han"] + n["dang_giai_quyet_qua_han"]
    n["tiep_nhan_tong"] = n["da_giai_quyet_tong"] + n["dang_giai_quyet_tong"]
    n["tiep_nhan_ky_truoc"] = draw(st.one_of(st.just(0), st.integers(0, n["tiep_nhan_tong"])))
    n["tiep_nhan_moi"] = n["tiep_nhan_tong"] - n["tiep_nhan_ky_truoc"]
    return n


@st.composite
def tables_5b(draw: st.DrawFn) -> Generated:
    """A 5B table: row I, row II with 1-13 communes under it, and the total row (top or bottom)."""
    n = draw(st.integers(1, 13))
    leaves = [draw(row_5b()) for _ in range(n + 1)]  # row I, then the communes
    ii = {k: sum(c[k] for c in leaves[1:]) for k in COLUMNS_5B}
    total = {k: leaves[0][k] + ii[k] for k in COLUMNS_5B}
    rows_data = [("I", "I", RowKind.SECTION, leaves[0]), ("II", "II", RowKind.SECTION, ii)]
    rows_data += [(str(i), f"II/{i}", RowKind.COMMUNE, leaves[i]) for i in range(1, n + 1)]
    total_row = ("", "total", RowKind.TOTAL, total)
    rows_data = [total_row, *rows_data] if draw(st.booleans()) else [*rows_data, total_row]
    spec = Spec(rows=[])
    truth: dict[tuple[int, str], float] = {}
    for i, (index, path, kind, nums) in enumerate(rows_data):
        label = "Tổng số = (I) + (II)" if kind == RowKind.TOTAL else f"Đơn vị {path}"
        spec.rows.append(row(kind, index, path, label))
        for key, value in nums.items():
            truth[(i, key)] = float(value)
            spec.cells[(i, key)] = agreeing(draw(count_text(value)))
        spec.cells[(i, "ghi_chu")] = Cell(draw(st.sampled_from(["", "ghi chú"])), 92.0)
    return Generated(spec, truth, dict.fromkeys(COLUMNS_5B, "count"))


@st.composite
def tables_77z(draw: st.DrawFn) -> Generated:
    """A 77Z table: sections I-III, 0-3 items each, 0-3 sub-items per item, and a total row."""
    small = st.one_of(st.just(0), st.integers(0, 500))
    cents = st.one_of(st.just(0), st.integers(0, 2_000_000))
    tree: list[tuple[str, str, RowKind, int]] = []  # (index, path, kind, depth)
    for roman in ("I", "II", "III"):
        tree.append((roman, roman, RowKind.SECTION, 0))
        for i in range(1, draw(st.integers(0, 3)) + 1):
            tree.append((str(i), f"{roman}/{i}", RowKind.ITEM, 1))
            for j in range(1, draw(st.integers(0, 3)) + 1):
                tree.append((f"{i}.{j}", f"{roman}/{i}/{i}.{j}", RowKind.SUBITEM, 2))
    nums: dict[str, dict[str, int]] = {}
    for _index, path, _kind, _depth in reversed(tree):  # children before parents
        kids = [p for _, p, _, _ in tree if p.rsplit("/", 1)[0] == path and "/" in p]
        if kids:
            nums[path] = {k: sum(nums[c][k] for c in kids) for k in SUMMED_77Z}
        else:
            nums[path] = {k: draw(cents if k == "kinh_phi" else small) for k in SUMMED_77Z}
    total = {k: sum(nums[r][k] for r in ("I", "II", "III")) for k in SUMMED_77Z}
    rows_data = [(index, path, kind, nums[path]) for index, path, kind, _ in tree]
    rows_data.append(("", "total", RowKind.TOTAL, total))
    spec = Spec(rows=[])
    truth: dict[tuple[int, str], float] = {}
    for i, (index, path, kind, n) in enumerate(rows_data):
        label = "Tổng cộng" if kind == RowKind.TOTAL else f"Nội dung {path}"
        spec.rows.append(row(kind, index, path, label))
        checked = n["dat"] + n["khong_dat"]
        for key in ("ke_hoach", "dat", "khong_dat"):
            truth[(i, key)] = float(n[key])
            spec.cells[(i, key)] = agreeing(draw(count_text(n[key])))
        truth[(i, "da_kiem_tra")] = float(checked)
        spec.cells[(i, "da_kiem_tra")] = agreeing(draw(count_text(checked)))
        truth[(i, "kinh_phi")] = n["kinh_phi"] / 100
        money = "" if n["kinh_phi"] == 0 and draw(st.booleans()) else vn_decimal(n["kinh_phi"] / 100, 2)
        spec.cells[(i, "kinh_phi")] = agreeing(money)
        if checked:
            rate = round(n["dat"] / checked * 100, 1)
            truth[(i, "ty_le_dat")] = rate
            spec.cells[(i, "ty_le_dat")] = agreeing(vn_decimal(rate, 1) + draw(st.sampled_from(["", "%"])))
        else:
            spec.cells[(i, "ty_le_dat")] = agreeing("")
    types = {"ke_hoach": "count", "da_kiem_tra": "count", "dat": "count", "khong_dat": "count"}
    types |= {"ty_le_dat": "percent", "kinh_phi": "decimal"}
    return Generated(spec, truth, types)


def digit_positions(text: str, column_type: str) -> list[int]:
    """Digits a misread may change: for decimals only the whole part (the last decimal places lie
    within the rounding a rule allows, so a misread there is undetectable by arithmetic)."""
    end = text.index(",") if column_type == "decimal" and "," in text else len(text)
    return [i for i, ch in enumerate(text[:end]) if ch.isdigit()]


@st.composite
def misread(draw: st.DrawFn, text: str, column_type: str) -> str:
    """``text`` with one digit changed (never a new leading zero)."""
    pos = draw(st.sampled_from(digit_positions(text, column_type)))
    whole_end = text.index(",") if "," in text else len(text)
    leading = pos == 0 and len([c for c in text[:whole_end] if c.isdigit()]) > 1
    choices = [d for d in "0123456789" if d != text[pos] and not (leading and d == "0")]
    return text[:pos] + draw(st.sampled_from(choices)) + text[pos + 1 :]
