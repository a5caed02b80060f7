"""The OCR engine interface and the ``ocr`` settings section.

Every stage that needs OCR talks to an :class:`OcrEngine`; only :mod:`extract.ocr.tesseract`
implements it for real (tests add fakes).  An engine reads a prepared image (grayscale or
binary uint8, ink dark on white paper) at a known resolution and returns what it read.

Time limits: each call is bounded by ``call_timeout_s`` and by the innermost active
:meth:`OcrEngine.deadline` (a per-page budget).  When either runs out the engine raises
:class:`~extract.errors.OcrTimeout`.  Callers open a deadline around a page's OCR
(``with engine.deadline(settings.page_timeout_s): ...``); nested deadlines keep the earliest.
"""

from __future__ import annotations

import abc
import contextlib
import time
from collections.abc import Callable, Iterator, Sequence

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, PositiveFloat, field_validator, model_validator

from ..errors import OcrTimeout
from ..model import Candidate, OcrLine, PixelBox, TextWord
from .clean_scan import FULL_SEARCH, ShortSearchSettings
from .dropped_digits import DroppedDigitSettings
from .one_strokes import OneStrokeSettings
from .pen_strokes import PenLookSettings

NUMBER_WHITELIST = "0123456789.,%+-/"


class NumberVariant(BaseModel):
    """One way of reading a number cell: preprocessing plus tesseract settings.

    The crop is scaled so its tallest glyph is ``height_px`` pixels (``None``: by the fixed
    factor ``scale``); the DPI passed to tesseract scales with it.  ``blur`` is a light Gaussian
    blur before binarizing; ``binarize`` turns the crop black on white (else it stays grey);
    ``pad_px`` is white padding in output pixels; ``whitelist`` restricts the output to
    ``NUMBER_WHITELIST``; ``faded_contrast``: faint grey connected to the binarized ink is ink
    too (faded toner; see :func:`extract.ocr.cells.prepare_number`).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    lang: str = "eng"
    psm: int = Field(default=7, ge=3, le=13)
    height_px: float | None = Field(default=24.0, gt=4)
    scale: float = Field(default=2.0, gt=0.2, le=6.0)
    blur: bool = True
    binarize: bool = True
    pad_px: int = Field(default=20, ge=0, le=200)
    whitelist: bool = True
    # faded toner: grey this many levels below the paper is ink where it touches ink (None: off)
    faded_contrast: float | None = Field(default=40.0, ge=0, le=255)


def _default_variants() -> list[NumberVariant]:
    # Chosen on synthetic cells (150-300 dpi, mild and harsh noise): with the primary reading,
    # these five give the best majority vote (97.9% exact vs 95.6% for the best single reading).
    return [
        NumberVariant(name="num_viet", lang="Vietnamese"),
        NumberVariant(name="num_noblur", lang="vie+eng", blur=False),
        NumberVariant(name="num_psm8", lang="vie+eng", psm=8),
        NumberVariant(name="num_x2", lang="vie+eng", height_px=None, scale=2.0),
    ]


class StampSettings(BaseModel):
    """What a received stamp's frame looks like (extract/ocr/stamps.py)."""

    model_config = ConfigDict(extra="forbid")

    min_width_mm: float = Field(default=25.0, gt=0)  # frames are 47-49 mm wide on the real scans ...
    max_width_mm: float = Field(default=90.0, gt=0)
    min_height_mm: float = Field(default=8.0, gt=0)  # ... and 20-29 mm tall
    max_height_mm: float = Field(default=45.0, gt=0)
    rule_mm: float = Field(
        default=4.0, gt=0
    )  # ink runs this long make its rules (letters' strokes are shorter)
    rule_thick_mm: float = Field(default=3.0, gt=0)  # a rule is at most this thick
    max_slant_deg: float = Field(default=0.0, ge=0, le=15)  # ... plus its rise, slanted this much
    rule_gap_mm: float = Field(
        default=3.0, ge=0
    )  # a rule broken by the scan over gaps this short is one rule
    end_tolerance_mm: float = Field(
        default=4.0, ge=0
    )  # the two rules' ends (and a side's place) agree this closely
    side_cover: float = Field(
        default=0.5, ge=0, le=1
    )  # a side's vertical rule covers this share of the height
    ink_level: int = Field(default=140, ge=0, le=255)  # grey levels below this are ink (rules print dark)
    pad_px: int = Field(default=3, ge=0)  # a frame is painted out this far beyond its rules
    # the general case (stamps whose "ĐẾN" is misread, open or crossed by printed lines): below
    general: bool = False
    read_margin_px: int = Field(default=12, ge=0)  # a frame is read on a white margin this wide
    cross_reach_mm: float = Field(default=3.0, ge=0)  # a printed line crosses a stamp: ink this near its side
    cross_grow_mm: float = Field(default=1.0, ge=0)  # ... the rows it crosses, grown this much
    cross_min_mm: float = Field(default=1.0, ge=0)  # ... a band of such rows this tall (specks are no line)


