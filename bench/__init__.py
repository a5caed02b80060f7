"""Benchmark of the pipeline against the anchor (img2table 2.0 with tesseract ``vie``).

``python -m bench.benchmark [--quick] [--out DIR]`` generates scans with ground truth
(:mod:`extract.synth`), runs both systems on the same files, scores them
(:mod:`bench.scoring`) and prints one Markdown table per metric (:mod:`bench.report`).
"""
