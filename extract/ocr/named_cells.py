"""Text cells whose marks need no choosing: the plain reading already names a row, or has no
letter a mark could change.

A text cell is read with tesseract's other choices per symbol (``lstm_choice_mode`` 2) and its
words' marks chosen among them (``extract/ocr/marks.py``, :func:`~.cell_marks.keep_names`).  The
walk over every symbol's choices is the part of a label cell's reading that 30a5cfa did not pay.
It can change nothing where

- the reading has no letter that takes a mark (``a e i o u y d``, marks stripped): digits, codes
  ("3/125", "0", "H"), since the choices keep the letters and change only their marks; the same
  reading, exactly;
- the reading, sure enough, *is* a name the forms declare or the gazetteer lists, with its
  diacritics: a commune ("Xã Nặm Ét"), a form's item label ("Cấp xã"), a section label ("UBND cấp
  huyện"), a column heading part ("Tổng số").  The row it names is the same either way; the walk
  could only move a mark of a proper name to a more frequent word ("Nặm Ét" → "Năm Et").

Which names: :func:`declared_names` (built once a process from the forms and the gazetteer's
snapshot).
"""

from __future__ import annotations

import functools

from .marks import skeleton

_MARKABLE = frozenset("aeiouyd")  # the letters (marks stripped, "đ" as "d") a mark can sit on


def markable(text: str) -> bool:
    """Whether ``text`` holds a letter whose marks the recogniser's choices could change."""
    return not _MARKABLE.isdisjoint(skeleton(text))


@functools.cache
def declared_names() -> frozenset[str]:
    """Every name a text cell may print exactly: the forms' row labels, sections (their labels and
    rows) and column heading parts, and the gazetteer snapshot's communes (:func:`_commune_names`)."""
    from ..config import load_forms

    names: set[str] = set(_commune_names())
    for form in load_forms():
        names.update(row["label"] for row in form.rows if "label" in row)
        for section in form.sections:
            names.add(section.label)
            names.update(section.rows)
        for column in form.columns:
            names.update(column.header)
    return frozenset(n for n in names if n)


def _commune_names() -> frozenset[str]:
    """The snapshot's communes, full and short names ("Xã Nặm Ét", "Nặm Ét"), cached on disk beside
    the snapshot (loading the snapshot itself costs ~0.05 s a process, the names ~0.005 s); the
    file is named by the snapshot's (the package's release) and this module's source."""
    from ..understand.gazetteer_cache import cache_file, keyed_cache_file, load_or_build_at

    snapshot_file = cache_file()
    cache = None if snapshot_file is None else keyed_cache_file("cell-names", snapshot_file.stem, (__file__,))
    return load_or_build_at(cache, _build_commune_names, frozenset)


def _build_commune_names() -> frozenset[str]:
    from ..understand.gazetteer import snapshot

    return frozenset(n for c in snapshot().communes.values() for n in (c.name, c.short) if n)


def marks_unneeded(text: str, confidence: float, named_min_confidence: float) -> bool:
    """A plain reading ``text`` read at ``confidence`` that keeps its marks as read: no markable
    letter, or a declared name read at least ``named_min_confidence`` sure (101: never by name)."""
    if not markable(text):
        return True
    return confidence >= named_min_confidence and text in declared_names()
