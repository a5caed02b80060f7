"""Many page images, one document.

Archives are often scanned one image per page (``p-005-000.png``, ``p-006-001.png`` …).  A
*page list* declares such images one document, in page order, so that a table continued over
the pages, its header and the document's metadata work across them as in a PDF.

A page list is a UTF-8 text file whose first line is :data:`MAGIC`; every other non-blank line
(``#`` comments aside) names a page file (relative to the list's folder, or absolute).  Each
named file contributes all its pages (a multi-page TIFF several).  Write one by hand, or let
``--one-document`` write one for each folder, glob or ``@list`` INPUT (:func:`group_inputs`):
the files are put in *natural* page order — numbers inside names compare as numbers, so
``p-9.png`` comes before ``p-10.png`` — under ``<out>/cache/groups/``.

The document's identity is the hash of its pages' bytes in order (not of the list), so a page
that changes makes a new document and resuming never mixes old and new pages.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Sequence
from pathlib import Path

from .errors import InputFileError
from .model import PageImage

MAGIC = "# bcubnd-extract page list"
SUFFIX = ".pages"
GROUPS_DIR = "groups"
_CHUNK = 1 << 20
_DIGITS = re.compile(r"(\d+)")


def natural_key(path: str) -> tuple[object, ...]:
    """Sort key of a file name with its numbers compared as numbers ("p-9" < "p-10")."""
    name = os.path.basename(path).lower()
    return tuple(int(p) if p.isdigit() else p for p in _DIGITS.split(name)), path


def page_order(paths: Sequence[str]) -> list[str]:
    """``paths`` in page order (natural order of their names, then of their folders)."""
    return sorted(paths, key=natural_key)


def is_page_list(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` is a page list (by its first line, not its name)."""
    from .ingest import open_regular

    try:
        with open_regular(path) as fh:  # a FIFO or a device is no page list (and must not block)
            head = fh.read(len(MAGIC.encode()) + 3)
    except (OSError, InputFileError):
        return False
    return head.lstrip(b"\xef\xbb\xbf").startswith(MAGIC.encode())


def read_page_list(path: str | os.PathLike[str]) -> list[str]:
    """The page files a page list names, in order (absolute paths).  Raises
    :class:`InputFileError` for a list that names nothing or a file that does not exist."""
    name = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputFileError(name, f"cannot read the page list: {exc}") from exc
    base = os.path.dirname(os.path.abspath(name))
    out = []
    for line in text.splitlines()[1:]:
        entry = line.strip()
        if not entry or entry.startswith("#"):
            continue
        member = os.path.join(base, os.path.expanduser(entry))
        if not os.path.isfile(member):
            raise InputFileError(name, f"the page list names {entry!r}, which is not a file")
        out.append(os.path.abspath(member))
    if not out:
        raise InputFileError(name, "the page list names no page")
    return out


def write_page_list(pages: Sequence[str], dest: str | os.PathLike[str]) -> Path:
    """Write a page list naming ``pages`` (in the order given) to ``dest``; returns its path."""
    target = Path(dest)
    target.parent.mkdir(parents=True, exist_ok=True)
    body = "\n".join([MAGIC, *(os.path.abspath(p) for p in pages)]) + "\n"
    tmp = target.with_suffix(target.suffix + ".part")
    tmp.write_text(body, encoding="utf-8")
    os.replace(tmp, target)
    return target


def document_id(path: str | os.PathLike[str]) -> str:
    """The first 16 hex digits of the SHA-256 of the listed pages' bytes, in order."""
    digest = hashlib.sha256(MAGIC.encode())
    for member in read_page_list(path):
        try:
            with open(member, "rb") as fh:
                for chunk in iter(lambda: fh.read(_CHUNK), b""):
                    digest.update(chunk)
        except OSError as exc:
            raise InputFileError(str(path), f"cannot read page {member}: {exc.strerror or exc}") from exc
        digest.update(b"\0")
    return digest.hexdigest()[:16]


class PageListFile:
    """An open page list, with the page interface of :mod:`extract.ingest`'s open files: page
    ``i`` of the document is page ``j`` of one listed file; files are opened one at a time."""

    def __init__(self, path: str) -> None:
        from .ingest import count_pages

        self.path = path
        self.members = read_page_list(path)
        self.counts = [count_pages(m) for m in self.members]
        self.count = sum(self.counts)

    def locate(self, index: int) -> tuple[str, int]:
        """(file, page within it) of document page ``index``."""
        for member, n in zip(self.members, self.counts, strict=True):
            if index < n:
                return member, index
            index -= n
        raise InputFileError(self.path, f"page {index + 1} does not exist (the list has {self.count})")

    def page(self, index: int, dpi: float) -> PageImage:
        from .ingest import load_page

        member, local = self.locate(index)
        page = load_page(member, local, dpi=dpi)
        return PageImage(
            source=self.path,
            page_index=index,
            page_count=self.count,
            image=page.image,
            dpi=page.dpi,
            words=page.words,
        )

    def close(self) -> None:
        pass


def group_inputs(specs: Sequence[str], out_dir: str | os.PathLike[str]) -> list[str]:
    """``--one-document``: each folder, glob or ``@list`` spec becomes one page list (its files
    in page order) under ``<out>/cache/groups/``; a single file stays as it is.  Returns the
    specs to process.  A spec that names no supported file is passed on unchanged, so that the
    batch reports it."""
    from .inputs import expand_inputs

    cache = Path(out_dir) / "cache"
    out: list[str] = []
    for spec in specs:
        if os.path.isfile(spec) and not spec.startswith("@"):
            out.append(spec)
            continue
        items = [i for i in expand_inputs([spec], cache, exclude=[out_dir]) if i.ok]
        if not items:
            out.append(spec)
            continue
        pages = page_order([i.path for i in items])
        stem = re.sub(r"[^\w.-]+", "_", os.path.basename(os.path.normpath(spec.lstrip("@"))) or "pages")
        tag = hashlib.sha256("\n".join(pages).encode()).hexdigest()[:8]
        out.append(str(write_page_list(pages, cache / GROUPS_DIR / f"{stem}-{tag}{SUFFIX}")))
    return out


__all__ = [
    "MAGIC",
    "PageListFile",
    "document_id",
    "group_inputs",
    "is_page_list",
    "natural_key",
    "page_order",
    "read_page_list",
    "write_page_list",
]
