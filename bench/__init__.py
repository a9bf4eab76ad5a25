"""Benchmarks: they measure, they are not tests. See bench/README.md."""
