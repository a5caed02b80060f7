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

import dataclasses
import datetime as dt
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from pydantic import BaseModel, ConfigDict
from rapidfuzz import fuzz

from extract.config import load_yaml
from extract.errors import ConfigError
from extract.folding import fold
from extract.model import DocumentMeta, MetaField, OcrLine
from extract.understand.admin_units import DistrictRef, ProvinceRef
from extract.understand.communes import similarity
from extract.understand.gazetteer import Gazetteer

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
    r"(?:báo cáo|bao cao|quyết định|kế hoạch)\s+số\s*:?\s*(?P<num>[0-9]{1,6})"
    r"\s*(?:/\s*(?P<year>(?:19|20)[0-9]{2}))?"
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
_MOTTO_SPLIT = re.compile(
    r"\s*(?:C[ỘỌO]NG H[ÒOÓ][AÀ]\s+X[ÃA]\s+H[ỘO]I|Đ[ỘO]C L[ẬA]P\s*[-–—]).*$", re.IGNORECASE
)
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
            if not (
                gazetteer.find_province(f"tỉnh {place}") or gazetteer.find_province(f"thành phố {place}")
            ):
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


TITLE_GAP_LINES: Final = 1.2
"""A gap taller than this share of a line's height ends the title block."""


def _title_block(header: Sequence[OcrLine], type_line: OcrLine | None) -> list[OcrLine]:
    """The type line ("QUYẾT ĐỊNH", or the "V/v" subject of a letter) and the subject lines set
    close under it: the block ends at a vertical gap, a number or place-date line, or the
    issuer repeated in capitals above the body ("THỦ TƯỚNG CHÍNH PHỦ")."""
    if type_line is None:
        return []
    start = list(header).index(type_line)
    out = [type_line]
    for ln in header[start + 1 : start + 1 + MAX_TITLE_LINES]:
        prev = out[-1]
        gap = ln.box.y0 - prev.box.y1
        if gap > TITLE_GAP_LINES * max(prev.box.height, 1):
            break
        if place_date(ln.text) or _NUMBER.search(ln.text) or (len(out) > 1 and ln.text.isupper()):
            break
        out.append(ln)
    return out


# --------------------------------------------------------------------------------------------
# the standard header with trust: every field carries a status and a confidence


class MetadataSettings(BaseModel):
    """Section ``metadata`` of pipeline.yaml (scores and confidences 0..100)."""

    model_config = ConfigDict(extra="forbid")

    # a field read from a line below this OCR confidence is flagged: on the 9 real documents the
    # number lines with a handwritten or stamped number read 60-86, typed ones 94-96
    min_confidence: float = 90.0
    min_name_score: float = 88.0  # least similarity of an issuer header to a known body
    min_syllable_share: float = 0.9  # share of well-formed Vietnamese words in a sure title
    signer_lines: int = 40  # lines at the bottom of the last page searched for the signature block


@dataclass(frozen=True)
class DocumentConventions:
    """``configs/documents.yaml``: type codes, central issuers, signer titles."""

    types: dict[str, str]  # code -> name ("QĐ" -> "Quyết định")
    issuers: dict[str, str]  # code -> name ("BCT" -> "Bộ Công Thương")
    signer_titles: tuple[str, ...]

    @classmethod
    def load(cls, config_dir: str | None = None) -> DocumentConventions:
        raw = load_yaml("documents.yaml", config_dir) or {}
        try:
            return cls(
                types={str(t["code"]): str(t["name"]) for t in raw.get("document_types", [])},
                issuers={str(t["code"]): str(t["name"]) for t in raw.get("issuers", [])},
                signer_titles=tuple(str(t) for t in raw.get("signer_titles", [])),
            )
        except (KeyError, TypeError, AttributeError) as exc:
            raise ConfigError(f"documents.yaml: {exc}") from exc

    def type_code(self, name: str) -> str | None:
        key = fold(name)
        return next((code for code, n in self.types.items() if fold(n) == key), None)


