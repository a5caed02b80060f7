"""One way to flag a value for a reason: a value flagged already keeps its reasons, the new one
put first (once)."""

from __future__ import annotations

from dataclasses import replace

from extract.model import Value, ValueStatus


def add_flag(value: Value, reason: str) -> Value:
    """``value`` FLAGGED with ``reason`` (before any reason it was flagged for already)."""
    if value.status == ValueStatus.FLAGGED and value.flag_reason:
        if reason in value.flag_reason:
            return value
        return replace(value, flag_reason=f"{reason}; {value.flag_reason}")
    return replace(value, status=ValueStatus.FLAGGED, rule=None, flag_reason=reason)
