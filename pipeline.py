"""Entry point: ``python pipeline.py INPUT... --out DIR`` (see ``extract.cli``)."""

from extract.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