class PageTextSettings(BaseModel):
    """Text outside tables (``ocr.page_text``): the leftover-ink search of
    ``TesseractEngine.read_missed_lines`` and the margin marks of ``extract/pagetext.py``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    ink_level: int = Field(default=128, ge=1, le=255)  # a grey level darker than this is ink
    # a run of leftover ink this many median line heights tall may be a line ...
    leftover_heights: tuple[PositiveFloat, PositiveFloat] = (0.6, 1.6)
    # ... holding at least this share of ink in its box (a rule or a frame holds less)
    leftover_min_ink: float = Field(default=0.08, ge=0, le=1)
    # a segment above the national motto read below this, with no vowel, is a file mark
    mark_max_confidence: float = Field(default=90.0, ge=0, le=101)
    # a phrase read alike this many times on the page respells a run read once otherwise
    # (extract.ocr.page_phrases); 0 = off ...
    phrase_min_occurrences: int = Field(default=0, ge=0)
    phrase_words: tuple[int, int] = (3, 5)  # ... a run of this many words (fewest, most) ...
    phrase_max_edits: int = Field(default=2, ge=0)  # ... whose differing words are this many letters off ...
    # ... read below this (and below the best agreeing reading) ...
    phrase_weak_confidence: float = Field(default=90.0, ge=0, le=101)
    # ... with this many words read alike, no fewer than those changed
    phrase_min_anchors: int = Field(default=2, ge=1)
    # the national layout's fixed phrases (the motto, "Nơi nhận:", signature titles): a run of
    # words read at most this many letters off one of them reads it (extract.ocr.layout_phrases);
    # 0 = off ...
    layout_max_edits: int = Field(default=0, ge=0)
    layout_phrases: tuple[str, ...] = ()  # ... these phrases ...
    # ... its differing words read below this (or no known word)
    layout_weak_confidence: float = Field(default=90.0, ge=0, le=101)
    # a word of none but marks, one of these, is no text: a rule's or a seal's fragment ("|",
    # "__", "}") taken out of its line as noise (extract.pagetext.with_stray_marks); "" = off
    stray_mark_chars: str = ""
    # a word read ending in "," whose comma has a dot within this many of its heights above it
    # ends in ";" (extract.ocr.semicolons); 0 = off ...
    semicolon_dot_reach: float = Field(default=0.0, ge=0)
    # ... a comma: its last mark this many times as tall as wide, reaching below the baseline
    comma_min_elongation: float = Field(default=1.4, gt=0)
    # a second model ("Vietnamese") reads each line holding a word below second_weak_confidence
    # again; a word it reads otherwise in more than its marks takes that reading
    # (extract.ocr.second_opinion); "" = off ...
    second_lang: str = ""
    second_weak_confidence: float = Field(default=90.0, ge=0, le=101)  # ... such a word ...
    # ... when the second reads it at this confidence or more ...
    second_min_confidence: float = Field(default=70.0, ge=0, le=100)
    second_min_gain: float = Field(default=5.0, ge=0)  # ... and this many points above the first
    # ... a word of each reading over the same ink: sharing this much of the wider's width, the
    # second holding this share of the first's characters
    second_same_ink: float = Field(default=0.6, gt=0, le=1)
    # an unsure word of letters alone that is a known word, read at this or more, is not read
    # again (a line holding no other unsure word is not read at all); 101 = every unsure word
    second_known_confidence: float = Field(default=101.0, ge=0, le=101)
    # ... the line read over its unsure words and the words within this many line heights of
    # each, not over its whole width; 0 = the whole line
    second_context_heights: float = Field(default=0.0, ge=0)
    # ... the marks a second reading may add to a word besides letters and digits (another it adds:
    # "$ố", "vụ'", is a speck), none doubled at its end that the first had not doubled
    # ("99,3%." → "99,3%.."); "" = not checked
    second_added_marks: str = ""
    # a word of Vietnamese letters, a known word at this Zipf frequency or more, read glued to a
    # number is two words ("ngày23" → "ngày 23"; extract.ocr.glued_words); 0 = off
    glued_min_zipf: float = Field(default=0.0, ge=0)
    # ... and a word of two runs of letters joined by one of these marks ("đe:nghị") is two
    # words; "" = off
    glued_space_marks: str = ""
    # a word in capitals that is no word of the page in lower or title case takes the spelling of
    # the one word of the page in lower case with its letters that is more than this more
    # frequent (Zipf) ("VÈ CÁP" → "VỀ CẤP"); -1 = off (extract/ocr/capital_marks.py)
    capital_marks_min_rise: float = -1.0
    # a document code read in two words ("36/BC- UBND", "729 /QĐ-TTg") is one word
    # (extract/ocr/code_words.py); false = off
    codes_joined: bool = False
    # a lower-case known word rarer than this (Zipf), in no compound as read, takes the most
    # frequent spelling with another tone mark when that is more than rare_tone_min_rise more
    # frequent ("thiết bị sô" → "số"; extract/ocr/rare_tones.py); 0 = off
    rare_tone_max_zipf: float = Field(default=0.0, ge=0)
    rare_tone_min_rise: float = Field(default=1.5, ge=0)
    # the text lines of a page with tables take their marks among the recogniser's other choices
    # (lstm_choice_mode 2, extract/ocr/marks.py) on the document's first this many pages only
    # (the header the metadata reads); past them a table page's text is read without the
    # alternatives (searchable text only; ~15% less recognition); None = every page
    table_page_marks_pages: int | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _ordered(self) -> PageTextSettings:
        lo, hi = self.leftover_heights
        if lo > hi:
            raise ValueError(f"leftover_heights: {lo} is above {hi}")
        few, most = self.phrase_words
        if not 1 <= few <= most:
            raise ValueError(f"phrase_words: ({few}, {most}) is no range of word counts")
        return self


class LabelLookSettings(BaseModel):
    """Settings of the label cells' seal look (``ocr.label_look`` in ``configs/pipeline.yaml``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    # the seal's ink painted out at these contrast gains (< 1: the ink that stays ink when the
    # contrast to the paper is lowered this much stays); empty: no look
    gains: list[float] = Field(default_factory=list)
    # ... only for a text cell whose words are at most this share well-formed syllables
    legible_max: float = Field(default=0.5, ge=0.0, le=1.0)
    # ... or whose words (two letters or more) are fewer than this: one syllable under a seal
    # ("TƯ" for "UBND cấp xã") is no label
    words_min: int = Field(default=2, ge=0)


class OcrSettings(BaseModel):
    """Section ``ocr`` of ``configs/pipeline.yaml``.

    Lengths in millimetres are converted to pixels with the page's DPI.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    engine: str = Field(default="auto", pattern=r"^(auto|tesserocr|pytesseract)$")
    tessdata: str | None = None  # folder holding *.traineddata; None: $TESSDATA_PREFIX or system paths
    text_lang: str = "vie"  # text cells and text outside tables
    text_target_height_px: float = Field(default=26.0, gt=4)  # median letter height fed to tesseract
    bilevel_text_smooth_px: float = Field(
        default=0.0, ge=0
    )  # Gaussian sigma: a 1-bit scan's text cells smoothed after scaling (0: off)
    # a short one-line text cell is read again with its letters at these multiples of their own
    # height and the majority reading kept (extract/ocr/text_vote.py); empty: off
    text_vote_scales: list[PositiveFloat] = Field(default_factory=list)
    text_vote_bilevel_only: bool = True  # ... on 1-bit scans only (reader._vote_smoothing)
    # text outside tables that the layout analysis left out (a signature under a seal) is searched
    # again; a line found there this sure is kept (101: no second search) ...
    missed_text_min_confidence: float = Field(default=101.0, ge=0, le=101)
    missed_text_widen_heights: float = Field(default=1.0, ge=0)  # ... read again this much wider
    # ... and a run of ink one line tall that neither search read is read as one line, kept this sure
    missed_text_leftover_min_confidence: float = Field(default=101.0, ge=0, le=101)
    # a word of text outside tables at most this frequent in Vietnamese (wordfreq's Zipf scale; 0:
    # no known word) takes the most frequent of the recogniser's other marks (extract/ocr/marks.py)
    text_marks_max_zipf: float = Field(default=-1.0, ge=-1.0, le=8.0)  # -1: off
    # ... and a word that forms no compound with its neighbours takes the recogniser's other marks
    # that make one ("thành phô" -> "thành phố"; extract/ocr/marks.py, underthesea's dictionary)
    text_marks_context_max_drop: float = Field(default=-1.0, ge=-1.0, le=8.0)  # -1: off
    # ... a word in capitals by every spelling of its letters the dictionary knows ("BÓ SUNG")
    text_marks_capitals_any: bool = False
    # ... and a word in lower case likewise, to a spelling more than this more frequent (Zipf)
    text_marks_lower_min_rise: float = Field(default=-1.0, ge=-1.0, le=8.0)  # -1: off
    text_marks_across_lines: bool = False  # ... neighbours across a paragraph's line breaks
    # ... a word before a number spelled as the number's name of its letters ("sô 10" -> "số 10")
    text_marks_number_words: list[str] = Field(default_factory=list)
    # text cells' words take their marks by the same two rules (reader._read_text; OcrEngine.read_text)
    text_cell_marks: bool = False
    # ... except a reading, at least this sure, that is a name the forms or the gazetteer declare
    # exactly ("Xã Nặm Ét", "Cấp xã"): kept as read, no walk over the choices (extract/ocr/
    # named_cells.py; a reading with no letter a mark sits on is kept as read always); 101: off
    text_cell_marks_named_min_confidence: float = Field(default=101.0, ge=0, le=101)
    # ... the recogniser's other choices searched for by a short search on a clean scan
    # (extract/ocr/clean_scan.py; tesseract's lstm_choice_iterations) ...
    text_cell_short_search: ShortSearchSettings = Field(default_factory=ShortSearchSettings)
    # ... the search a page's text cells are read with: read_table sets it per page from
    # text_cell_short_search (FULL_SEARCH, tesseract's default, unless the page is clean)
    text_cell_choice_iterations: int = Field(default=FULL_SEARCH, ge=1, le=FULL_SEARCH)
    # a text cell's reading checked against its crop's ink: "H" with no crossbar is "II", a
    # trailing comma on no ink is dropped (extract/ocr/glyph_checks.py)
    text_ink_checks: bool = False
    # a 1-bit scan's smoothed text cell whose reading holds garbled words ("12t?", "g1ao") is read
    # again plain, the reading with fewer kept (extract/ocr/garble.py)
    text_garbled_plain: bool = False
    # framed received stamps in text bands are read on their own and painted out of the page's
    # reading (extract/ocr/stamps.py)
    stamp_frames: bool = False
    stamp_frame: StampSettings = Field(default_factory=StampSettings)  # ... what such a frame looks like
    page_text: PageTextSettings = Field(default_factory=PageTextSettings)  # text outside tables
    # a line of text outside tables read below this is read again over its row's ink (0: off) ...
    weak_line_max_confidence: float = Field(default=0.0, ge=0, le=100)
    weak_line_gap_heights: float = Field(default=1.0, ge=0)  # ... ink gaps it is widened across
    weak_line_min_gain: float = Field(default=10.0, ge=0)  # ... kept when this much more confident
    number: NumberVariant = NumberVariant(name="number")  # the primary reading of number cells
    number_variants: list[NumberVariant] = Field(default_factory=_default_variants)
    vote: bool = True  # a number cell's text is the majority of the number readings (ties: primary)
    # the text model reading the vote's number makes the number readings that only lost its
    # leading digits or grouping abstain (reader._confirmed_piece); false: they dissent
    text_confirms_vote: bool = False
    text_confirms_min: float = Field(default=50.0, ge=0, le=100)  # ... read at least this sure
    # a number cell over several grid rows read as one number per line is parted into a cell per
    # row, each at most this sure (reader.part_rows); None: never parted
    row_part_confidence: float | None = Field(default=None, ge=0, le=100)
    # ink along a cell crop's side at most this thick (mm) across it is a broken rule's sliver,
    # painted out however short (cells._slivers); 0: only rules along most of a side are
    edge_sliver_max_mm: float = Field(default=0.0, ge=0, le=1.0)
    # a short text with no digit from a short line of digit-high glyphs ("u" for a worn 0, "B" for a
    # worn 6) is unsure too: read again at the second look's raised contrast (reader._digit_shaped)
    second_look_letters: bool = False
    # read the other variants only when the primary reading and the first variant disagree, or
    # neither reaches this confidence (0: always read every variant)
    escalate_below: float = Field(default=88.0, ge=0, le=100)
    agree_floor: float = Field(default=50.0, ge=0, le=100)  # ... or agree with one below this
    # a plain one-token primary number reading this confident needs no second model (101: always
    # confirm); such a cell has one candidate, so self-correction can never change it
    single_confidence: float = Field(default=95.0, ge=0, le=101)
    # one-line short cells are read as numbers first; two agreeing confident readings (see
    # escalate_below) that match the crop's glyph count make the text-mode reading unnecessary
    number_first: bool = True
    short_text_max: int = Field(default=3, ge=0)  # text reads this short are re-read as numbers
    # ... unless they are words: a text reading this confident with two letters that never
    # stand for digits ("Có", "Số 1599/QĐ-UBND ngày 06/7/2018") gets no number readings
    words_confidence: float = Field(default=88.0, ge=0, le=100)
    # a text reading this confident with a character for every letter blob, where the number
    # readings hold fewer digits, is letters ("STT" read "5" by a number variant stays "STT")
    spelled_out_confidence: float = Field(default=80.0, ge=0, le=100)
    # a text reading this confident of a printed column number "(n)" whose n is the cell's own
    # 1-based grid column is the header's column-number row: kept as read, no number variants
    # (the number models read "n" at 0 without the brackets, so every variant was read); None: off
    column_number_confidence: float | None = Field(default=None, ge=0, le=100)
    # two number readings with no digit and a text reading this confident with a character for
    # every letter blob and no digit ("H", "Hà"): the other variants are not read; None: off
    unescalated_text_confidence: float | None = Field(default=None, ge=0, le=100)
    # ... and so does a word of this many digit look-alike letters at least, one of them no roman
    # numeral's ("STT": 7 tesseract calls a header cell, every number variant reading nothing; a
    # roman "II" or "III" is still escalated); None: look-alike letters are always escalated
    unescalated_lookalike_letters: int | None = Field(default=None, ge=2)
    # digit look-alikes ("O", "l", "S.697") make a number cell only when a number reading is
    # at least this sure
    lookalike_min_evidence: float = Field(default=50.0, ge=0, le=100)
    # a number that rests on a guessed digit ("L5" read as 15: a worn serif "1", or a ruling line's
    # remnant) carries at most this confidence: below validate.min_confidence, it is flagged
    # unless a rule of the form bears it out (extract/understand/numbers.value_confidence)
    guessed_digit_confidence: float = Field(default=50.0, ge=0, le=100)
    # a cell read "1" from one letter with at least this share of faint grey in the band left of
    # it may be a worn "4" (bar and diagonal faded): at most guessed_digit_confidence sure
    worn_one_faint_share: float = Field(default=0.1, ge=0.0, le=1.0)
    short_text_langs: list[str] = Field(default_factory=lambda: ["Vietnamese"])  # extra reads of short text
    # one-line crops up to this width / letter height also get a number read
    number_max_aspect: float = Field(default=14.0, gt=0)
    # a cell whose tallest mark is shorter than this holds no digit or letter (the smallest
    # printed digits, 7 pt, are ~1.6 mm tall): it is empty, not OCR'd
    min_glyph_height_mm: float = Field(default=1.0, ge=0.0)
    # ... and so is a cell of two or more lines holding one mark each, none this tall: scattered
    # specks (a 1-bit scan's dust read "+ š" in an empty cell of QĐ 707 p-021), no text
    scattered_speck_mm: float = Field(default=1.3, ge=0.0)
    # a reading of dashes or dots alone ("—": the report's "none") where the cell's tallest mark is
    # taller than this is unread ink, flagged (a digit crossed by a pen stroke read "—")
    dash_max_height_mm: float = Field(default=1.5, ge=0.0)
    # a cell with no ink of letter height is looked at again with its contrast to the paper
    # multiplied by this (faded toner: a digit 20-50 grey levels under the paper, under the ink
    # threshold, stood as a sure blank); None or 1: not looked at again.  Never on 1-bit scans
    faint_ink_gain: float | None = Field(default=None, ge=1.0)
    # ... what is read there is this sure at most (under validate.min_confidence: flagged unless a
    # rule of the form bears it out); nothing read there is unread ink (confidence 0, flagged)
    faint_ink_confidence: float = Field(default=50.0, ge=0, le=100)
    # ... a reading there below this, or of rule marks alone ("|": a faded rule's remnant), is no
    # reading: unread ink (an STT cell's faint remnant read "1" at 3 had become a total row's STT)
    faint_ink_min_confidence: float = Field(default=80.0, ge=0, le=100)
    # a cell of ink read unsure (a number below second_look_below, a text with a digit, unread
    # ink) is read again with its contrast to the paper multiplied by this: a worn stroke comes
    # back ("1" read for a faded "4", "153" for 353); None or 1: no second look.  Never on 1-bit
    # scans
    second_look_gain: float | None = Field(default=None, ge=1.0)
    second_look_below: float = Field(default=80.0, ge=0, le=101)  # ... a number read below this is unsure
    # ... and only when the raised contrast grows its ink this many times (a faded stroke becomes ink;
    # a mild scan's cells grow 1.02-1.17 times by their strokes' grey edges, and were read again
    # for nothing: +13% CPU on a mild 300-dpi document)
    second_look_min_ink_growth: float = Field(default=1.0, ge=1.0)
    # ... the second reading replaces the first when it is one plain number read at least this sure
    second_look_min_confidence: float = Field(default=80.0, ge=0, le=100)
    # ... and is then this sure at most (under validate.min_confidence: flagged unless a rule of the
    # form bears it out), the first reading's candidates kept for the rules to choose from
    second_look_confidence: float = Field(default=50.0, ge=0, le=100)
    # a one-line cell not read as a plain number is cut again without the marks a written number
    # does not hold (a speck beside, above or after the digits) and read by two number models: a
    # plain number both read at second_look_min_confidence stands at second_look_confidence at
    # most (reader._number_run_look)
    number_run_look: bool = False
    # ... and a cell a round seal covers is also cut with all but the ink that stays ink at its
    # contrast to the paper multiplied by each of these (< 1) painted out: the seal's lighter ink
    # goes, the digits stay; the gains must not read two numbers; empty: not
    seal_look_gains: list[float] = Field(default_factory=list)
    # ... only in a grid column where at least this share of the cells no seal covers were read
    # as numbers (reader.number_columns): never a label or text column's cell
    seal_look_number_share: float = Field(default=0.5, ge=0.0, le=1.0)
    # an unsure cell of a number column crossed by a pen stroke (a signature) is read once more
    # with the stroke painted out (pen_strokes, reader._pen_look)
    pen_look: PenLookSettings = Field(default_factory=PenLookSettings)
    # a label cell under a round seal whose reading is not words is read once more with the
    # seal's lighter ink painted out; the readings are the cell's candidates only, which row
    # naming takes where one names a commune, a section or an item (reader._label_seal_look)
    label_look: LabelLookSettings = Field(default_factory=LabelLookSettings)
    # a number vote whose text readings at no confidence carry, against a sure reading of the
    # same number with a digit more, gives that number, flagged (dropped_digits)
    dropped_digit_vote: DroppedDigitSettings = Field(default_factory=DroppedDigitSettings)
    # a cell of a number column read as a short text ("II" for 11) whose every letter is one
    # upright stroke is that many "1"s, flagged (one_strokes, reader._one_stroke_looks)
    one_strokes: OneStrokeSettings = Field(default_factory=OneStrokeSettings)

    @field_validator("seal_look_gains")
    @classmethod
    def _lowering(cls, value: list[float]) -> list[float]:
        if any(not 0.0 < g < 1.0 for g in value):
            raise ValueError(f"seal_look_gains lower the contrast: each between 0 and 1, got {value}")
        return value

    cell_inset_mm: float = Field(default=0.1, ge=0.0)  # cut this far inside a cell's box
    cell_border_mm: float = Field(default=1.5, ge=0.0)  # paper border added around a trimmed cell
    call_timeout_s: float = Field(default=20.0, gt=0)  # one tesseract call
    page_timeout_s: float = Field(default=600.0, gt=0)  # all OCR of one table / of a page's free text
    osd_min_confidence: float = Field(default=2.0, ge=0)  # below this, orientation() answers 0
    # orientation: a quick OSD pass over this many characters (tesseract's default is 50; 0: no
    # quick pass), trusted at this confidence, else OSD is run in full
    osd_quick_characters: int = Field(default=20, ge=0)
    osd_quick_min_confidence: float = Field(default=4.0, ge=0)
    # tesseract reads a table cell's line it is unsure of (below its invert_threshold) a second
    # time, inverted (white on black); false: never (page text and orientation keep it)
    tesseract_invert_cells: bool = True

    @field_validator("number_variants")
    @classmethod
    def _unique_names(cls, value: list[NumberVariant]) -> list[NumberVariant]:
        names = [v.name for v in value]
        if len(set(names)) != len(names) or "number" in names or "text" in names:
            raise ValueError(f"number_variants: names must be unique and not 'number'/'text': {names}")
        return value


class OcrEngine(abc.ABC):
    """What the pipeline needs from an OCR engine.

    Images are uint8 arrays, (H, W) grayscale or binary, dark ink on light paper; ``dpi`` is the
    image's resolution in dots per inch (always passed on: tesseract sizes its expectations by it).
    """

    name: str = "engine"

    def __init__(self, call_timeout_s: float = 20.0) -> None:
        self.call_timeout_s = float(call_timeout_s)
        self._deadlines: list[float] = []

    # -- time limits ---------------------------------------------------------------------------

    @contextlib.contextmanager
    def deadline(self, seconds: float) -> Iterator[None]:
        """Bound every call made inside the block to ``seconds`` of wall time in total."""
        self._deadlines.append(time.monotonic() + float(seconds))
        try:
            yield
        finally:
            self._deadlines.pop()

    def call_budget_s(self) -> float:
        """Seconds the next call may take: the per-call limit or what is left of the deadline.

        Raises :class:`OcrTimeout` when an active deadline has already passed.
        """
        budget = self.call_timeout_s
        if self._deadlines:
            left = min(self._deadlines) - time.monotonic()
            if left <= 0:
                raise OcrTimeout(f"{self.name}: OCR time limit for the page exceeded")
            budget = min(budget, left)
        return budget

    # -- reading -------------------------------------------------------------------------------

    def supports(self, lang: str) -> bool:
        """Whether the models of ``lang`` ("vie+eng") are available (readings that need a
        missing optional model are skipped)."""
        return True

    @abc.abstractmethod
    def read(
        self,
        image: np.ndarray,
        dpi: float,
        *,
        mode: str,
        lang: str,
        psm: int,
        whitelist: str | None = None,
    ) -> Candidate:
        """Read ``image`` as one block (psm 6), line (7), word (8) or raw line (13).

        ``mode`` names the reading; it becomes :attr:`Candidate.variant`.  ``whitelist``
        restricts the characters tesseract may output.  Returns the text (stripped, NFC) and its
        mean word confidence 0..100 (0 when nothing was read; a blank image is not sent to the
        engine at all: tesseract hallucinates marks like "¬" on empty lines).
        """

    def read_text(
        self,
        image: np.ndarray,
        dpi: float,
        *,
        mode: str,
        lang: str,
        psm: int,
        plain: Callable[[str, float], bool] | None = None,
        choice_iterations: int = FULL_SEARCH,
    ) -> Candidate:
        """:meth:`read` of a text cell whose words take their marks as page text's do, among the
        recogniser's other choices (``extract/ocr/marks.py``, searched ``choice_iterations``
        times: :mod:`.clean_scan`), unless ``plain(text, confidence)`` holds for the reading as
        read; an engine that offers no other choices reads it as :meth:`read` does."""
        return self.read(image, dpi, mode=mode, lang=lang, psm=psm)

    @abc.abstractmethod
    def read_lines(self, image: np.ndarray, dpi: float, lang: str, *, marks: bool = True) -> list[OcrLine]:
        """Read a page (or region) with automatic layout: text lines with boxes in image pixels;
        without ``marks`` the words keep the marks read (no other choices asked for)."""

    def read_missed_lines(
        self,
        image: np.ndarray,
        dpi: float,
        lang: str,
        found: Sequence[OcrLine],
        *,
        min_confidence: float,
        widen_heights: float,
        leftover_min_confidence: float = 101.0,
        page_text: PageTextSettings | None = None,
    ) -> list[OcrLine]:
        """Text lines of ``image`` that :meth:`read_lines` (its lines: ``found``) left out; an
        engine without a second search finds none."""
        return []

    def read_sparse_lines(self, image: np.ndarray, dpi: float, lang: str) -> list[OcrLine]:
        """Text lines of ``image`` found by a sparse-text search (no layout analysis); an engine
        without one finds none."""
        return []

    def reread_weak_lines(
        self,
        image: np.ndarray,
        dpi: float,
        lang: str,
        found: Sequence[OcrLine],
        *,
        max_confidence: float,
        max_gap_heights: float,
        min_gain: float = 0.0,
    ) -> list[OcrLine]:
        """``found`` with its least confident lines read again; an engine without it: as found."""
        return list(found)

    def read_line_again(
        self, image: np.ndarray, dpi: float, lang: str, box: PixelBox, others: Sequence[OcrLine]
    ) -> list[TextWord]:
        """The words of ``image`` at ``box`` read as one line with ``lang`` (the words of
        ``others`` in it painted white), in ``image``'s pixels; an engine without it: none."""
        return []

    @abc.abstractmethod
    def orientation(self, gray: np.ndarray, dpi: float) -> int:
        """Clockwise degrees (0, 90, 180, 270) that make the page upright; 0 when unsure."""
