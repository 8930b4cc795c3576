"""The deploy plan: derived from main.py, one deploy per function, topics and scheduler jobs for
the Pub/Sub ones, --only, secrets referenced and never printed, and a runner that really runs
the steps (against stand-in gcloud and firebase commands on PATH)."""

import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from shared import deploy
from shared.dev.server import discover, spec_of
from shared.models import Empty
from shared.web.functions import (
    callable_function,
    event_function,
    http_function,
    scheduled_job,
)

ROOT = deploy.ROOT
SECRET_VALUES = {
    "STRIPE_SECRET_KEY": "sk_test_do_not_print_51H",
    "STRIPE_WEBHOOK_SECRET": "whsec_do_not_print_9x",
    "PROVIDER_WEBHOOK_SECRET": "provider_do_not_print_7",
}


def options(**overrides) -> deploy.Options:
    return deploy.Options(project="proj-1", **overrides)


def deployed_names(steps: list[deploy.Step]) -> list[str]:
    return [s.command[3] for s in steps if s.command[:3] == ("gcloud", "functions", "deploy")]


def flags(step: deploy.Step) -> dict[str, str]:
    return dict(a.removeprefix("--").partition("=")[::2] for a in step.command if a[:2] == "--")


def step_for(steps: list[deploy.Step], name: str) -> deploy.Step:
    return next(s for s in steps if s.command[:4] == ("gcloud", "functions", "deploy", name))


def test_every_function_of_main_py_is_deployed_once_and_nothing_else():
    functions = discover()
    assert deployed_names(deploy.plan(options())) == list(functions)


def test_each_trigger_follows_the_kind_of_the_function():
    steps = deploy.plan(options())
    for name, fn in discover().items():
        spec, step = spec_of(fn), step_for(steps, name)
        f = flags(step)
        assert f["entry-point"] == name and f["runtime"] == "python311" and "gen2" in f
        assert f["memory"] == spec.memory and f["timeout"] == f"{spec.timeout_seconds}s"
        assert f["region"] == "us-central1" and f["project"] == "proj-1"
        if spec.kind in ("callable", "http"):
            assert "trigger-http" in f and "allow-unauthenticated" in f
        else:
            assert f["trigger-topic"] == spec.topic and "trigger-http" not in f
            assert ("retry" in f) == (spec.kind == "event")


def test_scheduled_functions_get_their_topic_and_a_scheduler_job():
    steps = deploy.plan(options())
    scheduled = [spec_of(fn) for fn in discover().values() if spec_of(fn).kind == "scheduled"]
    assert scheduled, "main.py exports scheduled jobs"
    for spec in scheduled:
        topic = [s for s in steps if s.command[:4] == ("gcloud", "pubsub", "topics", "create")]
        assert [s for s in topic if s.command[4] == spec.topic]
        job = next(
            s
            for s in steps
            if s.command[:5] == ("gcloud", "scheduler", "jobs", "create", "pubsub")
            and s.command[5] == spec.topic
        )
        assert flags(job)["topic"] == spec.topic
        assert flags(job)["schedule"] == deploy.cron(spec.every_minutes)
        assert job.update is not None and job.update[3] == "update"  # re-runs update it


def test_a_synthetic_main_py_of_each_kind():
    @callable_function(Empty, min_instances=2)
    def fast(request, ctx):
        return {}

    @http_function
    def hook(request):
        return "ok"

    @event_function("play-notifications")
    def on_play(event):
        pass

    @scheduled_job(every_minutes=7)
    def sweep(event):
        pass

    functions = {"fast": fast, "hook": hook, "on_play": on_play, "sweep": sweep}
    steps = deploy.plan(options(), functions)
    assert deployed_names(steps) == list(functions)
    assert flags(step_for(steps, "fast"))["min-instances"] == "2"
    assert "min-instances" not in flags(step_for(steps, "hook"))
    topics = [s.command[4] for s in steps if s.command[2:4] == ("topics", "create")]
    assert topics == ["play-notifications", "scheduled-sweep"]
    jobs = [s for s in steps if s.command[1] == "scheduler"]
    assert len(jobs) == 1 and flags(jobs[0])["schedule"] == "every 7 minutes"


