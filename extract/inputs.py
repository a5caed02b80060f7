"""Input discovery: turn the CLI's INPUT arguments into a list of files to process.

An argument is one of:

- a file (``report.pdf``);
- a folder, walked recursively in sorted order (the output folder is never walked);
- a glob (``scans/**/*.pdf``), expanded when no file of that exact name exists;
- a list file, ``@list.txt``: one input per line (blank lines and ``#`` comments ignored); relative
  lines are relative to the list file's folder; a line may itself be a folder, glob or archive;
- a zip archive: its members are extracted into a content-addressed cache
  (``<cache>/<sha256 first 16 hex><suffix>``) and recorded as ``archive.zip!member.pdf``.

Nothing is silently dropped: a file with an unsupported suffix, a path that does not exist or
cannot be read (with the specific reason: permission denied, a symbolic link loop...), a folder
that cannot be listed, a FIFO or device, a glob that matches nothing or a broken archive becomes
an :class:`InputFile` with ``problem`` set, which the batch records in its manifest.  Files met
inside folders and archives with an unsupported suffix are ``skipped``, and so are symbolic links
to folders (never followed: they can loop); other problems are ``failed``.

Archives are hostile until proven otherwise: every member is checked against
:class:`ArchiveLimits` (uncompressed size per member and per archive, compression ratio) from
its declared sizes before a byte is extracted, and again while it is copied (a lying header is
stopped at the limit and its partial copy removed).  Two members of the same name are both kept,
the second as ``archive.zip!name#2``.
"""

from __future__ import annotations

import contextlib
import errno
import glob
import hashlib
import os
import stat
import tempfile
import zipfile
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from .errors import ArchiveLimitError, InputFileError
from .ingest import not_regular_reason, open_regular, os_error_reason

# .pages: a page list (extract.grouping)
SUPPORTED_SUFFIXES = frozenset({".pdf", ".tif", ".tiff", ".png", ".jpg", ".jpeg", ".pages"})
ARCHIVE_SUFFIXES = frozenset({".zip"})
MEMBER_SEPARATOR = "!"  # "archive.zip!folder/member.pdf"
MAX_ARCHIVE_DEPTH = 3  # a zip inside a zip inside a zip, no deeper
_COPY_CHUNK = 1 << 20  # bytes per read while extracting and hashing a member
TEMP_PREFIX, TEMP_SUFFIX = ".member-", ".part"  # a member's copy until it is complete
_GLOB_CHARS = frozenset("*?[")
DUPLICATE_MARK = "#"  # the second member named "x.pdf" in an archive is "archive.zip!x.pdf#2"
MIB = 1 << 20
MAX_LIST_BYTES = 64 * MIB  # an @list file is read whole: a larger one is not a list of inputs


@dataclass(frozen=True)
class ArchiveLimits:
    """How much an archive may expand to (``batch`` section of pipeline.yaml, in MiB).

    A member fails when it would exceed ``max_member_mib`` uncompressed, when the archive's members
    together (nested archives included) would exceed ``max_archive_mib``, or when it is larger than
    ``ratio_above_mib`` and expands more than ``max_ratio`` times (a zip bomb: scans hardly
    compress).
    """

    max_member_mib: float = 2048
    max_archive_mib: float = 8192
    max_ratio: float = 250
    ratio_above_mib: float = 100

    def check(self, size: int, compressed: int, archive_total: int) -> str | None:
        """Why ``size`` uncompressed bytes of a member are too many (``None`` when they are fine)."""
        if size > self.max_member_mib * MIB:
            return f"{size:,} bytes uncompressed, over the limit of {self.max_member_mib:,g} MiB a member"
        if archive_total + size > self.max_archive_mib * MIB:
            return (
                f"the archive would expand to more than {self.max_archive_mib:,.0f} MiB"
                f" ({(archive_total + size) / MIB:,.0f} MiB so far)"
            )
        ratio = size / max(compressed, 1)
        if size > self.ratio_above_mib * MIB and ratio > self.max_ratio:
            return (
                f"expands {ratio:,.0f} times ({compressed / MIB:,.1f} MiB to {size / MIB:,.0f} MiB),"
                f" over the limit of {self.max_ratio:g} (a zip bomb?)"
            )
        return None


