"""Helpers shared by the file writers: atomic replacement and rebuild-only-when-changed.

A file output is always written to a temporary file in the same folder and renamed over the old
one (``os.replace``), so a reader (or a killed run) sees either the old or the new file, never a
half-written one.  The file gets the permissions a plain ``open()`` would give it (``0666`` less
the umask: ``0644`` by default), not ``mkstemp``'s private ``0600``.  Batch outputs are rebuilt from the state; :class:`Rebuild` skips the work when
the state's fingerprint equals the one recorded after the last complete rebuild.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from . import OutputError

FINGERPRINT_FILE = ".fingerprint"


@contextlib.contextmanager
def atomic_path(final: Path) -> Iterator[Path]:
    """Yield a temporary path next to ``final``; on success rename it to ``final``."""
    final.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=final.parent, prefix=f".{final.name}.", suffix=".tmp")
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


__all__ = ["Rebuild", "atomic_path", "current_umask", "safe_name", "write_text_atomic"]
