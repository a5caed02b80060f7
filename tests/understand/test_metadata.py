"""Document number, date, issuer and title (extract.understand.metadata)."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extract.understand.gazetteer import Gazetteer
from extract.understand.metadata import parse_date, parse_metadata, parse_number, place_date
from tests.repo_data import REALDATA
from tests.repo_data import SEED as SEED_TEXT

SEED = SEED_TEXT
REAL = REALDATA / "metadata_real.jsonl"


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.load()


def test_sample_report_first_lines(gaz: Gazetteer) -> None:
    lines = SEED.read_text(encoding="utf-8").splitlines()[:12]
    meta = parse_metadata(lines, gaz)
    assert meta.number == "542/BC-UBND"
    assert (meta.date, meta.year) == ("2019-11-21", 2019)
    # the OCR lost the issuer header: the place before ", ngày" names the district
    assert (meta.district, meta.district_code) == ("Huyện Kế Sách", "943")
    assert (meta.province, meta.province_code) == ("Tỉnh Sóc Trăng", "94")
    assert meta.title is not None
    assert meta.title.startswith("BÁO CÁO Tình hình, kết quả thực hiện cải cách hành chính năm 2019")


def test_full_header(gaz: Gazetteer) -> None:
    lines = [
        "ỦY BAN NHÂN DÂN",
        "HUYỆN KẾ SÁCH",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 542 /BC-UBND",
        "Kế Sách, ngày 14 /11/2019",
        "BÁO CÁO",
        "Tình hình, kết quả thực hiện cải cách hành chính",
        "năm 2019",
        "Thực hiện Công văn số 1699/SNV-CCHC ngày 13/8/2018 của Giám đốc Sở Nội vụ tỉnh Sóc Trăng",
    ]
    meta = parse_metadata(lines, gaz)
    assert (meta.number, meta.date, meta.year) == ("542/BC-UBND", "2019-11-14", 2019)
    assert (meta.district_code, meta.province_code) == ("943", "94")
    assert meta.title == "BÁO CÁO Tình hình, kết quả thực hiện cải cách hành chính năm 2019"


def test_header_glued_to_the_motto_by_ocr(gaz: Gazetteer) -> None:
    lines = [
        "UBND HUYỆN KẾ SÁCH CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "S6: 542/BC-UBND Kế Sách, ngày 21 tháng 11 năm 2019",
    ]
    meta = parse_metadata(lines, gaz)
    assert (meta.number, meta.date, meta.district_code) == ("542/BC-UBND", "2019-11-21", "943")


@pytest.mark.parametrize(
    ("line", "number"),
    [
        ("Số: 542 /BC-UBND", "542/BC-UBND"),
        ("Số: 729/QĐ-TTg", "729/QĐ-TTg"),
        ("Số: 15/2018/NQ-HĐND", "15/2018/NQ-HĐND"),
        ("Số:21/2026/TT-BCT", "21/2026/TT-BCT"),
        ("Số 12 / KH - UBND", "12/KH-UBND"),
        ("S6: 542/BC-UBND", "542/BC-UBND"),
        ("Só: 3722/VPCP-CN", "3722/VPCP-CN"),
        ("Số: /QĐ-UBND", None),  # printed, not yet numbered
        ("Só: Z7 /QĐ-TTg", None),  # unreadable: no guess
        ("căn cứ Nghị định số 80/2023/NĐ-CP", None),  # a body line is not the number line
    ],
)
def test_number(line: str, number: str | None) -> None:
    assert parse_number([line]) == number


def test_number_from_an_annex_line() -> None:
    lines = ["DANH SÁCH", "(Kèm theo Báo cáo số: 542 /BC-UBND ngày 14 /11/2019"]
    assert parse_number(lines) == "542/BC-UBND"


@pytest.mark.parametrize(
    ("line", "date", "year"),
    [
        ("Kế Sách, ngày 21 tháng 11 năm 2019", "2019-11-21", 2019),
        ("Kế Sách, ngày 14 /11/2019", "2019-11-14", 2019),
        ("Ke Sach, ngay 3 thang 2 nam 2020", "2020-02-03", 2020),
        ("Hà Nội, ngày23 tháng 4 năm 2026", "2026-04-23", 2026),
        ("Hà Nội, ngày tháng năm 2026", None, 2026),  # left blank for the signature
        ("Hà Nội, ngày tháng năm", None, None),
        ("Kế Sách, ngày 31 tháng 2 năm 2020", None, 2020),  # no such day
    ],
)
def test_date(line: str, date: str | None, year: int | None) -> None:
    assert parse_date([line]) == (date, year)


def test_only_the_place_date_line_gives_the_date() -> None:
    lines = ["Hà Nội, ngày tháng năm", "treo cờ Tổ quốc từ ngày 10/5/2026 đến hết ngày 14/5/2026"]
    assert parse_date(lines) == (None, None)


def test_place_date() -> None:
    assert place_date("Kế Sách, ngày 21 tháng 11 năm 2019") == ("Kế Sách", "ngày 21 tháng 11 năm 2019")
    assert place_date("Số: 7/QĐ-TTg Hà Nội, ngày 23 tháng 4") == ("Hà Nội", "ngày 23 tháng 4")
    assert place_date("đã tiếp nhận, ngày 3") is None


def test_district_name_in_several_provinces(gaz: Gazetteer) -> None:
    lines = ["UBND HUYỆN CHÂU THÀNH", "Số: 12/BC-UBND", "Châu Thành, ngày 3 tháng 2 năm 2020", "BÁO CÁO", "X"]
    # ten provinces have a Châu Thành: without a province the district stays unknown
    assert parse_metadata(lines, gaz).district_code is None
    meta = parse_metadata([*lines, "Kính gửi: UBND tỉnh Sóc Trăng"], gaz)
    assert (meta.district_code, meta.province_code) == ("942", "94")


def test_provincial_issuer(gaz: Gazetteer) -> None:
    lines = [
        "HỘI ĐỒNG NHÂN DÂN",
        "TỈNH SÓC TRĂNG",
        "Số: 15/2018/NQ-HĐND",
        "Sóc Trăng, ngày 17 tháng 12 năm 2018",
    ]
    meta = parse_metadata(lines, gaz)
    assert (meta.district_code, meta.province_code, meta.number) == (None, "94", "15/2018/NQ-HĐND")


# -------------------------------------------------------------------------------------------
# real documents: human transcriptions of page 1 of nine government documents


def _real_docs() -> list[dict[str, str]]:
    return [json.loads(line) for line in REAL.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.mark.parametrize("doc", _real_docs(), ids=lambda d: d["doc_id"])
def test_real_documents(doc: dict[str, str], gaz: Gazetteer) -> None:
    meta = parse_metadata(doc["text"].splitlines(), gaz)
    # the number printed in the file's title ("Quyết định 729/QĐ-TTg"); three Hanoi drafts
    # print "Số: /QĐ-UBND" and must give None
    titled = re.search(r"[0-9]+(?:/[0-9]{4})?/[A-ZĐ][A-Za-zĐ]*-[A-Za-zĐ]+", doc["title"])
    assert titled is not None
    printed = re.search(r"Số:\s*[0-9]", doc["text"]) is not None
    assert meta.number == (titled.group(0) if printed else None)
    # the publication folder of the source address: /<year>/<month>/
    url = re.search(r"/(20[0-9]{2})/([0-9]{1,2})/", doc["source_url"])
    assert url is not None
    year, month = int(url.group(1)), int(url.group(2))
    blank_year = re.search(r"ngày\s+tháng\s+năm\s*\n", doc["text"] + "\n") is not None
    assert meta.year == (None if blank_year else year)
    if meta.date is not None:
        assert meta.date.startswith(f"{year}-{month:02d}-")
    # central issuers have no district or province; UBND TP Hà Nội is province 01
    if doc["issuer"].startswith("UBND TP Hà Nội"):
        assert (meta.province_code, meta.district_code) == ("01", None)
    else:
        assert (meta.province_code, meta.district_code) == (None, None)
    assert meta.title is not None and len(meta.title) > 10


def test_real_documents_dates(gaz: Gazetteer) -> None:
    """Every dated transcription gives a date; measured: 6 of 9 (three Hanoi drafts are undated)."""
    dates = [parse_metadata(d["text"].splitlines(), gaz).date for d in _real_docs()]
    assert sum(d is not None for d in dates) == 6


@settings(max_examples=150, deadline=None)
@given(st.lists(st.text(max_size=60), max_size=15))
def test_never_raises_on_arbitrary_lines(lines: list[str]) -> None:
    meta = parse_metadata(lines, Gazetteer.load())
    if meta.date is not None:
        assert re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", meta.date)
        assert meta.year == int(meta.date[:4])


def test_annex_alone_takes_the_date_of_the_report_it_references() -> None:
    """Regression: an annex printed without its cover page had no date and no year."""
    from extract.understand.metadata import parse_date

    one_line = [
        "(Kèm theo Báo cáo số 542/BC-UBND ngày 21 tháng 11 năm 2019 của Ủy ban nhân dân huyện Kế Sách)"
    ]
    wrapped = [
        "(Kèm theo Báo cáo số 542/BC-UBND ngày 21 tháng",
        "11 năm 2019 của Ủy ban nhân dân huyện Kế Sách)",
    ]
    assert parse_date(one_line) == ("2019-11-21", 2019)
    assert parse_date(wrapped) == ("2019-11-21", 2019)
    # the place-date line still wins over a reference
    assert parse_date(["Kế Sách, ngày 14 tháng 11 năm 2019", *one_line]) == ("2019-11-14", 2019)


# --- the standard header with trust (read_metadata) ------------------------------------------

from extract.model import OcrLine, PixelBox  # noqa: E402
from extract.understand.metadata import MetadataSettings, read_metadata  # noqa: E402


def _lines(*texts: str | tuple[str, float]) -> list[OcrLine]:
    out = []
    for i, t in enumerate(texts):
        text, conf = (t, 96.0) if isinstance(t, str) else t
        out.append(OcrLine(text, PixelBox(100, 50 * i, 1400, 50 * i + 40), conf))
    return out


def _status(meta, name: str) -> tuple[str | None, str]:
    f = meta.field(name)
    assert f is not None, name
    return f.value, f.status


def test_header_fields_of_a_ministry_circular(gaz: Gazetteer) -> None:
    meta = read_metadata(
        _lines(
            "BỘ CÔNG AN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
            "Số: 37/2026/TT-BCA Hà Nội, ngày 24 tháng 4 năm 2026",
            "THÔNG TƯ",
            "Sửa đổi, bổ sung một số điều của các Thông tư",
            "Căn cứ Luật Giao thông đường thủy nội địa;",
        ),
        gaz,
    )
    assert _status(meta, "number") == ("37/2026/TT-BCA", "read")
    assert _status(meta, "date") == ("2026-04-24", "read")
    assert _status(meta, "issuer") == ("Bộ Công an", "read")
    assert _status(meta, "doc_type") == ("TT", "read")
    assert _status(meta, "title") == ("THÔNG TƯ Sửa đổi, bổ sung một số điều của các Thông tư", "read")
    assert _status(meta, "signer") == (None, "read")  # no signature block on these lines
    assert (meta.number, meta.issuer, meta.doc_type, meta.symbol) == (
        "37/2026/TT-BCA",
        "Bộ Công an",
        "TT",
        "TT-BCA",
    )


def test_an_unknown_issuer_code_is_flagged_not_written_as_sure(gaz: Gazetteer) -> None:
    meta = read_metadata(
        _lines(
            "ỦY BAN NHÂN DÂN",
            "HUYỆN KẾ SÁCH",
            "Số: 542/BC-UDBND Kế Sách, ngày 21 tháng 11 năm 2019",
            "BÁO CÁO",
        ),
        gaz,
    )
    number = meta.field("number")
    assert number is not None and number.value == "542/BC-UDBND" and number.status == "flagged"
    assert "UDBND" in (number.reason or "")
    assert _status(meta, "issuer") == ("Ủy ban nhân dân Huyện Kế Sách", "read")
    assert meta.district_code is not None


def test_low_confidence_and_unreadable_fields_are_flagged(gaz: Gazetteer) -> None:
    meta = read_metadata(
        _lines(
            "CHÍNH PHỦ CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            ("Số: 445 /NQ-CP Hà Nội, ngày #9 tháng _ năm 2026", 83.9),  # a handwritten 115, 29/4
            "NGHỊ QUYẾT",
        ),
        gaz,
    )
    assert _status(meta, "number") == ("445/NQ-CP", "flagged")
    assert _status(meta, "date") == (None, "flagged")
    assert "unreadable" in (meta.field("date").reason or "")
    assert _status(meta, "issuer") == ("Chính phủ", "read")


def test_a_blank_number_and_date_are_read_as_blank(gaz: Gazetteer) -> None:
    meta = read_metadata(
        _lines(
            "ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "THÀNH PHỐ HÀ NỘI Độc lập - Tự do - Hạnh phúc",
            "Số: /QĐ-UBND Hà Nội, ngày tháng năm 2026",
            "QUYẾT ĐỊNH",
        ),
        gaz,
    )
    assert _status(meta, "number") == (None, "read")
    assert "blank" in (meta.field("number").reason or "")
    assert _status(meta, "date") == (None, "read")
    assert meta.year == 2026 and meta.symbol == "QĐ-UBND"
    assert _status(meta, "issuer") == ("Ủy ban nhân dân Thành phố Hà Nội", "read")


def test_the_type_code_must_agree_with_the_type_line(gaz: Gazetteer) -> None:
    meta = read_metadata(
        _lines("CHÍNH PHỦ", "Số: 12/NQ-CP Hà Nội, ngày 2 tháng 4 năm 2026", "QUYẾT ĐỊNH"), gaz
    )
    assert meta.field("doc_type").status == "flagged"


def test_a_received_stamp_below_the_issuer_is_not_the_issuer(gaz: Gazetteer) -> None:
    meta = read_metadata(
        _lines(
            "BỘ CÔNG THƯƠNG CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "| VĂN PHÒNG CHÍNH PHỦ :",
            "Số: 21/2026/TT-BCT Hà Nội, ngày 28 tháng 4 năm 2026",
            "THÔNG TƯ",
        ),
        gaz,
    )
    assert _status(meta, "issuer") == ("Bộ Công Thương", "read")
    assert _status(meta, "number") == ("21/2026/TT-BCT", "read")


def test_spaced_stamped_digits_are_joined_and_flagged(gaz: Gazetteer) -> None:
    meta = read_metadata(_lines("BỘ CÔNG THƯƠNG", "Số: 2 1 /2026/TT-BCT", "THÔNG TƯ"), gaz)
    assert _status(meta, "number") == ("21/2026/TT-BCT", "flagged")


def test_signer_after_the_recipients_list(gaz: Gazetteer) -> None:
    lines = _lines(
        "ỦY BAN NHÂN DÂN",
        "THÀNH PHỐ HÀ NỘI",
        "Số: /TB-UBND",
        "THÔNG BÁO",
        "Về việc treo cờ Tổ quốc",
        "Nơi nhận: TL. CHỦ TỊCH",
        "- Đ/c Bí thư Thành ủy, KT. CHÁNH VĂN PHÒNG",
        "- Các Sở, ban, ngành Thành phố;",
        "- Cơ quan Báo&PT, TH Thành phố; Võ Tuấn Anh",
    )
    meta = read_metadata(lines, gaz)
    assert _status(meta, "signer") == ("Võ Tuấn Anh", "read")
    low = read_metadata(lines, gaz, settings=MetadataSettings(min_confidence=97.0))
    assert low.field("signer").status == "flagged"


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.text(alphabet="SốoQĐ-TTgUBNDngàyháư /:0123456789 ,.()KèmtheoNơinhận", max_size=40), max_size=12
    )
)
def test_read_metadata_never_raises_and_every_field_has_a_status(texts: list[str]) -> None:
    meta = read_metadata(_lines(*[t or " " for t in texts]) if texts else [], Gazetteer.load())
    assert {f.name for f in meta.fields} >= {
        "number",
        "symbol",
        "date",
        "doc_type",
        "issuer",
        "title",
        "signer",
    }
    assert all(f.status in ("read", "flagged") and 0 <= f.confidence <= 100 for f in meta.fields)
    assert all(f.reason for f in meta.fields if f.status == "flagged")
