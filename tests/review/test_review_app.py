"""The web app through Flask's test client: views, filters, API, images, password, escaping."""

from __future__ import annotations

import io
import sqlite3
from urllib.parse import parse_qs, urlparse

import numpy as np
import pytest
from PIL import Image
from review_helpers import VALUES, damaged_cell, rows

from extract.cli import main as cli_main
from extract.review.app import create_app
from extract.review.service import ReviewService

HEADERS = {"X-Requested-With": "review"}


@pytest.fixture()
def service(run_copy):
    s = ReviewService(run_copy.out)
    yield s
    s.close()


@pytest.fixture()
def client(service):
    return create_app(service, default_reviewer="anna").test_client()


def _cell_of(location: str) -> dict[str, str]:
    q = parse_qs(urlparse(location).query)
    return {k: q[k][0] for k in "dtrc"}


def test_queue_counts_filters_and_sorts(client, run_copy) -> None:
    page = client.get("/").get_data(as_text=True)
    n_flagged = len(rows(run_copy.out, "SELECT 1 FROM flags WHERE status = 'flagged'"))
    assert f"flagged: <b>{n_flagged}</b>" in page
    assert "Content-Security-Policy" in client.get("/").headers
    only_14b = client.get("/?form=14B").get_data(as_text=True)
    assert "<td>14B</td>" in only_14b and "<td>5B</td>" not in only_14b
    first = client.get("/next?sort=confidence")
    cell = _cell_of(first.location)
    (lowest,) = rows(
        run_copy.out,
        "SELECT row_key, column_key FROM flags WHERE status = 'flagged' ORDER BY confidence LIMIT 1",
    )
    assert (cell["r"], cell["c"]) == (lowest["row_key"], lowest["column_key"])
    by_reason = client.get("/?reason=printed totals inconsistent").get_data(as_text=True)
    assert 'class="reason">rule fails' not in by_reason and 'class="reason">printed totals' in by_reason


def test_cell_view_shows_crop_candidates_row_rule_and_page(client, run_copy) -> None:
    row_index, column, _truth = run_copy.damaged()
    cell = damaged_cell(run_copy.out, row_index, column)
    q = f"d={cell[0]}&t={cell[1]}&r={cell[2]}&c={cell[3]}"
    html = client.get(f"/cell?{q}").get_data(as_text=True)
    (v,) = rows(run_copy.out, "SELECT * FROM {values} WHERE row_key = ? AND column_key = ?", cell[2], cell[3])
    assert v["raw_text"] in html and "where the parts give" in html  # the failed rule and its arithmetic
    assert 'id="candidates"' in html and 'id="row"' in html and "/crop.png?" in html and "/page.jpg?" in html
    crop = client.get(f"/crop.png?{q}")
    assert crop.mimetype == "image/png"
    img = np.asarray(Image.open(io.BytesIO(crop.data)))
    assert img.shape[1] > v["x1"] - v["x0"] and img.shape[0] > v["y1"] - v["y0"]  # the box and a margin
    assert img.min() < 100  # ink: the crop shows the printed digits
    page = client.get(f"/page.jpg?d={cell[0]}&p={v['page']}&{q}")
    assert page.mimetype == "image/jpeg"
    rgb = np.asarray(Image.open(io.BytesIO(page.data)).convert("RGB")).astype(int)
    reddish = (rgb[..., 0] > 180) & (rgb[..., 1] < 120) & (rgb[..., 2] < 120)
    assert reddish.sum() > 100  # flagged cells outlined in red


