"""The deployment plan: every command that ships this backend to Google Cloud, as `Step`s.

Derived from `shared.dev.server.discover()`, so a function added to functions/main.py is
deployed without touching this file.
"""

import shlex
import shutil
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from shared.deploy.settings import ROOT, declared_settings, is_dev_only, is_secret, secrets_read_by
from shared.dev.server import Function, discover, spec_of
from shared.web.functions import FunctionSpec

METRICS_DIR = ROOT / "ops" / "metrics"
# Relative to ROOT, where every command runs.
BUNDLE_DIR = Path(".data/deploy/bundle")
RUNTIME = "python311"


@dataclass(frozen=True)
class Options:
    project: str
    region: str = "us-central1"
    only: tuple[str, ...] = ()
    env: dict[str, str] = field(default_factory=dict)  # the deploy env file's settings
    secrets: frozenset[str] | None = None  # ids present in Secret Manager; None: all declared
    service_account: str | None = None
    source: Path = BUNDLE_DIR
    firestore: bool = True
    metrics: bool = True
    all_secrets: bool = False  # every secret to every function, instead of those it reads


@dataclass(frozen=True)
class Step:
    """One command. With `exists`, it runs only when that check fails; otherwise `update` runs
    (or nothing), so every step can be re-run against a project that already has it."""

    command: tuple[str, ...]
    exists: tuple[str, ...] | None = None
    update: tuple[str, ...] | None = None

    def render(self) -> str:
        """The step as one line of shell."""
        create = shlex.join(self.command)
        if self.exists is None:
            return create
        check = f"{shlex.join(self.exists)} >/dev/null 2>&1"
        if self.update is None:
            return f"{check} || {create}"
        return f"if {check}; then {shlex.join(self.update)}; else {create}; fi"


def cron(every_minutes: int) -> str:
    """A Cloud Scheduler schedule firing every `every_minutes` (unix-cron where it divides the
    hour or the day evenly, else App Engine's `every N minutes`)."""
    if every_minutes < 1:
        raise ValueError("every_minutes must be at least 1")
    if every_minutes < 60 and 60 % every_minutes == 0:
        return "* * * * *" if every_minutes == 1 else f"*/{every_minutes} * * * *"
    hours, rest = divmod(every_minutes, 60)
    if rest == 0 and hours < 24 and 24 % hours == 0:
        return "0 * * * *" if hours == 1 else f"0 */{hours} * * *"
    if every_minutes == 24 * 60:
        return "0 0 * * *"
    return f"every {every_minutes} minutes"


def deployed_env(options: Options, declared: Sequence[str]) -> dict[str, str]:
    """The non-secret settings every function gets: the env file's, minus local-only ones, with
    the production values that are not a choice."""
    unknown = sorted(set(options.env) - set(declared))
    if unknown:
        raise SystemExit(f"unknown settings in the env file (no code reads them): {unknown}")
    env = {
        name: value
        for name, value in options.env.items()
        if not is_secret(name) and not is_dev_only(name)
    }
    env.update(APP_ENV="prod", STORE_BACKEND="firestore", FIREBASE_PROJECT_ID=options.project)
    return env


def attached_secrets(
    options: Options, declared: Sequence[str], spec: FunctionSpec | None = None
) -> list[str]:
    """The secret settings a function reads (all of them with --all-secrets, or when it cannot
    be told), among those present in Secret Manager."""
    names = [n for n in declared if is_secret(n) and not is_dev_only(n)]
    if spec is not None and not options.all_secrets:
        needed = secrets_read_by(spec.name)
        names = [n for n in names if needed is None or n in needed]
    return [n for n in names if options.secrets is None or n in options.secrets]


def _env_flag(env: dict[str, str]) -> str:
    pairs = [f"{k}={v}" for k, v in sorted(env.items())]
    # gcloud splits on commas; a value holding one needs another delimiter (`gcloud topic
    # escaping`).
    joined = ",".join(pairs)
    if any("," in p for p in pairs):
        sep = next(c for c in "|@#~;:!+" if all(c not in p for p in pairs))
        return f"--set-env-vars=^{sep}^" + sep.join(pairs)
    return "--set-env-vars=" + joined


def _trigger(spec: FunctionSpec) -> list[str]:
    if spec.kind in ("callable", "http"):
        # Callables verify ID tokens and webhooks verify signatures themselves.
        return ["--trigger-http", "--allow-unauthenticated"]
    # Event handlers are idempotent and re-raise on failure, so Pub/Sub may redeliver.
    retry = ["--retry"] if spec.kind == "event" else []
    return [f"--trigger-topic={spec.topic}", *retry]