@pytest.mark.parametrize(
    ("minutes", "schedule"),
    [
        (1, "* * * * *"),
        (5, "*/5 * * * *"),
        (15, "*/15 * * * *"),
        (60, "0 * * * *"),
        (120, "0 */2 * * *"),
        (1440, "0 0 * * *"),
        (7, "every 7 minutes"),
        (90, "every 90 minutes"),
    ],
)
def test_cron(minutes, schedule):
    assert deploy.cron(minutes) == schedule


def test_only_deploys_the_named_function_with_its_topic_and_job():
    scheduled = next(n for n, f in discover().items() if spec_of(f).kind == "scheduled")
    steps = deploy.plan(options(only=(scheduled,)))
    assert deployed_names(steps) == [scheduled]
    assert {s.command[1] for s in steps} == {"functions", "pubsub", "scheduler"}
    steps = deploy.plan(options(only=("health",)))
    assert [s.command[:4] for s in steps] == [("gcloud", "functions", "deploy", "health")]


def test_only_an_unknown_function_stops_before_anything():
    with pytest.raises(SystemExit, match="no function"):
        deploy.plan(options(only=("nope",)))


def test_a_full_deploy_ships_rules_indexes_and_every_metric():
    steps = deploy.plan(options())
    firebase = [s for s in steps if s.command[0] == "firebase"]
    assert len(firebase) == 1
    assert "firestore:rules,firestore:indexes" in firebase[0].command
    metrics = [s.command[4] for s in steps if s.command[1:4] == ("logging", "metrics", "create")]
    assert metrics == [p.stem for p in deploy.metric_files()] and metrics


def test_secret_settings_are_referenced_from_secret_manager():
    declared = deploy.declared_settings()
    # Dev-only settings (DEV_*) are never deployed, secret or not.
    secret = [n for n in declared if deploy.is_secret(n) and not deploy.is_dev_only(n)]
    assert "STRIPE_SECRET_KEY" in secret
    step = step_for(deploy.plan(options(secrets=frozenset(secret), all_secrets=True)), "health")
    assert flags(step)["set-secrets"] == ",".join(f"{n}={n}:latest" for n in secret)
    # Only the secrets present in Secret Manager are attached (a missing one fails a deploy).
    step = step_for(deploy.plan(options(secrets=frozenset(), all_secrets=True)), "health")
    assert "set-secrets" not in flags(step)


def attached(steps: list[deploy.Step], name: str) -> set[str]:
    value = flags(step_for(steps, name)).get("set-secrets", "")
    return {pair.partition("=")[0] for pair in value.split(",") if pair}


def test_each_function_gets_only_the_secrets_its_code_reads():
    steps = deploy.plan(options())
    functions = discover()
    assert attached(steps, "health") == set()
    assert attached(steps, "session_start") == set()
    if "stripe_webhook" in functions:
        assert "STRIPE_WEBHOOK_SECRET" in attached(steps, "stripe_webhook")
        assert not any(
            n.startswith(("APPLE", "PLAY", "PROVIDER")) for n in attached(steps, "stripe_webhook")
        )
    if "device_check" in functions:
        assert attached(steps, "device_check") == {"DEVICECHECK_PRIVATE_KEY"}


def test_a_secret_read_through_a_lazy_import_is_attached():
    # functions/<area>.py -> shared.<area> -> (import inside a function) -> its settings
    reached = deploy.secrets_read_by("stripe_webhook") if "stripe_webhook" in discover() else None
    if reached is not None:
        assert "STRIPE_SECRET_KEY" in reached
    assert deploy.secrets_read_by("no_such_function") is None  # unknown: it gets them all


