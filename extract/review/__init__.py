"""Review in the browser: a person clears the flagged cells, and the corrections are kept.

- :mod:`.corrections` -- the ``corrections`` table: one appended row per decision (the audit trail);
- :mod:`.apply` -- reviewed values laid over a document, the form's invariants run again;
- :mod:`.rerun` -- corrections re-applied when the batch writes or exports (orphans reported);
- :mod:`.images` -- a cell's crop and the page overlay, rendered on demand from the source file;
- :mod:`.queue` -- the queue: filters, orders, walking it (J/K, the next cell after a decision);
- :mod:`.service` -- cell, document, decisions, progress, export (no web);
- :mod:`.app` -- the web app (Flask, Jinja templates, one small script; no build step);
- :mod:`.server` -- ``bcubnd-extract review OUT``: serve it on localhost, or with a password on a network.
"""
