"""The gazetteer snapshot is cached on disk per package version, and a bad cache is rebuilt."""

from __future__ import annotations

from pathlib import Path

import pytest

from extract.understand import gazetteer as G
from extract.understand import gazetteer_cache as C


@pytest.fixture
def fresh(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):  # type: ignore[no-untyped-def]
    monkeypatch.setenv(C.CACHE_ENV, str(tmp_path))
    G.snapshot.cache_clear()
    yield tmp_path
    G.snapshot.cache_clear()


def test_the_snapshot_is_cached_and_the_cache_gives_the_same_units(fresh: Path) -> None:
    built = G.snapshot()
    (cache,) = fresh.glob("gazetteer-vietnamadminunits-*.pickle")
    G.snapshot.cache_clear()
    cached = G.snapshot()
    assert cached is not built and cached == built
    assert cached.communes["31531"].name == "Thị trấn An Lạc Thôn"  # Kế Sách district
    assert cache.stat().st_size > 100_000


def test_a_damaged_cache_is_rebuilt(fresh: Path) -> None:
    expected = G.build_snapshot()
    target = C.cache_file()
    assert target is not None
    target.write_bytes(b"not a pickle")
    assert G.snapshot() == expected
    G.snapshot.cache_clear()
    assert G.snapshot() == expected  # and the file was written again


def test_the_cache_can_be_switched_off(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(C.CACHE_ENV, "off")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    G.snapshot.cache_clear()
    try:
        assert C.cache_file() is None
        assert G.snapshot().communes
        assert list(tmp_path.iterdir()) == []
    finally:
        G.snapshot.cache_clear()
