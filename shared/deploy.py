"""The deployment plan: every command that ships this backend to Google Cloud.

`plan(options)` derives the commands from `shared.dev.server.discover()`, so a function added to
functions/main.py is deployed without touching this file. `./deploy.sh` (`python -m
shared.deploy`) prints them (`--dry-run`) or runs them.

Per function: `gcloud functions deploy` (2nd gen, python311) with its trigger, memory, timeout
and min instances from its `FunctionSpec`; settings as env vars and secrets from Secret Manager.
Event and scheduled functions get their Pub/Sub topic, scheduled ones a Cloud Scheduler job.
A full deploy also ships firestore.rules and firestore.indexes.json and the log-based metrics
of ops/metrics/.

Secrets are never read here: a secret setting is deployed as a Secret Manager reference
(`NAME=NAME:latest`, the secret's id is the variable's name), so no value can reach a command.
"""

import argparse
import ast
import importlib.util
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, get_args

from pydantic import SecretBytes, SecretStr

from shared.config import AppSettings
from shared.dev.server import Function, discover, spec_of
from shared.web.functions import FunctionSpec

ROOT = Path(__file__).resolve().parents[1]
METRICS_DIR = ROOT / "ops" / "metrics"
# Relative to ROOT, where every command runs.
BUNDLE_DIR = Path(".data/deploy/bundle")
RUNTIME = "python311"

# Settings whose values are secrets: every `SecretStr` field of an area's settings (found in the
# code), these names, and any other name that looks like one (see `is_secret`), so a new area's
# key cannot slip into --set-env-vars even if it is typed `str`.
SECRETS = frozenset(
    {
        "STRIPE_SECRET_KEY",
        "STRIPE_WEBHOOK_SECRET",
        "APPLE_API_PRIVATE_KEY",
        "APPLE_SHARED_SECRET",
        "PLAY_SERVICE_ACCOUNT_JSON",
        "DEVICECHECK_PRIVATE_KEY",
        "PROVIDER_API_KEY",
        "PROVIDER_WEBHOOK_SECRET",
    }
)
_SECRET_LOOK = re.compile(r"SECRET|PASSWORD|PRIVATE|SERVICE_ACCOUNT|TOKEN|_KEY$|API_KEY|CREDENTIAL")
# Names that look secret but are public: key ids, publishable keys, paths, URLs, account emails.
NOT_SECRETS = frozenset({"STRIPE_PUBLISHABLE_KEY", "PUBSUB_PUSH_SERVICE_ACCOUNT"})
_PUBLIC_LOOK = re.compile(r"_KEY_ID$|_ISSUER_ID$|PUBLISHABLE|_PATH$|_URL$|_FILE$")

# Local-only settings: meaningless (or refused, like PORT) on Cloud Functions.
DEV_ONLY = frozenset(
    {
        "PORT",
        "HOST",
        "SQLITE_PATH",
        "STORE_ENFORCE_INDEXES",
        "STORE_COUNT_OPERATIONS",
        "DEV_AUTH_DIR",
    }
)
_DEV_ONLY_LOOK = re.compile(r"^DEV_")


def is_secret(name: str) -> bool:
    """Whether a setting's value is a secret (deployed from Secret Manager, never printed)."""
    if name in SECRETS or code_settings().get(name):
        return True
    if name in NOT_SECRETS or _PUBLIC_LOOK.search(name):
        return False
    return bool(_SECRET_LOOK.search(name))


def _subclasses(cls: type) -> Iterator[type]:
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def _secret_type(annotation: Any) -> bool:
    return annotation in (SecretStr, SecretBytes) or any(
        _secret_type(a) for a in get_args(annotation)
    )


@cache
def code_settings() -> dict[str, bool]:
    """Every variable an area's settings class reads (main.py imports them all), and whether
    it is typed as a secret."""
    discover()
    found: dict[str, bool] = {}
    for cls in _subclasses(AppSettings):
        prefix = cls.model_config.get("env_prefix") or ""
        for name, info in cls.model_fields.items():
            env = f"{prefix}{name}".upper()
            found[env] = found.get(env, False) or _secret_type(info.annotation)
    return found


def is_dev_only(name: str) -> bool:
    return name in DEV_ONLY or bool(_DEV_ONLY_LOOK.match(name))


def declared_settings(example: Path = ROOT / ".env.example") -> list[str]:
    """Every setting: those .env.example documents, in order, then any other the code reads."""
    names = re.findall(r"^([A-Z][A-Z0-9_]*)=", example.read_text(), flags=re.MULTILINE)
    return list(dict.fromkeys([*names, *code_settings()]))


def read_env_file(path: Path) -> dict[str, str]:
    """A dotenv file: `NAME=value` lines, `#` comments, optional quotes around the value."""
    values: dict[str, str] = {}
    for line in path.read_text().splitlines():
        name, sep, value = line.strip().partition("=")
        if not sep or name.startswith("#"):
            continue
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        values[name.strip().removeprefix("export ").strip()] = value
    return values


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


def _module_imports(module: str) -> set[str]:
    """The shared.* modules `module` imports anywhere in its source, function bodies included."""
    spec = importlib.util.find_spec(module)
    if spec is None or spec.origin is None or not spec.origin.endswith(".py"):
        return set()
    package = module if spec.submodule_search_locations else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(Path(spec.origin).read_text())):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = importlib.util.resolve_name("." * node.level + (node.module or ""), package)
            found.update([base, *(f"{base}.{a.name}" for a in node.names)])
    return {name for name in found if name.startswith("shared") and name in sys.modules}