READ, FLAGGED = "read", "flagged"
_SPACED_DIGITS = re.compile(r"(?<=\d)\s+(?=\d)")
_NUMBER_DIGITS = re.compile(r"S[ốôoó6ỗổ0ÓỐÔO]\s*[:.;]?\s*(?P<digits>[^/]*?)\s*/")
_DATE_FIELDS = re.compile(r"ng[àaá]y(?P<d>.*?)th[áa]ng(?P<m>.*?)n[ăaâ]m\s*(?P<y>\S*)", re.IGNORECASE)
_RECIPIENTS = re.compile(r"^noi (?:\S+ ){0,3}?nhan\b")  # "Nơi nhận:", also with a word of a line beside it
_NAME_WORD = re.compile(r"^[A-ZÀ-ỸĐ][a-zà-ỹđ]+$")
_SURNAMES: Final = frozenset(
    fold(s)
    for s in [
        "Nguyễn",
        "Trần",
        "Lê",
        "Phạm",
        "Hoàng",
        "Huỳnh",
        "Phan",
        "Vũ",
        "Võ",
        "Đặng",
        "Bùi",
        "Đỗ",
        "Hồ",
        "Ngô",
        "Dương",
        "Lý",
        "Trương",
        "Đinh",
        "Đoàn",
        "Lâm",
        "Mai",
        "Trịnh",
        "Đào",
        "Cao",
        "Lương",
        "Hà",
        "Tạ",
        "Lưu",
        "Chu",
        "Tô",
        "Thái",
        "Vương",
        "Kiều",
        "Triệu",
        "Quách",
        "Phùng",
        "Hứa",
        "Nông",
        "Lò",
        "Lục",
        "Giang",
        "Đồng",
        "Khổng",
        "La",
        "Lại",
        "Mạc",
        "Nghiêm",
        "Ninh",
        "Quan",
        "Tăng",
        "Thân",
        "Tôn",
        "Văn",
        "Vi",
        "Y",
        "Âu",
        "Bạch",
        "Châu",
        "Diệp",
        "Doãn",
        "Đàm",
        "Hầu",
        "Kim",
        "Lã",
        "Mẫn",
        "Phí",
        "Phó",
        "Tống",
        "Trịnh",
        "Từ",
        "Ứng",
        "Viên",
        "Xa",
    ]
)
"""Vietnamese family names: a signer's name starts with one."""


def _field(name: str, value: str | None, conf: float, raw: str, problems: list[str]) -> MetaField:
    return MetaField(
        name=name,
        value=value,
        status=FLAGGED if problems else READ,
        confidence=round(conf, 1),
        raw=raw,
        reason="; ".join(problems) if problems else None,
    )


def _low(conf: float, settings: MetadataSettings) -> list[str]:
    return (
        [f"OCR confidence {conf:.0f} below {settings.min_confidence:.0f}"]
        if conf < settings.min_confidence
        else []
    )


def _number_line(lines: Sequence[OcrLine]) -> OcrLine | None:
    for line in lines:
        left = _MOTTO_SPLIT.sub("", line.text)
        if _ANY_NUMBER_LINE.search(left) or _BLANK_NUMBER.search(left) or _NUMBER.search(left):
            return line
    return None


def _symbol_parts(symbol: str, conv: DocumentConventions) -> tuple[str | None, str | None]:
    """("QĐ", "TTg") from "QĐ-TTg"; (None, "VPCP") from an official letter's "VPCP-CN"."""
    parts = symbol.split("-")
    if parts[0] in conv.types:
        return parts[0], (parts[1] if len(parts) > 1 else None)
    return None, parts[0]


def _issuer_code_known(code: str | None, conv: DocumentConventions) -> bool:
    return code is not None and any(code == c or code.startswith(c) for c in conv.issuers)


