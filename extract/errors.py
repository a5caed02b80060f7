"""One exception tree for the package. Only the CLI maps these to exit codes."""

from __future__ import annotations


class ExtractError(Exception):
    """Base of every error this package raises on purpose."""

    exit_code = 1


class InputFileError(ExtractError):
    """An input file cannot be read (corrupt, encrypted, empty, unsupported).

    The message names the file and, when known, the page (1-based in messages).
    """

    exit_code = 3

    def __init__(self, path: str, reason: str, page: int | None = None) -> None:
        where = f"{path}" if page is None else f"{path}, page {page + 1}"
        super().__init__(f"{where}: {reason}")
        self.path = path
        self.page = page
        self.reason = reason


class ConfigError(ExtractError):
    """A file under configs/ is missing or invalid."""

    exit_code = 4


class MissingDependencyError(ExtractError):
    """A required external tool or data file (tesseract, its Vietnamese model) is missing."""

    exit_code = 5


class ToolError(ExtractError):
    """An external tool failed or timed out while processing a page."""

    exit_code = 6


class OcrTimeout(ToolError):
    """OCR of one page took longer than the configured limit."""


class OutputError(ExtractError):
    """An output cannot be written (database unreachable, disk full, permission denied, an
    ``--out`` folder that cannot be created)."""

    exit_code = 7


class ExecutorError(ExtractError):
    """The executor cannot run tasks (Dask scheduler unreachable, no workers)."""

    exit_code = 8


class BatchBusyError(ExtractError):
    """Another run holds the output folder."""

    exit_code = 9
