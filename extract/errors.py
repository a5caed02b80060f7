"""One exception tree for the package. Only the CLI maps these to exit codes.

Every exception class of the package is defined here.  :class:`ExtractError` and its subclasses
reach the user (one line, an exit code); the few at the end are internal signals between two
steps of one stage, always caught and turned into data (a failed page, a failed member) before
they could reach the CLI.
"""

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


class UsageError(ExtractError):
    """The command line cannot be run as given (printed with the usage line; exit code 2)."""

    exit_code = 2


class ConfigError(ExtractError):
    """A file under configs/ is missing or invalid."""

    exit_code = 4


class OptionError(ConfigError):
    """A command-line option that stands for a setting (``--dpi`` for ``page.dpi``) has a value
    that setting does not accept: refused like the setting would be (exit code 4)."""


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


class ResultsError(ExtractError):
    """An output folder or database cannot be read back (:func:`extract.load.load_results`)."""

    exit_code = 7


class ReviewError(ExtractError):
    """A review decision cannot be made (unknown cell, a typed value that is not a value)."""

    exit_code = 2


class ReviewUsageError(ExtractError):
    """The review command cannot be run as given (``bcubnd-extract review``: no results there)."""

    exit_code = 2


# -- internal signals: caught inside their stage and turned into data ---------------------


class PageStageError(Exception):
    """A failure inside a step of the page task, carrying the stage it belongs to (the page task
    turns it into a failed page naming that stage)."""

    def __init__(self, stage: str, cause: Exception) -> None:
        super().__init__(str(cause))
        self.stage = stage
        self.cause = cause


class ArchiveLimitError(Exception):
    """An archive member went over :class:`extract.inputs.ArchiveLimits` while it was being
    copied (the member becomes a failed input row)."""


class WorkerMemoryError(Exception):
    """A page task ran out of memory under its worker's limit (the executor reports that page
    as failed, with the limit)."""
