"""The marks' dictionary (extract/ocr/marks.py) built in one pass, each distinct syllable made
comparable once: the same compounds and the same syllable groups as the plain definitions (every
line made comparable whole; every syllable of every compound grouped by its letters)."""

from __future__ import annotations

from importlib.util import find_spec
from pathlib import Path

import pytest

from extract.ocr import marks as M
from extract.ocr.marks import COMPOUNDS_FILE, compound_words, dictionary_syllables, skeleton
from extract.pagetext import comparable
from extract.understand.gazetteer_cache import CACHE_ENV


def _plain_compounds() -> frozenset[str]:
    spec = find_spec("underthesea")
    assert spec is not None
    folders = list(spec.submodule_search_locations or ())
    path = next(
        Path(f).joinpath(*COMPOUNDS_FILE) for f in folders if Path(f).joinpath(*COMPOUNDS_FILE).is_file()
    )
    with path.open(encoding="utf-8") as f:
        return frozenset(comparable(ln.strip()).lower() for ln in f if " " in ln.strip())


def test_compounds_are_the_lines_made_comparable_whole() -> None:
    plain = _plain_compounds()
    assert compound_words() == plain
    assert {"thành phố", "sửa đổi", "bổ sung", "hoà bình"} <= plain  # "hòa" as comparable places its mark


def test_syllables_are_every_syllable_of_the_compounds_by_its_letters() -> None:
    plain: dict[str, set[str]] = {}
    for syllable in {s for word in compound_words() for s in word.split() if s.isalpha()}:
        plain.setdefault(skeleton(syllable), set()).add(syllable)
    assert dictionary_syllables() == {k: frozenset(v) for k, v in plain.items()}
    assert {"bổ", "bố", "bộ"} <= dictionary_syllables()["bo"]


def test_a_syllable_made_comparable_alone_is_its_part_of_the_line() -> None:
    # what the one pass rests on: comparable() and lower() work inside a syllable
    for line in ("Hoà  bình", "THUỶ “lợi”", "quà tặng…", "Thành phố Hòa Bình"):
        assert comparable(line).lower() == " ".join(comparable(p).lower() for p in line.split())


@pytest.fixture
def cache_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):  # type: ignore[no-untyped-def]
    monkeypatch.setenv(CACHE_ENV, str(tmp_path))
    for f in (M._dictionary, M.compound_words, M.dictionary_syllables):
        f.cache_clear()
    yield tmp_path
    for f in (M._dictionary, M.compound_words, M.dictionary_syllables):
        f.cache_clear()


def test_the_dictionary_is_cached_on_disk_and_the_cache_gives_the_same_words(cache_dir: Path) -> None:
    built = M._build_dictionary(M._dictionary_file())
    assert M._dictionary() == built
    (cached,) = cache_dir.glob("marks-dictionary-*.pickle")
    M._dictionary.cache_clear()
    loaded = M._dictionary()  # a new process's: read from the file, not built
    assert loaded == built and loaded is not built
    assert cached.stat().st_size > 500_000


def test_the_cache_is_named_by_the_word_file_it_was_built_from(
    cache_dir: Path, monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    before = M._dictionary()
    words = tmp_path_factory.mktemp("words") / "Viet74K.txt"
    words.write_text(M._dictionary_file().read_text(encoding="utf-8") + "khoăm khoắp\n", encoding="utf-8")
    monkeypatch.setattr(M, "_dictionary_file", lambda: words)
    M._dictionary.cache_clear()
    after = M._dictionary()  # another word file: another cache file, never the stale one
    assert len(list(cache_dir.glob("marks-dictionary-*.pickle"))) == 2
    assert after[0] - before[0] == {"khoăm khoắp"}
