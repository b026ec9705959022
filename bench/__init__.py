"""Benchmarks, run by hand from the repository root: ``.venv/bin/python -m bench.bench_search``.

A package so that the scripts import each other (``bench.market_sim``, ``bench.bench_embeddings``)
and the test suite imports the market simulator, without editing ``sys.path``.
"""
