"""Benchmarks (see ../shared/BENCHMARKS.md): `python -m bench [NAME …]`, results in bench/results/."""
