"""Which district a report is about, from all the evidence: the names printed in its text and the
communes printed in its tables.

The subtitle ("Ủy ban nhân dân huyện Kế Sách") usually names the district, but it can be
missing, unreadable on a worn scan, or shared by two provinces ("huyện Tam Nông": Phú Thọ and
Đồng Tháp).  The commune rows of the tables ("Thị trấn Hưng Hóa", "Xã Hiền Quan", …) then say
which district it is: the one whose communes they are.  :func:`choose_district` weighs both:

- the district(s) the text names are tried first; the country-wide commune names propose others
  (:meth:`~extract.understand.gazetteer.Gazetteer.districts_named_by`);
- each district tried counts the distinct communes its matcher finds among the labels;
- a single named district stands unless another district explains clearly more labels
  (at least ``district_min_communes`` and ``district_min_share`` of them, and twice as many);
- several named districts, or none: the one explaining the most labels wins when it explains
  at least ``district_min_communes`` and ``district_min_share`` of them with a lead over the
  runner-up;
- several named districts (a name a huyện and a thị xã share: "thị xã Duyên Hải" finds Huyện
  Duyên Hải too), where that fails: the named one explaining the most labels wins when it
  explains at least ``district_min_communes``, more than any other named and no fewer than any
  district the communes proposed -- the text has narrowed the choice, so the share of all the
  (often garbled) labels is not asked (dev_200_hard_200: 4 of 12 labels, the other named 0:
  before, no district, and every commune row of the report unmatched);
- otherwise the district stays unknown.

The choice is returned with its evidence, in words, for the outputs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .admin_units import DistrictRef
from .communes import DistrictCommunes, MatchSettings
from .gazetteer import Gazetteer


@dataclass(frozen=True)
class DistrictChoice:
    """The district decided (None: unknown), its communes ready for matching, and why."""

    district: DistrictRef | None
    communes: DistrictCommunes | None
    evidence: str


def _explained(communes: DistrictCommunes, labels: Sequence[str]) -> int:
    """Distinct communes of the district that ``labels`` name."""
    return len({m.commune.code for m in communes.assign(labels) if m is not None})


def _name(d: DistrictRef) -> str:
    return f"{d.name}, {d.province} ({d.code})"


def choose_district(
    named: Sequence[DistrictRef],
    labels: Sequence[str],
    gazetteer: Gazetteer,
    year: int | None,
    settings: MatchSettings,
) -> DistrictChoice:
    """Decide the report's district from the districts the text ``named`` and the commune-like
    row ``labels`` of its tables (see the module doc)."""
    labels = list(dict.fromkeys(label for label in labels if label.strip()))
    tried: dict[str, DistrictCommunes] = {}

    def communes_of(code: str) -> DistrictCommunes | None:
        if code not in tried:
            try:
                tried[code] = gazetteer.communes(code, year, settings)
            except KeyError:
                return None
        return tried[code]

    named_text = "; ".join(_name(d) for d in named) or "none"
    if len(named) == 1 and not labels:
        d = named[0]
        return DistrictChoice(d, communes_of(d.code), f"named in the text: {_name(d)}")
    if not labels:
        why = "named in the text: " + named_text + ("; no commune rows to decide" if named else "")
        return DistrictChoice(None, None, why)

    need = max(settings.district_min_communes, settings.district_min_share * len(labels))
    if len(named) == 1 and (own := communes_of(named[0].code)) is not None:
        own_count = _explained(own, labels)
        if own_count >= need:  # the text and the tables agree: nothing to search
            evidence = (
                f"named in the text: {_name(named[0])}; "
                f"{own_count} of {len(labels)} commune labels are its communes"
            )
            return DistrictChoice(named[0], own, evidence)

    votes = gazetteer.districts_named_by(labels, year, settings.district_search_score)
    proposed = sorted(votes, key=lambda code: (-votes[code], code))[: settings.district_search_limit]
    counts: dict[str, int] = {}
    for code in dict.fromkeys([*(d.code for d in named), *proposed]):
        dc = communes_of(code)
        if dc is not None:
            counts[code] = _explained(dc, labels)
    ranked = sorted(counts, key=lambda code: (-counts[code], code))

    def described(code: str) -> str:
        dc = tried[code]
        return f"{counts[code]} of {len(labels)} commune labels are communes of {_name(dc.district)}"

    best = ranked[0] if ranked else None
    runner = counts[ranked[1]] if len(ranked) > 1 else 0
    if len(named) == 1:
        in_text = named[0]
        own_count = counts.get(in_text.code, 0)
        if (
            best is not None
            and best != in_text.code
            and counts[best] >= need
            and counts[best] >= 2 * max(own_count, 1)
        ):
            dc = tried[best]
            evidence = f"the text names {_name(in_text)} but {described(best)} (only {own_count} of it)"
            return DistrictChoice(dc.district, dc, evidence)
        evidence = (
            f"named in the text: {_name(in_text)}; "
            f"{own_count} of {len(labels)} commune labels are its communes"
        )
        return DistrictChoice(in_text, communes_of(in_text.code), evidence)

    if best is not None and counts[best] >= need and counts[best] > runner:
        dc = tried[best]
        others = ", ".join(f"{_name(tried[c].district)}: {counts[c]}" for c in ranked[1:3])
        lead = f"; runner-up {others}" if others else ""
        if named:
            evidence = f"the text names {len(named)} districts ({named_text}); {described(best)}{lead}"
        else:
            evidence = f"no district named in the text; {described(best)}{lead}"
        return DistrictChoice(dc.district, dc, evidence)
    if len(named) > 1:  # the text narrowed it to a few (a name shared by a huyện and a thị xã)
        top, *rest = sorted((d.code for d in named), key=lambda code: (-counts.get(code, 0), code))
        second = max((counts.get(code, 0) for code in rest), default=0)
        if (
            counts.get(top, 0) >= settings.district_min_communes
            and counts[top] > second
            and best is not None
            and counts[top] >= counts[best]
        ):
            dc = tried[top]
            evidence = (
                f"the text names {len(named)} districts ({named_text}); {described(top)}, "
                f"at most {second} of the other named"
            )
            return DistrictChoice(dc.district, dc, evidence)
    tried_text = ", ".join(f"{_name(tried[c].district)}: {counts[c]}" for c in ranked[:3]) or "none"
    evidence = (
        f"undecided: the text names {named_text}; communes explained of {len(labels)} labels: {tried_text}"
    )
    return DistrictChoice(None, None, evidence)


__all__ = ["DistrictChoice", "choose_district"]
