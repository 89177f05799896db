"""Benchmarks: `make bench` prints a table. Speed is measured here, never asserted in tests."""
