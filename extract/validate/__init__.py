"""Arithmetic validation: no silent errors.

Each known form declares invariants (``configs/forms/<code>.yaml``); this package evaluates them on
every row and group they apply to (:mod:`.invariants`), corrects OCR misreads from the cells' own
OCR candidates (:mod:`.correct`), gives every value a status and explains every failing rule
(:mod:`.statuses`), and lists what a person should review (:mod:`.review`).  A value is only ever
replaced by another OCR reading of the same cell; a printed report's own arithmetic errors are
reported, never rewritten.
"""

from __future__ import annotations

from .cells import Option, Reading, candidate_options, read_value
from .correct import Fix, correct
from .invariants import CellRef, Check, RuleInstance, check_table, evaluate, rule_instances
from .review import REVIEW_COLUMNS, review_queue
from .settings import ValidateSettings
from .statuses import Validated, format_number, validate_document, validate_table, validate_unknown_table

__all__ = [
    "REVIEW_COLUMNS",
    "CellRef",
    "Check",
    "Fix",
    "Option",
    "Reading",
    "RuleInstance",
    "ValidateSettings",
    "Validated",
    "candidate_options",
    "check_table",
    "correct",
    "evaluate",
    "format_number",
    "read_value",
    "review_queue",
    "rule_instances",
    "validate_document",
    "validate_table",
    "validate_unknown_table",
]