def test_decide_api_moves_to_the_next_cell_and_undo_comes_back(client, run_copy) -> None:
    first = _cell_of(client.get("/next?form=5B&sort=confidence").location)
    html = client.get("/cell?" + "&".join(f"{k}={v}" for k, v in first.items()) + "&form=5B&sort=confidence")
    step = html.get_data(as_text=True).split('data-next="')[1].split('"')[0].replace("&amp;", "&")
    second = _cell_of(client.get(step).location)  # J: the next cell of the same queue
    back = client.get(
        step.replace("/step/next", "/step/prev")
        .replace(f"r={first['r']}", f"r={second['r']}")
        .replace(f"c={first['c']}", f"c={second['c']}")
    )
    assert _cell_of(back.location) == first  # K: back again
    body = first | {"action": "confirm", "queue": {"form": "5B", "sort": "confidence"}}
    assert client.post("/api/decide", json=body).status_code == 403  # no X-Requested-With: refused
    r = client.post("/api/decide", json=body, headers=HEADERS)
    assert r.status_code == 200, r.json
    assert _cell_of(r.json["next"]) == second
    assert r.json["row"][first["c"]] == "reviewed"
    bad = client.post("/api/decide", json=first | {"action": "type", "value": "1.5"}, headers=HEADERS)
    assert bad.status_code == 400 and "two numbers" in bad.json["error"]
    u = client.post("/api/undo", json={"queue": {"form": "5B"}}, headers=HEADERS)
    assert u.status_code == 200 and _cell_of(u.json["next"]) == first
    assert client.post("/api/undo", json={}, headers=HEADERS).status_code == 400  # nothing left


def test_reviewer_cookie_and_document_view_wrong_value(client, run_copy) -> None:
    r = client.post("/api/reviewer", json={"name": "Chị Lan"}, headers=HEADERS)
    assert r.status_code == 200
    (v,) = rows(
        run_copy.out, "SELECT * FROM {values} WHERE status = 'verified' AND number IS NOT NULL LIMIT 1"
    )
    html = client.get(f"/document/{v['document_id']}").get_data(as_text=True)
    assert f'data-r="{v["row_key"]}"' in html and 'id="wrong"' in html and "/page.jpg?d=" in html
    body = {
        "d": v["document_id"],
        "t": v["table_index"],
        "r": v["row_key"],
        "c": v["column_key"],
        "action": "wrong",
        "value": str(int(v["number"]) + 7),
        "advance": False,
    }
    assert client.post("/api/decide", json=body, headers=HEADERS).status_code == 200
    (c,) = rows(run_copy.out, "SELECT reviewer, action FROM corrections")
    assert (c["reviewer"], c["action"]) == ("Chị Lan", "wrong")
    assert "Chị Lan: 1" in client.get("/progress").get_data(as_text=True)


def test_document_text_is_escaped(client, run_copy) -> None:
    evil = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    with sqlite3.connect(run_copy.out / "results.sqlite") as conn:
        conn.execute(f'UPDATE "{VALUES}" SET row_label = ?, raw_text = ?', (evil, evil))
        conn.execute("UPDATE flags SET row_label = ?, raw_text = ?, flag_reason = ?", (evil, evil, evil))
        (d,) = conn.execute("SELECT id FROM documents LIMIT 1").fetchone()
    first = client.get("/next").location
    for url in ("/", first, f"/document/{d}", "/documents"):
        html = client.get(url).get_data(as_text=True)
        assert "<script>alert" not in html and "<img src=x" not in html, url
    assert "&lt;script&gt;" in client.get("/").get_data(as_text=True)


def test_password_is_required_when_set(service) -> None:
    c = create_app(service, password="s3cret").test_client()
    assert c.get("/").status_code == 401
    assert c.get("/", auth=("anyone", "wrong")).status_code == 401
    assert c.get("/", auth=("anyone", "s3cret")).status_code == 200


def test_cli_refuses_a_network_host_without_password_and_exports(run_copy, capsys) -> None:
    assert cli_main(["review", str(run_copy.out), "--host", "0.0.0.0"]) == 2
    assert "password" in capsys.readouterr().err
    assert cli_main(["review", str(run_copy.out / "nowhere")]) == 2
    assert cli_main(["review", str(run_copy.out), "--export"]) == 0
    assert any(line.endswith("values.csv") for line in capsys.readouterr().out.splitlines())


