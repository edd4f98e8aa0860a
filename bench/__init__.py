"""Benchmarks (see docs/benchmarks.md): `python -m bench [NAME …]`, results in bench/results/."""
