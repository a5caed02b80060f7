"""The review web app (Flask): queue, cell, document and progress views; a JSON API for decisions.

Plain HTML from Jinja templates (autoescaped: document text is untrusted input) and one small
script (``static/review.js``); no build step.  Every response forbids inline and foreign scripts
(``Content-Security-Policy``), so markup that a scanned page smuggles into a value cannot run.
State-changing requests are POSTs that must carry ``X-Requested-With`` (a cross-site form cannot),
and with a password every request needs HTTP basic authentication.

Cells are named in URLs by their key: ``d`` (document id), ``t`` (table index), ``r`` (row key),
``c`` (column key); the queue's filter travels along so that J/K and "next" follow it.
"""

from __future__ import annotations

import secrets
from pathlib import PurePath
from typing import Any
from urllib.parse import urlencode

from flask import Flask, Response, abort, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from ..errors import ExtractError
from . import corrections as cx
from .service import SORTS, STATUSES, QueueFilter, ReviewService

REVIEWER_COOKIE = "reviewer"
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)


def cell_args(cell: cx.CellId) -> dict[str, Any]:
    return {"d": cell[0], "t": cell[1], "r": cell[2], "c": cell[3]}


def _cell_from(args: Any) -> cx.CellId:
    try:
        return (args["d"], int(args["t"]), args["r"], args["c"])
    except (KeyError, ValueError):
        abort(400, "a cell is named by d, t, r and c")


