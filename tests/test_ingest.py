"""Ingest: files -> pages (PDF with and without text layer, TIFF, PNG, JPEG) and bad inputs."""

from __future__ import annotations

import ctypes
import hashlib
import struct
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image, ImageDraw, ImageFont
from pypdfium2 import raw

from extract.errors import InputFileError
from extract.ingest import (
    DEFAULT_DPI,
    count_pages,
    document_id,
    estimate_dpi,
    image_dpi,
    is_vietnamese_syllable,
    load_page,
    score_text_layer,
    sniff,
)
from tests.batch.pdfbytes import assemble
from tests.repo_data import REALDATA

REAL = REALDATA
HANOI = sorted((REAL / "sources").glob("hanoi_*.pdf"))
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"
LINES = [
    (72, 100, "Biểu mẫu 5B"),
    (72, 130, "Thống kê kết quả tiếp nhận, giải quyết thủ tục hành chính"),
    (72, 160, "Xã Nhơn Mỹ 5.697 91.627 Thị trấn An Lạc Thôn"),
    (72, 190, "Kế Sách, ngày 21 tháng 11 năm 2019"),
]


# --------------------------------------------------------------------------------------------
# small PDFs made on the fly (no PDF writer library needed): text objects in an embedded
# TrueType font via PDFium; an encrypted PDF written by hand (standard security handler, RC4)


def text_pdf(
    path: Path,
    lines: list[tuple[float, float, str]],
    *,
    size: tuple[float, float] = (595.0, 842.0),
    font_pt: float = 12.0,
    rotation: int = 0,
    invisible: bool = False,
    background: np.ndarray | None = None,
) -> Path:
    """A one-page PDF with ``lines`` of text: (x, y from the top, text) in points."""
    pdf = pdfium.PdfDocument.new()
    width, height = size
    page = pdf.new_page(width, height)
    if background is not None:
        image = pdfium.PdfImage.new(pdf)
        bitmap = pdfium.PdfBitmap.from_pil(Image.fromarray(background))
        image.set_bitmap(bitmap)
        image.set_matrix(pdfium.PdfMatrix().scale(width, height))
        page.insert_obj(image)
    data = Path(FONT).read_bytes()
    buffer = (ctypes.c_uint8 * len(data)).from_buffer_copy(data)
    font = raw.FPDFText_LoadFont(pdf, buffer, len(data), raw.FPDF_FONT_TRUETYPE, 1)
    assert font, "PDFium could not load the font"
    for x, y, text in lines:
        obj = raw.FPDFPageObj_CreateTextObj(pdf, font, font_pt)
        encoded = ctypes.create_string_buffer((text + "\0").encode("utf-16-le"))
        raw.FPDFText_SetText(obj, ctypes.cast(encoded, ctypes.POINTER(raw.FPDF_WCHAR)))
        if invisible:
            raw.FPDFTextObj_SetTextRenderMode(obj, 3)
        raw.FPDFPageObj_Transform(obj, 1, 0, 0, 1, x, height - y)
        raw.FPDFPage_InsertObject(page, obj)
    raw.FPDFPage_GenerateContent(page)
    if rotation:
        page.set_rotation(rotation)
    pdf.save(str(path))
    raw.FPDFFont_Close(font)
    pdf.close()
    return path


_PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")


def _rc4(key: bytes, data: bytes) -> bytes:
    s = list(range(256))
    j = 0
    for i in range(256):
        j = (j + s[i] + key[i % len(key)]) % 256
        s[i], s[j] = s[j], s[i]
    out, i, j = bytearray(), 0, 0
    for byte in data:
        i = (i + 1) % 256
        j = (j + s[i]) % 256
        s[i], s[j] = s[j], s[i]
        out.append(byte ^ s[(s[i] + s[j]) % 256])
    return bytes(out)


