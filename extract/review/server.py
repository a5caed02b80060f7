"""``bcubnd-extract review OUT``: serve the review app on a run's outputs.

Bound to 127.0.0.1 by default.  ``--host`` shares it on an office network, and then a password is
required (``--password`` or the ``BCUBND_REVIEW_PASSWORD`` environment variable): every request
asks for it (HTTP basic authentication, any user name).  Served by waitress (a maintained
pure-Python WSGI server, several threads: several reviewers at once).
``--export`` rebuilds the file outputs with the reviewed values and exits.
"""

from __future__ import annotations

import argparse
import getpass
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from ..errors import ReviewUsageError

log = logging.getLogger(__name__)

PASSWORD_ENV = "BCUBND_REVIEW_PASSWORD"
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
THREADS = 8


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="bcubnd-extract review",
        description="Review the flagged cells of a run in the browser; corrections are kept in the database.",
    )
    p.add_argument("out", type=Path, metavar="OUT", help="the run's output folder (holds manifest.sqlite)")
    p.add_argument(
        "--db", metavar="URL", help="the run's database URL if not OUT/results.sqlite (PostgreSQL)"
    )
    p.add_argument("--configs", metavar="DIR", help="configs folder (default: the repository's)")
    p.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine only)"
    )
    p.add_argument("--port", type=int, help="port (default: review.port of pipeline.yaml; 0: any free port)")
    p.add_argument("--password", help=f"required with a non-local --host (or set {PASSWORD_ENV})")
    p.add_argument("--reviewer", help="default reviewer name (default: the login name)")
    p.add_argument(
        "--export", action="store_true", help="rebuild the file outputs with the reviewed values and exit"
    )
    return p


def main(argv: Sequence[str]) -> int:
    """Run the review command; returns the exit code."""
    from ..errors import ReviewError
    from .service import ReviewService

    args = build_parser().parse_args(argv)
    password = args.password or os.environ.get(PASSWORD_ENV) or None
    if args.host not in LOCAL_HOSTS and not password:
        raise ReviewUsageError(
            f"--host {args.host} shares the review app on the network: give a password"
            f" (--password or {PASSWORD_ENV})"
        )
    try:
        service = ReviewService(args.out, args.db, args.configs)
    except ReviewError as exc:
        raise ReviewUsageError(str(exc)) from exc
    try:
        if args.export:
            for location in service.export():
                print(location)
            return 0
        serve(service, args.host, args.port, password, args.reviewer)
    finally:
        service.close()
    return 0


def serve(service: object, host: str, port: int | None, password: str | None, reviewer: str | None) -> None:
    """Serve until interrupted, printing the address on stdout once listening."""
    from waitress.server import create_server

    from .app import create_app

    app = create_app(service, password=password, default_reviewer=reviewer or _login())  # type: ignore[arg-type]
    server = create_server(
        app, host=host, port=service.settings.port if port is None else port, threads=THREADS
    )  # type: ignore[attr-defined]
    shown_host = f"[{host}]" if ":" in host else host
    print(f"http://{shown_host}:{server.effective_port}/", flush=True)
    log.info("review app on http://%s:%s/ (Ctrl-C stops it)", shown_host, server.effective_port)
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()


def _login() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
