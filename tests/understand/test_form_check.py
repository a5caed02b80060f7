"""A table's form from its column headers when no form code was read (extract.understand.form_check)."""

from __future__ import annotations

import pytest

from extract.config import load_config
from extract.folding import fold
from extract.understand.form_check import _pieces, header_fit, header_support, recheck_form
from extract.understand.forms import FormMatch, identify_form

CONFIG = load_config()
FORMS = CONFIG.form_specs
BY_CODE = {f.code: f for f in FORMS}

# dev split, document 5 (150-dpi fax), page 5, as read: 11B's header above a broken grid, its two
# columns side by side in short lines, taken for 3B's subtitle; the grid starts at the header's
# last line
FAX_11B = [
    "Số lượng TTHC:",
    "có phát sinh sử",
    "| Số lượng dụng dịch vụ /",
    "TTHC đã , BCCI trong kỳ",
    "'Cơ quan, đơn vi lcông bố triển | báo cáo . Ghi chú",
    "l@TrÌ",
]
FAX_11B_ROWS = [["khai dịch vụ BCCI", "Số TVHC tiếp nhận", "Số TTHC trả kết quả"], ["43", "13", ""]]


def test_header_text_read_as_a_title_names_its_form() -> None:
    by_title = identify_form(FAX_11B, FORMS, CONFIG.forms)
    assert by_title is not None and (by_title.code, by_title.method) == ("3B", "title")  # the miss
    for rows in (FAX_11B_ROWS, []):  # the title lines alone suffice
        fixed = recheck_form(by_title, FAX_11B, rows, FORMS)
        assert fixed is not None and (fixed.code, fixed.method) == ("11B", "header")
        assert "overrules the subtitle's 3B" in fixed.evidence


@pytest.mark.parametrize("code", ["1B", "4B", "7B", "10B", "11B", "14B"])
def test_a_header_without_a_title_names_its_form(code: str) -> None:
    header_row = [" / ".join(c.header) for c in BY_CODE[code].columns]
    found = recheck_form(None, [], [header_row], FORMS)
    assert found is not None and found.code == code


@pytest.mark.parametrize("code", [f.code for f in FORMS])
def test_a_header_never_names_another_form(code: str) -> None:
    """Forms whose headers are alike (3B and 13B: "Số liệu thống kê") are left unnamed, never
    swapped."""
    header_row = [" ".join(c.header) for c in BY_CODE[code].columns]
    found = recheck_form(None, [], [header_row], FORMS)
    assert found is None or found.code == code


def test_a_read_code_or_a_confirmed_subtitle_is_never_overruled() -> None:
    header_row = [" ".join(c.header) for c in BY_CODE["11B"].columns]
    for method in ("code", "code+title"):
        read = FormMatch("3B", 90.0, method, "code token '3B'")
        assert recheck_form(read, [], [header_row], FORMS) is read
    # a subtitle-only match that the headers confirm, or do not clearly contradict, stays
    strong = FormMatch("11B", 70.0, "title", "subtitle 70")
    assert recheck_form(strong, [], [header_row], FORMS) is strong
    weak_rival = FormMatch("3B", 85.0, "title", "subtitle 85")
    assert recheck_form(weak_rival, [], [header_row], FORMS) is weak_rival  # 100 - 85 < the lead
    # body rows, short cells and nothing at all name no form
    assert recheck_form(None, [], [["1", "Xã An Mỹ", "12", "3"]], FORMS) is None
    assert recheck_form(None, [], [["Tổng số", "Ghi chú"]], FORMS) is None
    assert recheck_form(None, [], [], FORMS) is None


def test_header_fit_compares_pieces_of_a_header_length() -> None:
    form = BY_CODE["11B"]
    one, two = (fold(" ".join(c.header)) for c in form.columns[2:4])
    assert header_fit([one, two], form) == pytest.approx(100.0)
    assert header_fit([one], form) == pytest.approx(50.0)  # the mean of its two best headers
    # the same words inside a page-long text are not evidence (every header's words are in it)
    assert header_fit([" ".join([one, two] * 3)], form) == 0.0


