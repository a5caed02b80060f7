"""Fuzzing the inputs: mutated PDF, TIFF, PNG, JPEG and zip bytes through discovery and ingest.

``python -m bench.fuzz_inputs [--cases N] [--seed S] [--out DIR] [--memory-gib G]``

Each case starts from a small valid file (:func:`seed_files`), applies a few mutations drawn by
Hypothesis (flipped, inserted or deleted bytes, a truncation, a duplicated slice, and in PDFs a
number of the syntax -- a ``/MediaBox``, ``/Count``, ``/Length``, an image's ``/Width`` --
replaced by a huge, negative or zero one), writes it and runs what the batch runs on it:
:func:`extract.inputs.expand_inputs` (zips: extraction within limits), then for every file found
:func:`extract.ingest.document_id`, :func:`~extract.ingest.count_pages` and
:func:`~extract.ingest.load_page` of the first pages at 72 dpi.  The contract: a file is read or
refused with an :class:`~extract.errors.InputFileError`; anything else (another exception, a
crash, a hang, memory beyond the process's limit) is a finding.  Findings are saved under
``DIR/findings/`` with their traceback; every one found becomes a test
(tests/faults/test_fuzz_ingest.py).  The process runs under an address-space limit
(``--memory-gib``) so a memory blow-up shows as a ``MemoryError`` finding, not a dead machine.

Prints a summary (cases, files read, refused by reason, findings); ``DIR/fuzz.json`` holds it.
"""

from __future__ import annotations

import argparse
import collections
import hashlib
import io
import json
import re
import resource
import sys
import tempfile
import time
import traceback
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st
from PIL import Image, ImageDraw

PROBE_DPI = 72.0  # pages are rendered small: the contract is about errors, not pixels
PROBE_PAGES = 2  # pages loaded per file
MAX_MUTATIONS = 4
MAX_INSERT = 64
DEFAULT_CASES = 3000
DEFAULT_MEMORY_GIB = 3.0
_NUMBER = re.compile(rb"(?<=[\s\[/(<])-?\d+(?:\.\d+)?(?=[\s\]>/])")
# numbers that break readers: zero, negative, huge, beyond 32 bits
HOSTILE_NUMBERS = (
    b"0",
    b"-1",
    b"-100000",
    b"99999",
    b"14400",
    b"2147483647",
    b"4294967296",
    b"1e308",
    b"3.4e38",
)


# ------------------------------------------------------------------------------------------
# seeds


def _pdf(objects: list[bytes]) -> bytes:
    from tests.batch.pdfbytes import assemble

    return assemble(objects, f"<< /Size {len(objects) + 1} /Root 1 0 R >>".encode())


def _page_image() -> Image.Image:
    image = Image.new("L", (170, 240), 255)
    draw = ImageDraw.Draw(image)
    for at in range(20, 230, 30):
        draw.line([(10, at), (160, at)], fill=0, width=1)
    draw.text((20, 30), "5.697", fill=0)
    return image


def _encoded(image: Image.Image, fmt: str, **kwargs: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **kwargs)
    return buffer.getvalue()