@dataclass
class _Budget:
    """Uncompressed bytes extracted so far from one top-level archive (nested ones included)."""

    limits: ArchiveLimits
    used: int = 0


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


def _skipped(source: str, reason: str) -> InputFile:
    return InputFile(source=source, path=source, problem=reason, status="skipped")


def _unlisted(exc: OSError, top: str) -> InputFile:
    """A folder the walk could not list: a failed row, so nothing in it goes unaccounted for."""
    folder = os.path.abspath(exc.filename or top)
    return _failed(folder, f"cannot list the folder: {os_error_reason(exc)}")


def _suffix(name: str) -> str:
    return os.path.splitext(name)[1].lower()


def _unsupported(name: str) -> str:
    suffix = _suffix(name) or "(none)"
    allowed = " ".join(sorted(SUPPORTED_SUFFIXES | ARCHIVE_SUFFIXES))
    return f"unsupported file type {suffix} (supported: {allowed})"


class _Expander:
    """Expands input specs; keeps the cache folder, the folders never to walk and the limits."""

    def __init__(self, cache_dir: Path, exclude: Sequence[Path], limits: ArchiveLimits) -> None:
        self.cache_dir = cache_dir
        self.exclude = [os.path.abspath(p) for p in exclude]
        self.limits = limits

    # -- plain files ------------------------------------------------------------------------
    def file(self, path: str, *, explicit: bool) -> Iterator[InputFile]:
        source = os.path.abspath(path)
        suffix = _suffix(source)
        if suffix not in SUPPORTED_SUFFIXES | ARCHIVE_SUFFIXES:
            yield (_failed if explicit else _skipped)(source, _unsupported(source))
            return
        try:
            mode = os.stat(source).st_mode
        except OSError as exc:
            yield _failed(source, f"cannot open the file: {os_error_reason(exc)}")
            return
        problem = not_regular_reason(mode)
        if problem is not None:  # a FIFO or a device is never opened: it could block or never end
            yield _failed(source, problem)
        elif suffix in ARCHIVE_SUFFIXES:
            yield from self.archive(source, source, depth=1, budget=_Budget(self.limits))
        else:
            yield InputFile(source=source, path=source)

    def folder(self, path: str) -> Iterator[InputFile]:
        errors: list[OSError] = []
        for root, dirs, files in os.walk(path, onerror=errors.append):
            yield from (_unlisted(exc, path) for exc in errors)
            errors.clear()
            keep = []
            for d in sorted(dirs):
                full = os.path.join(root, d)
                if self._excluded(full):
                    continue
                if os.path.islink(full):
                    yield _skipped(os.path.abspath(full), "symbolic link to a folder (not followed)")
                else:
                    keep.append(d)
            dirs[:] = keep
            for name in sorted(files):
                yield from self.file(os.path.join(root, name), explicit=False)
        yield from (_unlisted(exc, path) for exc in errors)

    def _unlistable_under(self, pattern: str) -> Iterator[InputFile]:
        """Folders a recursive pattern (``scans/**/*.pdf``) would search but cannot list: glob
        passes over them in silence, so they are failed rows here."""
        if "**" not in pattern:
            return
        parts = Path(pattern).parts
        fixed = next(i for i, part in enumerate(parts) if _GLOB_CHARS & set(part))
        top = str(Path(*parts[:fixed])) if fixed else "."
        errors: list[OSError] = []
        for root, dirs, _files in os.walk(top, onerror=errors.append):
            dirs[:] = [d for d in dirs if not self._excluded(os.path.join(root, d))]
        yield from (_unlisted(exc, top) for exc in errors)

    def _excluded(self, path: str) -> bool:
        path = os.path.abspath(path)
        return any(path == ex or path.startswith(ex + os.sep) for ex in self.exclude)

    # -- archives ---------------------------------------------------------------------------
    def archive(self, source: str, path: str, *, depth: int, budget: _Budget) -> Iterator[InputFile]:
        try:
            with zipfile.ZipFile(path) as zf:
                members = sorted((m for m in zf.infolist() if not m.is_dir()), key=lambda m: m.filename)
                seen: dict[str, int] = {}
                for member in members:
                    seen[member.filename] = n = seen.get(member.filename, 0) + 1
                    name = member.filename if n == 1 else f"{member.filename}{DUPLICATE_MARK}{n}"
                    yield from self.member(zf, member, f"{source}{MEMBER_SEPARATOR}{name}", depth, budget)
        except (
            zipfile.BadZipFile,
            OSError,
            EOFError,
            zipfile.LargeZipFile,
            NotImplementedError,  # "zip file version 23.5", an unknown compression method
            ValueError,
        ) as exc:
            yield _failed(source, f"not a readable zip archive: {exc}")

    def member(
        self, zf: zipfile.ZipFile, info: zipfile.ZipInfo, source: str, depth: int, budget: _Budget
    ) -> Iterator[InputFile]:
        name = info.filename
        base = os.path.basename(name)
        suffix = _suffix(name)
        if name.startswith("__MACOSX/") or base.startswith("._"):
            yield _skipped(source, "macOS resource fork, not a document")
            return
        if suffix in ARCHIVE_SUFFIXES and depth >= MAX_ARCHIVE_DEPTH:
            yield _skipped(source, f"archive nested deeper than {MAX_ARCHIVE_DEPTH} levels")
            return
        if suffix not in SUPPORTED_SUFFIXES | ARCHIVE_SUFFIXES:
            yield _skipped(source, _unsupported(name))
            return
        if info.flag_bits & 0x1:
            yield _failed(source, "encrypted zip member (password protected)")
            return
        too_big = budget.limits.check(info.file_size, info.compress_size, budget.used)
        if too_big is not None:
            yield _failed(source, f"archive member not extracted: {too_big}")
            return
        try:
            cached = extract_member(zf, info, self.cache_dir, budget)
        except ArchiveLimitError as exc:
            yield _failed(source, f"archive member not extracted: {exc}")
            return
        except (
            zipfile.BadZipFile,
            zlib.error,
            OSError,
            EOFError,
            RuntimeError,
            NotImplementedError,
            ValueError,
        ) as exc:
            yield _failed(source, f"cannot extract archive member (damaged archive): {exc}")
            return
        if suffix in ARCHIVE_SUFFIXES:
            yield from self.archive(source, str(cached), depth=depth + 1, budget=budget)
        else:
            yield InputFile(source=source, path=str(cached))

    # -- specs ------------------------------------------------------------------------------
    def spec(self, spec: str, *, base: str | None, lists: tuple[str, ...]) -> Iterator[InputFile]:
        if spec.startswith("@"):
            yield from self.list_file(self._join(base, spec[1:]), lists)
            return
        path = self._join(base, spec)
        try:
            mode: int | None = os.stat(path).st_mode
        except OSError as exc:
            mode = None
            if exc.errno != errno.ENOENT or not _GLOB_CHARS & set(spec):
                yield _failed(os.path.abspath(path), os_error_reason(exc))
                return
        if mode is not None and stat.S_ISDIR(mode):
            yield from self.folder(path)
        elif mode is not None:
            yield from self.file(path, explicit=True)
        else:
            matches = sorted(glob.glob(path, recursive=True))
            yield from self._unlistable_under(path)
            if not matches:
                yield _failed(os.path.abspath(path), "no file matches this pattern")
            for match in matches:
                if self._excluded(match):
                    continue
                if os.path.isdir(match):
                    yield from self.folder(match)
                else:
                    yield from self.file(match, explicit=False)

    def list_file(self, path: str, lists: tuple[str, ...]) -> Iterator[InputFile]:
        source = os.path.abspath(path)
        if source in lists:
            yield _failed(source, "list file includes itself")
            return
        try:
            with open_regular(source) as fh:
                text = fh.read(MAX_LIST_BYTES + 1).decode("utf-8-sig")
        except InputFileError as exc:
            yield _failed(f"@{source}", f"cannot read list file: {exc.reason}")
            return
        except (OSError, UnicodeDecodeError) as exc:
            yield _failed(f"@{source}", f"cannot read list file: {exc}")
            return
        if len(text) > MAX_LIST_BYTES:
            yield _failed(
                f"@{source}", f"list file larger than {MAX_LIST_BYTES // MIB} MiB: not a list of inputs"
            )
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