@pytest.mark.e2e
def test_the_generated_fax_page_is_read_as_11b_end_to_end(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Real generator, OpenCV and tesseract: dev document 5 (150-dpi bilevel fax), page 5, whose
    11B title is lost and whose header is read above a broken grid.  It was read as a 3B table;
    now it is 11B, named by its headers, and no number it does not flag is wrong (its rows had
    no STT or label read and were all flagged; since the grid takes back the side columns whose
    rules broke, the rows are read, and what is not flagged equals the print)."""
    from extract.document import assemble_document
    from extract.model import ValueStatus
    from extract.page import PageTask, process_page
    from extract.synth.build import write_document
    from extract.synth.population import build_population_document, plan_document

    plan = plan_document("dev", 5)
    assert (plan.quality, plan.dpi) == ("fax", 150)
    doc = build_population_document(plan)
    path = tmp_path / f"{plan.stem}.pdf"
    write_document(doc, path)
    printed = [t["form"] for p in doc.truth["pages"] if p["index"] == 5 for t in p["tables"]]
    assert printed == ["11B"]
    result = process_page(PageTask(str(path), 5, "doc"))
    assert result.error is None
    tables = assemble_document("doc", str(path), [result]).tables
    assert tables[0].form == "11B"
    assert [t.form for t in tables if t.form not in ("11B", "unknown")] == []
    numbers = [v for v in tables[0].values if v.number is not None]
    assert numbers
    truth = next(t for p in doc.truth["pages"] if p["index"] == 5 for t in p["tables"])
    printed = {r["commune_code"] or r["stt"]: r["cells"] for r in truth["rows"]}
    printed_key = dict(zip(tables[0].columns, truth["columns"], strict=True))
    for v in numbers:
        if v.status != ValueStatus.FLAGGED:
            cell = printed[v.commune_code or v.row_key][printed_key[v.column_key]]
            assert float(cell.replace(".", "")) == v.number, (v.row_key, v.column_key, cell, v.number)


# dev split, document 107 (hard, 300 dpi), page 4, as read: a seal over 10B's title; "Biểu mẫu
# 10B" and the subtitle's start were lost, and the title's "Thống kê số liệu" spells 3B's and
# 13B's one header ("Số liệu thống kê") as well as the header rows spell 10B's: three fits of
# 100, no lead, the 10B table over three pages was a table of no form (126 numbers not found)
SEALED_10B_TITLE = [
    "Thống kê số liệu về kệ",
    "địch vụ công trực tuyến trên địa bàn huyện Đức Huệ",
    ". hành chính nhà nước",
    "(Kèm theo Báo cáo số 846/R",
    "9 tháng 9 năm 2024 của Ủy ban nhân dân huyện Đức Huế",
]
SEALED_10B_ROWS = [
    ["STT", "Cơ quan, đơn vị", "Tổng số văn bản đi", "Trong đó", "Trong đó", "Trong đó"]
    + ["Dịch vụ công trực tuyến mức độ 3:"] * 3
    + ["Dịch vụ công trực tuyến mức độ 4"] * 2
    + ["Ghi chú"],
    [
        "STT",
        "Cơ quan, đơn vị",
        "Tổng số văn bản đi",
        "Số văn bản giấy",
        "Số văn bản điện tử gửi giữa các cơ quan hành chính nhà nước",
        "Sõ văn bản phát hành Song song văn bản giấy và điện tử",
        "Tổng số TTHC đã cung cấp",
        "Hồ sơ đã tiếp nhận",
        "Tiếp nhận qua: mạng hoặc dịch vụ bưu chính -",
        "Tổng số TTHC đã cung cấp",
        "Hồ Sơ đã tiếp nhận",
        "Ghi chú",
    ],
    ["1", "2", "(3)=4)+ (5)+(6)", "4", "5", "6", "(7)", "8", "9", "10", "11", "12"],
]


def test_a_form_spelled_out_by_many_headers_beats_a_one_header_form_tied_with_it() -> None:
    assert identify_form(SEALED_10B_TITLE, FORMS, CONFIG.forms) is None
    tied = {
        c: header_fit(_pieces(SEALED_10B_TITLE, SEALED_10B_ROWS, CONFIG.forms), BY_CODE[c]) for c in BY_CODE
    }
    assert tied["10B"] == tied["3B"] == tied["13B"] == 100.0  # the fits alone name no form
    found = recheck_form(None, SEALED_10B_TITLE, SEALED_10B_ROWS, FORMS, CONFIG.forms)
    assert found is not None and (found.code, found.method) == ("10B", "header")
    assert "of 10B's headers" in found.evidence


def test_a_one_header_form_spelled_by_a_title_phrase_is_never_named_by_support() -> None:
    """The title alone (no header rows): 3B and 13B tie at 100 with one header each; none is
    named."""
    assert recheck_form(None, SEALED_10B_TITLE, [], FORMS, CONFIG.forms) is None
    assert header_support(_pieces(SEALED_10B_TITLE, [], CONFIG.forms), BY_CODE["3B"], CONFIG.forms) == 1
