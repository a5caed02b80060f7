"""One count of well-formed syllables (``extract.ingest.syllable_share``) for the text-layer
check, the title check (``metadata._syllable_share``) and the label check
(``labels.legible_share``); each keeps its own choice of which tokens are words."""

from __future__ import annotations

from extract.ingest import syllable_share
from extract.understand.metadata import _syllable_share
from extract.validate.labels import legible_share


def test_the_share_of_well_formed_syllables() -> None:
    assert syllable_share(["Phường", "Tân", "Hạnh"]) == 1.0
    assert syllable_share(["UBND", "sácK€W", "LÍ", "x4"]) == 0.5  # an abbreviation counts
    assert syllable_share([]) is None


def test_a_title_and_a_label_count_alike_and_choose_their_words() -> None:
    title = "Báo cáo 542/BC-UBND kết quả thực hiện"
    # the title drops words with digits; a label also drops letters alone and marks
    assert _syllable_share(title) == syllable_share(["Báo", "cáo", "kết", "quả", "thực", "hiện"]) == 1.0
    assert _syllable_share("") == 1.0  # a title of no word is not judged
    assert legible_share("a sácK€W LÍ -4") == syllable_share(["sácK€W", "LÍ"]) == 0.5
    assert legible_share("3 . -") is None
