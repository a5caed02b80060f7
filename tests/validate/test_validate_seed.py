"""The real 5B annex of the seed report (Kế Sách district, 2019), as its text was read.

data/seed_5B.tsv is the 5B table of the seed report (tests/data/seed/ke_sach_2019_bc542.txt), copied verbatim
(header lines included).  Its total row prints (7) "Trả đúng thời hạn" = 91.627 while
(I) + (II) = 4.101 + 91.627 = 95.728 (and (6) - (8) = 96.269 - 541 = 95.728): the printed report
is itself inconsistent there.  Everything else adds up.
"""

from __future__ import annotations

from validate_builders import DATA, PARSE, Spec, agreeing, build_table, form_5b, row, snapshot, value_at

from extract.model import DocumentMeta, DocumentResult, RowKind, ValueStatus
from extract.validate import ValidateSettings, check_table, review_queue, validate_document, validate_table

DATA_COLUMNS = (
    "tiep_nhan_tong",
    "tiep_nhan_ky_truoc",
    "tiep_nhan_moi",
    "da_giai_quyet_tong",
    "da_giai_quyet_dung_han",
    "da_giai_quyet_qua_han",
    "dang_giai_quyet_tong",
    "dang_giai_quyet_chua_den_han",
    "dang_giai_quyet_qua_han",
    "ghi_chu",
)


def seed_table():  # type: ignore[no-untyped-def]
    """The seed's 5B body rows as a table; every cell read confidently by two agreeing variants."""
    lines = (DATA / "seed_5B.tsv").read_text(encoding="utf-8").splitlines()
    body = [ln.replace("<b>", "").replace("</b>", "").split("\t") for ln in lines if ln.strip()]
    body = body[3:]  # two header lines and the column-number line
    spec = Spec(rows=[])
    for i, fields in enumerate(body):
        index, label = fields[0].strip(), fields[1].strip()
        if index.startswith("Tổng"):  # "Tổng số = (I) + (II)" spans the STT and label columns
            index, label = "", index
        if index in ("I", "II"):
            info = row(RowKind.SECTION, index, index, label)
        elif index:
            info = row(RowKind.COMMUNE, index, f"II/{index}", label)
        else:
            info = row(RowKind.TOTAL, "", "total", label)
        spec.rows.append(info)
        for key, text in zip(DATA_COLUMNS, fields[2:], strict=False):
            spec.cells[(i, key)] = agreeing(text.strip(), 96.0)
    return build_table(form_5b(), spec)


def test_seed_5b_has_the_expected_shape() -> None:
    table = seed_table()
    assert [r.index for r in table.rows] == ["I", "II", *map(str, range(1, 14)), ""]
    assert value_at(table, 15, "da_giai_quyet_dung_han").number == 91627
    assert value_at(table, 0, "dang_giai_quyet_tong").raw_text == "1582"


def test_seed_5b_reports_exactly_the_printed_inconsistency_and_alters_nothing() -> None:
    table = seed_table()
    before = snapshot(table.values)

    table, checks = validate_table(table, form_5b(), ValidateSettings(), parse=PARSE)

    total_row = next(i for i, r in enumerate(table.rows) if r.kind == RowKind.TOTAL)
    culprit = (total_row, "da_giai_quyet_dung_han")
    failing = [c for c in checks if not c.holds]
    assert failing
    assert all(culprit in {x.key for x in c.cells} for c in failing)
    assert {c.rule for c in failing} == {"Tổng số = (I) + (II)", "(6)=(7)+(8)"}
    assert all(c.expected == 95728 or c.actual == 95728 or c.total.key != culprit for c in failing)
    assert sum(c.holds for c in checks) > 40  # the rest of the table is checked, and adds up

    assert snapshot(table.values) == before
    assert not [v for v in table.values if v.status == ValueStatus.CORRECTED]
    assert len(table.issues) == 1
    issue = table.issues[0]
    assert issue.startswith("printed totals inconsistent")
    assert "da_giai_quyet_dung_han" in issue and "91.627" in issue and "95.728" in issue

    v = value_at(table, *culprit)
    assert v.status == ValueStatus.FLAGGED and v.number == 91627 and v.raw_text == "91.627"
    assert v.flag_reason is not None and v.flag_reason.startswith("printed totals inconsistent")
    assert v.suspect is True
    flagged = {(x.row_index, x.column_key) for x in table.values if x.status == ValueStatus.FLAGGED}
    assert flagged == {c.key for chk in failing for c in chk.cells}
    assert [k for k in flagged if value_at(table, *k).suspect] == [culprit]
    # (9)=(10)+(11) on row I: 1582 = 1582 + blank holds, so the blank (11) is verified as 0
    assert value_at(table, 0, "dang_giai_quyet_qua_han").status == ValueStatus.VERIFIED
    others = [x for x in table.values if x.number is not None and (x.row_index, x.column_key) not in flagged]
    assert others and all(x.status == ValueStatus.VERIFIED for x in others)


def test_seed_5b_check_table_is_pure_and_agrees_with_validation() -> None:
    table = seed_table()
    before = snapshot(table.values)
    statuses = [v.status for v in table.values]

    checks = check_table(table, form_5b())

    assert snapshot(table.values) == before and [v.status for v in table.values] == statuses
    failing = [(c.rule, c.total.key) for c in checks if not c.holds]
    assert sorted(failing) == sorted(
        [
            ("(6)=(7)+(8)", (15, "da_giai_quyet_tong")),
            ("Tổng số = (I) + (II)", (15, "da_giai_quyet_dung_han")),
        ]
    )


def test_seed_5b_in_the_review_queue() -> None:
    table = seed_table()
    doc = DocumentResult("0123456789abcdef", "report.pdf", 1, DocumentMeta(), [], [table])

    doc = validate_document(doc, {"5B": form_5b()}, ValidateSettings(), parse=PARSE)
    queue = review_queue([doc])

    assert len(queue) == 5  # the five cells of the two failing rules
    assert set(queue["status"]) == {"flagged"} and not queue["corrected"].any()
    suspect = queue[queue["suspect"]]
    assert list(suspect["column_key"]) == ["da_giai_quyet_dung_han"]
    assert list(suspect["raw_text"]) == ["91.627"] and list(suspect["row_key"]) == ["total"]
    assert (queue["page"] == 1).all()