def plain_pdf_bytes(pages: int = 1) -> bytes:
    """A minimal valid PDF with ``pages`` blank pages (0 allowed)."""
    kids = " ".join(f"{3 + i} 0 R" for i in range(pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>".encode(),
    ]
    objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"] * pages
    return assemble(objects, f"<< /Size {len(objects) + 1} /Root 1 0 R >>".encode())


def encrypted_pdf(path: Path, user_password: bytes = b"secret", owner_password: bytes = b"owner") -> Path:
    """A one-page PDF encrypted with the standard security handler, revision 2 (RC4, 40-bit)."""
    file_id = hashlib.md5(b"extract-test").digest()
    permissions = -44
    owner_key = hashlib.md5((owner_password + _PAD)[:32]).digest()[:5]
    o_value = _rc4(owner_key, (user_password + _PAD)[:32])
    key = hashlib.md5(
        (user_password + _PAD)[:32] + o_value + struct.pack("<i", permissions) + file_id
    ).digest()[:5]
    u_value = _rc4(key, _PAD)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        (
            f"<< /Filter /Standard /V 1 /R 2 /O <{o_value.hex()}> /U <{u_value.hex()}> /P {permissions} >>"
        ).encode(),
    ]
    trailer = f"<< /Size 5 /Root 1 0 R /Encrypt 4 0 R /ID [<{file_id.hex()}> <{file_id.hex()}>] >>".encode()
    path.write_bytes(assemble(objects, trailer))
    return path


