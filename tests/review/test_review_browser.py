"""End to end in a real browser: Debian's headless Chromium driven by Selenium (the system browser
and its chromedriver; nothing is downloaded), against ``pipeline.py review OUT`` on a real run.

Open the queue, start reviewing, correct the damaged 5B cell by keyboard, see its row turn
verified, reload and find it kept, export and find the value in the CSV.  With
``REVIEW_SCREENSHOTS=DIR`` the queue and cell views are saved there (docs/review-*.png).
"""

from __future__ import annotations

import csv
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from review_helpers import VALUES, damaged_cell
from review_run import ROOT

from extract.understand.numbers import parse_value

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
WAIT_S = 20


@pytest.fixture()
def server(run_copy):
    env = dict(os.environ, OMP_THREAD_LIMIT="1", PYTHONPATH=str(ROOT))
    proc = subprocess.Popen(
        [
            sys.executable,
            str(ROOT / "pipeline.py"),
            "review",
            str(run_copy.out),
            "--port",
            "0",
            "--reviewer",
            "anna",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    url = proc.stdout.readline().strip()
    assert url.startswith("http://127.0.0.1:"), proc.stderr.read() if proc.poll() is not None else url
    yield url.rstrip("/")
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture()
def browser(monkeypatch):
    from selenium import webdriver

    monkeypatch.setenv("SE_OFFLINE", "true")  # Selenium Manager never fetches a browser or a driver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--window-size=1600,1000",
        "--lang=vi",
    ):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.implicitly_wait(2)
    yield driver
    driver.quit()


def _wait(browser, condition, what: str):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(browser, WAIT_S).until(condition, message=what)


def test_correct_a_cell_by_keyboard_in_chromium(run_copy, server, browser) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    shots = os.environ.get("REVIEW_SCREENSHOTS")
    row_index, column, truth = run_copy.damaged()
    cell = damaged_cell(run_copy.out, row_index, column)

    browser.get(f"{server}/?form=5B&sort=confidence")
    counts = browser.find_element(By.CSS_SELECTOR, ".counts").text
    assert "flagged:" in counts
    if shots:
        browser.save_screenshot(str(Path(shots) / "review-queue.png"))
    browser.find_element(By.TAG_NAME, "body").send_keys(Keys.ENTER)  # Enter: review from the first cell
    _wait(browser, lambda b: "/cell?" in b.current_url, "the cell view")
    # the damaged cell is read with low confidence: walk with J until it is shown
    for _ in range(40):
        here = browser.find_element(By.ID, "cell")
        if (here.get_attribute("data-r"), here.get_attribute("data-c")) == cell[2:]:
            break
        old = browser.current_url
        browser.find_element(By.TAG_NAME, "body").send_keys("j")
        _wait(browser, lambda b, old=old: b.current_url != old, "J moves to the next cell")
    else:
        raise AssertionError(f"{cell} never came up in the queue")
    _wait(
        browser, lambda b: b.execute_script("return document.getElementById('page').complete"), "page image"
    )
    if shots:
        browser.save_screenshot(str(Path(shots) / "review-cell.png"))
    cell_url = browser.current_url

    def row_statuses() -> dict[str, str]:
        return {
            td.get_attribute("data-column"): td.get_attribute("title")
            for td in browser.find_elements(By.CSS_SELECTOR, "#row td")
        }

    before = row_statuses()
    dragged = [k for k, s in before.items() if s == "flagged" and k != cell[3]]
    assert dragged, "the misread cell's rules flag other cells of its row"
    body = browser.find_element(By.TAG_NAME, "body")
    body.send_keys(truth[0])  # a digit starts typing in the value box
    browser.find_element(By.ID, "value").send_keys(truth[1:] + Keys.ENTER)
    _wait(browser, lambda b: b.current_url != cell_url, "the next cell comes up after the decision")

    browser.get(cell_url)  # reload the corrected cell: the decision is kept
    assert browser.find_element(By.ID, "current-status").text == "reviewed"
    shown = browser.find_element(By.ID, "current-value").text
    assert parse_value(shown, "count").number == parse_value(truth, "count").number
    row = row_statuses()
    assert row[cell[3]] == "reviewed"
    # the row's own rule ((3)=(4)+(5)) holds again: the cells it dragged down are verified
    assert "tiep_nhan_moi" in dragged and row["tiep_nhan_moi"] == "verified", row
    assert sum(s == "flagged" for s in row.values()) < sum(s == "flagged" for s in before.values())

    browser.find_element(By.ID, "export").click()
    _wait(browser, lambda b: "exported" in b.find_element(By.ID, "message").text, "export finishes")
    with (run_copy.out / "csv" / f"{VALUES}.csv").open(encoding="utf-8") as fh:
        hit = [
            r
            for r in csv.DictReader(fh)
            if (r["document_id"], r["row_key"], r["column_key"]) == (cell[0], cell[2], cell[3])
        ]
    assert (
        hit
        and float(hit[0]["number"]) == parse_value(truth, "count").number
        and hit[0]["status"] == "reviewed"
    )

    # the document view: a spot check finds a value wrong and says so
    browser.get(f"{server}/document/{cell[0]}")
    td = browser.find_element(By.CSS_SELECTOR, "td.status-verified[data-c]")
    spot = (td.get_attribute("data-r"), td.get_attribute("data-c"))
    first_scan = browser.find_element(By.CSS_SELECTOR, ".scan img")
    _wait(
        browser,
        lambda b: b.execute_script(
            "return arguments[0].complete && arguments[0].naturalWidth > 0", first_scan
        ),
        "the scan of page 1 is shown next to its tables",
    )
    if shots:
        browser.save_screenshot(str(Path(shots) / "review-document.png"))
    td.click()
    browser.find_element(By.ID, "wrong-value").send_keys("12345" + Keys.ENTER)
    _wait(browser, lambda b: "saved" in b.find_element(By.ID, "message").text, "the correction is saved")
    with sqlite3.connect(run_copy.out / "results.sqlite") as conn:
        got = conn.execute(
            "SELECT action, new_value, reviewer FROM corrections WHERE row_key = ? AND column_key = ?", spot
        ).fetchall()
    assert got == [("wrong", "12345", "anna")]
