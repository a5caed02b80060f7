"""Whether a value was checked against the other columns of its own row.

The rules down a column ("II = sum of communes", "Tổng số = (I) + (II)", "I, II = sum of fields")
hold for any column and under any parent alike; a ``row_sum`` or ``ratio`` rule of the form checks
a value against the columns beside it in its own row, so its number and its place among them.
"""

from __future__ import annotations

from extract.config import FormSpec
from extract.model import Value, ValueStatus

from .invariants import ROW_RULE_KINDS


def checked_across_row(value: Value, form: FormSpec) -> bool:
    """Whether a rule across the row (a ``row_sum`` or ``ratio`` of ``form``) bore ``value`` out."""
    if value.status not in (ValueStatus.VERIFIED, ValueStatus.CORRECTED):
        return False
    row_rules = {inv.name for inv in form.invariants if inv.kind in ROW_RULE_KINDS}
    return any(name.strip() in row_rules for name in (value.rule or "").split(";"))
