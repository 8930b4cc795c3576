"""`./dev demo` runs start to finish: every step whose functions main.py exports runs and
succeeds, the others say they were skipped, and the local .data store is left alone."""

import subprocess
import sys

from shared.deploy import ROOT
from shared.dev import demo
from shared.dev.server import discover


def local_data() -> list:
    return sorted((ROOT / ".data").rglob("*")) if (ROOT / ".data").exists() else []


def test_the_demo_runs_start_to_finish():
    before = local_data()
    result = subprocess.run(
        [sys.executable, "-m", "shared.dev.demo"],
        cwd=ROOT, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    out = result.stdout
    assert result.returncode == 0, out + result.stderr
    assert "  FAILED: " not in out and "Done in" in out
    functions = set(discover())
    for number, (title, needs, _) in enumerate(demo.STEPS, start=1):
        missing = [n for n in needs if n not in functions]
        section = out.split(f"\n{number}. {title}\n", 1)[1].split(f"\n{number + 1}. ", 1)[0]
        if missing:
            assert section.strip() == f"skipped: {missing[0]} not deployed"
        else:
            assert "skipped" not in section
            for name in needs:
                assert f"-> {name} " in section or f"/{name} " in section, (name, section)
    assert local_data() == before
