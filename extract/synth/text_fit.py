"""Fitting text into a width: greedy word wrap (long tokens broken after ``=+/-;,@._``) and a
balanced wrap for titles."""

from __future__ import annotations

from PIL import ImageFont

_BREAK_AFTER = "=+/-;,@._"


def _break_token(token: str, fnt: ImageFont.FreeTypeFont, width: float) -> list[str]:
    """Split a token wider than ``width`` px, preferring breaks after ``=+/-;,@._``."""
    parts: list[str] = []
    rest = token
    while rest and fnt.getlength(rest) > width:
        cut = 1
        for i in range(1, len(rest) + 1):
            if fnt.getlength(rest[:i]) > width:
                break
            cut = i
        soft = max((i + 1 for i in range(cut) if rest[i] in _BREAK_AFTER and i + 1 < len(rest)), default=0)
        if soft and soft <= cut:
            cut = soft
        parts.append(rest[:cut])
        rest = rest[cut:]
    if rest:
        parts.append(rest)
    return parts


def wrap_text(text: str, fnt: ImageFont.FreeTypeFont, width: float) -> list[str]:
    """Greedy word wrap of ``text`` into lines no wider than ``width`` pixels (hard breaks at "\\n")."""
    lines: list[str] = []
    for para in str(text).split("\n"):
        words: list[str] = []
        for w in para.split():
            words.extend(_break_token(w, fnt, width) if fnt.getlength(w) > width else [w])
        current = ""
        for w in words:
            trial = f"{current} {w}" if current else w
            if current and fnt.getlength(trial) > width:
                lines.append(current)
                current = w
            else:
                current = trial
        lines.append(current)
    while len(lines) > 1 and lines[-1] == "":
        lines.pop()
    return lines


def balanced_wrap(text: str, fnt: ImageFont.FreeTypeFont, width: float) -> list[str]:
    """Wrap like :func:`wrap_text` into as few lines, but with lines of similar length (titles)."""
    lines = wrap_text(text, fnt, width)
    if len(lines) < 2:
        return lines
    lo, hi = max(longest_word(text, fnt), 1.0), float(width)
    while hi - lo > 1:
        mid = (lo + hi) / 2
        if len(wrap_text(text, fnt, mid)) <= len(lines):
            hi = mid
        else:
            lo = mid
    return wrap_text(text, fnt, hi)


def longest_word(text: str, fnt: ImageFont.FreeTypeFont) -> float:
    return max((fnt.getlength(w) for w in str(text).split()), default=0.0)
