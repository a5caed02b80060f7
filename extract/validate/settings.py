"""Settings of the validation stage (section ``validate`` of ``configs/pipeline.yaml``)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class ValidateSettings(BaseModel):
    """Thresholds of the validation stage.  Confidences are tesseract's, 0..100.

    ``blank_is_zero``: in these forms a blank (or "-") cell of a sum means 0 -- e.g. 5B row I prints
    "(9)=(10)+(11)" as 1582 = 1582 + blank -- so a blank cell counts as 0 in a rule.  A rule
    instance whose cells are *all* blank is skipped (0 = 0 confirms nothing).  With
    ``blank_is_zero: false`` every instance with a blank cell is skipped instead.  A ratio rule
    skips a row whose result is blank (a blank rate means "not computed", not 0 %).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    min_confidence: float = Field(80.0, ge=0, le=100)
    """A value no rule covers is READ at or above this confidence, FLAGGED below it."""
    printed_min_confidence: float = Field(85.0, ge=0, le=100)
    """A failing rule whose every cell reads at least this confidently, with candidates that all
    agree, is the printed report's own inconsistency, not an OCR error."""
    trusted_confidence: float = Field(85.0, ge=0, le=100)
    """A value read at least this confidently by two agreeing number readings is never replaced
    by a candidate (see :func:`extract.validate.cells.trusted_reading`)."""
    min_candidate_confidence: float = Field(20.0, ge=0, le=100)
    """OCR candidates below this confidence are never used to correct a value."""
    blank_is_zero: bool = True
    suggest_column_types: tuple[str, ...] = ("count", "signed")
    """Columns whose cells not read clearly get the number the form's sums give from cells read
    for sure, as a suggestion (FLAGGED; :mod:`extract.validate.suggest`); () = off."""
    max_changes: int = Field(2, ge=1, le=2)
    """Most cells one correction may change at once (the search tries 1, then 2)."""
    max_trials: int = Field(20000, ge=1)
    """Most combinations tried per search round (bounds the two-cell search on big tables)."""
    tie_margin: float = Field(2.0, ge=0)
    """Two different fixes whose candidate confidences differ by less than this are a tie: the
    values are flagged instead of one being picked."""
    empty_column_min_rows: int = Field(3, ge=1)
    """A value column of the form blank in every body row of a table with at least this many
    rows gets a table issue (printed empty, or its values lost in reading)."""
    label_legible_min_share: float = Field(0.5, ge=0, le=1)
    """A row label whose well-formed words are at most this share of its words is not legible:
    the row's values are flagged (which printed row they belong to cannot be told)."""
    declared_row_min_score: float = Field(70.0, ge=0, le=100)
    """A row of a fixed-row form (1B, 2B, 3B, 8B, 9B, 13B) is one of the rows the form declares
    when its label (folded) is at least this similar to the declared label (see
    :mod:`extract.validate.declared_rows`)."""
    declared_row_rename_below: float = Field(90.0, ge=0, le=100)
    """A row paired with a declared row whose label as read (folded) is less similar than this
    takes the declared label (and STT, where none or words were read); the label as read is kept
    in a table issue (see :func:`extract.validate.declared_rows.check_declared_rows`); 0 = off."""
    declared_row_rename_margin: float = Field(5.0, ge=0, le=100)
    """... unless its label as read is this much more similar (whole labels) to another declared
    row: it reads as that row, paired by the order alone."""
    section_label_same_min: float = Field(80.0, ge=0, le=100)
    """A row whose label (folded) is at least this similar to a section label its form fixes
    reads as that section: no row whose label was lost is named it (see
    :mod:`extract.validate.section_rows`)."""
    placeholder_communes_min: int = Field(4, ge=1)
    """A commune list naming at least this many of the district's communes (and
    ``placeholder_min_listed_share`` of them) gets a placeholder row for each commune it lacks
    (see :mod:`extract.validate.missing_rows`)."""
    placeholder_min_listed_share: float = Field(0.6, ge=0, le=1)
    """Least share of the district's communes a list must name for the others to be expected in it."""
    placeholder_max_stt_gap: int = Field(3, ge=0)
    """Most STTs missing between two numbered siblings that get placeholder rows (a wider gap is
    more likely a misread STT than rows lost); 0: none."""
    placeholder_ordered_share: float = Field(0.8, ge=0, le=1)
    """Share of a list's communes in increasing code order from which the list is printed in code
    order (a lost commune then has its place between its neighbours in the district's list)."""
    total_sums_min: int = Field(3, ge=1)
    """Columns in which a row and each section of a total rule must all have a number, every one
    of them the sections' sum, for the row's numbers to name it the form's total row (see
    :func:`extract.validate.declared_rows.total_places`)."""
    total_label_words_max: int = Field(4, ge=1)
    """A table's last row, no STT, whose label starts "Tổng" and holds at most this many words of
    letters is a total's label read garbled ("Tống,đổhg.`'' 2, 46"), named the total by its place;
    a longer one ("Tổng số hồ sơ tiếp nhận") is a row of its own."""
    column_numbers_min: int = Field(4, ge=2)
    """Cells of a body row reading their own column's number ("3" under the third column, "(5)"
    under the fifth) from which the row is the header's column-number row read as data ..."""
    column_numbers_share: float = Field(0.6, ge=0, le=1)
    """... when they are also at least this share of the row's cells (see
    :func:`extract.validate.structure.column_number_rows`)."""
    placeholder_merged_name_min: float = Field(90.0, ge=0, le=100)
    """``fuzz.partial_ratio`` of a commune's name inside a longer label from which the label names
    it (two rows read as one): no placeholder is made for that commune."""
