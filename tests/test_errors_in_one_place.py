"""Every exception class of the package is defined in extract/errors.py (one exception tree), and
the CLI's exit codes come from it."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import extract.errors as errors

PACKAGE = Path(__file__).resolve().parents[1] / "extract"


def _exception_names() -> set[str]:
    return {
        name
        for name, obj in vars(errors).items()
        if inspect.isclass(obj) and issubclass(obj, BaseException) and obj.__module__ == errors.__name__
    }


def _looks_like_an_exception(node: ast.ClassDef, known: set[str]) -> bool:
    bases = {
        b.id if isinstance(b, ast.Name) else b.attr if isinstance(b, ast.Attribute) else ""
        for b in node.bases
    }
    return bool(bases & known) or any(b.endswith(("Error", "Exception")) for b in bases)


def test_no_exception_class_is_defined_outside_errors_py() -> None:
    known = _exception_names() | {"Exception", "BaseException", "ValueError", "RuntimeError", "OSError"}
    outside = [
        f"{path.relative_to(PACKAGE.parent)}:{node.lineno} {node.name}"
        for path in sorted(PACKAGE.rglob("*.py"))
        if path.name != "errors.py"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.ClassDef) and _looks_like_an_exception(node, known)
    ]
    assert outside == []


def test_the_tree_moved_here_keeps_its_exit_codes_and_bases() -> None:
    assert errors.UsageError.exit_code == 2 and issubclass(errors.UsageError, errors.ExtractError)
    assert errors.OptionError.exit_code == 4 and issubclass(errors.OptionError, errors.ConfigError)
    assert errors.ResultsError.exit_code == 7
    assert errors.ReviewError.exit_code == errors.ReviewUsageError.exit_code == 2
    # internal signals never reach the CLI: they are not ExtractErrors
    for internal in (errors.PageStageError, errors.ArchiveLimitError, errors.WorkerMemoryError):
        assert not issubclass(internal, errors.ExtractError)


def test_the_modules_that_raise_them_use_the_same_classes() -> None:
    from extract import cli, executors, inputs, load, page
    from extract.review import corrections, server

    assert cli.UsageError is errors.UsageError
    assert load.ResultsError is errors.ResultsError
    assert (
        corrections.ReviewError is errors.ReviewError and server.ReviewUsageError is errors.ReviewUsageError
    )
    assert (
        page.PageStageError is errors.PageStageError and inputs.ArchiveLimitError is errors.ArchiveLimitError
    )
    assert executors.WorkerMemoryError is errors.WorkerMemoryError
