"""Where the tests find the real documents they read: copies inside the repository, never ``../shared``.

``tests/data/realdata/vn-gov-scans`` is a copy of the CC0 / public-domain set described in
``tests/data/realdata/README.md`` (licence in its ``LICENSE``); ``tests/data/seed`` holds the seed
report's OCR text with the staff list's names and contacts replaced by made-up ones.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
REALDATA = DATA / "realdata" / "vn-gov-scans"
SEED = DATA / "seed" / "ke_sach_2019_bc542.txt"