def extract_member(
    zf: zipfile.ZipFile, info: zipfile.ZipInfo, cache_dir: Path, budget: _Budget | None = None
) -> Path:
    """Copy an archive member into ``cache_dir`` under its content hash; returns the cache path.

    The copy is streamed and written to a temporary file renamed into place, so an interrupted
    extraction never leaves a partial file under a hash name.  Extracting the same content twice
    is a no-op.  With a ``budget``, the copy stops as soon as it goes over its limits (raising
    :class:`ArchiveLimitError`, the partial copy removed) and its size is charged to the budget.
    """
    cache_dir.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    fd, tmp = tempfile.mkstemp(dir=cache_dir, prefix=TEMP_PREFIX, suffix=TEMP_SUFFIX)
    size = 0
    try:
        with os.fdopen(fd, "wb") as out, zf.open(info) as src:
            while chunk := src.read(_COPY_CHUNK):
                size += len(chunk)
                if budget is not None:
                    problem = budget.limits.check(size, info.compress_size, budget.used)
                    if problem is not None:
                        raise ArchiveLimitError(f"{problem} (more than its header declared)")
                digest.update(chunk)
                out.write(chunk)
        if budget is not None:
            budget.used += size
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


def remove_partial_members(cache_dir: str | os.PathLike[str]) -> int:
    """Delete the temporary copies a killed run left in ``cache_dir``; returns how many."""
    removed = 0
    with contextlib.suppress(OSError):
        for entry in os.scandir(cache_dir):
            if entry.name.startswith(TEMP_PREFIX) and entry.name.endswith(TEMP_SUFFIX):
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)
                    removed += 1
    return removed


