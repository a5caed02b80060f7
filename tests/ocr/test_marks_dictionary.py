"""The marks' dictionary (extract/ocr/marks.py) built in one pass, each distinct syllable made
comparable once: the same compounds and the same syllable groups as the plain definitions (every
line made comparable whole; every syllable of every compound grouped by its letters)."""

from __future__ import annotations

from importlib.util import find_spec
from pathlib import Path

from extract.ocr.marks import COMPOUNDS_FILE, compound_words, dictionary_syllables, skeleton
from extract.pagetext import comparable


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