def _number_fields(
    line: OcrLine | None, conv: DocumentConventions, settings: MetadataSettings
) -> tuple[MetaField, MetaField]:
    """The "number" and "symbol" fields from the "Số:" line."""
    if line is None:
        missing = ['no "Số: …" line found']
        return _field("number", None, 0.0, "", missing), _field("symbol", None, 0.0, "", missing)
    raw = _MOTTO_SPLIT.sub("", line.text).strip()
    pd = place_date(raw)
    if pd:  # the place-date line glued after the number
        raw = raw[: raw.rfind(pd[0])].strip()
    text = _SPACED_DIGITS.sub("", raw)  # "Số: 2 1 /2026/TT-BCT": stamped digits spaced out
    conf = line.confidence
    low = _low(conf, settings)
    m = _NUMBER.search(text)
    blank = _BLANK_NUMBER.search(text)
    sym_m = re.search(
        r"/\s*(?:(?:19|20)[0-9]{2}\s*/\s*)?(?P<sym>[A-ZĐ][A-Za-zĐđ]*(?:\s*-\s*[A-Za-zĐđ0-9]+)*)", text
    )
    symbol = re.sub(r"\s*-\s*", "-", sym_m.group("sym")).strip("-") if sym_m else None
    sym_problems = [] if symbol else ["type code unreadable"]
    if symbol:
        type_code, issuer_code = _symbol_parts(symbol, conv)
        if not _issuer_code_known(issuer_code, conv):
            sym_problems.append(f"issuer code {issuer_code!r} of {symbol!r} is not a known code")
    symbol_field = _field("symbol", symbol, conf, raw, sym_problems + low)
    if m:
        number = _format_number(m)
        digits = _NUMBER_DIGITS.search(text)
        problems = list(sym_problems) + low
        if _SPACED_DIGITS.search(raw):
            problems.append("digits spaced apart (stamped or filled in by hand)")
        if digits and not digits.group("digits").strip().isdigit():
            problems.append(f"characters around the digits ({digits.group('digits')!r})")
        return _field("number", number, conf, raw, problems), symbol_field
    if blank:
        return (
            MetaField("number", None, READ, round(conf, 1), raw, "printed blank (not yet numbered)"),
            symbol_field,
        )
    return _field("number", None, conf, raw, ["printed but unreadable", *low]), symbol_field


def _date_line(lines: Sequence[OcrLine]) -> OcrLine | None:
    for line in lines:
        if place_date(line.text):
            return line
    for line in lines:
        if fold(line.text).startswith("ngay"):
            return line
    return None


def _date_fields(
    line: OcrLine | None, settings: MetadataSettings
) -> tuple[MetaField, str | None, int | None]:
    """The "date" field, the ISO date and the year from the place-date line."""
    if line is None:
        return _field("date", None, 0.0, "", ['no ", ngày … tháng … năm …" line found']), None, None
    pd = place_date(line.text)
    raw = pd[1] if pd else line.text
    conf = line.confidence
    date, year = parse_date([line.text])
    parts = _DATE_FIELDS.search(raw)
    low = _low(conf, settings)
    if date is not None:
        return _field("date", date, conf, raw, low), date, year
    if parts is not None:
        blank = all(not parts.group(g).strip(" ,.-—_…") for g in ("d", "m"))
        if blank:
            return (
                MetaField("date", None, READ, round(conf, 1), raw, "printed blank (not yet dated)"),
                None,
                year,
            )
    return _field("date", None, conf, raw, ["printed but unreadable", *low]), None, year


def _best_issuer(
    text: str, conv: DocumentConventions, settings: MetadataSettings
) -> tuple[str, float] | None:
    """The known body ``text`` names (the longest that matches, so "Thủ tướng Chính phủ" wins
    over "Chính phủ") and its score; None when it names none."""
    key = fold(text)
    best: tuple[int, float, str] | None = None
    for code, name in conv.issuers.items():
        nkey = fold(name)
        if not key or not nkey:
            continue
        score = float(fuzz.partial_ratio(nkey, key)) if len(key) >= len(nkey) else similarity(key, nkey)
        if score >= settings.min_name_score and (best is None or (len(nkey), score) > best[:2]):
            best = (len(nkey), score, code)
    return (best[2], best[1]) if best is not None else None


