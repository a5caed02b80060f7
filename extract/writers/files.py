"""Helpers shared by the file writers: atomic replacement and rebuild-only-when-changed.

A file output is always written to a temporary file in the same folder and renamed over the old one
(``os.replace``), so a reader (or a killed run) sees either the old or the new file, never a
half-written one.  The file gets the permissions a plain ``open()`` would give it (``0666`` less the
umask: ``0644`` by default), not ``mkstemp``'s private ``0600``.  Batch outputs are rebuilt from the
state; :class:`Rebuild` skips the work when the state's fingerprint equals the one recorded after
the last complete rebuild.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from . import OutputError

FINGERPRINT_FILE = ".fingerprint"
TEMP_SUFFIX = ".tmp"  # temporary files are ".<final name>.<random>.tmp" next to their final file


@contextlib.contextmanager
def atomic_path(final: Path) -> Iterator[Path]:
    """Yield a temporary path next to ``final``; on success rename it to ``final``."""
    try:
        final.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=final.parent, prefix=f".{final.name}.", suffix=TEMP_SUFFIX)
    except OSError as exc:
        raise OutputError(f"{final}: cannot write: {exc.strerror or exc}") from exc
    os.close(fd)
    try:
        yield Path(tmp)
        os.chmod(tmp, 0o666 & ~current_umask())
        os.replace(tmp, final)
    except OSError as exc:
        raise OutputError(f"{final}: cannot write: {exc}") from exc
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def remove_temp_files(folder: Path) -> int:
    """Delete the temporary files of :func:`atomic_path` that a killed run left anywhere under
    ``folder`` (call it only while holding the folder's lock); returns how many were removed."""
    removed = 0
    for root, _dirs, files in os.walk(folder):
        for name in files:
            if name.startswith(".") and name.endswith(TEMP_SUFFIX) and name.count(".") >= 3:
                with contextlib.suppress(OSError):
                    os.unlink(os.path.join(root, name))
                    removed += 1
    return removed


def current_umask() -> int:
    """The process' umask (read by setting it and putting it back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_text_atomic(final: Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``final`` atomically."""
    with atomic_path(final) as tmp:
        tmp.write_text(text, encoding="utf-8")


class Rebuild:
    """Decides whether batch outputs must be rebuilt, and records a finished rebuild.

    ``marker`` is the file holding the fingerprint of the state the outputs were built from.
    ``needed(fingerprint, outputs)`` is true when any output is missing or the recorded
    fingerprint differs; call ``done(fingerprint)`` after every output was replaced.
    """

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def needed(self, fingerprint: str, outputs: list[Path]) -> bool:
        try:
            recorded = self.marker.read_text(encoding="utf-8").strip()
        except OSError:
            return True
        return recorded != fingerprint or not all(p.exists() for p in outputs)

    def done(self, fingerprint: str) -> None:
        write_text_atomic(self.marker, fingerprint + "\n")


def safe_name(name: str) -> str:
    """A file-name-safe version of a form code ("5B", "unknown", "danh_sach")."""
    cleaned = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in name).strip("._")
    return cleaned or "form"


def document_files(folder: Path, document_id: str, suffix: str) -> list[Path]:
    """A per-document writer's files of ``document_id`` (``<stem>-<id><suffix>``; the source may
    have been renamed since one was written)."""
    return sorted(folder.glob(f"*-{document_id}{suffix}"))


def remove_document_files(folder: Path, document_id: str, suffix: str, keep: Path | None = None) -> None:
    """Remove ``document_id``'s files but ``keep`` (a renamed source leaves its old name behind)."""
    for old in document_files(folder, document_id, suffix):
        if old != keep:
            old.unlink(missing_ok=True)


__all__ = [
    "Rebuild",
    "atomic_path",
    "current_umask",
    "document_files",
    "remove_document_files",
    "remove_temp_files",
    "safe_name",
    "write_text_atomic",
]
