"""Corrections survive re-runs and exports: the glue between the ``corrections`` table and the writers.

:class:`Reviews` is what the batch holds (:func:`extract.batch.run_batch`): it reads the
corrections from the results database among the batch's writers, lays them over every document
before it is written (:meth:`Reviews.apply`), gives the file writers a store whose documents carry
them and whose fingerprint changes with them (:class:`CorrectedStore`), brings the per-document
file outputs (JSON) of corrected documents up to date (:meth:`Reviews.refresh`), and reports every
correction whose cell no longer exists (:meth:`Reviews.report_orphans`) -- it is kept in the
table, never dropped.  The review app's export uses the same pieces.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from sqlalchemy import Engine, inspect, select
from sqlalchemy.exc import SQLAlchemyError

from ..config import FormSpec, load_config
from ..model import DocumentResult
from ..validate import ValidateSettings
from ..writers import ResultStore, Row, Writer
from ..writers.schema import TABLES_BY_NAME
from . import corrections as cx
from .apply import apply_corrections

log = logging.getLogger(__name__)


def values_table() -> Any:
    """The long table of the outputs, by whichever name the schema gives it."""
    return TABLES_BY_NAME.get("cell_values", TABLES_BY_NAME.get("values"))


def load_rules(config_dir: str | None) -> tuple[dict[str, FormSpec], ValidateSettings]:
    """The forms (by code) and the validation settings re-validation runs with."""
    config = load_config(config_dir)
    return {f.code: f for f in config.form_specs}, config.validate


def orphan_message(c: cx.Correction) -> str:
    return (
        f"correction #{c.id} by {c.reviewer} ({c.created_at}, {c.action.value}"
        + (f" {c.new_value!r}" if c.new_value is not None else "")
        + f") of document {c.document_id}, table {c.table_index}, row {c.row_key!r}, column {c.column_key!r}:"
        " the cell no longer exists in the results; the correction is kept, not applied"
    )


def find_orphans(engine: Engine, corrections: Sequence[cx.Correction]) -> list[cx.Correction]:
    """Effective corrections whose cell is not in the outputs' long table."""
    current = list(cx.effective(corrections).values())
    if not current:
        return []
    values = values_table()
    keys = (values.c.document_id, values.c.table_index, values.c.row_key, values.c.column_key)
    found: set[tuple[Any, ...]] = set()
    with engine.connect() as conn:
        for doc_id in {c.document_id for c in current}:
            rows = conn.execute(select(*keys).where(values.c.document_id == doc_id))
            found.update(tuple(r) for r in rows)
    return [c for c in current if c.cell not in found]


class CorrectedStore:
    """A :class:`~extract.writers.ResultStore` whose documents carry the corrections."""

    def __init__(self, store: ResultStore, reviews: Reviews) -> None:
        self.store = store
        self.reviews = reviews

    def document_ids(self) -> list[str]:
        return self.store.document_ids()

    def load_document(self, document_id: str) -> DocumentResult:
        return self.reviews.apply(self.store.load_document(document_id))

    def documents(self) -> Iterator[DocumentResult]:
        for doc in self.store.documents():
            yield self.reviews.apply(doc)

    def manifest_rows(self) -> list[Row]:
        return self.store.manifest_rows()

    def fingerprint(self) -> str:
        base = self.store.fingerprint()
        return f"{base}-r{cx.digest(self.reviews.corrections)}" if self.reviews.corrections else base


class Reviews:
    """The corrections of a results database, applied to what the batch writes (see module doc)."""

    def __init__(
        self,
        engine: Engine | None,
        target: str | None,
        config_dir: str | None,
        corrections: Sequence[cx.Correction] = (),
    ) -> None:
        self.engine = engine
        self.target = target  # the writer target of the database holding the corrections
        self.config_dir = config_dir
        self.corrections = list(corrections)
        self._by_doc: dict[str, list[cx.Correction]] = {}
        for c in self.corrections:
            self._by_doc.setdefault(c.document_id, []).append(c)
        self._rules: tuple[Mapping[str, FormSpec], ValidateSettings] | None = None
        self.applied: set[str] = set()  # documents written with their corrections in this run
        self.orphans: dict[int, cx.Correction] = {}

    @classmethod
    def for_writers(cls, writers: Sequence[Writer], config_dir: str | None) -> Reviews:
        """The corrections of the first database among ``writers`` (none when there is none, or
        when it has no ``corrections`` table yet)."""
        for w in writers:
            engine = getattr(w, "engine", None)
            if isinstance(engine, Engine):
                try:
                    if not inspect(engine).has_table(cx.CORRECTIONS.name):
                        return cls(engine, w.target, config_dir)
                    with engine.connect() as conn:
                        return cls(engine, w.target, config_dir, cx.load(conn))
                except SQLAlchemyError as exc:
                    log.warning("%s: cannot read the corrections: %s", w.target, exc)
                    return cls(None, None, config_dir)
        return cls(None, None, config_dir)

    def rules(self) -> tuple[Mapping[str, FormSpec], ValidateSettings]:
        if self._rules is None:
            self._rules = load_rules(self.config_dir)
        return self._rules

    def documents_with_corrections(self) -> list[str]:
        return sorted(self._by_doc)

    def apply(self, doc: DocumentResult) -> DocumentResult:
        """``doc`` with its corrections (a copy when it has any); orphans are remembered."""
        mine = self._by_doc.get(doc.document_id)
        if not mine:
            return doc
        forms, settings = self.rules()
        try:
            applied = apply_corrections(doc, mine, forms, settings)
        except cx.ReviewError as exc:
            log.warning("%s: corrections not applied: %s", doc.source, exc)
            return doc
        self.applied.add(doc.document_id)
        for c in applied.orphans:
            self.orphans[c.id] = c
        return applied.document

    def store(self, store: ResultStore) -> ResultStore:
        """``store`` for the batch writers: corrected documents, a fingerprint that follows them."""
        return CorrectedStore(store, self) if self.corrections else store

    def refresh(self, store: ResultStore, writers: Sequence[Writer], manifest_rows: Any) -> int:
        """Write every corrected document not written in this run to the per-document outputs
        other than the corrections' own database (that one the review app keeps up to date).
        ``manifest_rows(document_id)`` gives a document's manifest rows.  Returns how many."""
        others = [w for w in writers if w.per_document and w.target != self.target]
        if not others:
            return 0
        known = set(store.document_ids())
        n = 0
        for doc_id in self.documents_with_corrections():
            if doc_id in self.applied or doc_id not in known:
                continue
            doc = self.apply(store.load_document(doc_id))
            for w in others:
                w.write_document(doc, manifest_rows(doc_id))
            n += 1
        return n

    def report_orphans(self) -> list[str]:
        """Log one warning per correction whose cell no longer exists; returns the messages."""
        orphans = dict(self.orphans)
        if self.engine is not None and self.corrections:
            try:
                for c in find_orphans(self.engine, self.corrections):
                    orphans.setdefault(c.id, c)
            except SQLAlchemyError as exc:
                log.warning("cannot check the corrections against the results: %s", exc)
        messages = [orphan_message(c) for _id, c in sorted(orphans.items())]
        for m in messages:
            log.warning("%s", m)
        return messages


__all__ = ["CorrectedStore", "Reviews", "find_orphans", "load_rules", "orphan_message", "values_table"]
