"""Pieces the benchmarks share; none of them is a benchmark itself (make bench runs bench/*.py)."""
