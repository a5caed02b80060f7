"""Suite-wide settings.

In CI (``CI`` set, as ``.ci/run`` runs) Hypothesis is derandomized: every property test draws the
same examples on every run, so a landing is never decided by a lucky or unlucky draw. Locally the
draws stay random, to keep finding new cases (each one found becomes a regression test).
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile("ci", derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])
if os.environ.get("CI"):
    settings.load_profile("ci")
