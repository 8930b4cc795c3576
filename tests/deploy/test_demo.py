"""`./dev demo` runs start to finish: every step whose functions main.py exports runs and
succeeds, and only the others say they were skipped."""

import subprocess
import sys

from shared.deploy import ROOT
from shared.dev import demo
from shared.dev.server import discover


def test_the_demo_runs_start_to_finish():
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
        section = out.split(f"\n{number}. {title}\n", 1)[1].split("\n\n", 1)[0]
        if missing:
            assert section.strip() == f"skipped: {missing[0]} not deployed"
        else:
            assert "skipped" not in section
            for name in needs:
                assert f"-> {name} " in section or f"/{name} " in section, (name, section)


def test_the_demo_leaves_the_local_data_alone(tmp_path):
    before = sorted((ROOT / ".data").rglob("*")) if (ROOT / ".data").exists() else []
    subprocess.run(
        [sys.executable, "-m", "shared.dev.demo"], cwd=ROOT, capture_output=True, timeout=60,
        check=True,
    )  # fmt: skip
    after = sorted((ROOT / ".data").rglob("*")) if (ROOT / ".data").exists() else []
    assert before == after
