"""Row labels read again: a label that names nothing replaced by its cell's second reading that
names a commune, a section or an item of the form.

A seal over a table's label column garbles what it covers ("TƯ", "ẦƑ", "" for "UBND cấp xã",
"Thị trấn Cổ Lễ", "Xã Phương Định": dev_4568's 7B), so the rows name nothing: their numbers pair
with no printed row and the table reports the communes missing.  The page stage reads such a cell
once more with the seal's lighter ink painted out (:func:`extract.ocr.reader._label_seal_look`)
and keeps those readings as the cell's candidates (``LABEL_LOOK_VARIANT``).  Here, before the
rows are named, a label whose reading is like none of the names the table may print (the
district's communes where the form lists them, the form's sections and fixed items) at least
``match_min`` (rapidfuzz ratio of the folded texts: setting ``document.rows.label_look_match_min``)
takes the candidate most like one of them, when that one is at least ``match_min`` like it; a
label that does not read as words takes a candidate that does (``label_look_legible_min``,
``label_look_words_min``: a free list's item, 4B's "Lĩnh vực thư viện" read "kh").  The
row is then named from that reading as from any (commune matcher, section labels); the reason
stays on the row, so its values are flagged: the reading is a second look's, under a seal.
"""

from __future__ import annotations

from collections.abc import Sequence

from rapidfuzz import fuzz

from extract.folding import fold


def _likeness(text: str, names: Sequence[str]) -> tuple[float, str]:
    """How like ``text`` is the name most like it (0..100, folded ratio), and that name."""
    key = fold(text)
    return max(((fuzz.ratio(key, fold(n)), n) for n in names), default=(0.0, ""))


def labels_read_again(
    labels: Sequence[str],
    looks: Sequence[Sequence[str]],
    names: Sequence[str],
    *,
    match_min: float,
    legible_min: float,
    words_min: int,
) -> dict[int, tuple[str, str]]:
    """Row position -> (label, why) for each row whose label (``labels``) is like none of
    ``names`` at least ``match_min`` and one of its cell's second readings (``looks``, per row)
    is (the most like one taken); else, where the label does not read as words
    (:func:`~extract.validate.labels.reads_as_words` with ``legible_min`` and ``words_min``)
    and a second reading does, that reading (the free items of a list: 4B's "Lĩnh vực thư
    viện" read "kh" under a seal); see the module docstring."""
    from extract.validate.labels import legible_share, reads_as_words

    out: dict[int, tuple[str, str]] = {}
    for p, (label, again) in enumerate(zip(labels, looks, strict=True)):
        if not again or fold(label).startswith("tong") or (names and _likeness(label, names)[0] >= match_min):
            continue  # a total's label ("Tổng @) + q1)") is named by its place and numbers
        score, name, text = max((*_likeness(a, names), a) for a in again)
        if score >= match_min:
            out[p] = (text, f"{_AGAIN}: {text!r} (like {name!r}); first read {label!r}")
            continue
        words = [a for a in again if reads_as_words(a, legible_min, words_min)]
        if words and not reads_as_words(label, legible_min, words_min):
            text = max(words, key=lambda a: legible_share(a) or 0.0)
            out[p] = (text, f"{_AGAIN}: {text!r} (names no row the form prints); first read {label!r}")
    return out


_AGAIN = "label read again with the seal's ink painted out"