def _issuer_field(
    lines: Sequence[OcrLine],
    conv: DocumentConventions,
    district: DistrictRef | None,
    province: ProvinceRef | None,
    settings: MetadataSettings,
) -> MetaField:
    """The issuing body: the first header line (left column, above the number) that names a
    body of ``documents.yaml`` — stamps and scanner marks above it are skipped, a "received"
    stamp below it does not count — or a local People's Committee / Council with its district
    or province from the gazetteer (the next header line names the unit)."""
    block = _header_block([ln.text for ln in lines[:HEADER_LINES]])
    kept = [
        (ln, left) for ln in lines[:HEADER_LINES] if (left := _MOTTO_SPLIT.sub("", ln.text).strip()) in block
    ]
    for i, (ln, left) in enumerate(kept):
        found = _best_issuer(left, conv, settings)
        if found is None:
            continue
        code, score = found
        used = [ln]
        name = conv.issuers[code]
        problems: list[str] = []
        if code in ("UBND", "HĐND"):
            used += [x for x, _ in kept[i + 1 : i + 2]]
            unit = (
                district.name if district is not None else (province.name if province is not None else None)
            )
            if unit is None:
                problems.append("the local unit of the issuer is not recognised")
            else:
                name = f"{name} {unit}"
        conf = min(x.confidence for x in used)
        raw = " ".join(_MOTTO_SPLIT.sub("", x.text).strip() for x in used)
        return _field("issuer", name, min(conf, score), raw, problems + _low(min(conf, score), settings))
    raw = " ".join(block)
    return _field(
        "issuer", None, 0.0, raw, [f"no known issuing body in {raw!r}" if raw else "no issuer header found"]
    )


def _syllable_share(text: str) -> float:
    """The share of a title's words (digits dropped) that are well-formed syllables (1.0: none)."""
    from extract.ingest import syllable_share

    words = [w.strip(".,;:()\"“”'!?-–") for w in text.split()]
    share = syllable_share([w for w in words if w and not any(ch.isdigit() for ch in w)])
    return 1.0 if share is None else share


def _signer_field(
    lines: Sequence[OcrLine], conv: DocumentConventions, settings: MetadataSettings
) -> MetaField:
    """The signer, in the signature block at the end ("Nơi nhận:" on the left, "KT. THỦ TƯỚNG /
    PHÓ THỦ TƯỚNG / (signature) / name" on the right): the first 2-4 capitalised words that
    start with a family name, after an uppercase signer title.  Without a "Nơi nhận" list the
    pages given hold no signature block: None, read.  With one but no name read: flagged."""
    tail = list(lines)[-settings.signer_lines :]
    start = next((i for i, ln in enumerate(tail) if _RECIPIENTS.match(fold(ln.text))), None)
    if start is None:
        return MetaField("signer", None, READ, 100.0, "", "no signature block on these pages")
    titled = next(
        (i for i in range(start, len(tail)) if any(t in tail[i].text for t in conv.signer_titles)), None
    )
    if titled is not None:
        for ln in tail[titled + 1 :]:
            words = ln.text.replace(";", " ; ").replace(",", " , ").split()
            run: list[str] = []
            for w in reversed(words):
                if not _NAME_WORD.match(w) or len(run) == 4:
                    break
                run.insert(0, w)
            while run and fold(run[0]) not in _SURNAMES:
                run.pop(0)
            if len(run) >= 2:
                name = " ".join(run)
                problems = _low(ln.confidence, settings)
                if _syllable_share(name) < 1.0:
                    problems.append("not well-formed Vietnamese")
                return _field("signer", name, ln.confidence, ln.text, problems)
    return _field(
        "signer", None, 0.0, tail[start].text, ['a signature block ("Nơi nhận") but no signer read']
    )


