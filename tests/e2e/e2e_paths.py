"""Where the e2e tests find the repository, its samples and the shared real scans."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"
REALDATA = ROOT / "tests" / "data" / "realdata" / "vn-gov-scans"
