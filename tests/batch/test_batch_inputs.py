"""Input discovery: files, folders, globs, list files, zip archives; nothing silently dropped."""

from __future__ import annotations

import hashlib
import os
import zipfile
from pathlib import Path

from pdfbytes import pdf_bytes

from extract.inputs import expand_inputs


def _by_source(items):
    return {i.source: i for i in items}


def test_folder_walk_records_unsupported_files_and_skips_the_output_folder(tmp_path: Path) -> None:
    root = tmp_path / "in"
    (root / "deep" / "er").mkdir(parents=True)
    (root / "a.PDF").write_bytes(pdf_bytes(1))
    (root / "deep" / "er" / "b.tiff").write_bytes(b"II*\x00")
    (root / "deep" / "readme.md").write_text("x")
    out = root / "out"  # the output folder inside the input folder is never walked
    (out / "cache").mkdir(parents=True)
    (out / "cache" / "old.pdf").write_bytes(pdf_bytes(1))

    items = expand_inputs([str(root)], out / "cache", exclude=[out])

    sources = [i.source for i in items]
    assert sources == [
        str(root / "a.PDF"),
        str(root / "deep" / "readme.md"),
        str(root / "deep" / "er" / "b.tiff"),
    ]
    by = _by_source(items)
    assert by[str(root / "a.PDF")].ok and by[str(root / "deep" / "er" / "b.tiff")].ok
    readme = by[str(root / "deep" / "readme.md")]
    assert readme.status == "skipped" and ".md" in readme.problem


def test_explicit_problems_fail_and_duplicates_collapse(tmp_path: Path) -> None:
    (tmp_path / "a.pdf").write_bytes(pdf_bytes(1))
    (tmp_path / "x.docx").write_bytes(b"PK")
    specs = [
        str(tmp_path / "a.pdf"),
        str(tmp_path),
        str(tmp_path / "missing.pdf"),
        str(tmp_path / "x.docx"),
        str(tmp_path / "nomatch*.pdf"),
    ]
    items = expand_inputs(specs, tmp_path / "cache", exclude=[tmp_path / "cache"])
    by = _by_source(items)
    assert [i.source for i in items].count(str(tmp_path / "a.pdf")) == 1
    assert by[str(tmp_path / "missing.pdf")].status == "failed"
    assert "no such file" in by[str(tmp_path / "missing.pdf")].problem
    assert by[str(tmp_path / "x.docx")].status == "failed"  # named explicitly
    assert by[str(tmp_path / "nomatch*.pdf")].status == "failed"


def test_globs_and_list_files(tmp_path: Path) -> None:
    data = tmp_path / "data"
    (data / "2019").mkdir(parents=True)
    (data / "2019" / "r1.pdf").write_bytes(pdf_bytes(1, 301))
    (data / "2019" / "r2.png").write_bytes(b"\x89PNG")
    (data / "2020.pdf").write_bytes(pdf_bytes(1, 302))
    lst = data / "list.txt"
    lst.write_text(
        "# reports to read\n\n2019/r1.pdf\n  2020.pdf  \n2019/*.png\n@list.txt\nghost.pdf\n", encoding="utf-8"
    )

    globbed = expand_inputs([str(data / "**" / "*.pdf")], tmp_path / "cache")
    assert sorted(i.source for i in globbed) == sorted(
        [str(data / "2019" / "r1.pdf"), str(data / "2020.pdf")]
    )

    listed = expand_inputs([f"@{lst}"], tmp_path / "cache")
    by = _by_source(listed)
    assert (
        by[str(data / "2019" / "r1.pdf")].ok
        and by[str(data / "2020.pdf")].ok
        and by[str(data / "2019" / "r2.png")].ok
    )
    assert by[str(lst)].status == "failed" and "itself" in by[str(lst)].problem
    assert by[str(data / "ghost.pdf")].status == "failed"
    assert len(listed) == 5


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def test_zip_members_go_to_a_content_addressed_cache_with_provenance(tmp_path: Path) -> None:
    inner = tmp_path / "inner.zip"
    c_pdf = pdf_bytes(2, 333)
    _zip(inner, {"c.pdf": c_pdf})
    a_pdf = pdf_bytes(1, 311)
    archive = _zip(
        tmp_path / "batch.zip",
        {
            "a.pdf": a_pdf,
            "sub/b.jpg": b"\xff\xd8\xff",
            "readme.txt": b"hi",
            "__MACOSX/._a.pdf": b"junk",
            "nested/inner.zip": inner.read_bytes(),
        },
    )
    (tmp_path / "broken.zip").write_bytes(b"PK\x03\x04 not really")
    cache = tmp_path / "out" / "cache"

    items = expand_inputs([str(archive), str(tmp_path / "broken.zip")], cache)
    by = _by_source(items)
    a = by[f"{archive}!a.pdf"]
    assert a.ok and Path(a.path).read_bytes() == a_pdf
    assert Path(a.path).name == hashlib.sha256(a_pdf).hexdigest()[:16] + ".pdf"
    assert Path(a.path).parent == cache
    c = by[f"{archive}!nested/inner.zip!c.pdf"]
    assert c.ok and Path(c.path).read_bytes() == c_pdf
    assert by[f"{archive}!readme.txt"].status == "skipped"
    assert by[f"{archive}!__MACOSX/._a.pdf"].status == "skipped"
    assert by[f"{archive}!sub/b.jpg"].ok
    assert by[str(tmp_path / "broken.zip")].status == "failed"

    before = sorted(os.listdir(cache))
    again = expand_inputs([str(archive)], cache)  # idempotent: same paths, no new cache files
    assert {i.source: i.path for i in again} == {
        i.source: i.path for i in items if i.source.startswith(str(archive))
    }
    assert sorted(os.listdir(cache)) == before
    assert not [n for n in before if n.endswith(".part")]