@pytest.mark.parametrize(
    "name",
    ["STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET", "APPLE_PRIVATE_KEY", "APPLE_IAP_KEY",
     "GOOGLE_PLAY_SERVICE_ACCOUNT", "PROVIDER_WEBHOOK_SECRET", "PROVIDER_API_KEY",
     "SOME_NEW_PASSWORD", "ADMIN_TOKEN"],
)  # fmt: skip
def test_secret_names(name):
    assert deploy.is_secret(name)


@pytest.mark.parametrize(
    "name",
    ["STRIPE_PUBLISHABLE_KEY", "APPLE_KEY_ID", "APPLE_API_ISSUER_ID", "APP_ENV", "LOG_LEVEL",
     "PUBSUB_PUSH_SERVICE_ACCOUNT", "DEVICECHECK_PRIVATE_KEY_PATH", "PROVIDER_WEBHOOK_URL"],
)  # fmt: skip
def test_public_names(name):
    assert not deploy.is_secret(name)


def test_every_secret_typed_setting_of_the_code_is_a_secret():
    typed = [name for name, secret in deploy.code_settings().items() if secret]
    assert "STRIPE_SECRET_KEY" in typed
    assert all(deploy.is_secret(name) for name in typed)


def test_settings_of_the_env_file_become_env_vars_without_dev_only_ones():
    env = {"LOG_LEVEL": "WARNING", "PORT": "8080", "SQLITE_PATH": "x", "APP_ENV": "dev"}
    step = step_for(deploy.plan(options(env=env)), "health")
    assert flags(step)["set-env-vars"] == (
        "APP_ENV=prod,FIREBASE_PROJECT_ID=proj-1,LOG_LEVEL=WARNING,STORE_BACKEND=firestore"
    )


def test_a_value_with_commas_gets_another_delimiter():
    step = step_for(deploy.plan(options(env={"LOG_LEVEL": "a,b|c"})), "health")
    value = flags(step)["set-env-vars"]
    assert value.startswith("^@^") and "LOG_LEVEL=a,b|c" in value.split("@")


def test_an_unknown_setting_in_the_env_file_is_refused():
    with pytest.raises(SystemExit, match="LOG_LEVELL"):
        deploy.plan(options(env={"LOG_LEVELL": "x"}))


