"""The printed annex forms, as the population generator's own data (``forms.yaml`` here).

Transcribed from the seed report's printed tables, not from the reader's declarations in
``configs/forms/``: this module never imports :mod:`extract.config`'s loaders, so a column that
the reader's config lacks (or misnames) is printed by the generator and counted as missing by
the benchmark.  :class:`PrintedForm` has the attributes :class:`extract.synth.render.FormLike`
asks for, so the renderer draws it like any form.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ...errors import ConfigError

DATA = Path(__file__).with_name("forms.yaml")
NUMERIC_TYPES = frozenset({"count", "signed"})  # columns the value generator fills with numbers
BODY_KINDS = frozenset({"items", "tthc_public", "fields", "units", "finance", "iso", "staff"})


@dataclass(frozen=True)
class PrintedColumn:
    """One printed column: key (the generator's own), header path (top level first), type and
    printed column number ("(3)=(4)+(5)")."""

    key: str
    header: tuple[str, ...]
    type: str
    number: str
    position: int  # 1-based, left to right

    @property
    def header_text(self) -> str:
        return " / ".join(self.header)


@dataclass(frozen=True)
class PrintedForm:
    """A printed form: heading, subtitle, columns, row structure and arithmetic (see forms.yaml)."""

    code: str
    title: str
    label: str  # key of the label column
    columns: tuple[PrintedColumn, ...]
    body: str
    heading: str | None = None
    items: tuple[tuple[str, ...], ...] = ()
    sections: tuple[tuple[str, str, str], ...] = ()
    sums: tuple[tuple[str, tuple[str, ...]], ...] = ()
    split: tuple[str, tuple[str, ...]] | None = None
    bounds: Mapping[str, str] = field(default_factory=dict)
    sparse: frozenset[str] = frozenset()
    scale: tuple[int, int] = (1, 50)
    district_row: str = "UBND cấp huyện"
    communes_row: str = "UBND cấp xã"
    district_units: tuple[str, ...] = ()
    total_labels: tuple[str, ...] = ()
    commune_columns: tuple[str, ...] | None = None
    numbers_always: bool = False
    zeros_printed: bool = False
    index_column: str = "stt"

    def column(self, key: str) -> PrintedColumn:
        for c in self.columns:
            if c.key == key:
                return c
        raise KeyError(f"form {self.code}: no column {key!r}")

    @property
    def numeric_keys(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.columns if c.type in NUMERIC_TYPES)


def _numbers(
    columns: Sequence[tuple[str, tuple[str, ...], str, str | None]], sums: Sequence[Any]
) -> list[str]:
    """Printed column numbers: as given, else "(k)", with "=(a)+(b)" for a row-sum total."""
    pos = {key: i + 1 for i, (key, *_rest) in enumerate(columns)}
    formula = {total: "+".join(f"({pos[p]})" for p in parts) for total, parts in sums}
    out = []
    for i, (key, _header, _type, number) in enumerate(columns):
        if number:
            out.append(number)
        elif key in formula:
            out.append(f"({i + 1})={formula[key]}")
        else:
            out.append(f"({i + 1})")
    return out


def _form(raw: Mapping[str, Any]) -> PrintedForm:
    code = str(raw["code"])
    cols = []
    for entry in raw["columns"]:
        key, header, ctype, *rest = entry
        cols.append((str(key), tuple(str(h) for h in header), str(ctype), str(rest[0]) if rest else None))
    sums = tuple((str(t), tuple(str(p) for p in parts)) for t, parts in raw.get("sums", ()))
    numbers = _numbers(cols, sums)
    columns = tuple(
        PrintedColumn(key, header, ctype, number, i + 1)
        for i, ((key, header, ctype, _n), number) in enumerate(zip(cols, numbers, strict=False))
    )
    split = raw.get("split")
    low, high = raw.get("scale", (1, 50))
    form = PrintedForm(
        code=code,
        title=str(raw["title"]),
        heading=raw.get("heading"),
        label=str(raw["label"]),
        columns=columns,
        body=str(raw["body"]),
        items=tuple(tuple(str(x) for x in item) for item in raw.get("items", ())),
        sections=tuple((str(mark), str(title), str(kind)) for mark, title, kind in raw.get("sections", ())),
        sums=sums,
        split=(str(split[0]), tuple(str(p) for p in split[1])) if split else None,
        bounds={str(k): str(v) for k, v in (raw.get("bounds") or {}).items()},
        sparse=frozenset(str(k) for k in raw.get("sparse", ())),
        scale=(int(low), int(high)),
        district_row=str(raw.get("district_row", "UBND cấp huyện")),
        communes_row=str(raw.get("communes_row", "UBND cấp xã")),
        district_units=tuple(raw.get("district_units", ())),
        total_labels=tuple(raw.get("total_labels", ())),
        commune_columns=tuple(raw["commune_columns"]) if raw.get("commune_columns") else None,
        numbers_always=bool(raw.get("numbers_always", False)),
        zeros_printed=bool(raw.get("zeros_printed", False)),
    )
    _check(form)
    return form


def _check(form: PrintedForm) -> None:
    keys = [c.key for c in form.columns]
    if len(set(keys)) != len(keys):
        raise ConfigError(f"{DATA.name}: form {form.code}: duplicate column keys")
    if form.body not in BODY_KINDS:
        raise ConfigError(f"{DATA.name}: form {form.code}: unknown body {form.body!r}")
    named = [form.label, *form.bounds, *form.bounds.values(), *form.sparse]
    for total, parts in form.sums:
        named += [total, *parts]
    if form.split:
        named += [form.split[0], *form.split[1]]
    named += list(form.commune_columns or ())
    unknown = sorted({k for k in named if k not in keys})
    if unknown:
        raise ConfigError(f"{DATA.name}: form {form.code}: unknown columns {unknown}")


@dataclass(frozen=True)
class PrintedForms:
    forms: tuple[PrintedForm, ...]
    district_fields: tuple[str, ...]
    commune_fields: tuple[str, ...]

    def form(self, code: str) -> PrintedForm:
        for f in self.forms:
            if f.code == code:
                return f
        raise KeyError(code)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(f.code for f in self.forms)


@functools.lru_cache(maxsize=2)
def printed_forms(path: str | Path = DATA) -> PrintedForms:
    """The printed forms of ``forms.yaml`` (cached)."""
    try:
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        return PrintedForms(
            tuple(_form(f) for f in raw["forms"]),
            tuple(str(x) for x in raw["district_fields"]),
            tuple(str(x) for x in raw["commune_fields"]),
        )
    except (OSError, yaml.YAMLError, KeyError, TypeError, ValueError) as exc:
        raise ConfigError(f"{path}: cannot read the printed forms: {exc}") from exc
