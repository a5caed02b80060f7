"""Page-1 text, issue 12 (realdocs15): a word of none but marks no text prints alone ("|", "__",
"}": a rule's or a seal's fragment read inside a line) is noise, kept in the ``lines`` table
(``extract.pagetext.with_stray_marks``)."""

from __future__ import annotations

from extract.config import load_config
from extract.model import OcrLine, PixelBox, TextWord
from extract.pagetext import noise_segments, reading_order, with_stray_marks
from tests.realdocs.stamped_pages import signed_page, write_png
from tests.realdocs.test_page_phrases import read_page, real_page

CHARS = load_config().page_stages().ocr.page_text.stray_mark_chars


def _line(words: list[tuple[str, int]], y: int, confidence: float = 90.0, *, stamp: bool = False) -> OcrLine:
    """A line of ``words`` (text, left edge), each 14 px a letter, 40 px tall."""
    tw = tuple(TextWord(t, PixelBox(x, y, x + 14 * len(t), y + 40), confidence) for t, x in words)
    box = PixelBox(tw[0].box.x0, y, tw[-1].box.x1, y + 40)
    return OcrLine(" ".join(t for t, _ in words), box, confidence, tw, stamp=stamp)


def _texts(lines: list[OcrLine] | tuple[OcrLine, ...]) -> list[str]:
    return [ln.text for ln in reading_order(lines)]


def test_a_stray_mark_inside_a_line_is_noise_kept_aside() -> None:
    lines = [
        _line([("__", 100), ("Căn", 140), ("cứ", 200), ("Kế", 245), ("hoạch", 290)], 0),
        _line([("ông", 100), ("Nguyễn", 160), ("}", 260), ("Mạnh", 285), ("Hùng,", 355)], 60),
        _line([("-", 100), ("Thường", 125), ("trực;", 225), ("|", 305), ("(để", 330), ("b/c)", 390)], 120),
    ]
    marked = with_stray_marks(lines, CHARS)
    assert _texts(marked) == ["Căn cứ Kế hoạch", "ông Nguyễn Mạnh Hùng,", "- Thường trực; (để b/c)"]
    assert sorted(s.text for s in noise_segments(marked)) == ["_" * 2, "|", "}"]  # kept, as noise
    assert all(ln.stray_mark for ln in marked if ln.text in ("__", "|", "}"))
    assert _texts(lines) == [ln.text for ln in lines]  # before: read in the text
    # marks side by side go together (dev-new17 1132, fax: "Nơi nhận ` `" beside "TM. ỦY BAN")
    two = _line([("Nơi", 178), ("nhận", 223), ("`", 315), ("`", 390), ("TM.", 753), ("ỦY", 811)], 0)
    assert _texts(with_stray_marks([two], CHARS)) == ["Nơi nhận", "TM. ỦY"]


def test_a_modifier_circumflex_and_a_segment_of_marks_alone_are_noise() -> None:
    """realdocs20, generated dev-new17 page 1s: "ˆ" (U+02C6, a letter to Python) read after "BÁO
    CÁO" (1080) and before a line's words (1019, 1082, 1138) is a stray mark; a ":" speck read
    at 84 by the signature, apart from the list (1108), and CV 3722's "—" are marks alone."""
    title = _line([("BÁO", 600), ("CÁO", 680), ("\u02c6", 745)], 0)
    body = _line([("\u02c6", 100), ("tổng", 125), ("số", 200), ("3.764", 245), ("hồ", 340), ("sơ,", 385)], 60)
    assert _texts(with_stray_marks([title, body], CHARS)) == ["BÁO CÁO", "tổng số 3.764 hồ sơ,"]
    speck = _line([("-", 100), ("Lưu:", 125), ("VT", 195), ("(VP).", 240), (":", 900)], 0, confidence=84.0)
    dash = _line([("—", 100)], 60, confidence=95.0)
    assert _texts([speck, dash]) == ["- Lưu: VT (VP)."]
    assert sorted(s.text for s in noise_segments([speck, dash])) == [":", "—"]  # kept, as noise
    layer = _line([("—", 100)], 0, confidence=100.0)
    assert _texts([layer]) == ["—"]  # a text layer's line is never noise


def test_printed_marks_noise_gaps_stamps_and_the_setting_stay_as_read() -> None:
    printed = _line([("-", 100), ("Lưu:", 125), ("VT", 195), ("(VP).", 240), ("...", 320), ("./.", 370)], 0)
    assert with_stray_marks([printed], CHARS) == (printed,)  # a list's dash, brackets, dots, "./."
    # a mark whose leaving would open a column gap: the line is cut there anyway
    wide = _line([("các", 100), ("|", 190), ("Bộ", 280)], 0)
    assert with_stray_marks([wide], CHARS) == (wide,)
    stamp = _line([("Số:", 100), ("|", 160), ("12", 180)], 0, stamp=True)
    assert with_stray_marks([stamp], CHARS) == (stamp,)
    line = _line([("ông", 100), ("Nguyễn", 160), ("}", 260), ("Mạnh", 285)], 0)
    assert with_stray_marks([line], "") == (line,)  # off
    assert CHARS and "|" in CHARS  # on in pipeline.yaml


