"""The serif fonts the generator prints with: the families with full Vietnamese, the one a
rendering draws with (:func:`using_family`), and fonts by style and pixel size."""

from __future__ import annotations

import contextvars
import functools
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Literal

from PIL import ImageFont

from ..errors import MissingDependencyError

LINE_SPACING = 1.0  # multiple of the font's ascent + descent
TITLE_PT = 14.0  # the report's title, and a form's heading printed instead of its code

#: serif families in order of preference: (name, folder, files for regular/bold/italic/bold_italic).
#: Liberation Serif 1.x (Debian fonts-liberation) lacks most Vietnamese letters, so it is used only
#: when it covers :data:`VIETNAMESE_LETTERS`; Liberation Serif 2 is Debian fonts-liberation2.
FONT_FAMILIES: tuple[tuple[str, str, tuple[str, str, str, str]], ...] = (
    (
        "Liberation Serif 2",
        "/usr/share/fonts/truetype/liberation2",
        (
            "LiberationSerif-Regular.ttf",
            "LiberationSerif-Bold.ttf",
            "LiberationSerif-Italic.ttf",
            "LiberationSerif-BoldItalic.ttf",
        ),
    ),
    (
        "Liberation Serif",
        "/usr/share/fonts/truetype/liberation",
        (
            "LiberationSerif-Regular.ttf",
            "LiberationSerif-Bold.ttf",
            "LiberationSerif-Italic.ttf",
            "LiberationSerif-BoldItalic.ttf",
        ),
    ),
    (
        "DejaVu Serif",
        "/usr/share/fonts/truetype/dejavu",
        ("DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf", "DejaVuSerif-Italic.ttf", "DejaVuSerif-BoldItalic.ttf"),
    ),
    (
        "DejaVu Serif Condensed",
        "/usr/share/fonts/truetype/dejavu",
        (
            "DejaVuSerifCondensed.ttf",
            "DejaVuSerifCondensed-Bold.ttf",
            "DejaVuSerifCondensed-Italic.ttf",
            "DejaVuSerifCondensed-BoldItalic.ttf",
        ),
    ),
    (
        "Noto Serif",
        "/usr/share/fonts/truetype/noto",
        ("NotoSerif-Regular.ttf", "NotoSerif-Bold.ttf", "NotoSerif-Italic.ttf", "NotoSerif-BoldItalic.ttf"),
    ),
)
#: the serif families with full Vietnamese that the population generator draws from (Debian
#: fonts-liberation2, fonts-dejavu-core + fonts-dejavu-extra, fonts-noto-core)
VIETNAMESE_SERIF_FAMILIES = ("Liberation Serif 2", "DejaVu Serif", "DejaVu Serif Condensed", "Noto Serif")
VIETNAMESE_LETTERS = (
    "ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹĂÂĐÊÔƠƯẠẢẤẦẨẪẬẮẰẲẴẶẸẺẼẾỀỂỄỆỈỊỌỎỐỒỔỖỘỚỜỞỠỢỤỦỨỪỬỮỰỲỴỶỸ"
)
_STYLES = ("regular", "bold", "italic", "bold_italic")

Style = Literal["regular", "bold", "italic", "bold_italic"]


def _covers(path: Path, letters: str) -> bool:
    """Whether the font file draws every one of ``letters`` with its own glyph (not .notdef)."""
    fnt = ImageFont.truetype(str(path), 40)
    notdef = bytes(fnt.getmask("\uffff"))
    return all(bytes(fnt.getmask(ch)) != notdef for ch in letters)


@functools.cache
def family_paths(name: str) -> dict[str, Path] | None:
    """The four style files of family ``name`` of :data:`FONT_FAMILIES`, or None when it is not
    installed with all four styles drawing every Vietnamese letter."""
    for fam, folder, files in FONT_FAMILIES:
        if fam != name:
            continue
        paths = {style: Path(folder, f) for style, f in zip(_STYLES, files, strict=False)}
        if all(p.is_file() for p in paths.values()) and all(
            _covers(p, VIETNAMESE_LETTERS) for p in paths.values()
        ):
            return paths
        return None
    raise KeyError(f"unknown font family {name!r}; known: {[f[0] for f in FONT_FAMILIES]}")


@functools.lru_cache(maxsize=1)
def font_family() -> tuple[str, dict[str, Path]]:
    """The first family of :data:`FONT_FAMILIES` installed with all four styles and Vietnamese letters."""
    for name, _folder, _files in FONT_FAMILIES:
        paths = family_paths(name)
        if paths is not None:
            return name, paths
    raise MissingDependencyError(
        "no serif font with Vietnamese letters found: install Liberation Serif 2 "
        "(Debian/Ubuntu: apt-get install fonts-liberation2) or DejaVu Serif (fonts-dejavu)"
    )


#: the family the current :func:`render_document` call draws with ("" for :func:`font_family`)
_FAMILY: contextvars.ContextVar[str] = contextvars.ContextVar("synth_font_family", default="")


@contextmanager
def using_family(name: str | None) -> Iterator[str]:
    """Draw with family ``name`` (None or "": the default of :func:`font_family`) inside the block."""
    if name and family_paths(name) is None:
        raise MissingDependencyError(
            f"font family {name!r} is not installed with Vietnamese letters "
            "(Debian: apt-get install fonts-liberation2 fonts-dejavu-core fonts-dejavu-extra fonts-noto-core)"
        )
    token = _FAMILY.set(name or "")
    try:
        yield name or font_family()[0]
    finally:
        _FAMILY.reset(token)


@functools.lru_cache(maxsize=256)
def _font(family: str, style: Style, size_px: int) -> ImageFont.FreeTypeFont:
    paths = family_paths(family) if family else font_family()[1]
    assert paths is not None
    return ImageFont.truetype(str(paths[style]), size_px)


def font(style: Style, size_px: int, family: str | None = None) -> ImageFont.FreeTypeFont:
    """A serif font in ``style`` at ``size_px`` pixels per em: ``family``, else the family of the
    enclosing :func:`using_family`, else :func:`font_family`'s."""
    return _font(_FAMILY.get() if family is None else family, style, size_px)


def line_height(fnt: ImageFont.FreeTypeFont) -> int:
    """Distance between baselines of consecutive lines, in pixels."""
    ascent, descent = fnt.getmetrics()
    return round((ascent + descent) * LINE_SPACING)


def current_family() -> str:
    """The family the enclosing :func:`using_family` draws with ("" for :func:`font_family`'s)."""
    return _FAMILY.get()
