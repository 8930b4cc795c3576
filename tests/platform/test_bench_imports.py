"""Every benchmark module imports: scenarios are never run by the tests (figures are not
asserted), so a helper renamed in one would otherwise break `./dev bench` unnoticed."""

import importlib
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"


@pytest.mark.parametrize(
    "module", sorted(p.stem for p in BENCH.glob("*.py") if p.stem != "__main__")
)
def test_the_bench_module_imports(module: str) -> None:
    importlib.import_module(f"bench.{module}")