def test_a_speck_before_a_signature_title_leaves_it_in_the_signature() -> None:
    """The closing block's sides are told by a segment's first word of letters: a speck read
    before "TM." left of the page's middle (generated dev page 1516, hard 200) is no list item."""
    lines = [
        _line([("Nơi", 200), ("nhận:", 260)], 0),
        _line([(":", 810), ("TM.", 870), ("ỦY", 930), ("BAN", 975)], 0),
        _line([("-", 200), ("Như", 220), ("trên;", 270)], 50),
        _line([("CHỦ", 1400), ("TỊCH", 1450)], 50),
        _line([("-", 200), ("Lưu:", 220), ("VT.", 290)], 100),
    ]
    assert _texts(lines) == ["Nơi nhận:", "- Như trên;", "- Lưu: VT.", ": TM. ỦY BAN", "CHỦ TỊCH"]


def _both(path: str, doc_id: str) -> tuple[list[str], list[str]]:
    on, off = (
        read_page(path, doc_id, "stray_mark_chars", CHARS),
        read_page(path, doc_id, "stray_mark_chars", ""),
    )
    return _texts(off.lines), _texts(on.lines)


def test_a_seals_fragment_before_a_generated_title(tmp_path) -> None:
    off, on = _both(write_png(signed_page((870, 1360)), f"{tmp_path}/signed.png"), "signed")
    assert "@ HỒ CHỦ TỊCH" in off and "HỒ CHỦ TỊCH" in on
    assert [a for a in off if a not in on] == ["@ HỒ CHỦ TỊCH"]  # that line alone


def test_the_real_pages_stray_marks() -> None:
    def texts(doc_id: str, chars: str) -> list[str]:
        return _texts(real_page(doc_id, "stray_mark_chars", chars).lines)

    off, on = texts("real_hanoi_qd_2280_water", ""), texts("real_hanoi_qd_2280_water", CHARS)
    changed = [(a, b) for a, b in zip(off, on, strict=True) if a != b]
    assert [(a.split()[0], b.split()[0]) for a, b in changed] == [("__", "Căn"), ("-", "-")]
    assert "- Thường trực Thành ủy; (để b/c)" in on  # "(đê": extract.ocr.rare_tones
    off, on = texts("real_qd_729_ttg", ""), texts("real_qd_729_ttg", CHARS)
    assert [(a, b) for a, b in zip(off, on, strict=True) if a != b] == [
        (
            "Đà Nẵng nhiệm kỳ 2026 - 2031 đối với ông Nguyễn } Mạnh Hùng, Phó Bí thư",
            "Đà Nẵng nhiệm kỳ 2026 - 2031 đối với ông Nguyễn Mạnh Hùng, Phó Bí thư",
        )
    ]


def test_a_stray_mark_is_no_line_of_the_header() -> None:
    """The header fields are read from the page's lines: a stray mark taken out of the subject line
    above its words (dev-old 256, hard 200: "_." under "BÁO CÁO") does not cut the title."""
    from extract import document
    from extract.model import PageResult

    subject = _line(
        [("Tình", 350), ("hình", 420), ("cải", 490), ("cách", 540), ("hành", 610), ("chính", 680)], 445
    )
    mark = TextWord("_.", PixelBox(770, 430, 773, 433), 47.0)
    subject = OcrLine(f"{subject.text} _.", PixelBox(350, 430, 773, 485), 90.0, (*subject.words, mark))
    lines = [
        _line([("ỦY", 300), ("BAN", 350), ("NHÂN", 410), ("DÂN", 480)], 140, 95.0),
        _line([("Số:", 300), ("327/BC-UBND", 360)], 260, 95.0),
        _line([("BÁO", 800), ("CÁO", 860)], 360, 95.0),
        subject,
        _line([("Thực", 300), ("hiện", 370), ("Công", 440), ("văn", 510)], 596, 95.0),
    ]
    marked = with_stray_marks(lines, CHARS)
    assert [ln.text for ln in marked if ln.stray_mark] == ["_."]
    page = PageResult(
        source="x", page_index=0, page_count=1, dpi=200.0, width=1654, height=2339, lines=marked
    )
    cfg = load_config()
    meta = document._metadata([page], cfg, document._gazetteer(cfg))
    assert meta.title == "BÁO CÁO Tình hình cải cách hành chính"
