"""The benchmark's repeated rounds: medians of the times, the largest peak memory, and the
speed-up of each round in the report."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repository root holds bench/

from bench.benchmark import _rounds_summary
from bench.report import _cpu_table, _round_spread


def _run(seconds: float, cpu: float, rss: float, **extra: Any) -> dict[str, Any]:
    return {"seconds": seconds, "cpu_seconds": cpu, "wall_s": seconds + 1, "maxrss_mib": rss, **extra}


def test_one_round_is_the_run_itself() -> None:
    out = _rounds_summary([_run(10.0, 9.0, 300.0, page_count=4)])
    assert out["seconds"] == 10.0 and out["cpu_seconds"] == 9.0 and out["page_count"] == 4
    assert "rounds" not in out


def test_rounds_take_median_times_and_largest_memory() -> None:
    out = _rounds_summary([_run(10.0, 9.0, 300.0), _run(30.0, 12.0, 350.0), _run(20.0, 8.0, 320.0)])
    assert out["seconds"] == 20.0  # median, not the first round's 10 nor the mean 20 by chance:
    assert out["cpu_seconds"] == 9.0  # 8, 9, 12 -> 9 (the mean would be 9.67)
    assert out["wall_s"] == 21.0
    assert out["maxrss_mib"] == 350.0
    assert [r["seconds"] for r in out["rounds"]] == [10.0, 30.0, 20.0]
    assert [r["maxrss_mib"] for r in out["rounds"]] == [300.0, 350.0, 320.0]


def test_a_failed_later_round_is_not_hidden() -> None:
    out = _rounds_summary([_run(10.0, 9.0, 300.0), {**_run(11.0, 9.5, 300.0), "error": "exit code 1"}])
    assert out["error"] == "exit code 1"


def _quality(ours: list[float], anchor: list[float]) -> dict[str, Any]:
    def entry(times: list[float]) -> dict[str, Any]:
        rounds = [{"seconds": t, "cpu_seconds": t} for t in times]
        return {
            "run": {
                "seconds": sorted(times)[len(times) // 2],
                "cpu_seconds": sorted(times)[len(times) // 2],
                "rounds": rounds,
            }
        }

    return {"pages": 10, "systems": {"ours": entry(ours), "img2table": entry(anchor)}}


def test_round_spread_pairs_round_i_with_round_i_lowest_first() -> None:
    q = _quality([10.0, 20.0, 10.0], [12.0, 20.0, 15.0])
    assert _round_spread(q, "cpu_seconds") == ["1.00x, 1.20x, 1.50x"]


def test_round_spread_is_empty_for_a_single_run() -> None:
    q = {
        "pages": 10,
        "systems": {"ours": {"run": {"cpu_seconds": 5.0}}, "img2table": {"run": {"cpu_seconds": 6.0}}},
    }
    assert _round_spread(q, "cpu_seconds") == []


def test_cpu_table_shows_the_median_and_each_round() -> None:
    result = {"setup": {"repeat": 3}, "qualities": {"mild": _quality([10.0, 20.0, 10.0], [12.0, 20.0, 15.0])}}
    lines = _cpu_table(result)
    assert lines[2].endswith("| speed-up per round |")
    row = lines[4]
    assert "| 1.00 |" in row  # ours: median 10 s over 10 pages
    assert "1.50x" in row and "1.00x, 1.20x, 1.50x" in row
