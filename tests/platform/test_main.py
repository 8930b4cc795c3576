"""functions/main.py lists every function of functions/ and loads each area only on demand."""

import importlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

import functions.main as main

ROOT = Path(__file__).resolve().parents[2]


def area_modules() -> list[str]:
    return sorted(
        f"functions.{p.stem}"
        for p in (ROOT / "functions").glob("*.py")
        if p.stem not in ("__init__", "main")
    )


def test_the_table_names_every_deployable_function_of_every_area():
    assert sorted(main.FUNCTIONS_BY_MODULE) == area_modules()
    for module_name, names in main.FUNCTIONS_BY_MODULE.items():
        module = importlib.import_module(module_name)
        deployable = {n for n, v in vars(module).items() if hasattr(v, "__deploy__")}
        assert set(names) == deployable, module_name
    assert len(main.__all__) == len(set(main.__all__))


def loaded_after(code: str) -> list[str]:
    report = "sorted(m for m in sys.modules if m.startswith(('functions.', 'shared.')))"
    script = f"import sys, json\n{code}\nprint(json.dumps({report}))"
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_importing_main_loads_no_area_and_a_lookup_loads_only_its_own():
    assert [m for m in loaded_after("import functions.main") if m != "functions.main"] == []
    loaded = loaded_after("import functions.main as m; m.health")
    assert "functions.health" in loaded
    assert not any(
        m.startswith(("functions.billing", "shared.purchases", "shared.sync")) for m in loaded
    )


def test_the_deploy_bundle_root_main_is_lazy_too(tmp_path):
    from shared.deploy.plan import ROOT_MAIN

    (tmp_path / "main.py").write_text(ROOT_MAIN)
    code = (
        f"import sys; sys.path[:0] = [{str(tmp_path)!r}, {str(ROOT)!r}]; import main; main.health"
    )
    loaded = loaded_after(code)
    assert "functions.health" in loaded and "functions.billing" not in loaded


def test_an_unknown_name_is_an_attribute_error():
    with pytest.raises(AttributeError):
        main.no_such_function  # noqa: B018
