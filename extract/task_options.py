"""What the command line sets for every page task, typed and checked once.

:class:`TaskOptions` is built by the CLI from its options (``--dpi``), checked when it is built
(type and range, one line naming the option), and carried unchanged by every page task
(:class:`extract.page.PageTask`) to the workers.  An option stands for a setting of
``configs/pipeline.yaml`` (``--dpi`` for ``page.dpi``) and is held to that setting's own
constraints, read from the setting's model: the ranges live in one place.  ``None`` leaves the
setting as the configs say.
"""

from __future__ import annotations

import dataclasses
import importlib
from typing import Any

from pydantic import BaseModel, ValidationError, create_model

from .config import SECTIONS
from .errors import OptionError


def _option(option: str, setting: str) -> dict[str, str]:
    """Field metadata: the command-line option that sets the field and the setting it stands for."""
    return {"option": option, "setting": setting}


@dataclasses.dataclass(frozen=True)
class TaskOptions:
    """Options of every page task (``None``: the setting of the configs folder)."""

    dpi: float | None = dataclasses.field(default=None, metadata=_option("--dpi", "page.dpi"))
    """Render resolution of PDF pages (a scanned page of lower resolution keeps its own)."""

    def __post_init__(self) -> None:
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if value is not None:  # the checked value: an int given for a float is stored as one
                object.__setattr__(self, f.name, _check(value, f.metadata["option"], f.metadata["setting"]))


def _check(value: Any, option: str, setting: str) -> Any:
    """``value`` as ``setting`` takes it; :class:`OptionError` (``"--dpi: Input should be greater
    than 0 (got -5.0)"``) when ``value`` is not what ``setting`` accepts: its type (strictly: no
    strings, no booleans) and its range."""
    section, name = setting.split(".")
    module, model_name = SECTIONS[section].split(":")  # the section's settings model
    model: type[BaseModel] = getattr(importlib.import_module(module), model_name)
    field = model.model_fields[name]  # its type and constraints (gt, le, ...)
    assert field.annotation is not None  # every settings field is annotated
    option_model = create_model("Option", value=(field.annotation, field))
    try:
        return dict(option_model.model_validate({"value": value}, strict=True))["value"]
    except ValidationError as exc:
        problem = "; ".join(err["msg"] for err in exc.errors())
        raise OptionError(f"{option}: {problem} (got {value!r})") from exc


__all__ = ["TaskOptions"]