def test_page_is_rendered_as_the_run_prepared_it(run_copy, service) -> None:
    """The crop's pixels come from the same prepared page the pipeline read (deskew included)."""
    from extract.ingest import load_page
    from extract.preprocess import PreprocessSettings, prepare_page
    from extract.review.images import prepared_gray

    (p,) = rows(
        run_copy.out, "SELECT document_id, page FROM pages WHERE skew != 0 ORDER BY document_id, page LIMIT 1"
    )
    geometry = service._geometry(p["document_id"], p["page"])
    page = load_page(geometry.path, geometry.page_index, dpi=geometry.dpi)
    want = prepare_page(page.image, page.dpi, settings=PreprocessSettings.from_config()).gray
    got = prepared_gray(geometry)
    assert got.shape == want.shape
    # the run stores the deskew angle rounded to 0.001 degree: well under a tenth of a pixel here
    diff = np.abs(got.astype(int) - want.astype(int))
    assert diff.mean() < 0.5 and np.percentile(diff, 99.9) <= 8


def test_page_cache_renders_a_page_once_for_concurrent_requests() -> None:
    import threading
    import time

    from extract.review.images import PageCache, PageGeometry

    def slow(g):
        time.sleep(0.2)
        return np.full((4, 4), g.page_index, np.uint8)

    cache = PageCache(2, render=slow)
    g = PageGeometry("x.pdf", 0, 200.0, 0, 0.0)
    out = []
    threads = [threading.Thread(target=lambda: out.append(cache.get(g))) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert cache.renders == 1 and len(out) == 4
    for i in (1, 2):
        cache.get(PageGeometry("x.pdf", i, 200.0, 0, 0.0))
    cache.get(g)  # evicted (size 2): rendered again
    assert cache.renders == 4


def test_a_source_file_gone_is_one_clear_error(client, run_copy) -> None:
    (v,) = rows(run_copy.out, "SELECT * FROM {values} WHERE status = 'flagged' ORDER BY document_id LIMIT 1")
    (d,) = rows(run_copy.out, "SELECT source FROM documents WHERE id = ?", v["document_id"])
    from pathlib import Path

    moved = Path(d["source"]).with_suffix(".moved")
    Path(d["source"]).rename(moved)
    try:
        r = client.get(
            f"/crop.png?d={v['document_id']}&t={v['table_index']}&r={v['row_key']}&c={v['column_key']}"
        )
        assert r.status_code == 400 and Path(d["source"]).name in r.json["error"]
        assert (
            client.get(
                f"/cell?d={v['document_id']}&t={v['table_index']}&r={v['row_key']}&c={v['column_key']}"
            ).status_code
            == 200
        )
    finally:
        moved.rename(d["source"])


def test_a_printed_empty_cell_can_be_said_wrong_from_the_document_view(client, run_copy) -> None:
    """Blank cells are not rows of the long table, but the document view shows them, and a spot
    check that finds a printed value there (OCR missed it) corrects it like any other cell."""
    (d,) = rows(run_copy.out, "SELECT document_id FROM {values} WHERE form = '5B' LIMIT 1")
    html = client.get(f"/document/{d['document_id']}").get_data(as_text=True)
    blank = html.split('class="num status-blank"', 1)[1].split(">", 1)[0]
    key = {k: blank.split(f'data-{k}="', 1)[1].split('"', 1)[0] for k in "dtrc"}
    assert not rows(
        run_copy.out,
        "SELECT 1 FROM {values} WHERE document_id = ? AND table_index = ? AND row_key = ? AND column_key = ?",
        key["d"],
        int(key["t"]),
        key["r"],
        key["c"],
    )
    body = key | {"t": int(key["t"]), "action": "wrong", "value": "17", "advance": False}
    assert client.post("/api/decide", json=body, headers=HEADERS).status_code == 200
    (v,) = rows(
        run_copy.out,
        "SELECT number, status FROM {values} WHERE document_id = ? AND table_index = ?"
        " AND row_key = ? AND column_key = ?",
        key["d"],
        int(key["t"]),
        key["r"],
        key["c"],
    )
    assert (v["number"], v["status"]) == (17, "reviewed")
    (c,) = rows(run_copy.out, "SELECT old_status, old_value FROM corrections")
    assert (c["old_status"], c["old_value"]) == ("blank", "")
