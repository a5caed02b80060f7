"""Shared helpers for the generator tests: the 5B fixture and made-up content for any form."""

from __future__ import annotations

from pathlib import Path

from extract.config import FormSpec, load_forms
from extract.synth.build import load_report
from extract.synth.render import DocumentInfo, FormContent, FormRow, ReportData

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "ke_sach_5b.yaml"
TEST_DPI = 100  # low resolution keeps the tests fast; layout is DPI-independent

COMMUNES = ("Thị trấn Kế Sách", "Xã Kế An", "Xã Phong Nẫm", "Xã Nhơn Mỹ")


def fixture_report() -> ReportData:
    return load_report(FIXTURE)


def form(code: str) -> FormSpec:
    for f in load_forms():
        if f.code == code:
            return f
    raise KeyError(code)


def made_up_rows(spec: FormSpec, n: int) -> tuple[FormRow, ...]:
    """``n`` plausible rows for ``spec``: a commune or item label, numbers in number columns."""
    rows = []
    for i in range(n):
        cells = []
        for c in spec.columns:
            if c.key == spec.index_column:
                text = str(i + 1)
            elif c.key == spec.label_column:
                text = COMMUNES[i % len(COMMUNES)]
            elif c.type in ("count", "signed", "decimal", "mixed"):
                text = f"{(i * 37 + len(c.key)) % 9 + 1}.{(i * 113 + 7) % 1000:03d}"
            elif c.type == "percent":
                text = "99,5%"
            elif c.type == "ratio":
                text = "32/32"
            elif c.type == "bool":
                text = "Có"
            else:
                text = "Quyết định số 1297/QĐ-UBND ngày 15/11/2019"
            cells.append((c.key, text))
        rows.append(FormRow(tuple(cells), bold=i == 0))
    return tuple(rows)


def made_up_report(sizes: dict[str, int]) -> ReportData:
    """A report whose forms (code -> number of rows) have made-up rows; the document is the fixture's."""
    doc: DocumentInfo = fixture_report().document
    forms = tuple(
        FormContent(
            code, f"(Kèm theo Báo cáo số {doc.number} ngày 21 tháng 11 năm 2019)", made_up_rows(form(code), n)
        )
        for code, n in sizes.items()
    )
    return ReportData(doc, forms)
