"""Document assembly in process, from page results built by hand (no OCR): the district from the
commune names when the subtitle cannot decide, commune-like rows that match nothing, and a
printed inconsistency claimed only when every commune row is there."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from document_builders import read_table

from extract.document import assemble_document
from extract.model import (
    OcrLine,
    PageResult,
    PixelBox,
    ReadTable,
    ValueStatus,
)
from extract.understand.gazetteer import Gazetteer
from extract.validate.statuses import INCOMPLETE, PRINTED

TOP = 400
HEADER = [
    [
        "STT",
        "Cơ quan tiếp nhận, giải quyết hồ sơ TTHC",
        "Số hồ sơ đã tiếp nhận",
        "Số hồ sơ đã tiếp nhận",
        "Số hồ sơ đã tiếp nhận",
        "Kết quả giải quyết",
        "Kết quả giải quyết",
        "Kết quả giải quyết",
        "Kết quả giải quyết",
        "Kết quả giải quyết",
        "Kết quả giải quyết",
        "Ghi chú",
    ],
    [
        "STT",
        "Cơ quan tiếp nhận, giải quyết hồ sơ TTHC",
        "Tổng số",
        "Trong đó",
        "Trong đó",
        "Số hồ sơ đã giải quyết",
        "Số hồ sơ đã giải quyết",
        "Số hồ sơ đã giải quyết",
        "Số hồ sơ đang giải quyết",
        "Số hồ sơ đang giải quyết",
        "Số hồ sơ đang giải quyết",
        "Ghi chú",
    ],
    [
        "STT",
        "Cơ quan tiếp nhận, giải quyết hồ sơ TTHC",
        "Tổng số",
        "Từ kỳ trước",
        "Mới tiếp nhận",
        "Tổng số",
        "Trả đúng thời hạn",
        "Trả quá hạn",
        "Tổng số",
        "Chưa đến hạn",
        "Quá hạn",
        "Ghi chú",
    ],
    [
        "(1)",
        "(2)",
        "(3)=(4)+(5)",
        "(4)",
        "(5)",
        "(6)=(7)+(8)",
        "(7)",
        "(8)",
        "(9)=(10)+(11)",
        "(10)",
        "(11)",
        "(12)",
    ],
]


def _vn(n: int) -> str:
    return f"{n:,}".replace(",", ".") if n else ""


def _numbers(received: int, late: int) -> list[str]:
    """(3)..(12) of a row whose files were all settled: ``late`` of them late."""
    return [_vn(received), "", _vn(received), _vn(received), _vn(received - late), _vn(late), "", "", "", ""]


def _table(body: Sequence[list[str]]) -> ReadTable:
    return read_table([*HEADER, *body], page=0, top=TOP)


def _page(body: Sequence[list[str]], reference: str) -> PageResult:
    texts = [
        "Biểu mẫu 5B",
        "Thống kê kết quả tiếp nhận, giải quyết thủ tục hành chính cho người dân, doanh nghiệp",
        reference,
    ]
    lines = tuple(
        OcrLine(t, PixelBox(300, 100 + 60 * i, 2000, 140 + 60 * i), 95.0) for i, t in enumerate(texts)
    )
    return PageResult(
        source="x.pdf",
        page_index=0,
        page_count=1,
        dpi=300,
        width=2480,
        height=3508,
        lines=lines,
        tables=(_table(body),),
    )


def _report(
    communes: Sequence[str], *, ii_received: int | None = None, extra: Sequence[str] = ()
) -> PageResult:
    """A 5B whose commune rows are ``communes`` (received 100 + 10 i, late i each), section II
    their sum (or ``ii_received``), and I a district row; ``extra`` labels add commune-like rows."""
    labels = [*communes, *extra]
    rows = [[str(i + 1), name, *_numbers(100 + 10 * i, i)] for i, name in enumerate(labels)]
    total = sum(100 + 10 * i for i in range(len(labels)))
    late = sum(range(len(labels)))
    ii = ii_received if ii_received is not None else total
    body = [
        ["I", "TTHC thuộc thẩm quyền của UBND cấp huyện", *_numbers(500, 3)],
        ["II", "TTHC thuộc thẩm quyền của UBND cấp xã", *_numbers(ii, late)],
        *rows,
        ["", "Tổng số = (I) + (II)", *_numbers(500 + ii, 3 + late)],
    ]
    reference = "(Kèm theo Báo cáo số 12/BC-UBND ngày 2 tháng 3 năm 2019 của Ủy ban nhân dân huyện Tam Nông)"
    return _page(body, reference)


@pytest.fixture(scope="module")
def tam_nong() -> dict[str, list[str]]:
    gaz = Gazetteer.load_default()
    out = {}
    for d in gaz.find_district("huyện Tam Nông"):
        out[d.province] = [d.code, *(c.name for c in gaz.communes(d.code, 2019).communes)]
    assert len(out) == 2
    return out


def test_a_shared_district_name_is_decided_by_the_commune_rows(tam_nong) -> None:  # type: ignore[no-untyped-def]
    code, *names = tam_nong["Tỉnh Phú Thọ"]
    doc = assemble_document("d1", "x.pdf", [_report(names)])
    assert doc.meta.district_code == code and doc.meta.province == "Tỉnh Phú Thọ"
    assert "the text names 2 districts" in doc.meta.district_evidence
    assert f"{len(names)} of {len(names)} commune labels" in doc.meta.district_evidence
    [table] = doc.tables
    communes = {r.commune.commune.name for r in table.rows if r.commune is not None}
    assert communes == set(names)
    assert table.incomplete == {}
    # and the same name with Đồng Tháp's communes gives Đồng Tháp
    other_code, *other = tam_nong["Tỉnh Đồng Tháp"]
    assert assemble_document("d2", "x.pdf", [_report(other)]).meta.district_code == other_code


def test_a_commune_like_row_that_matches_nothing_is_flagged(tam_nong) -> None:  # type: ignore[no-untyped-def]
    _code, *names = tam_nong["Tỉnh Phú Thọ"]
    doc = assemble_document("d3", "x.pdf", [_report(names, extra=["Xã Trinh Phú"])])  # Kế Sách's
    [table] = doc.tables
    odd = next(i for i, r in enumerate(table.rows) if r.label == "Xã Trinh Phú")
    assert table.rows[odd].commune is None and table.rows[odd].problem
    values = [v for v in table.values if v.row_index == odd]
    assert values and all(v.status == ValueStatus.FLAGGED for v in values)
    assert any("'Xã Trinh Phú'" in issue for issue in table.issues)


def test_printed_totals_are_blamed_only_when_every_commune_row_is_there(tam_nong) -> None:  # type: ignore[no-untyped-def]
    _code, *names = tam_nong["Tỉnh Phú Thọ"]
    received = sum(100 + 10 * i for i in range(len(names)))
    # every commune printed and read, II prints 7 more than they give: the print is wrong
    whole = assemble_document("d4", "x.pdf", [_report(names, ii_received=received + 7)])
    [table] = whole.tables
    assert any(issue.startswith(PRINTED) for issue in table.issues), table.issues
    # one commune row lost (a worn scan merged it away): the same sum is a reading problem
    lost = [n for i, n in enumerate(names) if i != 4]
    partial = assemble_document("d5", "x.pdf", [_report(lost, ii_received=received + 7)])
    [table] = partial.tables
    assert not any(PRINTED in issue for issue in table.issues), table.issues
    assert any(issue.startswith(INCOMPLETE) for issue in table.issues)
    assert any(names[4] in issue and "rows missing under row II" in issue for issue in table.issues)