def seed_files() -> dict[str, bytes]:
    """Small valid files of every kind the batch reads: name -> bytes."""
    image = _page_image()
    text = b"BT /F1 12 Tf 20 200 Td (Bao cao 5.697) Tj ET 0 0 m 100 100 l S"
    text_pdf = _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            (
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 170 240] /Contents 4 0 R"
                b" /Resources << /Font << /F1 5 0 R >> >> >>"
            ),
            b"<< /Length %d >>\nstream\n" % len(text) + text + b"\nendstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Times-Roman >>",
        ]
    )
    raw = image.tobytes()
    scan_pdf = _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            (
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 170 240] /Contents 4 0 R"
                b" /Resources << /XObject << /Im0 5 0 R >> >> >>"
            ),
            b"<< /Length 32 >>\nstream\nq 170 0 0 240 0 0 cm /Im0 Do Q  \nendstream",
            b"<< /Type /XObject /Subtype /Image /Width 170 /Height 240 /ColorSpace /DeviceGray"
            b" /BitsPerComponent 8 /Length %d >>\nstream\n" % len(raw) + raw + b"\nendstream",
        ]
    )
    members = io.BytesIO()
    with zipfile.ZipFile(members, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("a/report.pdf", text_pdf)
        zf.writestr("page.png", _encoded(image, "PNG"))
    return {
        "text.pdf": text_pdf,
        "scan.pdf": scan_pdf,
        "two.tiff": _encoded(image, "TIFF", save_all=True, append_images=[image.rotate(90, expand=True)]),
        "g4.tiff": _encoded(image.convert("1"), "TIFF", compression="group4"),
        "page.png": _encoded(image, "PNG", dpi=(200, 200)),
        "page.jpg": _encoded(image, "JPEG", quality=70),
        "archive.zip": members.getvalue(),
    }


# ------------------------------------------------------------------------------------------
# mutations


@dataclass(frozen=True)
class Case:
    name: str
    data: bytes


def _apply(data: bytes, op: str, at: int, blob: bytes, number: bytes) -> bytes:
    if not data:
        return blob
    at %= len(data) + 1
    if op == "flip":
        if at == len(data):
            return data
        return data[:at] + bytes([data[at] ^ (blob[0] if blob else 0xFF) or 1]) + data[at + 1 :]
    if op == "insert":
        return data[:at] + blob + data[at:]
    if op == "delete":
        return data[:at] + data[at + 1 + len(blob) :]
    if op == "truncate":
        return data[:at]
    if op == "duplicate":
        return data[:at] + data[at : at + 1 + len(blob) * 8] + data[at:]
    if op == "number":
        found = list(_NUMBER.finditer(data))
        if not found:
            return data
        m = found[at % len(found)]
        return data[: m.start()] + number + data[m.end() :]
    raise ValueError(op)


OPS = ("flip", "insert", "delete", "truncate", "duplicate", "number")


@st.composite
def cases(draw: st.DrawFn) -> Case:
    """A seed file with up to ``MAX_MUTATIONS`` mutations."""
    seeds = SEEDS
    name = draw(st.sampled_from(sorted(seeds)))
    data = seeds[name]
    for _ in range(draw(st.integers(0, MAX_MUTATIONS))):
        op = draw(st.sampled_from(OPS))
        at = draw(st.integers(0, max(len(data), 1) * 2))
        blob = draw(st.binary(max_size=MAX_INSERT))
        number = draw(
            st.sampled_from(HOSTILE_NUMBERS) | st.integers(-(10**12), 10**12).map(lambda n: str(n).encode())
        )
        data = _apply(data, op, at, blob, number)
    return Case(name, data)


SEEDS = seed_files()


# ------------------------------------------------------------------------------------------
# the probe


class Finding(Exception):
    """Ingest broke its contract on a case (anything but reading or an InputFileError)."""


@dataclass
class Tally:
    cases: int = 0
    files: int = 0
    pages: int = 0
    refused: collections.Counter[str] = field(default_factory=collections.Counter)
    findings: list[dict[str, str]] = field(default_factory=list)


def _reason_kind(reason: str) -> str:
    """A refusal reason without its specifics (file names, numbers), for the tally."""
    return re.sub(r"\d[\d,.]*", "N", reason.split(":", 1)[0] if reason.startswith("page ") else reason)[:70]


def probe(case: Case, workdir: Path, tally: Tally | None = None) -> None:
    """Run discovery and ingest over ``case``; raises :class:`Finding` when the contract breaks."""
    from extract.errors import InputFileError
    from extract.ingest import count_pages, document_id, load_page
    from extract.inputs import ArchiveLimits, expand_inputs

    path = workdir / case.name
    path.write_bytes(case.data)
    try:
        items = expand_inputs(
            [str(path)], workdir / "cache", limits=ArchiveLimits(max_member_mib=64, max_archive_mib=128)
        )
    except Exception as exc:
        raise Finding(f"expand_inputs raised {type(exc).__name__}: {exc}") from exc
    for item in items:
        if not item.ok:
            if tally is not None:
                tally.refused[f"input: {_reason_kind(item.problem or '')}"] += 1
            continue
        try:
            document_id(item.path)
            pages = count_pages(item.path)
            for index in range(min(pages, PROBE_PAGES)):
                page = load_page(item.path, index, dpi=PROBE_DPI)
                if page.image.ndim != 2 or page.image.size == 0:
                    raise Finding(
                        f"page {index + 1} came back as an empty or non-grey image {page.image.shape}"
                    )
                if tally is not None:
                    tally.pages += 1
            if tally is not None:
                tally.files += 1
        except InputFileError as exc:
            if tally is not None:
                tally.refused[_reason_kind(exc.reason)] += 1
        except Finding:
            raise
        except Exception as exc:
            raise Finding(f"{type(exc).__name__}: {exc}") from exc
    path.unlink()


def run_cases(n: int, random_seed: int, on_case: Callable[[Case], None]) -> None:
    """Run ``on_case`` over ``n`` cases drawn by Hypothesis (generation only: no shrinking)."""

    @seed(random_seed)
    @settings(
        max_examples=n,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(cases())
    def _each(case: Case) -> None:
        on_case(case)

    _each()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=DEFAULT_CASES)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=Path("fuzz-out"))
    parser.add_argument("--memory-gib", type=float, default=DEFAULT_MEMORY_GIB)
    args = parser.parse_args(argv)
    limit = int(args.memory_gib * (1 << 30))
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    findings_dir = args.out / "findings"
    findings_dir.mkdir(parents=True, exist_ok=True)
    tally = Tally()
    started = time.perf_counter()
    slowest = [0.0, ""]

    def on_case(case: Case) -> None:
        tally.cases += 1
        t0 = time.perf_counter()
        with tempfile.TemporaryDirectory(prefix="fuzz-") as tmp:
            try:
                probe(case, Path(tmp), tally)
            except Finding as exc:
                digest = hashlib.sha256(case.data).hexdigest()[:12]
                saved = findings_dir / f"{digest}-{case.name}"
                saved.write_bytes(case.data)
                (findings_dir / f"{digest}-{case.name}.txt").write_text(traceback.format_exc())
                tally.findings.append({"file": str(saved), "error": str(exc)})
        took = time.perf_counter() - t0
        if took > slowest[0]:
            slowest[:] = [took, case.name]
        if tally.cases % 500 == 0:
            print(f"{tally.cases} cases, {len(tally.findings)} findings", file=sys.stderr)

    run_cases(args.cases, args.seed, on_case)
    seconds = time.perf_counter() - started
    summary = {
        "cases": tally.cases,
        "seed": args.seed,
        "memory_limit_gib": args.memory_gib,
        "seconds": round(seconds, 1),
        "slowest_case_s": round(slowest[0], 3),
        "slowest_case_seed": slowest[1],
        "files_read": tally.files,
        "pages_loaded": tally.pages,
        "refused": dict(tally.refused.most_common()),
        "findings": tally.findings,
    }
    (args.out / "fuzz.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False))
    print(f"{tally.cases} cases in {seconds:.0f} s (seed {args.seed}, {args.memory_gib:g} GiB address space)")
    print(f"read: {tally.files} files, {tally.pages} pages; slowest case {slowest[0]:.2f} s ({slowest[1]})")
    print("refused with an InputFileError:")
    for reason, count in tally.refused.most_common():
        print(f"  {count:6d}  {reason}")
    print(f"findings: {len(tally.findings)}")
    for finding in tally.findings:
        print(f"  {finding['file']}: {finding['error']}")
    return 1 if tally.findings else 0


if __name__ == "__main__":
    raise SystemExit(main())