@cache
def _import_closure(module: str) -> frozenset[str]:
    seen: set[str] = set()
    todo = [module]
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            parents = [name.rsplit(".", i)[0] for i in range(1, name.count(".") + 1)]
            todo += [*_module_imports(name), *parents]
    return frozenset(seen)


def secrets_read_by(function: str) -> set[str] | None:
    """The secret settings of every settings class the function's module can reach by import
    (None when its module is unknown: then it gets them all)."""
    discover()
    module = next(
        (m for m in sorted(sys.modules) if m.startswith("functions.") and m != "functions.main"
         and function in vars(sys.modules[m]) and _defines(sys.modules[m], function)),
        None,
    )  # fmt: skip
    if module is None:
        return None
    reached = _import_closure(module)
    return {
        f"{cls.model_config.get('env_prefix') or ''}{name}".upper()
        for cls in _subclasses(AppSettings)
        if cls.__module__ in reached
        for name in cls.model_fields
    }


def _defines(module: Any, function: str) -> bool:
    """Whether the module's own source defines the function (main.py only re-exports it)."""
    tree = ast.parse(Path(module.__file__).read_text())
    return any(isinstance(n, ast.FunctionDef) and n.name == function for n in tree.body)


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
ROOT_MAIN = '''"""Cloud Functions loads main.py from the root of the upload."""

from functions.main import *  # noqa: F403
from functions.main import __all__  # noqa: F401
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


def _run(command: Sequence[str], quiet: bool = False) -> int:
    return subprocess.run(command, cwd=ROOT, capture_output=quiet, check=False).returncode


def run_step(step: Step) -> None:
    """Run one step (its check first), stopping the deploy at the first failure."""
    if step.exists is not None and _run(step.exists, quiet=True) == 0:
        if step.update is None:
            print(f"= exists: {shlex.join(step.command[:5])}", flush=True)
            return
        command = step.update
    else:
        command = step.command
    print(f"+ {shlex.join(command)}", flush=True)
    if _run(command) != 0:
        raise SystemExit(f"deploy stopped: this command failed: {shlex.join(command)}")


def existing_secrets(project: str) -> frozenset[str]:
    """The secret ids of the project's Secret Manager (names only, never values)."""
    listed = subprocess.run(
        ["gcloud", "secrets", "list", f"--project={project}", "--format=value(name.basename())"],
        capture_output=True,
        text=True,
        check=True,
    )
    return frozenset(listed.stdout.split())


def _arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="./deploy.sh", description=__doc__.split("\n")[0])
    parser.add_argument("--dry-run", action="store_true", help="print every command, run none")
    parser.add_argument("--only", action="append", default=[], metavar="NAME",
                        help="deploy only this function (repeatable)")  # fmt: skip
    parser.add_argument("--project", help="GCP project (default: FIREBASE_PROJECT_ID)")
    parser.add_argument("--region", default="us-central1")
    parser.add_argument("--env-file", type=Path, help="production settings (dotenv format)")
    parser.add_argument("--service-account", help="runtime service account of the functions")
    parser.add_argument("--skip-firestore", action="store_true", help="no rules/indexes deploy")
    parser.add_argument("--skip-metrics", action="store_true", help="no log-based metrics")
    parser.add_argument("--all-secrets", action="store_true", help="every secret to every function")
    parser.add_argument("--bundle-dir", type=Path, default=BUNDLE_DIR, help="where to stage")
    return parser.parse_args(argv)


def options_of(args: argparse.Namespace, secrets: frozenset[str] | None = None) -> Options:
    env = read_env_file(args.env_file) if args.env_file else {}
    project = args.project or env.get("FIREBASE_PROJECT_ID")
    if not project:
        raise SystemExit("give --project (or FIREBASE_PROJECT_ID in --env-file)")
    return Options(
        project=project,
        region=args.region,
        only=tuple(args.only),
        env=env,
        secrets=secrets,
        service_account=args.service_account,
        firestore=not args.skip_firestore,
        metrics=not args.skip_metrics,
        source=args.bundle_dir,
        all_secrets=args.all_secrets,
    )


def _preamble(options: Options) -> list[str]:
    secrets = attached_secrets(options, declared_settings())
    return [
        f"# project {options.project}, region {options.region}",
        f"# stage the upload at {options.source}: {', '.join(BUNDLE_DIRS)}, "
        f"{', '.join(BUNDLE_FILES)}, main.py (from functions.main import *)",
        "# secrets from Secret Manager (secret id = variable name; each function gets those "
        "its code reads, when present): " + (", ".join(secrets) or "none"),
    ]


def _require_tools(steps: Sequence[Step]) -> None:
    missing = sorted({s.command[0] for s in steps if shutil.which(s.command[0]) is None})
    if missing:
        raise SystemExit(f"not on PATH: {missing} (firebase: npm install -g firebase-tools)")


def main(argv: Sequence[str] | None = None) -> None:
    args = _arguments(argv)
    if args.dry_run:
        options = options_of(args)
        print("\n".join([*_preamble(options), *(s.render() for s in plan(options))]))
        return
    options = options_of(args)
    steps = plan(options)  # fails on an unknown --only before anything runs
    _require_tools(steps)
    options = options_of(args, existing_secrets(options.project))
    print("\n".join(_preamble(options)), flush=True)
    stage_bundle(options.source)
    for step in plan(options):
        run_step(step)
    print(f"deployed {len(chosen(discover(), options.only))} functions", flush=True)


if __name__ == "__main__":
    sys.exit(main())