def fake_tools(tmp_path: Path) -> Path:
    """gcloud and firebase stand-ins that log their arguments; `describe` finds nothing but
    the topic `scheduled-reconcile-balances`, and Secret Manager holds STRIPE_SECRET_KEY."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "calls.log"
    for tool in ("gcloud", "firebase"):
        script = bin_dir / tool
        script.write_text(
            "#!/bin/sh\n"
            f'echo "{tool} $*" >> {shlex.quote(str(log))}\n'
            'case "$*" in\n'
            '  "secrets list"*) echo STRIPE_SECRET_KEY ;;\n'
            '  "pubsub topics describe scheduled-reconcile-balances"*) exit 0 ;;\n'
            "  *describe*) exit 1 ;;\n"
            "esac\n"
        )
        script.chmod(0o755)
    return bin_dir


def run_deploy(tmp_path: Path, *args: str, path: str | None = None) -> subprocess.CompletedProcess:
    env_file = tmp_path / "prod.env"
    env_file.write_text(
        "FIREBASE_PROJECT_ID=proj-env\nLOG_LEVEL=INFO\n"
        + "".join(f'{k}="{v}"\n' for k, v in SECRET_VALUES.items() if k in _declared())
    )
    env = {**os.environ, "PATH": path or f"{fake_tools(tmp_path)}:{os.environ['PATH']}"}
    return subprocess.run(
        [sys.executable, "-m", "shared.deploy", "--env-file", str(env_file), *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip


def _declared() -> set[str]:
    return set(deploy.declared_settings())


def test_dry_run_prints_every_command_runs_none_and_shows_no_secret(tmp_path):
    bin_dir = fake_tools(tmp_path)
    result = run_deploy(tmp_path, "--dry-run", path=f"{bin_dir}:{os.environ['PATH']}")
    assert result.returncode == 0, result.stderr
    assert not (tmp_path / "calls.log").exists(), "dry-run ran a command"
    out = result.stdout
    for name in discover():
        assert f"gcloud functions deploy {name} " in out
    assert "--project=proj-env" in out and "firebase deploy" in out
    for value in SECRET_VALUES.values():
        assert value not in out and value not in result.stderr
    for name in set(SECRET_VALUES) & _declared():
        assert f"{name}={name}:latest" in out


def test_dry_run_needs_no_gcloud(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    result = run_deploy(tmp_path, "--dry-run", "--project", "p", path=str(empty))
    assert result.returncode == 0, result.stderr
    assert "gcloud functions deploy health " in result.stdout


def test_the_runner_runs_every_step_and_skips_what_exists(tmp_path):
    result = run_deploy(
        tmp_path, "--bundle-dir", str(tmp_path / "bundle"), "--only", "reconcile_balances",
        "--only", "health", "--all-secrets",
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    calls = (tmp_path / "calls.log").read_text().splitlines()
    assert calls[0].startswith("gcloud secrets list --project=proj-env")
    assert "gcloud pubsub topics describe scheduled-reconcile-balances --project=proj-env" in calls
    assert not any(c.startswith("gcloud pubsub topics create") for c in calls)  # it exists
    deploys = [c for c in calls if c.startswith("gcloud functions deploy")]
    assert [c.split()[3] for c in deploys] == ["health", "reconcile_balances"]
    assert f"--source={tmp_path / 'bundle'}" in deploys[0]
    secrets = [a for a in deploys[0].split() if a.startswith("--set-secrets")]
    if "STRIPE_SECRET_KEY" in _declared():  # only the secret Secret Manager holds
        assert secrets == ["--set-secrets=STRIPE_SECRET_KEY=STRIPE_SECRET_KEY:latest"]
    assert any(c.startswith("gcloud scheduler jobs create pubsub") for c in calls)
    assert (tmp_path / "bundle" / "main.py").exists()


def test_the_runner_stops_at_the_first_failure(tmp_path):
    bin_dir = fake_tools(tmp_path)
    (bin_dir / "gcloud").write_text(
        (bin_dir / "gcloud").read_text().replace("esac", '  "functions deploy"*) exit 3 ;;\nesac')
    )
    result = run_deploy(
        tmp_path, "--bundle-dir", str(tmp_path / "b"), "--skip-firestore",
        path=f"{bin_dir}:{os.environ['PATH']}",
    )  # fmt: skip
    assert result.returncode != 0
    assert "deploy stopped" in result.stderr
    calls = (tmp_path / "calls.log").read_text().splitlines()
    assert len([c for c in calls if c.startswith("gcloud functions deploy")]) == 1


def test_the_bundle_is_what_cloud_functions_loads(tmp_path):
    bundle = deploy.stage_bundle(tmp_path / "bundle")
    assert {p.name for p in bundle.iterdir()} >= {
        "main.py", "functions", "shared", "requirements.txt", "firestore.indexes.json",
    }  # fmt: skip
    assert not list(bundle.rglob("__pycache__"))
    # Cloud Functions imports main.py from the root of the upload and looks up the entry point.
    names = sorted(discover())
    probe = f"import main; print(all(callable(getattr(main, n)) for n in {names!r}))"
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=bundle, env=env, capture_output=True, text=True,
        timeout=60, check=False,
    )  # fmt: skip
    assert result.stdout.strip() == "True", result.stderr


def test_deploy_sh_is_a_thin_wrapper(tmp_path):
    result = subprocess.run(
        ["bash", str(ROOT / "deploy.sh"), "--dry-run", "--project", "p", "--only", "health"],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].startswith("gcloud functions deploy health ")
