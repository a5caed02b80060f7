"""Page text in reading order (extract.pagetext) and born-digital pages (extract.digital)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rapidfuzz.distance import Levenshtein

from extract.model import OcrLine, PixelBox, TextWord
from extract.pagetext import (
    comparable,
    is_noise,
    is_page_number,
    line_rows,
    noise_segments,
    page_text,
    reading_order,
    segments,
)
from tests.repo_data import REALDATA


def _line(words: list[tuple[str, int]], y: int, h: int = 40, confidence: float = 95.0) -> OcrLine:
    tw = []
    for text, x in words:
        tw.append(TextWord(text, PixelBox(x, y, x + 18 * len(text), y + h), confidence))
    box = PixelBox(tw[0].box.x0, y, tw[-1].box.x1, y + h)
    return OcrLine(" ".join(t for t, _ in words), box, confidence, tuple(tw))


def test_noise_is_left_out_of_the_text_but_kept_in_the_lines_table() -> None:
    from extract.model import DocumentMeta, DocumentResult, PageResult

    rim = _line([("ĐẾN", 1100), ("°®--", 1180), ("€..............-", 1260)], 475, confidence=38.7)
    speck = _line([(";ên", 1132), ("¬=——", 1200)], 420, confidence=6.2)
    misread = _line([("Số:", 337), ("fZ7", 420), ("/QĐ-TTg", 500)], 286, confidence=63.5)  # text, badly read
    dots = _line([("Ngày", 100), ("..........", 200)], 600, confidence=95.0)  # sure: printed dots
    layer = _line([("—————", 100)], 700, confidence=100.0)  # a text layer's line is never noise
    assert [is_noise(x) for x in (rim, speck, misread, dots, layer)] == [True, True, False, False, False]
    lines = (rim, speck, misread, dots, layer)
    assert [ln.text for ln in reading_order(lines)] == [misread.text, dots.text, layer.text]
    assert [ln.text for ln in noise_segments(lines)] == [speck.text, rim.text]
    page = PageResult("p.png", 0, 1, dpi=200.0, width=1700, height=2200, tables=(), lines=lines)
    rows = line_rows(DocumentResult("d", "p.png", 1, DocumentMeta(), [page], []))
    assert [(r["origin"], r["line_index"]) for r in rows] == [
        ("ocr", 0),
        ("ocr", 1),
        ("ocr", 2),
        ("ocr_noise", 3),
        ("ocr_noise", 4),
    ]


def test_a_stamps_lines_are_kept_apart_and_the_number_row_is_never_noise() -> None:
    import dataclasses

    from extract.model import DocumentMeta, DocumentResult, PageResult
    from extract.pagetext import STAMP_ORIGIN, stamp_lines

    title = _line([("QUYẾT", 769), ("ĐỊNH", 916)], 400)
    stamp = dataclasses.replace(_line([("ĐẾN", 125), ("Ngày:", 200)], 410, confidence=80.0), stamp=True)
    number = _line([("Số:", 337), ("#2", 394), ("/QĐ-TTg", 474)], 286, confidence=60.0)
    assert not is_noise(number)  # 8 of 12 characters in words: noise but for its "Số:"
    assert not is_noise(dataclasses.replace(number, text="Sô: #2 /QĐ-TTg"))
    assert is_noise(dataclasses.replace(number, text="#2 /QĐ-TTg"))
    lines = (number, title, stamp)
    assert [ln.text for ln in reading_order(lines)] == [number.text, title.text]
    assert stamp_lines(lines) == [stamp] and noise_segments(lines) == []
    page = PageResult("p.png", 0, 1, dpi=200.0, width=1700, height=2200, tables=(), lines=lines)
    rows = line_rows(DocumentResult("d", "p.png", 1, DocumentMeta(), [page], []))
    assert [(r["origin"], r["text"]) for r in rows] == [
        ("ocr", number.text),
        ("ocr", title.text),
        (STAMP_ORIGIN, stamp.text),
    ]


def test_a_line_across_two_columns_is_cut_but_a_blank_number_is_not() -> None:
    parts = segments(_line([("Nơi", 100), ("nhận:", 170), ("TL.", 900), ("CHỦ", 960), ("TỊCH", 1040)], 0))
    assert [p.text for p in parts] == ["Nơi nhận:", "TL. CHỦ TỊCH"]
    blank = segments(_line([("Số:", 100), ("/QĐ-UBND", 400)], 0))
    assert [p.text for p in blank] == ["Số: /QĐ-UBND"]


def test_the_issuer_is_cut_from_the_national_motto_beside_it() -> None:
    # TB 453's first line as tesseract read it: issuer and motto 0.7 line heights apart, a stray
    # "_" between them (boxes from the scan)
    words = [("ỦY", 279, 339), ("BAN", 345, 424), ("NHÂN", 445, 540), ("DÂN", 565, 640), ("_", 675, 710)]
    words += [("CỘNG", 728, 842), ("HÒA", 854, 941), ("XÃ", 951, 1007), ("HỘI", 1018, 1092)]
    tw = tuple(TextWord(t, PixelBox(x0, 138, x1, 190), 90.0) for t, x0, x1 in words)
    line = OcrLine(" ".join(t for t, _, _ in words), PixelBox(279, 138, 1092, 190), 90.0, tw)
    assert [p.text for p in segments(line)] == ["ỦY BAN NHÂN DÂN _", "CỘNG HÒA XÃ HỘI"]
    issuer_2 = _box("THÀNH PHỐ HÀ NỘI", 268, 192, 620, 228)
    motto_2 = _box("Độc lập - Tự do - Hạnh phúc", 900, 192, 1376, 228)
    assert [ln.text for ln in reading_order([line, issuer_2, motto_2])] == [
        "ỦY BAN NHÂN DÂN _",
        "THÀNH PHỐ HÀ NỘI",
        "CỘNG HÒA XÃ HỘI",
        "Độc lập - Tự do - Hạnh phúc",
    ]
    # in a sentence, at a word space, "cộng hòa" cuts nothing
    prose = _line([("nước", 100), ("Cộng", 190), ("hòa", 280)], 0)
    assert [p.text for p in segments(prose)] == ["nước Cộng hòa"]


def test_recipients_beside_the_signature_are_read_column_by_column() -> None:
    lines = [
        _line([("đúng", 100), ("quy", 200), ("định./.", 280)], 0),
        _line([("Nơi", 100), ("nhận:", 170), ("TL.", 900), ("CHỦ", 960), ("TỊCH", 1040)], 200),
        _line([("-", 100), ("Như", 130), ("trên;", 200), ("PHÓ", 900), ("CHÁNH", 980)], 245),
        _line([("-", 100), ("Lưu:", 130), ("VT.", 220)], 290),
        _line([("Võ", 900), ("Tuấn", 960), ("Anh", 1050)], 335),
    ]
    assert [ln.text for ln in reading_order(lines)] == [
        "đúng quy định./.",
        "Nơi nhận:",
        "- Như trên;",
        "- Lưu: VT.",
        "TL. CHỦ TỊCH",
        "PHÓ CHÁNH",
        "Võ Tuấn Anh",
    ]


def _box(text: str, x0: int, y0: int, x1: int, y1: int) -> OcrLine:
    return OcrLine(text, PixelBox(x0, y0, x1, y1), 95.0, (TextWord(text, PixelBox(x0, y0, x1, y1), 95.0),))


def test_the_signature_interleaved_with_the_recipients_comes_after_the_list() -> None:
    # QĐ 2280's closing block as read (boxes from the scan): the signature's rows fall between
    # the recipients' rows, and the notes "(để b/c)" stand right of the recipient they belong to
    lines = [
        _box(
            "các đơn vị, cá nhân có liên quan chịu trách nhiệm thi hành Quyết định này./.",
            238,
            1533,
            1379,
            1569,
        ),
        _box("TM. ỦY BAN NHÂN DÂN", 1013, 1589, 1426, 1623),
        _box("Nơi nhận:", 234, 1596, 363, 1623),
        _box("- Đ/c Bí thư Thành ủy;", 235, 1629, 511, 1658),
        _box("KT. CHỦ TỊCH", 1095, 1631, 1344, 1665),
        _box("- Thường trực Thành ủy;", 235, 1664, 536, 1693),
        _box("(để b/c)", 647, 1665, 745, 1692),
        _box("PHÓ CHỦ TỊCH", 1086, 1680, 1353, 1712),
        _box("- Các Sở, ban, ngành Thành phố;", 235, 1800, 636, 1834),
        _box("(để ph/h th/h)", 730, 1832, 907, 1869),
        _box("- UBND các phường, xã;", 235, 1840, 539, 1869),
        _box("- Các Ban QLDA ĐTXD Thành phố;", 235, 1870, 688, 1904),
        _box("Trương Việt Dũng", 1072, 1952, 1379, 2012),
        _box("- VP UBTP: CVP, các PCVP,", 235, 1982, 599, 2007),
    ]
    assert [ln.text for ln in reading_order(lines)] == [
        lines[0].text,
        "Nơi nhận:",
        "- Đ/c Bí thư Thành ủy;",
        "- Thường trực Thành ủy;",
        "(để b/c)",
        "- Các Sở, ban, ngành Thành phố;",
        "- UBND các phường, xã;",
        "(để ph/h th/h)",
        "- Các Ban QLDA ĐTXD Thành phố;",
        "- VP UBTP: CVP, các PCVP,",
        "TM. ỦY BAN NHÂN DÂN",
        "KT. CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
        "Trương Việt Dũng",
    ]
    # "nơi nhận" inside a sentence opens no closing block: the two columns below stay as printed
    prose = [
        _line([("nơi", 235), ("nhận", 300), ("hồ", 380), ("sơ", 430), ("là", 480)], 100),
        _line([("UBND", 235), ("xã", 330)], 145),
        _line([("Số", 1100), ("liệu", 1160)], 145),
    ]
    assert [ln.text for ln in reading_order(prose)] == ["nơi nhận hồ sơ là", "UBND xã", "Số liệu"]


def test_page_numbers_and_spellings() -> None:
    assert is_page_number("2") and is_page_number("- 3 -") and is_page_number("Trang 4/17")
    assert not is_page_number("2. Chương trình")
    assert comparable("CỘNG HÒA “x” – thủy") == comparable('CỘNG HOÀ "x" - thuỷ')


@pytest.mark.parametrize("name", ["hanoi_kh_173_festival", "hanoi_qd_2280_water", "hanoi_tb_453_flag"])
def test_born_digital_sources_are_read_from_their_layer_without_rendering_or_ocr(
    name: str, monkeypatch
) -> None:
    import extract.ingest
    import extract.ocr.tesseract
    from extract.page import PageTask, process_page

    def forbidden(*_a, **_k):
        raise AssertionError("rendered or OCR'd")

    monkeypatch.setattr(extract.ingest, "load_page", forbidden)
    monkeypatch.setattr(extract.ocr.tesseract, "get_engine", forbidden)
    path = REALDATA / "sources" / f"{name}.pdf"
    result = process_page(PageTask(str(path), 0, name))
    assert result.error is None and result.used_text_layer
    import pdfplumber

    with pdfplumber.open(path) as pdf:  # exact: every word of the layer, in the page's text
        layer = " ".join(w["text"] for w in pdf.pages[0].extract_words())
    ours = page_text(result)
    assert sorted(comparable(ours).split()) == sorted(comparable(layer).split())
    truth = next(
        json.loads(ln)
        for ln in (REALDATA / "metadata_real.jsonl").read_text(encoding="utf-8").splitlines()
        if f'"real_{name}"' in ln
    )
    rate = Levenshtein.distance(comparable(ours), comparable(truth["text"])) / len(comparable(truth["text"]))
    assert rate < 0.11  # the rest: the transcription's own line order and wording


def test_a_generated_born_digital_form_is_read_exactly(tmp_path, monkeypatch) -> None:
    import extract.ingest
    import extract.ocr.tesseract
    from extract.document import assemble_document
    from extract.page import PageTask, process_page
    from tests.realdocs.born_digital_form import write_form_pdf

    printed = write_form_pdf("5B", tmp_path / "5b.pdf")
    monkeypatch.setattr(
        extract.ingest, "load_page", lambda *a, **k: (_ for _ in ()).throw(AssertionError("rendered"))
    )
    monkeypatch.setattr(
        extract.ocr.tesseract, "get_engine", lambda *a, **k: (_ for _ in ()).throw(AssertionError("OCR"))
    )
    result = process_page(PageTask(str(tmp_path / "5b.pdf"), 0, "5b"))
    assert result.error is None and len(result.tables) == 1
    doc = assemble_document("0" * 16, "5b.pdf", [result])
    (table,) = doc.tables
    assert table.form == "5B"
    got = {(v.row_label, v.column_key): v.raw_text for v in table.values}
    want = {
        (label, key): text for label, cells in printed.items() for key, text in cells if (label, key) in got
    }
    assert len(want) == len(table.values) >= 150
    assert got == want  # every cell exactly as printed
    assert doc.meta.number == "542/BC-UBND" and doc.meta.district == "Huyện Kế Sách"
    assert any("printed totals inconsistent" in i for i in table.issues)  # the form's own error, kept


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_WORD = st.tuples(
    st.sampled_from(["Số:", "ngày", "Bộ", "Công", "an;", "/QĐ", "TL.", "Anh", "-"]), st.integers(0, 1600)
)


@settings(max_examples=80, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.lists(_WORD, min_size=1, max_size=6), st.integers(0, 2000), st.sampled_from([20.0, 95.0])
        ),
        max_size=15,
    )
)
def test_reading_order_keeps_every_word_once(spec) -> None:
    lines = []
    for words, y, confidence in spec:
        placed = sorted(words, key=lambda w: w[1])
        xs, cursor = [], 0
        for text, x in placed:  # words of a line do not overlap
            cursor = max(cursor, x)
            xs.append((text, cursor))
            cursor += 18 * len(text) + 5
        lines.append(_line(xs, y, confidence=confidence))
    before = sorted(w.text for ln in lines for w in ln.words)
    kept = reading_order(lines) + noise_segments(lines)  # the text, then the noise: every word once
    after = sorted(w for ln in kept for w in ln.text.split())
    assert after == before


@pytest.mark.parametrize(
    ("name", "signer"), [("hanoi_tb_453_flag", "Võ Tuấn Anh"), ("hanoi_kh_173_festival", "Vũ Đại Thắng")]
)
def test_born_digital_documents_have_every_header_field_read_and_right(name: str, signer: str) -> None:
    from extract.document import assemble_document
    from extract.ingest import count_pages
    from extract.page import PageTask, process_page

    path = str(REALDATA / "sources" / f"{name}.pdf")
    pages = [process_page(PageTask(path, i, name)) for i in range(count_pages(path))]
    doc = assemble_document("0" * 16, path, pages)
    truth = json.loads((Path(__file__).parent / "metadata_truth.json").read_text(encoding="utf-8"))
    want = {**truth["documents"][f"real_{name}"], "signer": signer}  # the signature is on the last page
    got = {f.name: f for f in doc.meta.fields}
    for field, value in want.items():
        assert got[field].status == "read", (field, got[field])
        assert comparable(got[field].value or "") == comparable(value or ""), field


@pytest.mark.parametrize(
    ("doc_id", "signature"),
    [("real_cv_3722_metro", "Mạnh Cường"), ("real_qd_729_ttg", "Lê Minh Hưng")],
)
def test_a_signature_under_the_seal_is_searched_again(doc_id: str, signature: str) -> None:
    # tesseract's layout analysis drops the signature block under the seal as a picture; the
    # second search (sparse text, read again as lines) finds the signer's name
    import dataclasses

    from extract.config import load_config
    from extract.page import PageTask, process_page

    stages = load_config().page_stages()
    assert stages.ocr.missed_text_min_confidence <= 100  # on by default
    path = str(REALDATA / "pages" / f"{doc_id}_p1.png")
    with_search = page_text(process_page(PageTask(path, 0, doc_id, settings=stages)))
    off = dataclasses.replace(stages, ocr=stages.ocr.model_copy(update={"missed_text_min_confidence": 101.0}))
    without = page_text(process_page(PageTask(path, 0, doc_id, settings=off)))
    assert with_search.count(signature) == without.count(signature) + 1  # (CV 3722 lists him as a recipient)
    assert with_search.splitlines()[-1].endswith(signature)  # the signature, read last
    assert set(without.splitlines()) <= set(with_search.splitlines())  # only lines added


def test_text_left_out_is_searched_again_only_on_pages_without_tables(monkeypatch) -> None:
    """The second search is for prose pages (a signature under a seal); on a form page it ran the
    worn title band's specks into the title and the form went unnamed (dev 25, 11B, 200 dpi)."""
    import numpy as np
    from PIL import Image, ImageDraw

    from extract.config import load_config
    from extract.ocr.reader import read_text_lines
    from extract.ocr.tesseract import get_engine
    from extract.preprocess import PreparedPage
    from extract.synth.fonts import font

    stages = load_config().page_stages()
    engine = get_engine(stages.ocr)
    calls: list[int] = []
    real = engine.read_missed_lines

    def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(engine, "read_missed_lines", counted)
    img = Image.new("L", (1600, 900), 255)
    ImageDraw.Draw(img).text((100, 80), "Biểu mẫu 11B: Thống kê số liệu", font=font("regular", 40), fill=0)
    gray = np.asarray(img)
    page = PreparedPage(gray=gray, binary=np.where(gray < 150, 255, 0).astype(np.uint8), dpi=300.0)

    prose = read_text_lines(page, [], engine, stages.ocr)
    assert calls and any("Thống kê" in ln.text for ln in prose)
    calls.clear()
    form = read_text_lines(page, [PixelBox(100, 400, 1500, 850)], engine, stages.ocr)
    assert calls == [] and any("Thống kê" in ln.text for ln in form)
