"""Input discovery: turn the CLI's INPUT arguments into a list of files to process.

An argument is one of:

- a file (``report.pdf``);
- a folder, walked recursively in sorted order (the output folder is never walked);
- a glob (``scans/**/*.pdf``), expanded when no file of that exact name exists;
- a list file, ``@list.txt``: one input per line (blank lines and ``#`` comments ignored); relative
  lines are relative to the list file's folder; a line may itself be a folder, glob or archive;
- a zip archive: its members are extracted into a content-addressed cache
  (``<cache>/<sha256 first 16 hex><suffix>``) and recorded as ``archive.zip!member.pdf``.

Nothing is silently dropped: a file with an unsupported suffix, a path that does not exist, a
glob that matches nothing or a broken archive becomes an :class:`InputFile` with ``problem`` set,
which the batch records in its manifest.  Files met inside folders and archives with an
unsupported suffix are ``skipped``; problems with what the user named explicitly are ``failed``.
"""

from __future__ import annotations

import glob
import hashlib
import os
import tempfile
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

SUPPORTED_SUFFIXES = frozenset({".pdf", ".tif", ".tiff", ".png", ".jpg", ".jpeg", ".pages"})  # .pages: extract.grouping
ARCHIVE_SUFFIXES = frozenset({".zip"})
MEMBER_SEPARATOR = "!"  # "archive.zip!folder/member.pdf"
MAX_ARCHIVE_DEPTH = 3  # a zip inside a zip inside a zip, no deeper
_COPY_CHUNK = 1 << 20  # bytes per read while extracting and hashing a member
_GLOB_CHARS = frozenset("*?[")


@dataclass(frozen=True)
class InputFile:
    """One input as the batch sees it.

    ``source`` is the provenance recorded everywhere (an absolute path, or
    ``/abs/archive.zip!member.pdf``); ``path`` is the file to read (the cache copy for archive
    members).  When ``problem`` is set the file is not processed: ``status`` is ``"skipped"`` or
    ``"failed"`` and ``problem`` says why.
    """

    source: str
    path: str
    problem: str | None = None
    status: str | None = None  # "skipped" / "failed" when ``problem`` is set

    @property
    def ok(self) -> bool:
        return self.problem is None


def _failed(source: str, reason: str) -> InputFile:
    return InputFile(source=source, path=source, problem=reason, status="failed")


def _skipped(source: str, path: str, reason: str) -> InputFile:
    return InputFile(source=source, path=path, problem=reason, status="skipped")


def _suffix(name: str) -> str:
    return os.path.splitext(name)[1].lower()


def _unsupported(name: str) -> str:
    suffix = _suffix(name) or "(none)"
    allowed = " ".join(sorted(SUPPORTED_SUFFIXES | ARCHIVE_SUFFIXES))
    return f"unsupported file type {suffix} (supported: {allowed})"