def create_app(
    service: ReviewService, *, password: str | None = None, default_reviewer: str | None = None
) -> Flask:
    """The app over ``service``.  ``password``: required (basic auth, any user name) when set."""
    app = Flask(__name__)
    app.config["JSON_AS_ASCII"] = False
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    app.jinja_env.filters["combine"] = lambda a, b: {**a, **b}
    app.jinja_env.filters["basename"] = lambda p: PurePath(str(p or "")).name

    def reviewer() -> str:
        return (request.cookies.get(REVIEWER_COOKIE) or default_reviewer or "").strip()

    @app.before_request
    def guard() -> Response | None:
        if password is not None:
            auth = request.authorization
            given = auth.password if auth is not None and auth.password is not None else ""
            if not secrets.compare_digest(given.encode(), password.encode()):
                return Response(
                    "password required\n", 401, {"WWW-Authenticate": 'Basic realm="bcubnd-extract review"'}
                )
        if request.method == "POST" and request.headers.get("X-Requested-With") != "review":
            return Response("refused: state changes come from the review page's script\n", 403)
        return None

    @app.after_request
    def headers(resp: Response) -> Response:
        resp.headers["Content-Security-Policy"] = CSP
        resp.headers["X-Content-Type-Options"] = "nosniff"
        resp.headers["Referrer-Policy"] = "same-origin"
        resp.headers.setdefault("Cache-Control", "no-store")
        return resp

    @app.errorhandler(ExtractError)
    def review_error(exc: ExtractError) -> tuple[Response, int]:
        """A bad cell, a refused value, a source file gone: one line, never a traceback."""
        app.logger.warning("%s %s: %s", request.method, request.path, exc)
        return jsonify(error=str(exc)), 400

    @app.context_processor
    def common() -> dict[str, Any]:
        return {"reviewer": reviewer(), "cell_args": cell_args, "statuses": STATUSES, "sorts": SORTS}

    # -- views ------------------------------------------------------------------------------
    @app.get("/")
    def queue() -> str:
        f = QueueFilter.from_args(request.args)
        offset = max(0, request.args.get("offset", 0, type=int))
        data = service.queue(f, offset)
        return render_template("queue.html", f=f, q=data, params=f.params())

    @app.get("/next")
    def first() -> Any:
        f = QueueFilter.from_args(request.args)
        cell = service.first(f)
        if cell is None:
            return redirect(url_for("queue", **f.params()))
        return redirect(url_for("cell", **cell_args(cell), **f.params()))

    @app.get("/cell")
    def cell() -> str:
        c = _cell_from(request.args)
        f = QueueFilter.from_args(request.args)
        data = service.cell(c)
        service.prefetch_next(c, f)
        urls = {k: url_for("step", way=k, **cell_args(c), **f.params()) for k in ("next", "prev")}
        return render_template(
            "cell.html", d=data, f=f, params=f.params(), nav=urls, query=urlencode(cell_args(c) | f.params())
        )

    @app.get("/step/<way>")
    def step(way: str) -> Any:
        """J/K: the next or previous cell of the queue (computed when asked, not with every page)."""
        c = _cell_from(request.args)
        f = QueueFilter.from_args(request.args)
        nxt = service.neighbour(c, f, 1 if way == "next" else -1)
        if nxt is None:
            return redirect(url_for("queue", **f.params()))
        return redirect(url_for("cell", **cell_args(nxt), **f.params()))

    @app.get("/document/<document_id>")
    def document(document_id: str) -> str:
        return render_template("document.html", d=service.document(document_id))

    @app.get("/documents")
    def documents() -> str:
        return render_template("documents.html", docs=service.documents())

    @app.get("/progress")
    def progress() -> str:
        return render_template("progress.html", p=service.progress())

    # -- images -----------------------------------------------------------------------------
    @app.get("/crop.png")
    def crop() -> Response:
        return Response(service.crop_png(_cell_from(request.args)), mimetype="image/png")

    @app.get("/page.jpg")
    def page() -> Response:
        d = request.args.get("d", "")
        p = request.args.get("p", 0, type=int)
        current = _cell_from(request.args) if "c" in request.args else None
        return Response(service.page_jpeg(d, p, current), mimetype="image/jpeg")

    # -- API --------------------------------------------------------------------------------
    @app.post("/api/decide")
    def decide() -> ResponseReturnValue:
        body = request.get_json(silent=True) or {}
        c = _cell_from(body)
        f = QueueFilter.from_args(body.get("queue") or {})
        name = (body.get("reviewer") or reviewer()).strip()
        try:
            action = cx.Action(body.get("action", ""))
        except ValueError:
            raise cx.ReviewError(f"unknown action {body.get('action')!r}") from None
        here = service.position(c, f)
        decision = service.decide(c, action, name, body.get("value"), body.get("reason"))
        nxt = service.neighbour(c, f, 1, here) if body.get("advance", True) else c
        return jsonify(
            correction=decision.correction_id,
            row=decision.row_statuses,
            next=url_for("cell", **cell_args(nxt), **f.params()) if nxt else url_for("queue", **f.params()),
        )

    @app.post("/api/undo")
    def undo() -> ResponseReturnValue:
        body = request.get_json(silent=True) or {}
        f = QueueFilter.from_args(body.get("queue") or {})
        decision = service.undo((body.get("reviewer") or reviewer()).strip(), body.get("correction"))
        if decision is None:
            return jsonify(error="nothing of yours to undo"), 400
        return jsonify(
            correction=decision.correction_id,
            row=decision.row_statuses,
            next=url_for("cell", **cell_args(decision.cell), **f.params()),
        )

    @app.post("/api/reviewer")
    def set_reviewer() -> ResponseReturnValue:
        name = ((request.get_json(silent=True) or {}).get("name") or "").strip()
        if not name:
            return jsonify(error="a name is needed"), 400
        resp = jsonify(reviewer=name)
        resp.set_cookie(REVIEWER_COOKIE, name, samesite="Strict", httponly=True, max_age=3600 * 24 * 365)
        return resp

    @app.post("/api/export")
    def export() -> Response:
        return jsonify(outputs=service.export())

    @app.get("/api/progress")
    def progress_json() -> Response:
        return jsonify(service.progress())

    @app.get("/api/cell")
    def cell_json() -> Response:
        return jsonify(service.cell(_cell_from(request.args)))

    return app


__all__ = ["REVIEWER_COOKIE", "cell_args", "create_app"]