def expand_inputs(
    specs: Iterable[str],
    cache_dir: str | os.PathLike[str],
    *,
    exclude: Sequence[str | os.PathLike[str]] = (),
    limits: ArchiveLimits | None = None,
) -> list[InputFile]:
    """Every input file named by ``specs``, in order, each source once.

    ``cache_dir`` receives extracted archive members (within ``limits``); folders in ``exclude``
    (the output folder) are never walked.  A source met twice (a folder and a file inside it) is
    kept once, in its first place; an unsupported file that is also named explicitly counts as
    failed.
    """
    cache = Path(cache_dir)
    expander = _Expander(cache, [cache, *(Path(p) for p in exclude)], limits or ArchiveLimits())
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


def source_file(source: str, cache_dir: str | os.PathLike[str], limits: ArchiveLimits | None = None) -> Path:
    """The file to read again for a recorded ``source``: the file itself, or for an archive
    member (``/abs/archive.zip!folder/member.pdf``, ``a.zip!inner.zip!member.png``) its copy in
    ``cache_dir``, extracted again from the archive (the same content-addressed copy) when the
    cache no longer holds it.  A ``!`` inside a file or member name is told apart from the
    separator by what exists; extracting again keeps to ``limits`` (default :class:`ArchiveLimits`,
    raising :class:`ArchiveLimitError`).  Raises :class:`FileNotFoundError` when the file, the archive or
    the member is gone, ``zipfile.BadZipFile`` when an archive no longer reads."""
    parts = source.split(MEMBER_SEPARATOR)
    path, rest = parts[0], parts[1:]
    while not os.path.isfile(path) and rest:  # "!" inside the archive's own name
        path = f"{path}{MEMBER_SEPARATOR}{rest.pop(0)}"
    if not os.path.isfile(path):
        raise FileNotFoundError(f"{source}: no such file")
    budget = _Budget(limits or ArchiveLimits())
    while rest:
        with zipfile.ZipFile(path) as zf:
            names = {i.filename: i for i in zf.infolist() if not i.is_dir()}
            for cut in range(len(rest), 0, -1):  # the longest name that is a member
                name = MEMBER_SEPARATOR.join(rest[:cut])
                if name in names:
                    path, rest = str(extract_member(zf, names[name], Path(cache_dir), budget)), rest[cut:]
                    break
            else:
                raise FileNotFoundError(f"{source}: no member {MEMBER_SEPARATOR.join(rest)!r} in {path}")
    return Path(path)


__all__ = [
    "SUPPORTED_SUFFIXES",
    "ArchiveLimitError",
    "ArchiveLimits",
    "InputFile",
    "expand_inputs",
    "extract_member",
    "remove_partial_members",
    "source_file",
]