def _scan(width_px: int, height_px: int, text: str = "Báo cáo 542/BC-UBND") -> Image.Image:
    img = Image.new("L", (width_px, height_px), 255)
    draw = ImageDraw.Draw(img)
    draw.text(
        (width_px // 10, height_px // 10),
        text,
        font=ImageFont.truetype(FONT, max(10, width_px // 40)),
        fill=0,
    )
    draw.rectangle([width_px // 10, height_px // 4, width_px * 9 // 10, height_px // 2], outline=0, width=3)
    return img


def _ink_share(page, box) -> float:
    return float((page.image[box.y0 : box.y1, box.x0 : box.x1] < 128).mean())


# --------------------------------------------------------------------------------------------
# identity and sniffing


def test_document_id_is_sha256_prefix(tmp_path: Path) -> None:
    path = tmp_path / "a.bin"
    path.write_bytes(b"hello world" * 1000)
    assert document_id(path) == hashlib.sha256(b"hello world" * 1000).hexdigest()[:16]
    assert len(document_id(path)) == 16


def test_pdf_that_is_really_a_png_is_read_as_png(tmp_path: Path) -> None:
    path = tmp_path / "scan.pdf"
    _scan(827, 1169).save(path, "PNG", dpi=(100, 100))
    assert sniff(path) == "png"
    page = load_page(path, 0)
    assert page.image.shape == (1169, 827) and page.dpi == 100 and page.words is None


@pytest.mark.parametrize(
    "name, content, reason",
    [
        ("notes.txt", b"just some text\n", "unsupported file type '.txt'"),
        ("empty.pdf", b"", "empty file (0 bytes)"),
        ("broken.pdf", b"this is not a pdf at all", "not a valid PDF"),
        ("broken.png", b"\x00\x01garbage", "corrupt image"),
        ("anim.gif", b"GIF89a" + b"\x00" * 20, "unsupported file type: GIF"),
    ],
)
def test_bad_files_raise_input_file_error_naming_the_file(
    tmp_path: Path, name: str, content: bytes, reason: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputFileError) as info:
        count_pages(path)
    assert reason in info.value.reason
    assert str(path) in str(info.value) and info.value.path == str(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="file not found"):
        load_page(tmp_path / "nope.pdf", 0)


def test_corrupt_pdf_body(tmp_path: Path) -> None:
    path = tmp_path / "corrupt.pdf"
    path.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 9 0 R >> endobj\ntrailer << >>\n%%EOF")
    with pytest.raises(InputFileError, match="corrupt or damaged PDF"):
        count_pages(path)


def test_truncated_png(tmp_path: Path) -> None:
    path = tmp_path / "cut.png"
    _scan(400, 565).save(path, "PNG")
    path.write_bytes(path.read_bytes()[:300])
    with pytest.raises(InputFileError) as info:
        load_page(path, 0)
    assert "PNG" in info.value.reason and info.value.path == str(path)


def test_encrypted_pdf(tmp_path: Path) -> None:
    path = encrypted_pdf(tmp_path / "locked.pdf")
    assert len(pdfium.PdfDocument(str(path), password="secret")) == 1  # a valid file, only locked
    with pytest.raises(InputFileError, match="password-protected"):
        count_pages(path)


def test_pdf_without_pages(tmp_path: Path) -> None:
    path = tmp_path / "zero.pdf"
    path.write_bytes(plain_pdf_bytes(0))
    with pytest.raises(InputFileError, match="no pages"):
        count_pages(path)


def test_page_out_of_range_names_the_page(tmp_path: Path) -> None:
    path = tmp_path / "two.pdf"
    path.write_bytes(plain_pdf_bytes(2))
    assert count_pages(path) == 2
    with pytest.raises(InputFileError) as info:
        load_page(path, 5)
    assert info.value.page == 5 and "page 6" in str(info.value)


# --------------------------------------------------------------------------------------------
# PDFs


def test_image_only_pdf_keeps_native_resolution(tmp_path: Path) -> None:
    path = tmp_path / "scan.pdf"
    scan = _scan(1654, 2339)  # A4 at 200 dpi
    scan.save(path, "PDF", resolution=200)
    page = load_page(path, 0, dpi=300)
    assert page.dpi == 200
    assert abs(page.image.shape[0] - 2339) <= 2 and abs(page.image.shape[1] - 1654) <= 2
    assert page.words is None and page.page_count == 1
    # rendered 1:1, the pixels are the scan's own
    h, w = min(page.image.shape[0], 2339), min(page.image.shape[1], 1654)
    diff = np.abs(page.image[:h, :w].astype(int) - np.asarray(scan)[:h, :w].astype(int))
    assert (diff > 64).mean() < 0.01


def _count_renders(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []
    real = pdfium.PdfPage.render

    def counted(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(pdfium.PdfPage, "render", counted)
    return calls


@pytest.mark.parametrize("mode", ["L", "RGB"])
def test_a_finer_jpeg_scan_is_decoded_and_reduced_like_the_renderer_would(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mode: str
) -> None:
    path = tmp_path / f"scan_{mode}.pdf"
    _scan(2480, 3508).convert(mode).save(path, "PDF", resolution=300)
    renders = _count_renders(monkeypatch)
    page = load_page(path, 0, dpi=250)
    assert renders == [] and page.dpi == 250 and page.image.shape == (2924, 2067)
    monkeypatch.setattr("extract.ingest._scan_pixels", lambda page, dpi: None)
    rendered = load_page(path, 0, dpi=250)
    diff = np.abs(page.image.astype(int) - rendered.image.astype(int))
    assert diff.mean() < 2 and (diff > 64).mean() < 0.001


def test_scans_at_the_resolution_bilevel_and_turned_pages_are_rendered(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    native = tmp_path / "native.pdf"
    _scan(1654, 2339).save(native, "PDF", resolution=200)
    bilevel = tmp_path / "bilevel.pdf"
    _scan(2480, 3508).convert("1").save(bilevel, "PDF", resolution=300)
    turned = tmp_path / "turned.pdf"
    _scan(2480, 3508).save(turned, "PDF", resolution=300)
    pdf = pdfium.PdfDocument(turned)
    pdf[0].set_rotation(90)
    pdf.save(tmp_path / "turned90.pdf")
    renders = _count_renders(monkeypatch)
    assert load_page(native, 0, dpi=250).dpi == 200  # kept at its own resolution, rendered 1:1
    assert load_page(bilevel, 0, dpi=250).dpi == 250
    upright = load_page(tmp_path / "turned90.pdf", 0, dpi=250).image.shape
    assert abs(upright[0] - 2067) <= 2 and abs(upright[1] - 2924) <= 2  # the page's /Rotate applied
    assert len(renders) == 3


def test_image_only_pdf_above_requested_dpi_is_rendered_at_dpi(tmp_path: Path) -> None:
    path = tmp_path / "scan600.pdf"
    _scan(1240, 1754).save(path, "PDF", resolution=150)
    assert load_page(path, 0, dpi=100).dpi == 100


def test_text_layer_words_land_on_their_ink(tmp_path: Path) -> None:
    path = text_pdf(tmp_path / "text.pdf", LINES)
    page = load_page(path, 0, dpi=150)
    assert page.dpi == 150 and abs(page.image.shape[0] - 1754) <= 1 and abs(page.image.shape[1] - 1240) <= 1
    assert page.words is not None
    texts = [w.text for w in page.words]
    assert texts == " ".join(text for _, _, text in LINES).split()
    assert all(_ink_share(page, w.box) > 0.08 for w in page.words)
    first = page.words[0].box  # "Biểu" at x=72 pt, baseline 100 pt from the top
    assert abs(first.x0 - 150) <= 4 and 170 <= first.y1 <= 212


@pytest.mark.parametrize("rotation", [90, 180, 270])
def test_text_layer_on_rotated_page(tmp_path: Path, rotation: int) -> None:
    path = text_pdf(tmp_path / f"rot{rotation}.pdf", LINES, rotation=rotation)
    page = load_page(path, 0, dpi=100)
    assert page.words is not None and len(page.words) == sum(len(text.split()) for _, _, text in LINES)
    assert all(_ink_share(page, w.box) > 0.08 for w in page.words)


def test_invisible_ocr_layer_over_scan_is_used_when_good(tmp_path: Path) -> None:
    background = np.asarray(_scan(1240, 1754, ""), dtype=np.uint8)
    path = text_pdf(tmp_path / "ocr.pdf", LINES, invisible=True, background=background)
    page = load_page(path, 0, dpi=300)
    assert page.words is not None and page.words[0].text == "Biểu"
    assert page.dpi == 150  # the page is one 150 dpi scan: rendered at its own resolution


def test_garbage_ocr_layer_is_not_trusted(tmp_path: Path) -> None:
    background = np.asarray(_scan(1240, 1754, ""), dtype=np.uint8)
    garbage = [(72, 100 + 20 * i, "Tlnh hìnb kểt quẩ thựe hiện cảỉ cách hảnh chính nảm") for i in range(4)]
    path = text_pdf(tmp_path / "bad_ocr.pdf", garbage, invisible=True, background=background)
    assert load_page(path, 0).words is None


def test_visible_text_over_large_picture_is_not_trusted(tmp_path: Path) -> None:
    background = np.asarray(_scan(1240, 1754, ""), dtype=np.uint8)
    path = text_pdf(tmp_path / "mixed.pdf", LINES, background=background)
    page = load_page(path, 0, dpi=100)
    assert page.words is None and page.dpi == 100


@pytest.mark.parametrize("path", HANOI, ids=lambda p: p.name)
def test_real_born_digital_pdfs_have_trusted_text(path: Path) -> None:
    page = load_page(path, 0, dpi=150)
    assert page.words is not None and len(page.words) > 100
    assert page.words[0].text == "ỦY"
    inked = [_ink_share(page, w.box) > 0.05 for w in page.words]
    assert sum(inked) / len(inked) > 0.97


def test_real_scan_pdf_is_rendered_at_its_resolution() -> None:
    path = REAL / "sources" / "tt_37_bca_vehicle.pdf"
    page = load_page(path, 0)
    assert page.dpi == 160 and page.words is None and page.image.shape == (1873, 1322)


def test_every_page_loads_in_order(tmp_path: Path) -> None:
    path = tmp_path / "two.pdf"
    path.write_bytes(plain_pdf_bytes(2))
    pages = [load_page(path, i, dpi=72) for i in range(count_pages(path))]
    assert [p.page_index for p in pages] == [0, 1] and all(p.page_count == 2 for p in pages)
    assert pages[0].image.shape == (842, 595) and pages[0].image.dtype == np.uint8


# --------------------------------------------------------------------------------------------
# images


def test_multipage_tiff(tmp_path: Path) -> None:
    path = tmp_path / "doc.tif"
    frames = [_scan(1240, 1754, f"Trang {i + 1}") for i in range(3)]
    frames[0].save(path, save_all=True, append_images=frames[1:], dpi=(150, 150), compression="tiff_lzw")
    assert count_pages(path) == 3
    pages = [load_page(path, i) for i in range(3)]
    assert [p.page_index for p in pages] == [0, 1, 2]
    assert all(p.dpi == 150 and p.image.shape == (1754, 1240) and p.page_count == 3 for p in pages)
    assert not np.array_equal(pages[0].image, pages[1].image)
    assert load_page(path, 2).image.shape == (1754, 1240)


def test_bilevel_tiff_becomes_0_255_gray(tmp_path: Path) -> None:
    path = tmp_path / "bw.tiff"
    _scan(1654, 2339).convert("1").save(path, dpi=(200, 200), compression="group4")
    page = load_page(path, 0)
    assert page.dpi == 200 and set(np.unique(page.image)) <= {0, 255}


def test_png_without_dpi_is_estimated_from_a4(tmp_path: Path) -> None:
    path = tmp_path / "nodpi.png"
    _scan(1654, 2339).save(path)
    page = load_page(path, 0)
    assert page.dpi == 200


def test_png_not_a4_without_dpi_defaults(tmp_path: Path) -> None:
    path = tmp_path / "square.png"
    _scan(1000, 1000).save(path)
    assert load_page(path, 0).dpi == DEFAULT_DPI


def test_jpeg_with_dpi_and_rgba_png(tmp_path: Path) -> None:
    jpg = tmp_path / "scan.jpg"
    _scan(2480, 3508).convert("RGB").save(jpg, dpi=(300, 300), quality=90)
    page = load_page(jpg, 0)
    assert page.dpi == 300 and page.image.ndim == 2
    png = tmp_path / "alpha.png"
    rgba = Image.new("RGBA", (827, 1169), (0, 0, 0, 0))  # fully transparent: must come out white
    rgba.save(png, dpi=(100, 100))
    assert load_page(png, 0).image.min() == 255


def test_implausible_metadata_dpi_is_replaced() -> None:
    # 72 dpi written by a camera app on a 200 dpi A4 scan: the page would be 58 cm tall
    assert image_dpi({"dpi": (72, 72)}, (2339, 1654)) == 200
    assert image_dpi({"dpi": (199.9994, 199.9994)}, (2339, 1654)) == 200
    assert image_dpi({}, (3508, 2480)) == 300
    assert image_dpi({"dpi": (0, 0)}, (1000, 1000)) == DEFAULT_DPI


@given(st.integers(min_value=70, max_value=1200), st.booleans())
@settings(max_examples=60, deadline=None)
def test_estimate_dpi_recovers_a4_resolution(dpi: int, landscape: bool) -> None:
    shape = (round(11.69 * dpi), round(8.27 * dpi))
    if landscape:
        shape = shape[::-1]
    assert abs(estimate_dpi(shape) - dpi) <= 1


# --------------------------------------------------------------------------------------------
# text-layer score


def test_score_accepts_vietnamese_rejects_legacy_encodings() -> None:
    good = [
        "Ủy",
        "ban",
        "nhân",
        "dân",
        "huyện",
        "Kế",
        "Sách",
        "báo",
        "cáo",
        "kết",
        "quả",
        "thực",
        "hiện",
        "cải",
        "cách",
        "hành",
        "chính",
        "năm",
        "2019",
    ]
    assert score_text_layer(good).trusted
    tcvn3 = [
        "Uû",
        "ban",
        "nh©n",
        "d©n",
        "huyÖn",
        "KÕ",
        "S¸ch",
        "b¸o",
        "c¸o",
        "kÕt",
        "qu¶",
        "thùc",
        "hiÖn",
        "c¶i",
        "c¸ch",
        "hµnh",
        "chÝnh",
    ]
    bad = score_text_layer(tcvn3)
    assert not bad.trusted and "valid characters" in bad.reason
    vni = [
        "UÛy",
        "ban",
        "nhaân",
        "daân",
        "huyeän",
        "Keá",
        "Saùch",
        "baùo",
        "caùo",
        "keát",
        "quaû",
        "thöïc",
        "hieän",
    ]
    assert not score_text_layer(vni).trusted
    assert not score_text_layer(["Ủy", "ban"]).trusted  # too few words
    assert not score_text_layer(good, image_cover=0.6).trusted
    assert score_text_layer(good, invisible=True, image_cover=1.0).trusted


@pytest.mark.parametrize(
    "word", ["nghiêng", "Thống", "quả", "giải", "khuyến", "UBND", "HĐND", "Đăng", "ươu", "Nhơn"]
)
def test_valid_syllables(word: str) -> None:
    assert is_vietnamese_syllable(word)


@pytest.mark.parametrize("word", ["Tlnh", "hànb", "nhaân", "quẩả", "xyz", "Thôngg"])
def test_invalid_syllables(word: str) -> None:
    assert not is_vietnamese_syllable(word)