class _Expander:
    """Expands input specs; keeps the cache folder and the folders never to walk."""

    def __init__(self, cache_dir: Path, exclude: Sequence[Path]) -> None:
        self.cache_dir = cache_dir
        self.exclude = [os.path.abspath(p) for p in exclude]

    # -- plain files ------------------------------------------------------------------------
    def file(self, path: str, *, explicit: bool) -> Iterator[InputFile]:
        source = os.path.abspath(path)
        suffix = _suffix(source)
        if suffix in ARCHIVE_SUFFIXES:
            yield from self.archive(source, source, depth=1)
        elif suffix in SUPPORTED_SUFFIXES:
            yield InputFile(source=source, path=source)
        elif explicit:
            yield _failed(source, _unsupported(source))
        else:
            yield _skipped(source, source, _unsupported(source))

    def folder(self, path: str) -> Iterator[InputFile]:
        for root, dirs, files in os.walk(path):
            dirs[:] = sorted(d for d in dirs if not self._excluded(os.path.join(root, d)))
            for name in sorted(files):
                yield from self.file(os.path.join(root, name), explicit=False)

    def _excluded(self, path: str) -> bool:
        path = os.path.abspath(path)
        return any(path == ex or path.startswith(ex + os.sep) for ex in self.exclude)

    # -- archives ---------------------------------------------------------------------------
    def archive(self, source: str, path: str, *, depth: int) -> Iterator[InputFile]:
        try:
            with zipfile.ZipFile(path) as zf:
                members = sorted((m for m in zf.infolist() if not m.is_dir()), key=lambda m: m.filename)
                for member in members:
                    yield from self.member(zf, member, f"{source}{MEMBER_SEPARATOR}{member.filename}", depth)
        except (zipfile.BadZipFile, OSError, EOFError) as exc:
            yield _failed(source, f"not a readable zip archive: {exc}")

    def member(
        self, zf: zipfile.ZipFile, info: zipfile.ZipInfo, source: str, depth: int
    ) -> Iterator[InputFile]:
        name = info.filename
        base = os.path.basename(name)
        suffix = _suffix(name)
        if name.startswith("__MACOSX/") or base.startswith("._"):
            yield _skipped(source, source, "macOS resource fork, not a document")
            return
        if suffix in ARCHIVE_SUFFIXES and depth >= MAX_ARCHIVE_DEPTH:
            yield _skipped(source, source, f"archive nested deeper than {MAX_ARCHIVE_DEPTH} levels")
            return
        if suffix not in SUPPORTED_SUFFIXES | ARCHIVE_SUFFIXES:
            yield _skipped(source, source, _unsupported(name))
            return
        if info.flag_bits & 0x1:
            yield _failed(source, "encrypted zip member (password protected)")
            return
        try:
            cached = extract_member(zf, info, self.cache_dir)
        except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError) as exc:
            yield _failed(source, f"cannot extract archive member: {exc}")
            return
        if suffix in ARCHIVE_SUFFIXES:
            yield from self.archive(source, str(cached), depth=depth + 1)
        else:
            yield InputFile(source=source, path=str(cached))

    # -- specs ------------------------------------------------------------------------------
    def spec(self, spec: str, *, base: str | None, lists: tuple[str, ...]) -> Iterator[InputFile]:
        if spec.startswith("@"):
            yield from self.list_file(self._join(base, spec[1:]), lists)
            return
        path = self._join(base, spec)
        if os.path.isdir(path):
            yield from self.folder(path)
        elif os.path.isfile(path):
            yield from self.file(path, explicit=True)
        elif _GLOB_CHARS & set(spec):
            matches = sorted(glob.glob(path, recursive=True))
            if not matches:
                yield _failed(os.path.abspath(path), "no file matches this pattern")
            for match in matches:
                if self._excluded(match):
                    continue
                if os.path.isdir(match):
                    yield from self.folder(match)
                else:
                    yield from self.file(match, explicit=False)
        else:
            yield _failed(os.path.abspath(path), "no such file or folder")

    def list_file(self, path: str, lists: tuple[str, ...]) -> Iterator[InputFile]:
        source = os.path.abspath(path)
        if source in lists:
            yield _failed(source, "list file includes itself")
            return
        try:
            text = Path(source).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            yield _failed(f"@{source}", f"cannot read list file: {exc}")
            return
        base = os.path.dirname(source)
        for line in text.splitlines():
            entry = line.strip()
            if entry and not entry.startswith("#"):
                yield from self.spec(entry, base=base, lists=(*lists, source))

    @staticmethod
    def _join(base: str | None, path: str) -> str:
        path = os.path.expanduser(path)
        return path if base is None or os.path.isabs(path) else os.path.join(base, path)


def extract_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, cache_dir: Path) -> Path:
    """Copy an archive member into ``cache_dir`` under its content hash; returns the cache path.

    The copy is written to a temporary file and renamed into place, so an interrupted extraction
    never leaves a partial file under a hash name.  Extracting the same content twice is a no-op.
    """
    cache_dir.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    fd, tmp = tempfile.mkstemp(dir=cache_dir, prefix=".member-", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as out, zf.open(info) as src:
            while chunk := src.read(_COPY_CHUNK):
                digest.update(chunk)
                out.write(chunk)
        final = cache_dir / f"{digest.hexdigest()[:16]}{_suffix(info.filename)}"
        if final.exists():
            os.unlink(tmp)
        else:
            os.replace(tmp, final)
        return final
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def expand_inputs(
    specs: Iterable[str], cache_dir: str | os.PathLike[str], *, exclude: Sequence[str | os.PathLike[str]] = ()
) -> list[InputFile]:
    """Every input file named by ``specs``, in order, each source once.

    ``cache_dir`` receives extracted archive members; folders in ``exclude`` (the output folder)
    are never walked.  A source met twice (a folder and a file inside it) is kept once, in its
    first place; an unsupported file that is also named explicitly counts as failed.
    """
    cache = Path(cache_dir)
    expander = _Expander(cache, [cache, *(Path(p) for p in exclude)])
    index: dict[str, int] = {}
    out: list[InputFile] = []
    for spec in specs:
        for item in expander.spec(spec, base=None, lists=()):
            at = index.get(item.source)
            if at is None:
                index[item.source] = len(out)
                out.append(item)
            elif out[at].status == "skipped" and item.status == "failed":
                out[at] = item  # named explicitly as well: its problem is a failure
    return out


__all__ = ["SUPPORTED_SUFFIXES", "InputFile", "expand_inputs", "extract_member"]
