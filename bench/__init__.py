"""Benchmarks: scenarios run against a fresh dev server and print figures (never asserted)."""
