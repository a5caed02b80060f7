"""``python -m extract.synth --out samples/ --seed 0``: regenerate the sample scans and their truth."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence

from ..errors import ExtractError
from .build import DEFAULT_DATA, build_samples, sample_names


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m extract.synth", description=__doc__)
    parser.add_argument("--out", required=True, help="folder to write the samples to")
    parser.add_argument("--seed", type=int, default=0, help="seed of every random choice (default 0)")
    parser.add_argument("--data", default=str(DEFAULT_DATA), help="report content file (YAML)")
    parser.add_argument("--configs", default=None, help="configs folder (default: the repository's)")
    parser.add_argument(
        "--only",
        action="append",
        choices=sample_names(),
        metavar="NAME",
        help="write only this sample (repeatable); the README is then left alone",
    )
    args = parser.parse_args(argv)
    start = time.perf_counter()
    try:
        results = build_samples(args.out, args.seed, args.data, args.configs, args.only)
    except ExtractError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    for r in results:
        print(f"{r['name']}\t{r['pages']} pages\t{r['bytes'] / 1e6:.2f} MB\t{r['seconds']:.1f} s")
    total = sum(r["bytes"] for r in results)
    print(f"total\t{total / 1e6:.2f} MB\t{time.perf_counter() - start:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
