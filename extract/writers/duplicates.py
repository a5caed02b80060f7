"""Duplicate reports: the same report (number, date, issuer) scanned into two different files.

Two files with the same bytes are one document already (the batch skips the copy).  Two *different*
scans of one report are two documents; both are kept, and every one but the most complete (most
pages; then the first by source path) gets ``duplicate_of`` = the id of that one, so that a total
over several reports does not count one report twice (``load_results(..., exclude_duplicates=True)``
leaves them out).

The report is identified by its number (case, spaces and the "Số" prefix ignored), its date and
its issuer (the district's code, else the issuer's name).  A document missing its number or date
is never anyone's duplicate: two blank numbers prove nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

_SPACES = re.compile(r"\s+")
_PREFIX = re.compile(r"^(số|so)[:.]?", re.IGNORECASE)


def report_key(row: Mapping[str, Any]) -> tuple[str, str, str] | None:
    """(number, date, issuer) of a ``documents`` row, normalised; ``None`` when incomplete."""
    number = _PREFIX.sub("", _SPACES.sub("", str(row.get("report_number") or ""))).casefold()
    date = str(row.get("date") or "")
    issuer = str(
        row.get("district_code") or _SPACES.sub(" ", str(row.get("issuer") or "")).casefold().strip()
    )
    if not number or not date or not issuer:
        return None
    return number, date, issuer


def find_duplicates(documents: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """document id -> id of the document it duplicates (the one with most pages, then the first by
    source), for ``documents`` rows."""
    first: dict[tuple[str, str, str], str] = {}
    out: dict[str, str] = {}
    for row in sorted(documents, key=lambda r: (-(r.get("pages") or 0), str(r.get("source")), str(r["id"]))):
        key = report_key(row)
        if key is None:
            continue
        original = first.setdefault(key, row["id"])
        if original != row["id"]:
            out[row["id"]] = original
    return out


def mark_duplicates(documents: list[dict[str, Any]]) -> None:
    """Set ``duplicate_of`` on every row of ``documents`` (in place)."""
    dupes = find_duplicates(documents)
    for row in documents:
        row["duplicate_of"] = dupes.get(row["id"])


__all__ = ["find_duplicates", "mark_duplicates", "report_key"]
