"""Jejak's benchmarks: every figure a ratio against a baseline measured in the same run.

``python -m bench`` (or ``make bench``) builds a dataset per size and backend, runs each
benchmark module in ``bench.suite`` against it and writes ``docs/benchmarks.md``, a JSON file
of every measurement and a PNG plot of cost against data size. ``--quick`` is the smoke test
that CI runs: a tiny dataset and short runs, never compared against the targets as a gate.
"""
