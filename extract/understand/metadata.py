"""Document metadata from the text lines of a report's first page(s).

:func:`parse_metadata` finds

- the number: "Số: 542 /BC-UBND" -> "542/BC-UBND", "Số: 21/2026/TT-BCT", "729/QĐ-TTg",
  "15/2018/NQ-HĐND"; a blank number ("Số: /QĐ-UBND", not yet numbered) gives None;
- the date: "Kế Sách, ngày 21 tháng 11 năm 2019" -> "2019-11-21", "ngày 14 /11/2019"; a date
  left blank ("ngày tháng năm 2026") gives only the year;
- the issuing district and province with their codes, from the issuer header ("ỦY BAN NHÂN DÂN
  / HUYỆN KẾ SÁCH"), else from the place before ", ngày" ("Kế Sách, ngày ..."), else from the
  first "UBND huyện ..." in the text;
- the title: the document-type line ("BÁO CÁO", "QUYẾT ĐỊNH", ...) and its subject lines, or
  the "V/v ..." subject of an official letter.

OCR variants are tolerated (diacritics lost, "S6:", "ngay", spaces around "/").
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Sequence
from typing import Final

from extract.model import DocumentMeta
from extract.understand.communes import DistrictRef, Gazetteer, ProvinceRef, fold, similarity

HEADER_LINES: Final = 12
"""Lines at the top of the page searched for the issuer, the number and the place-date line."""
MAX_TITLE_LINES: Final = 5
"""Subject lines joined after the document-type line."""

_MARKUP = re.compile(r"</?[a-zA-Z][^>]*>|[*_#`>]+")
_NUMBER = re.compile(
    r"(?:^|(?<=[\s|(]))S[ốôoó6ỗổ0ÓỐÔO]\s*[:.;]?\s*"
    r"(?P<num>[0-9]{1,6})\s*(?:/\s*(?P<year>(?:19|20)[0-9]{2}))?\s*[/-]\s*"
    r"(?P<sym>[A-ZĐ][A-Za-zĐđ]*(?:\s*-\s*[A-Za-zĐđ0-9]+)*)"
)
"""The number line: "Số: 542 /BC-UBND", "S6: 21/2026/TT-BCT" (an uppercase S: a body line
wrapped before "số 80/2023/NĐ-CP" is not a number line)."""
_BLANK_NUMBER = re.compile(r"(?:^|(?<=[\s|(]))S[ốôoó6ÓỐÔO]\s*[:.;]?\s*[/-]")
_ANY_NUMBER_LINE = re.compile(r"(?:^|(?<=[\s|(]))S[ốôoó6ÓỐÔO]\s*[:.;]")
_ANNEX_NUMBER = re.compile(
    r"(?:báo cáo|bao cao|quyết định|kế hoạch)\s+số\s*:?\s*(?P<num>[0-9]{1,6})\s*(?:/\s*(?P<year>(?:19|20)[0-9]{2}))?"
    r"\s*/\s*(?P<sym>[A-ZĐ][A-Za-zĐđ]*(?:-[A-Za-zĐđ0-9]+)*)",
    re.IGNORECASE,
)
_DATE_WORDS = re.compile(
    r"ng[àaá]y\s*(?P<d>[0-9]{1,2})?\s*(?:th[áa]ng\s*(?P<m>[0-9]{1,2})?\s*n[ăaâ]m\s*(?P<y>(?:19|20)[0-9]{2})?"
    r"|/\s*(?P<m2>[0-9]{1,2})\s*/\s*(?P<y2>(?:19|20)[0-9]{2}))",
    re.IGNORECASE,
)
REFERENCE_KEY = "kem theo"  # folded start of an annex's reference to its report
_COMMA_DATE = re.compile(r",\s*ng[àaá]y", re.IGNORECASE)
_MOTTO_SPLIT = re.compile(r"\s*(?:C[ỘỌO]NG H[ÒOÓ]A\s+X[ÃA]\s+H[ỘO]I|Đ[ỘO]C L[ẬA]P\s*[-–—]).*$", re.IGNORECASE)
_DOC_TYPES: Final = (
    "BÁO CÁO",
    "QUYẾT ĐỊNH",
    "NGHỊ QUYẾT",
    "NGHỊ ĐỊNH",
    "THÔNG TƯ",
    "KẾ HOẠCH",
    "THÔNG BÁO",
    "CHỈ THỊ",
    "TỜ TRÌNH",
    "HƯỚNG DẪN",
    "ĐỀ ÁN",
    "CHƯƠNG TRÌNH",
    "DANH SÁCH",
    "BIÊN BẢN",
)
_DOC_TYPE_KEYS: Final = {fold(t): t for t in _DOC_TYPES}
DOC_TYPE_SCORE: Final = 90.0
"""Least similarity of an uppercase line (or its end) to a document type ("QUYÉT ĐỊNH")."""
_BODY_STARTS: Final = ("can cu", "thuc hien", "kinh gui", "theo de nghi", "xet de nghi", "xet ", "dieu 1")
_NATIONAL_MOTTO: Final = ("cong hoa xa hoi", "doc lap tu do")
_ISSUER_START = re.compile(r"\b(?:uy ban nhan dan|ubnd|hoi dong nhan dan|hdnd)\b")
_LOCAL_DISTRICT = re.compile(r"\b(?:uy ban nhan dan|ubnd)\s+(?:huyen|quan|thi xa|thanh pho|tp|tx)\b")
_DISTRICT_WORD = re.compile(r"\b(?:huyen|quan|thi xa)\b")


def clean_line(line: str) -> str:
    """NFC, markdown/HTML markup removed, spaces collapsed."""
    s = unicodedata.normalize("NFC", line)
    s = _MARKUP.sub(" ", s)
    return " ".join(s.split())


def header_region(lines: Sequence[str]) -> list[str]:
    """The lines above the body: up to the first "Căn cứ", "Thực hiện", "Kính gửi", "Điều 1" ...
    (at most ``3 * HEADER_LINES`` lines)."""
    out = []
    for line in lines[: 3 * HEADER_LINES]:
        if fold(line).startswith(_BODY_STARTS):
            break
        out.append(line)
    return out


def place_date(line: str) -> tuple[str, str] | None:
    """("Kế Sách", "ngày 21 tháng 11 năm 2019") from a place-date line, also when OCR glued it
    after the number ("Số: 7/QĐ-TTg Hà Nội, ngày 23 ..."); None when the line has none.

    The place is the capitalised words (at most four) right before ", ngày".
    """
    m = _COMMA_DATE.search(line)
    if not m:
        return None
    words = line[: m.start()].split()
    place: list[str] = []
    for w in reversed(words):
        if len(place) == 4 or not w[:1].isupper() or any(ch.isdigit() for ch in w) or "/" in w:
            break
        place.insert(0, w)
    if not place:
        return None
    return " ".join(place), line[m.start() + 1 :].strip()


def parse_number(lines: Sequence[str]) -> str | None:
    """The document number ("542/BC-UBND") from the "Số:" line; None when blank or unreadable.

    Without a "Số:" line, an annex line "(Kèm theo Báo cáo số 542/BC-UBND ...)" gives it.
    """
    for line in lines:
        m = _NUMBER.search(line)
        if m:
            return _format_number(m)
        if _BLANK_NUMBER.search(line) or _ANY_NUMBER_LINE.search(line):
            return None  # printed but blank ("Số: /QĐ-UBND") or unreadable ("Só: Z7 /QĐ-TTg")
    for line in lines:
        m = _ANNEX_NUMBER.search(line)
        if m:
            return _format_number(m)
    return None


def _format_number(m: re.Match[str]) -> str:
    sym = re.sub(r"\s*-\s*", "-", m.group("sym")).strip("-")
    parts = [m.group("num")] + ([m.group("year")] if m.group("year") else []) + [sym]
    return "/".join(parts)


def _reference_dates(lines: Sequence[str]) -> list[str]:
    """An annex printed alone names its report: "(Kèm theo Báo cáo số 542/BC-UBND ngày 21 tháng
    11 năm 2019 của …)" — that report's date is the document's.  The line may wrap, so each such
    line is joined with the next before the date is searched."""
    out = []
    for i, line in enumerate(lines):
        if REFERENCE_KEY in fold(line):
            joined = " ".join(lines[i : i + 2])
            if _DATE_WORDS.search(joined):
                out.append(joined)
    return out


def parse_date(lines: Sequence[str]) -> tuple[str | None, int | None]:
    """(ISO date, year) from the place-date line ("Kế Sách, ngày 21 tháng 11 năm 2019").

    Only the place-date line is read when there is one (dates in the body are other acts'
    dates); without one, a line starting with "ngày" ("ngày 14 /11/2019").  A date that is not
    a real calendar day gives no date; a blank date with a year ("ngày tháng năm 2026") gives
    (None, 2026).
    """
    texts = [pd[1] for ln in lines if (pd := place_date(ln))]
    texts = texts or [ln for ln in lines if fold(ln).startswith("ngay")]
    texts = texts or _reference_dates(lines)
    if not texts:
        return None, None
    m = _DATE_WORDS.search(texts[0])
    if not m:
        return None, None
    d, mo, y = m.group("d"), m.group("m") or m.group("m2"), m.group("y") or m.group("y2")
    if y is None:
        return None, None
    year = int(y)
    if d and mo:
        try:
            return dt.date(year, int(mo), int(d)).isoformat(), year
        except ValueError:
            return None, year
    return None, year


def _doc_type(line: str) -> str | None:
    """The document type an uppercase line names ("QUYÉT ĐỊNH" -> "QUYẾT ĐỊNH"), also at the
    end or start of a line with OCR debris ("ĐẾN ẾN A\".. QUYÉT ĐỊNH")."""
    letters = re.sub(r"[^\w\s]", " ", line)
    words = [w for w in letters.split() if not w.isdigit()]
    if not words:
        return None
    for n in (2, 3):
        for part in (words[-n:], words[:n]):
            if len(part) < n or not all(w.isupper() for w in part):
                continue
            key = fold(" ".join(part))
            for tkey, name in _DOC_TYPE_KEYS.items():
                if len(tkey.split()) == n and similarity(key, tkey) >= DOC_TYPE_SCORE:
                    return name
    return None


def parse_title(lines: Sequence[str]) -> str | None:
    """ "BÁO CÁO <subject>" from the document-type line and the subject lines after it, or the
    "V/v ..." subject of an official letter.  Only the header region is searched."""
    region = header_region(lines)
    for i, line in enumerate(region):
        if fold(line).startswith("v v "):
            return _join_subject(region[i : i + MAX_TITLE_LINES])
        doc_type = _doc_type(line)
        if doc_type is None:
            continue
        subject = _join_subject(region[i + 1 : i + 1 + MAX_TITLE_LINES])
        return f"{doc_type} {subject}".strip() if subject else doc_type
    return None


def _join_subject(lines: Sequence[str]) -> str:
    out: list[str] = []
    for line in lines:
        if not line.strip():
            if out:
                break
            continue
        if place_date(line) or _NUMBER.search(line):
            break
        if out and line.isupper():  # the issuer repeated above the body ("THỦ TƯỚNG CHÍNH PHỦ")
            break
        out.append(line.strip())
    return " ".join(out)


def _header_block(lines: Sequence[str]) -> list[str]:
    """The issuer lines at the top (left column): before the number, the place-date line and the
    document type; the national motto (right column) is cut off."""
    out = []
    for line in lines[:HEADER_LINES]:
        left = _MOTTO_SPLIT.sub("", line).strip()
        if _ANY_NUMBER_LINE.search(left) or _BLANK_NUMBER.search(left) or place_date(left) or _doc_type(left):
            break
        key = fold(left)
        if not key or any(key.startswith(m) for m in _NATIONAL_MOTTO):
            continue
        out.append(left)
    return out


def parse_issuer(
    lines: Sequence[str], gazetteer: Gazetteer, year: int | None = None
) -> tuple[DistrictRef | None, ProvinceRef | None]:
    """The issuing district and province.

    From the issuer header when it names a local authority ("ỦY BAN NHÂN DÂN / HUYỆN KẾ SÁCH",
    "UBND TỈNH SÓC TRĂNG", "ỦY BAN NHÂN DÂN / THÀNH PHỐ HÀ NỘI"); when the header names no
    authority (lost to OCR), from the place before ", ngày" if it is a district name (not a
    province name), else from the first "UBND huyện ..." in the text.  A header naming another
    authority ("THỦ TƯỚNG CHÍNH PHỦ", "BỘ CÔNG AN") gives (None, None).
    """
    header = " ".join(_header_block(lines))
    header_key = fold(header)
    provinces_named = gazetteer.find_province(" ".join(lines))

    def pick(found: list[DistrictRef]) -> DistrictRef | None:
        if len(found) <= 1:
            return found[0] if found else None
        # the same name in several provinces: a province named anywhere in the text decides
        codes = {p.code for p in provinces_named}
        inside = [d for d in found if d.province_code in codes]
        return inside[0] if len(inside) == 1 else None

    def with_province(d: DistrictRef | None) -> tuple[DistrictRef | None, ProvinceRef | None]:
        return d, (gazetteer.provinces.get(d.province_code) if d else None)

    if _ISSUER_START.search(header_key):
        if _DISTRICT_WORD.search(header_key) or _LOCAL_DISTRICT.search(header_key):
            district = pick(gazetteer.find_district(header, year=year))
            if district is not None:
                return with_province(district)
        province = gazetteer.find_province(header)
        if province:
            return None, province[0]
    elif header_key:
        return None, None  # a ministry, the Prime Minister ...: no local issuer

    for line in header_region(lines):
        pd = place_date(line)
        if pd:
            place = pd[0]
            is_province = gazetteer.find_province(f"tỉnh {place}") or gazetteer.find_province(
                f"thành phố {place}"
            )
            if not is_province:
                district = pick(gazetteer.find_district(place, year=year))
                if district is not None:
                    return with_province(district)
            break
    for line in lines:
        if _LOCAL_DISTRICT.search(fold(line)):
            district = pick(gazetteer.find_district(line, year=year))
            if district is not None:
                return with_province(district)
    return None, None


def named_districts(lines: Sequence[str], gazetteer: Gazetteer, year: int | None = None) -> list[DistrictRef]:
    """Every district the text names as the issuer, before any choice between them: the header,
    the place before ", ngày", or an "UBND huyện ..." line (an annex's "(Kèm theo Báo cáo số …
    của Ủy ban nhân dân huyện Tam Nông)").  A name shared by several provinces gives them all;
    :func:`parse_issuer` keeps one only when a province named in the text decides."""
    cleaned = [clean_line(line) for line in lines]
    nonblank = [line for line in cleaned if line]
    found: dict[str, DistrictRef] = {}
    header_key = fold(" ".join(_header_block(nonblank)))
    sources = [" ".join(_header_block(nonblank))] if _DISTRICT_WORD.search(header_key) else []
    for line in header_region(nonblank):
        pd = place_date(line)
        if pd:
            place = pd[0]
            if not (gazetteer.find_province(f"tỉnh {place}") or gazetteer.find_province(f"thành phố {place}")):
                sources.append(place)
            break
    sources.extend(line for line in nonblank if _LOCAL_DISTRICT.search(fold(line)))
    for text in sources:
        for d in gazetteer.find_district(text, year=year):
            found.setdefault(d.code, d)
        if found:
            break
    return list(found.values())


def parse_metadata(lines: Sequence[str], gazetteer: Gazetteer) -> DocumentMeta:
    """Number, date, year, issuing district/province (with codes) and title of a document.

    ``lines`` are the text lines of the first page(s), top to bottom (OCR lines or a text
    layer); markup is ignored.  Fields that cannot be read are None.
    """
    cleaned = [clean_line(line) for line in lines]
    nonblank = [line for line in cleaned if line]
    header = header_region(nonblank)
    number = parse_number(header)
    date, year = parse_date(header)
    if year is None and number:
        m = re.search(r"/((?:19|20)[0-9]{2})/", number)
        year = int(m.group(1)) if m else None
    district, province = parse_issuer(nonblank, gazetteer, year)
    return DocumentMeta(
        number=number,
        date=date,
        year=year,
        district=district.name if district else None,
        district_code=district.code if district else None,
        province=province.name if province else None,
        province_code=province.code if province else None,
        title=parse_title(cleaned),
    )
