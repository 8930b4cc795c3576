"""`./dev bench [scenario ...]`: run the named scenarios (all when none is named)."""

import importlib
import logging
import pkgutil
import sys

import bench
from bench.harness import HEADER, SCENARIOS, fresh_server


def main(names: list[str]) -> int:
    for module in pkgutil.iter_modules(bench.__path__):
        if module.name not in ("harness", "__main__"):
            importlib.import_module(f"bench.{module.name}")
    unknown = [n for n in names if n not in SCENARIOS]
    if unknown:
        print(f"unknown scenarios {unknown}; known: {sorted(SCENARIOS)}", file=sys.stderr)
        return 2
    logging.disable(logging.WARNING)  # per-request log lines would dominate the timings
    for name in names or sorted(SCENARIOS):
        print(f"\n== {name}\n{HEADER}", flush=True)
        with fresh_server() as b:
            SCENARIOS[name](b)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