def read_metadata(
    lines: Sequence[OcrLine],
    gazetteer: Gazetteer,
    *,
    last_lines: Sequence[OcrLine] | None = None,
    conventions: DocumentConventions | None = None,
    settings: MetadataSettings | None = None,
) -> DocumentMeta:
    """The standard header of a document, every field with a status and a confidence.

    ``lines`` are the OCR lines (or text-layer lines, confidence 100) of the first page(s) in
    reading order; ``last_lines`` those of the last page, where the signature block is (default:
    ``lines``).  A field is flagged when its line's confidence is low, when it fails its own
    pattern (an unknown issuer code in the number, digits spaced by a stamp, a date that is not a
    calendar day), when two fields disagree (the number's type code and the document type, the
    number's issuer code and the issuing body), or when it is printed but unreadable; its value
    is kept as read.  A blank printed field ("Số: /QĐ-UBND") is None with status read.
    """
    conv = conventions or DocumentConventions.load()
    settings = settings or MetadataSettings()
    cleaned = [OcrLine(clean_line(ln.text), ln.box, ln.confidence) for ln in lines]
    nonblank = [ln for ln in cleaned if ln.text]
    header = [ln for ln in nonblank if ln.text in set(header_region([x.text for x in nonblank]))]
    texts = [ln.text for ln in nonblank]
    base = parse_metadata(texts, gazetteer)
    number, symbol = _number_fields(_number_line(header), conv, settings)
    date, iso, year = _date_fields(_date_line(header), settings)
    reference = next((ln for ln in nonblank if fold(ln.text).startswith(REFERENCE_KEY)), None)
    if reference is not None and number.value is None and number.reason and number.reason.startswith("no "):
        # an annex printed alone names its report: "(Kèm theo Báo cáo số 542/BC-UBND ngày …)"
        number, symbol, date, iso, year = _reference_fields(reference, nonblank, base, conv, settings)
    district_ref, province_ref = parse_issuer(texts, gazetteer, year or base.year)
    issuer = _issuer_field(header, conv, district_ref, province_ref, settings)

    # the document type: the type line ("QUYẾT ĐỊNH") and the number's type code must agree
    type_line = next((ln for ln in header if _doc_type(ln.text)), None)
    printed_type = conv.type_code(_doc_type(type_line.text) or "") if type_line is not None else None
    subject = next((ln for ln in header if fold(ln.text).startswith("v v ")), None)
    if printed_type is None and subject is not None:
        printed_type, type_line = "CV", subject
    code_type = _symbol_parts(symbol.value, conv)[0] if symbol.value else None
    type_conf = type_line.confidence if type_line is not None else (symbol.confidence if code_type else 0.0)
    type_problems = []
    if printed_type and code_type and printed_type != code_type:
        type_problems.append(f"the type line says {printed_type}, the number {symbol.value!r}")
    doc_type_value = printed_type or code_type
    if doc_type_value is None:
        type_problems.append("no document type found")
    elif printed_type is None or code_type is None:
        type_problems += _low(type_conf, settings)
    doc_type = _field(
        "doc_type", doc_type_value, type_conf, type_line.text if type_line else "", type_problems
    )

    # the number's issuer code must name the issuing body
    if symbol.value and issuer.value:
        issuer_code = _symbol_parts(symbol.value, conv)[1] or ""
        body = next((c for c, n in conv.issuers.items() if issuer.value.startswith(n)), None)
        if body and issuer_code and not issuer_code.startswith(body):
            why = f"issuer code {issuer_code!r} does not match the issuer {issuer.value!r}"
            number = _refield(number, why) if number.value else number
            symbol = _refield(symbol, why)

    title_used = _title_block(header, type_line)
    title_text = " ".join(ln.text for ln in title_used[1:])
    if title_used and doc_type.value != "CV":
        title_text = f"{_doc_type(title_used[0].text)} {title_text}".strip()
    elif title_used:
        title_text = " ".join(ln.text for ln in title_used)
    title_text = title_text or (base.title or "")
    title_conf = min((ln.confidence for ln in title_used), default=0.0)
    title_problems = _low(title_conf, settings) if title_text else ["no title found"]
    if title_text and _syllable_share(title_text) < settings.min_syllable_share:
        title_problems.append("words that are not Vietnamese (a stamp or handwriting over the title?)")
    title = _field("title", title_text or None, title_conf, title_text, title_problems)
    signer = _signer_field(
        [
            OcrLine(clean_line(ln.text), ln.box, ln.confidence)
            for ln in (last_lines if last_lines is not None else lines)
        ],
        conv,
        settings,
    )
    local = [
        _field("district", district_ref.name, issuer.confidence, issuer.raw, [])
        if district_ref is not None
        else None,
        _field("province", province_ref.name, issuer.confidence, issuer.raw, [])
        if province_ref is not None
        else None,
    ]
    fields = tuple(
        f for f in (number, symbol, date, doc_type, issuer, title, signer, *local) if f is not None
    )
    return dataclasses.replace(
        base,
        number=number.value,
        date=iso,
        year=year or base.year,
        district=district_ref.name if district_ref else None,
        district_code=district_ref.code if district_ref else None,
        province=province_ref.name if province_ref else None,
        province_code=province_ref.code if province_ref else None,
        issuer=issuer.value,
        doc_type=doc_type.value,
        symbol=symbol.value,
        signer=signer.value,
        title=title.value,
        fields=fields,
    )


