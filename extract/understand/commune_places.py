"""Communes of rows whose label is unreadable, from their place in a list printed in code order.

A seal, a signature or a worn patch over a commune list garbles labels ("ảng .", "Là", "",
"X#*Minh Hòa" beside a lost one): the row is there, with its STT and its numbers, but names no
commune, so its numbers belong to nobody and the commune is reported missing.  Reports list a
district's communes in the order of their official codes.  Where a list does (every commune
matched in it stands in increasing code order, at least ``anchors_min`` of them: setting
``document.rows.place_anchors_min``), the
rows between two matched communes that matched none are exactly as many as the district's
communes not listed whose codes lie between those two, and no such row names two communes, each
row is given the commune of its place, in order.  The evidence is the list's order, not the
label: its values are flagged with the reason, which keeps the label as read.  The row is named
as its place says (:func:`extract.understand.rows.classify_rows` gives it the commune's official
name as its label): a garble such as "87" or "4118" names nothing a user, a join or the review
queue could find, and a form that lists every commune twice (3B, under "2.2" and "3.2") has no
unique code to find the row by either.

After the list's last matched commune the run may end in rows without an STT of their own (a
total whose label a seal garbled, hung under the last row of the list: dev 394's 6B, "9" read
for "Tổng số = (I) + (II)"): where the numbered rows alone are as many as the communes left,
they are the ones given them, and the rows after them none.  Where the seal took the STT column
too (dev 1138's 7B p15, the table's last three communes and its total at the top of a page, no
STT read), the rows after the last matched commune that end the table, none of them numbered,
are one more than the communes left: the last is the total (named by its place,
:func:`extract.validate.declared_rows.lost_total`), the others get the communes, in order.

A list that has a row for every commune of its district (its rows as many as the district's
communes) settles its order with fewer matched communes (``whole_anchors_min``: setting
``document.rows.place_anchors_min_whole``): only its rows' order is then in question, not
which communes it lists.
"""

from __future__ import annotations

from collections.abc import Sequence

from extract.model import Commune, CommuneMatch
from extract.understand.communes import DistrictCommunes


def communes_by_place(
    groups: Sequence[str | None],
    labels: Sequence[str],
    matches: Sequence[CommuneMatch | None],
    communes: DistrictCommunes,
    *,
    merged: Sequence[bool],
    anchors_min: int,
    numbered: Sequence[bool] | None = None,
    whole_anchors_min: int | None = None,
    ordinals: Sequence[int | None] | None = None,
) -> dict[int, tuple[CommuneMatch, str]]:
    """Row position -> (commune of its place, why) for the rows of each list (rows sharing a
    ``groups`` parent; None: no list row) that matched no commune (see the module docstring).
    ``merged``: rows whose label names two communes (never given one); ``anchors_min``: communes
    matched in a list, in increasing code order, from which it counts as printed in code order;
    ``numbered``: rows that print an STT of their own (None: every row); ``whole_anchors_min``:
    the matched communes enough in a list with a row for every commune of the district (None:
    ``anchors_min``); ``ordinals``: the number each row's STT reads (None: not a number), which
    lets the rows right above the list's first matched commune take the communes before it
    (:func:`_head_of_list`)."""
    by_group: dict[str, list[int]] = {}
    for i, g in enumerate(groups):
        if g is not None:
            by_group.setdefault(g, []).append(i)
    out: dict[int, tuple[CommuneMatch, str]] = {}
    for members in by_group.values():
        anchors = [(k, int(m.commune.code)) for k, i in enumerate(members) if (m := matches[i]) is not None]
        codes = [code for _k, code in anchors]
        if not anchors or any(a >= b for a, b in zip(codes, codes[1:], strict=False)):
            continue
        absent = sorted(
            (c for c in communes.communes if int(c.code) not in set(codes)), key=lambda c: int(c.code)
        )
        if numbered is not None and members[-1] == len(labels) - 1:
            members = _without_unread_total(members, anchors[-1][0], absent, codes[-1], numbered)
        need = anchors_min
        if whole_anchors_min is not None and len(members) == len(communes.communes):
            need = min(anchors_min, whole_anchors_min)
        if len(anchors) < need:
            continue
        bounds = [(-1, -1), *anchors, (len(members), 10**9)]
        for (k0, lo), (k1, hi) in zip(bounds, bounds[1:], strict=False):
            run = members[k0 + 1 : k1]
            places = [c for c in absent if lo < int(c.code) < hi]
            if k1 == len(members) and numbered is not None and len(places) < len(run):
                run = _without_trailing_unnumbered(run, numbered)
            if k0 == -1 and ordinals is not None and 0 < len(places) < len(run):
                run = _head_of_list(run, len(places), ordinals[members[k1]])
            if not run or len(places) != len(run) or any(merged[i] for i in run):
                continue
            before = matches[members[k0]] if k0 >= 0 else None
            after = matches[members[k1]] if k1 < len(members) else None
            around = _around(before, after)
            for i, c in zip(run, places, strict=True):
                out[i] = (
                    CommuneMatch(c, 0.0, 0.0),
                    f"commune {c.name} given by the row's place in the list ({around}; "
                    f"the list is in code order), its label read {labels[i]!r} names none",
                )
    return out


def _without_unread_total(
    members: list[int], last_anchor: int, absent: Sequence[Commune], last_code: int, numbered: Sequence[bool]
) -> list[int]:
    """``members`` without its last row where that row ends the table after the list's last
    matched commune (position ``last_anchor`` in ``members``, code ``last_code``) and the rows
    after that commune, none of them numbered, are one more than the ``absent`` communes left:
    the last is the table's total, its STT and label lost with the others'."""
    after = members[last_anchor + 1 :]
    left = [c for c in absent if int(c.code) > last_code]
    if after and len(after) == len(left) + 1 and not any(numbered[i] for i in after):
        return members[:-1]
    return members


def _head_of_list(run: list[int], count: int, first_ordinal: int | None) -> list[int]:
    """The last ``count`` rows of ``run`` (the rows above a list's first matched commune) where
    that commune's STT says ``count`` rows of its list stand above it (it reads ``count + 1``):
    the rows further up are the section's own (its heading, the items of the section above, read
    as garble too where the seal covers them: dev_4568's 7B, "“ñT", "HÀ | TƯ" above "Lạ | ẦƑ",
    "1 | " and "3 Xã Trực Chính").  Empty where the STT does not say so: the list may start
    with the matched commune (the district's first communes not listed at all)."""
    if first_ordinal != count + 1:
        return []
    return run[-count:]


def _without_trailing_unnumbered(run: list[int], numbered: Sequence[bool]) -> list[int]:
    """The rows of ``run`` up to its last numbered one: the rows after it, without an STT of
    their own, end the list (a total whose label was garbled) rather than stand in it."""
    last = max((k for k, i in enumerate(run) if numbered[i]), default=-1)
    return run[: last + 1]


def _around(before: CommuneMatch | None, after: CommuneMatch | None) -> str:
    """Where a run of rows stands: "between A and B", "after A", "before B"."""
    if before is not None and after is not None:
        return f"between {before.commune.name} and {after.commune.name}"
    if before is not None:
        return f"after {before.commune.name}"
    return f"before {after.commune.name}" if after is not None else "in the list"
