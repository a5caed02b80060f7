"""Commune names printed right but read with their tone marks garbled, or with marks after them
that are no part of a name (issue 9, "Communes and districts").

Seen on dev_046_hard_200 (Huyện Quỳnh Phụ): "Xã Quỳnh Hồi" / "Xã Quỳnh Hôi ‹" for Xã Quỳnh Hội
matched nothing on three forms (Quỳnh Hải, one cheap o/a edit away once the marks are folded,
was the runner-up within the lead), and dev_051_hard_300's "Phường Phú Đức x4/JÏR" (a stamp read
as text after the name) matched nothing either.  Both rows then lost their commune.
"""

from __future__ import annotations

import random
import unicodedata

import pytest

from extract.understand.communes import label_key, toneless
from extract.understand.gazetteer import Gazetteer

QUYNH_PHU = "338"  # Thái Bình: Quỳnh Hội, Quỳnh Hải, Quỳnh Hoa, Quỳnh Hồng, ...
PHU_TAN = "942"  # An Giang: Phú Tâm and Phú Tân
TONES = "\u0300\u0301\u0303\u0309\u0323"


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.load()


@pytest.mark.parametrize("label", ["Xã Quỳnh Hồi", "Xã Quỳnh Hôi ‹", "Quỳnh Hổi"])
def test_a_name_with_only_its_tones_garbled_is_its_commune(gaz: Gazetteer, label: str) -> None:
    m = gaz.communes(QUYNH_PHU).match(label)
    assert m is not None and m.commune.name == "Xã Quỳnh Hội", label
    assert m.score < 100  # not printed exactly: its score says so


def test_tones_decide_only_letters_no_other_commune_has(gaz: Gazetteer) -> None:
    dc = gaz.communes(QUYNH_PHU)
    # the letters themselves must be the commune's: "o" without its circumflex is not "ô"
    assert dc.match("Xã Quỳnh Hoi") is None
    # an exact name still wins over a tone-garbled reading of it
    assert dc.match("Xã Quỳnh Hải").commune.name == "Xã Quỳnh Hải"
    assert toneless("quỳnh hội") == "quynh hôi" == toneless("quynh hồi")


def test_two_rows_claiming_a_commune_the_exact_one_keeps_it(gaz: Gazetteer) -> None:
    """A row of another commune read into Quỳnh Hội's letters does not take it from the row that
    prints it exactly."""
    got = gaz.communes(QUYNH_PHU).assign(["Xã Quỳnh Hội", "Xã Quỳnh Hồi"])
    assert got[0] is not None and got[0].commune.name == "Xã Quỳnh Hội"
    assert got[1] is None


@pytest.mark.parametrize(
    "label", ["Xã Quỳnh Hội x4/JÏR", "Xã Quỳnh Hội 12", "Xã Quỳnh Hội | 3 ]", "Xã Quỳnh Hồi =#/"]
)
def test_marks_after_a_name_that_are_no_part_of_it_are_cut(gaz: Gazetteer, label: str) -> None:
    m = gaz.communes(QUYNH_PHU).match(label)
    assert m is not None and m.commune.name == "Xã Quỳnh Hội", label


def test_a_cut_that_may_have_taken_the_names_end_is_not_trusted(gaz: Gazetteer) -> None:
    # "Xã An Vũ" is a commune, but two communes in one label are not one commune's row
    dc = gaz.communes(QUYNH_PHU)
    assert dc.match("2 Xã An Vũ 3 Xã An Lễ") is None
    assert label_key("Xã An Vũ 3 Xã An Lễ").trimmed is None
    # a name of one syllable left after the cut is too little to be sure of
    assert label_key("Xã An 4ũ").trimmed is not None
    assert dc.match("Xã An 4ũ") is None
    # a cut that leaves the start of a longer commune's name ("Quỳnh" of "Quỳnh Hội ...") is
    # not a name: the kept part must not begin another commune's name
    assert dc.match("Xã Quỳnh Hội Quỳnh 7x") is None


def _garble_tones(name: str, rng: random.Random) -> str:
    out = []
    for ch in unicodedata.normalize("NFD", name):
        if ch in TONES:
            r = rng.random()
            ch = rng.choice(TONES) if r < 0.4 else "" if r < 0.55 else ch
        out.append(ch)
    return unicodedata.normalize("NFC", "".join(out))


def test_tone_garbled_and_trailing_junk_labels_are_never_matched_wrong(gaz: Gazetteer) -> None:
    """Every commune of eleven districts, its tones garbled at random (a tone swapped for
    another or lost), with and without junk after it: matched right or left unmatched, never
    given another commune; most are matched (before: 96% of the garbled tones, none with junk:
    about half in all)."""
    rng = random.Random(7)
    total = right = wrong = 0
    for district in ("943", "941", "942", "363", "271", "338", "315", "872", "761", "274", "186"):
        dc = gaz.communes(district)
        for c in dc.communes:
            for junk in ("", " x4/JÏR"):
                for _ in range(3):
                    m = dc.match(f"{c.unit_type} {_garble_tones(c.short, rng)}{junk}")
                    total += 1
                    right += m is not None and m.commune.code == c.code
                    wrong += m is not None and m.commune.code != c.code
    assert wrong == 0
    assert right / total >= 0.95, (right, total)  # measured 0.967 (before: about half)