def _reference_fields(
    reference: OcrLine,
    lines: Sequence[OcrLine],
    base: DocumentMeta,
    conv: DocumentConventions,
    settings: MetadataSettings,
) -> tuple[MetaField, MetaField, MetaField, str | None, int | None]:
    """Number, symbol and date of the report an annex names (the annex's own header has none)."""
    at = list(lines).index(reference)
    used = lines[at : at + 2]
    raw = " ".join(ln.text for ln in used)
    conf = min(ln.confidence for ln in used)
    low = _low(conf, settings)
    why = "from the annex's reference to its report"
    symbol = base.number.split("/")[-1] if base.number else None
    sym_problems = (
        []
        if symbol is None or _issuer_code_known(_symbol_parts(symbol, conv)[1], conv)
        else [f"issuer code of {symbol!r} is not a known code"]
    )
    number = (
        _field("number", base.number, conf, raw, sym_problems + low)
        if base.number
        else _field("number", None, conf, raw, ["the annex's reference names no readable number"])
    )
    date = (
        _field("date", base.date, conf, raw, low)
        if base.date
        else _field("date", None, conf, raw, ["the annex's reference names no readable date"])
    )
    number = dataclasses.replace(number, reason=number.reason or why)
    date = dataclasses.replace(date, reason=date.reason or why)
    if symbol is None:
        sym_problems.append("the annex's reference names no readable number")
    symbol_field = _field("symbol", symbol, conf, raw, sym_problems + low)
    return number, symbol_field, date, base.date, base.year


def signature_lines(pages: Sequence[Sequence[OcrLine]], search: int) -> list[OcrLine]:
    """The lines of the page that holds the signature block: the last of the last ``search``
    pages with a "Nơi nhận" list (a decision signs on page 1 and annexes its plan after it),
    else the last page's."""
    for lines in list(pages)[::-1][:search]:
        if any(_RECIPIENTS.match(fold(ln.text)) for ln in lines):
            return list(lines)
    for lines in pages:
        if any(_RECIPIENTS.match(fold(ln.text)) for ln in lines):
            return list(lines)
    return list(pages[-1]) if pages else []


def _refield(f: MetaField, why: str) -> MetaField:
    reason = f"{f.reason}; {why}" if f.reason else why
    return dataclasses.replace(f, status=FLAGGED, reason=reason)
