"""Fast, deterministic stand-ins for the pipeline's page and document functions.

They let the batch tests run thousands of times faster than OCR while exercising everything the
batch does with results: tables, values of every kind, flagged and corrected values with
candidates, prose pages, failed pages, tasks that raise, workers that die, documents that fail
to assemble.  Behaviour is chosen by the input file's name:

- ``failpage``: page 2 comes back failed (stage "ocr", an OCR timeout);
- ``raisepage``: the task for page 1 raises;
- ``crashpage``: the worker process running page 1 dies (only in a child process);
- ``badassemble``: assembling the document raises.

Environment: ``BATCH_FAKE_SLEEP`` (seconds per page), ``BATCH_FAKE_CALLS`` (a file that gets one
line "<document_id> <page_index>" per page processed).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import multiprocessing
import os
import time
from pathlib import Path

import pypdfium2 as pdfium

from extract.batch import PipelineFunctions
from extract.errors import InputFileError
from extract.model import (
    Candidate,
    CellKind,
    CellRead,
    DocumentMeta,
    DocumentResult,
    GridCell,
    OcrLine,
    PageResult,
    PixelBox,
    ReadTable,
    RowInfo,
    RowKind,
    TableGrid,
    TableResult,
    Value,
    ValueStatus,
)
from extract.page import PageTask

COMMUNES = [("31480", "Xã Nhơn Mỹ"), ("31483", "Xã An Lạc Thôn"), ("31486", "Thị trấn Kế Sách")]
COLUMNS_5B = ("tiep_nhan_tong", "tiep_nhan_ky_truoc")


def document_id(path: str) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:16]


def count_pages(path: str) -> int:
    data = Path(path).read_bytes()
    if not data:
        raise InputFileError(path, "empty file")
    suffix = Path(path).suffix.lower()
    if suffix != ".pdf":
        return 1
    try:
        return len(pdfium.PdfDocument(data))
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise InputFileError(path, "encrypted PDF (password required)") from exc
        raise InputFileError(path, f"not a readable PDF ({exc})") from exc


def _numbers(document: str, page: int, n: int) -> list[int]:
    digest = hashlib.sha256(f"{document}:{page}".encode()).digest()
    return [digest[i] % 40 for i in range(n)]


def _cell(row: int, col: int, text: str, kind: CellKind) -> CellRead:
    box = PixelBox(col * 100, row * 40, col * 100 + 100, row * 40 + 40)
    cands = (Candidate(text, 90.0, "gray"), Candidate(text + "1", 40.0, "binary"))
    return CellRead(GridCell(row, col, 1, 1, box), text, 90.0, kind, cands)


def process_page(task: PageTask) -> PageResult:
    sleep = float(os.environ.get("BATCH_FAKE_SLEEP", "0") or 0)
    if sleep:
        time.sleep(sleep)
    calls = os.environ.get("BATCH_FAKE_CALLS")
    if calls:
        fd = os.open(calls, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        os.write(fd, f"{task.document_id} {task.page_index}\n".encode())
        os.close(fd)
    options = os.environ.get("BATCH_FAKE_OPTIONS")
    if options:  # the options the task carried, one JSON line a page
        with open(options, "a", encoding="utf-8") as fh:
            fh.write(json.dumps(dataclasses.asdict(task.options)) + "\n")
    name = os.path.basename(task.path)
    if "raisepage" in name and task.page_index == 0:
        raise RuntimeError("fake page function exploded")
    if "crashpage" in name and task.page_index == 0 and multiprocessing.parent_process() is not None:
        os._exit(3)
    common = {
        "source": task.path,
        "page_index": task.page_index,
        "page_count": 0,
        "dpi": 300.0,
        "width": 300,
        "height": 400,
    }
    if "failpage" in name and task.page_index == 1:
        return PageResult(
            **common,
            seconds=0.25,
            error=f"{task.path}, page 2: OcrTimeout: tesseract took longer than 30 s",
            error_stage="ocr",
        )
    lines = (OcrLine(f"Trang {task.page_index + 1}", PixelBox(0, 0, 100, 20), 95.0),)
    if task.page_index % 3 == 2:  # every third page is prose
        return PageResult(**common, lines=lines, seconds=0.5)
    nums = _numbers(task.document_id, task.page_index, len(COMMUNES) * 2)
    cells = [
        _cell(0, 0, "Cơ quan", CellKind.TEXT),
        _cell(0, 1, "Tổng số", CellKind.TEXT),
        _cell(0, 2, "Từ kỳ trước", CellKind.TEXT),
    ]
    for r, (_code, commune) in enumerate(COMMUNES, start=1):
        cells.append(_cell(r, 0, commune, CellKind.TEXT))
        cells.append(_cell(r, 1, str(nums[2 * r - 2]), CellKind.NUMBER))
        cells.append(_cell(r, 2, str(nums[2 * r - 1]), CellKind.NUMBER))
    grid = TableGrid(
        PixelBox(0, 0, 300, 160), (0, 40, 80, 120, 160), (0, 100, 200, 300), tuple(c.cell for c in cells)
    )
    table = ReadTable(task.page_index, 0, grid, tuple(cells))
    return PageResult(**common, lines=lines, tables=(table,), seconds=0.5)


def assemble_document(
    document_id: str, source: str, pages: list[PageResult], config_dir: str | None = None
) -> DocumentResult:
    if "badassemble" in os.path.basename(source):
        raise ValueError("fake assembly cannot understand this document")
    tables: list[TableResult] = []
    for page in pages:
        for read in page.tables:
            form = "5B" if page.page_index % 2 == 0 else "unknown"
            columns = COLUMNS_5B if form == "5B" else ("c1", "c2")
            index = len(tables)
            rows, values = [], []
            matrix = read.matrix()
            for r in range(1, read.grid.n_rows):
                code, name = COMMUNES[r - 1]
                rows.append(RowInfo(RowKind.COMMUNE, str(r), f"II/{r}", matrix[r][0], code))
                for c, key in enumerate(columns, start=1):
                    cell = read.cell_at(r, c)
                    assert cell is not None
                    number = float(cell.text)
                    status, reason, rule = ValueStatus.READ, None, None
                    if int(number) % 5 == 0:
                        status, reason = ValueStatus.FLAGGED, "(3)=(4)+(5) does not hold"
                    elif int(number) % 7 == 0:
                        status, rule = ValueStatus.CORRECTED, "(3)=(4)+(5)"
                    elif c == 1:
                        status, rule = ValueStatus.VERIFIED, "(3)=(4)+(5)"
                    values.append(
                        Value(
                            document_id=document_id,
                            source=source,
                            form=form,
                            table_index=index,
                            page_index=page.page_index,
                            row_index=r - 1,
                            row_key=code,
                            row_kind="commune",
                            row_label=matrix[r][0],
                            commune_code=code,
                            commune_name=name,
                            column_key=key,
                            column_header=matrix[0][c],
                            value_kind="number",
                            number=number,
                            boolean=None,
                            text=None,
                            unit="hồ sơ",
                            note=None,
                            raw_text=cell.text,
                            confidence=cell.confidence,
                            box=cell.cell.box,
                            status=status,
                            flag_reason=reason,
                            candidates=cell.candidates,
                            rule=rule,
                            problem="ambiguous number" if status is ValueStatus.FLAGGED else None,
                        )
                    )
            tables.append(
                TableResult(
                    table_index=index,
                    form=form,
                    form_score=91.5 if form == "5B" else 0.0,
                    title="Thống kê kết quả tiếp nhận" if form == "5B" else "",
                    pages=(page.page_index,),
                    columns=("stt", "co_quan", *columns),
                    headers=tuple(matrix[0]),
                    rows=rows,
                    values=values,
                    raw=matrix,
                    issues=["printed total differs"] if index == 0 else [],
                )
            )
    meta = DocumentMeta(
        number="542/BC-UBND",
        date="2019-11-21",
        year=2019,
        district="Huyện Kế Sách",
        district_code="941",
        province="Tỉnh Sóc Trăng",
        province_code="94",
        title="Báo cáo",
    )
    return DocumentResult(
        document_id, source, max((p.page_count for p in pages), default=0), meta, list(pages), tables
    )


def functions() -> PipelineFunctions:
    return PipelineFunctions(
        process_page=process_page,
        assemble_document=assemble_document,
        count_pages=count_pages,
        document_id=document_id,
        make_task=PageTask,
    )


def square_or_hang(x: int) -> int:
    """A picklable task that never ends for 7 (a page that hangs where no deadline reaches)."""
    if x == 7:
        time.sleep(3600)
    return x * x


def slow_square(x: int) -> int:
    """A picklable task for executor tests."""
    time.sleep(0.005)
    if x == 13:
        raise ValueError("thirteen")
    return x * x


SLOW_START_S = 3.0


def slow_start_worker(*initargs: object) -> None:
    """A worker that takes SLOW_START_S to start (a loaded machine), then starts as usual."""
    from extract.executors import init_worker

    time.sleep(SLOW_START_S)
    init_worker(*initargs)  # type: ignore[arg-type]