def deploy_function(spec: FunctionSpec, options: Options, declared: Sequence[str]) -> Step:
    command = [
        "gcloud", "functions", "deploy", spec.name, "--gen2", f"--runtime={RUNTIME}",
        f"--project={options.project}", f"--region={options.region}",
        f"--source={options.source}", f"--entry-point={spec.name}",
        *_trigger(spec),
        f"--memory={spec.memory}", f"--timeout={spec.timeout_seconds}s",
    ]  # fmt: skip
    if spec.min_instances:
        command.append(f"--min-instances={spec.min_instances}")
    if options.service_account:
        command.append(f"--service-account={options.service_account}")
    command.append(_env_flag(deployed_env(options, declared)))
    if secrets := attached_secrets(options, declared, spec):
        command.append("--set-secrets=" + ",".join(f"{n}={n}:latest" for n in secrets))
    command.append("--quiet")
    return Step(tuple(command))


def create_topic(topic: str, options: Options) -> Step:
    where = [topic, f"--project={options.project}"]
    return Step(
        ("gcloud", "pubsub", "topics", "create", *where),
        exists=("gcloud", "pubsub", "topics", "describe", *where),
    )


def schedule_job(spec: FunctionSpec, options: Options) -> Step:
    """A Cloud Scheduler job publishing to the function's topic (named after the topic)."""
    assert spec.topic and spec.every_minutes
    where = [spec.topic, f"--project={options.project}", f"--location={options.region}"]
    flags = [
        f"--schedule={cron(spec.every_minutes)}",
        "--time-zone=Etc/UTC",
        f"--topic={spec.topic}",
        "--message-body={}",
        f"--description=Runs {spec.name} every {spec.every_minutes} min",
    ]
    return Step(
        ("gcloud", "scheduler", "jobs", "create", "pubsub", *where, *flags),
        exists=("gcloud", "scheduler", "jobs", "describe", *where),
        update=("gcloud", "scheduler", "jobs", "update", "pubsub", *where, *flags),
    )


def deploy_firestore(options: Options) -> Step:
    return Step(
        (
            "firebase", "deploy", "--only", "firestore:rules,firestore:indexes",
            f"--project={options.project}", "--non-interactive",
        )
    )  # fmt: skip


def metric_files() -> list[Path]:
    """The log-based metrics, one LogMetric (YAML) per file, named after the metric."""
    return sorted(METRICS_DIR.glob("*.yaml"))


def create_metric(path: Path, options: Options) -> Step:
    where = [path.stem, f"--project={options.project}"]
    config = f"--config-from-file={path.relative_to(ROOT)}"
    return Step(
        ("gcloud", "logging", "metrics", "create", *where, config),
        exists=("gcloud", "logging", "metrics", "describe", *where),
        update=("gcloud", "logging", "metrics", "update", *where, config),
    )


def chosen(functions: dict[str, Function], only: Sequence[str]) -> list[FunctionSpec]:
    """The specs to deploy: all of main.py, or the `only` ones (which must exist)."""
    missing = sorted(set(only) - set(functions))
    if missing:
        raise SystemExit(
            f"no function {missing} in functions/main.py; there are {sorted(functions)}"
        )
    return [spec_of(fn) for name, fn in functions.items() if not only or name in only]


def plan(options: Options, functions: dict[str, Function] | None = None) -> list[Step]:
    """Every command of a deploy, in order: topics, functions, scheduler jobs, then (for a full
    deploy) Firestore rules and indexes and the log-based metrics."""
    specs = chosen(discover() if functions is None else functions, options.only)
    declared = declared_settings()
    topics = sorted({s.topic for s in specs if s.topic})
    steps = [create_topic(t, options) for t in topics]
    steps += [deploy_function(s, options, declared) for s in specs]
    steps += [schedule_job(s, options) for s in specs if s.kind == "scheduled"]
    if not options.only and options.firestore:
        steps.append(deploy_firestore(options))
    if not options.only and options.metrics:
        steps += [create_metric(p, options) for p in metric_files()]
    return steps


BUNDLE_FILES = ("requirements.txt", "firestore.indexes.json")
BUNDLE_DIRS = ("functions", "shared")
ROOT_MAIN = '''"""Cloud Functions loads main.py from the root of the upload. Functions are looked up
lazily (functions/main.py), so each deployed function imports only its own area."""

from functions.main import __all__, __getattr__  # noqa: F401
'''


def stage_bundle(target: Path) -> Path:
    """The upload: functions/, shared/, requirements.txt, the index file, and a root main.py."""
    target = ROOT / target
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in BUNDLE_DIRS:
        shutil.copytree(ROOT / name, target / name, ignore=ignore)
    for name in BUNDLE_FILES:
        shutil.copy2(ROOT / name, target / name)
    (target / "main.py").write_text(ROOT_MAIN)
    return target
