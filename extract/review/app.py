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
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any
from urllib.parse import urlencode

from flask import (
    Flask,
    Response,
    abort,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
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


@dataclass(frozen=True)
class _Review:
    """What the views of one app need: the service, the password and the default reviewer."""

    service: ReviewService
    password: str | None
    default_reviewer: str | None


def create_app(
    service: ReviewService, *, password: str | None = None, default_reviewer: str | None = None
) -> Flask:
    """The app over ``service``.  ``password``: required (basic auth, any user name) when set."""
    app = Flask(__name__)
    app.extensions["review"] = _Review(service, password, default_reviewer)
    _configure(app)
    _register_checks(app)
    _register_pages(app)
    _register_images(app)
    _register_api(app)
    return app


def _configure(app: Flask) -> None:
    """JSON keeps non-ASCII text as it is; the templates' filters."""
    app.config["JSON_AS_ASCII"] = False
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    app.jinja_env.filters["combine"] = lambda a, b: {**a, **b}
    app.jinja_env.filters["basename"] = lambda p: PurePath(str(p or "")).name


def _register_checks(app: Flask) -> None:
    """What every request goes through: the guard, the security headers, the error handler and
    the templates' common values."""
    app.before_request(_guard)
    app.after_request(_security_headers)
    app.register_error_handler(ExtractError, _review_error)
    app.context_processor(_common)


def _register_pages(app: Flask) -> None:
    """The HTML views: the queue, a cell (and J/K to step through the queue), documents, progress."""
    app.add_url_rule("/", "queue", _queue_page, methods=["GET"])
    app.add_url_rule("/next", "first", _first_cell, methods=["GET"])
    app.add_url_rule("/cell", "cell", _cell_page, methods=["GET"])
    app.add_url_rule("/step/<way>", "step", _step, methods=["GET"])
    app.add_url_rule("/document/<document_id>", "document", _document_page, methods=["GET"])
    app.add_url_rule("/documents", "documents", _documents_page, methods=["GET"])
    app.add_url_rule("/progress", "progress", _progress_page, methods=["GET"])


def _register_images(app: Flask) -> None:
    """A cell's crop and a whole page (with the current cell marked)."""
    app.add_url_rule("/crop.png", "crop", _crop_png, methods=["GET"])
    app.add_url_rule("/page.jpg", "page", _page_jpeg, methods=["GET"])


def _register_api(app: Flask) -> None:
    """The JSON API: decisions, undo, the reviewer's name, export, progress and a cell's data."""
    app.add_url_rule("/api/decide", "decide", _decide, methods=["POST"])
    app.add_url_rule("/api/undo", "undo", _undo, methods=["POST"])
    app.add_url_rule("/api/reviewer", "set_reviewer", _set_reviewer, methods=["POST"])
    app.add_url_rule("/api/export", "export", _export, methods=["POST"])
    app.add_url_rule("/api/progress", "progress_json", _progress_json, methods=["GET"])
    app.add_url_rule("/api/cell", "cell_json", _cell_json, methods=["GET"])


# -- the app's state --------------------------------------------------------------------------


def _review() -> _Review:
    review: _Review = current_app.extensions["review"]
    return review


def _service() -> ReviewService:
    return _review().service


def _reviewer() -> str:
    """The reviewer's name: the cookie set by the page, else the app's default."""
    return (request.cookies.get(REVIEWER_COOKIE) or _review().default_reviewer or "").strip()


# -- every request ----------------------------------------------------------------------------


def _guard() -> Response | None:
    """Basic authentication when the app has a password; POSTs only from the review page's script."""
    password = _review().password
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


def _security_headers(resp: Response) -> Response:
    resp.headers["Content-Security-Policy"] = CSP
    resp.headers["X-Content-Type-Options"] = "nosniff"
    resp.headers["Referrer-Policy"] = "same-origin"
    resp.headers.setdefault("Cache-Control", "no-store")
    return resp


def _review_error(exc: ExtractError) -> tuple[Response, int]:
    """A bad cell, a refused value, a source file gone: one line, never a traceback."""
    current_app.logger.warning("%s %s: %s", request.method, request.path, exc)
    return jsonify(error=str(exc)), 400


def _common() -> dict[str, Any]:
    return {"reviewer": _reviewer(), "cell_args": cell_args, "statuses": STATUSES, "sorts": SORTS}


# -- views --------------------------------------------------------------------------------------


def _queue_page() -> str:
    f = QueueFilter.from_args(request.args)
    offset = max(0, request.args.get("offset", 0, type=int))
    data = _service().queue(f, offset)
    return render_template("queue.html", f=f, q=data, params=f.params())


def _cell_or_queue(cell: cx.CellId | None, f: QueueFilter) -> Any:
    """A redirect to ``cell`` with the queue's filter, or back to the queue when there is none."""
    if cell is None:
        return redirect(url_for("queue", **f.params()))
    return redirect(url_for("cell", **cell_args(cell), **f.params()))


def _first_cell() -> Any:
    f = QueueFilter.from_args(request.args)
    return _cell_or_queue(_service().first(f), f)


def _cell_page() -> str:
    c = _cell_from(request.args)
    f = QueueFilter.from_args(request.args)
    service = _service()
    data = service.cell(c)
    service.prefetch_next(c, f)
    urls = {k: url_for("step", way=k, **cell_args(c), **f.params()) for k in ("next", "prev")}
    return render_template(
        "cell.html", d=data, f=f, params=f.params(), nav=urls, query=urlencode(cell_args(c) | f.params())
    )


def _step(way: str) -> Any:
    """J/K: the next or previous cell of the queue (computed when asked, not with every page)."""
    c = _cell_from(request.args)
    f = QueueFilter.from_args(request.args)
    return _cell_or_queue(_service().neighbour(c, f, 1 if way == "next" else -1), f)


def _document_page(document_id: str) -> str:
    return render_template("document.html", d=_service().document(document_id))


def _documents_page() -> str:
    return render_template("documents.html", docs=_service().documents())


def _progress_page() -> str:
    return render_template("progress.html", p=_service().progress())


# -- images -------------------------------------------------------------------------------------


def _crop_png() -> Response:
    return Response(_service().crop_png(_cell_from(request.args)), mimetype="image/png")


def _page_jpeg() -> Response:
    d = request.args.get("d", "")
    p = request.args.get("p", 0, type=int)
    current = _cell_from(request.args) if "c" in request.args else None
    return Response(_service().page_jpeg(d, p, current), mimetype="image/jpeg")


# -- API ----------------------------------------------------------------------------------------


def _action(body: dict[str, Any]) -> cx.Action:
    try:
        return cx.Action(body.get("action", ""))
    except ValueError:
        raise cx.ReviewError(f"unknown action {body.get('action')!r}") from None


def _decide() -> ResponseReturnValue:
    body = request.get_json(silent=True) or {}
    c = _cell_from(body)
    f = QueueFilter.from_args(body.get("queue") or {})
    name = (body.get("reviewer") or _reviewer()).strip()
    action = _action(body)
    service = _service()
    here = service.position(c, f)
    decision = service.decide(c, action, name, body.get("value"), body.get("reason"))
    nxt = service.neighbour(c, f, 1, here) if body.get("advance", True) else c
    return jsonify(
        correction=decision.correction_id,
        row=decision.row_statuses,
        next=url_for("cell", **cell_args(nxt), **f.params()) if nxt else url_for("queue", **f.params()),
    )


def _undo() -> ResponseReturnValue:
    body = request.get_json(silent=True) or {}
    f = QueueFilter.from_args(body.get("queue") or {})
    decision = _service().undo((body.get("reviewer") or _reviewer()).strip(), body.get("correction"))
    if decision is None:
        return jsonify(error="nothing of yours to undo"), 400
    return jsonify(
        correction=decision.correction_id,
        row=decision.row_statuses,
        next=url_for("cell", **cell_args(decision.cell), **f.params()),
    )


def _set_reviewer() -> ResponseReturnValue:
    name = ((request.get_json(silent=True) or {}).get("name") or "").strip()
    if not name:
        return jsonify(error="a name is needed"), 400
    resp = jsonify(reviewer=name)
    resp.set_cookie(REVIEWER_COOKIE, name, samesite="Strict", httponly=True, max_age=3600 * 24 * 365)
    return resp


def _export() -> Response:
    return jsonify(outputs=_service().export())


def _progress_json() -> Response:
    return jsonify(_service().progress())


def _cell_json() -> Response:
    return jsonify(_service().cell(_cell_from(request.args)))


__all__ = ["REVIEWER_COOKIE", "cell_args", "create_app"]
