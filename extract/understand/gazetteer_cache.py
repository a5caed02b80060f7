"""The on-disk cache of the gazetteer's snapshot (and of other data built from a package's files:
:func:`load_or_build_at`, the marks' dictionary of ``extract/ocr/marks.py``).

Building the snapshot imports ``vietnamadminunits`` and indexes its ~10,600 units: 1.2 s for every
process that assembles a document; the cached copy loads in ~0.05 s.  The cache is one pickle per
release of the package (and per :data:`SNAPSHOT_FORMAT`), in ``$BCUBND_CACHE_DIR``, else
``$XDG_CACHE_HOME/bcubnd-extract``, else ``~/.cache/bcubnd-extract``; ``BCUBND_CACHE_DIR=off``
turns it off.  A damaged or foreign file is rebuilt; a folder that cannot be written means no
cache, never an error.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

CACHE_ENV = "BCUBND_CACHE_DIR"  # where the gazetteer snapshot is cached; "off" disables the cache
PACKAGE = "vietnamadminunits"  # the snapshot's source: its release names the cache file
SNAPSHOT_FORMAT = 2  # bump when the snapshot's types change (2: they moved to extract.understand.gazetteer)


def cache_folder() -> Path | None:
    """The folder of the on-disk caches (``None``: switched off)."""
    folder = os.environ.get(CACHE_ENV) or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "bcubnd-extract"
    )
    return None if folder == "off" else Path(folder)


def cache_file() -> Path | None:
    """Where this release of the package's snapshot is cached (``None``: no cache)."""
    from importlib.metadata import PackageNotFoundError, version

    folder = cache_folder()
    if folder is None:
        return None
    try:
        release = version(PACKAGE)
    except PackageNotFoundError:
        return None
    return folder / f"gazetteer-{PACKAGE}-{release}-v{SNAPSHOT_FORMAT}.pickle"


def keyed_cache_file(stem: str, key: str, sources: Sequence[str | Path] = ()) -> Path | None:
    """Where data built from what ``key`` names (the files and versions a build reads, as text)
    with the code of ``sources`` is cached: ``{stem}-{digest}.pickle`` in :func:`cache_folder`, so
    a changed input or rule is rebuilt, never read stale (``None``: no cache)."""
    folder = cache_folder()
    if folder is None:
        return None
    digest = hashlib.sha256(key.encode())
    for source in sources:
        digest.update(Path(source).read_bytes())
    return folder / f"{stem}-{digest.hexdigest()[:16]}.pickle"


def load_or_build(build: Callable[[], T], kind: type[T]) -> T:
    """The cached snapshot when the cache holds a ``kind``; else ``build()``, stored for next time."""
    return load_or_build_at(cache_file(), build, kind)


def load_or_build_at(cache: Path | None, build: Callable[[], T], kind: type[T]) -> T:
    """The object cached at ``cache`` when it holds a ``kind``; else ``build()``, stored there for
    next time (``cache`` names what it was built from: a stale file is never looked up)."""
    if cache is not None and cache.is_file():
        try:
            with cache.open("rb") as f:
                state = pickle.load(f)  # our own file, keyed by the package version
            if isinstance(state, kind):
                return state
        except Exception:  # noqa: BLE001, S110 - a damaged cache is rebuilt below
            pass
    built = build()
    if cache is not None:
        with contextlib.suppress(OSError):  # a read-only home: no cache, no harm
            cache.parent.mkdir(parents=True, exist_ok=True)
            tmp = cache.with_suffix(f".{os.getpid()}.tmp")
            with tmp.open("wb") as f:
                pickle.dump(built, f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, cache)
    return built


__all__ = [
    "CACHE_ENV",
    "SNAPSHOT_FORMAT",
    "cache_file",
    "cache_folder",
    "keyed_cache_file",
    "load_or_build",
    "load_or_build_at",
]
