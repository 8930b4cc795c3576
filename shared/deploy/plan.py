"""The deployment plan: every command that ships this backend to Google Cloud, as `Step`s.

Derived from `shared.dev.server.discover()`, so a function added to functions/main.py is
deployed without touching this file.
"""

import shlex
import shutil
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from shared.deploy import iam
from shared.deploy.firestore import TTL_POLICIES
from shared.deploy.iam import Area
from shared.deploy.settings import (
    ROOT,
    declared_settings,
    is_deploy_only,
    is_dev_only,
    is_secret,
    secrets_read_by,
)
from shared.deploy.sizing import DeploySettings, deploy_settings, resources, unknown_functions
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
        if not is_secret(name) and not is_dev_only(name) and not is_deploy_only(name)
    }
    env.update(APP_ENV="prod", STORE_BACKEND="firestore", FIREBASE_PROJECT_ID=options.project)
    if PUSH_FUNCTION in discover():
        # google_play_push checks the OIDC token against the subscription push_subscription makes.
        env.update(push_settings(options))
    return env


PUSH_FUNCTION = "google_play_push"
PUSH_ACCOUNT = "play-push"


def function_url(name: str, options: Options) -> str:
    """The HTTPS endpoint of an HTTP function (2nd gen keeps the 1st gen style URL)."""
    return f"https://{options.region}-{options.project}.cloudfunctions.net/{name}"


def push_settings(options: Options) -> dict[str, str]:
    """PUBSUB_PUSH_AUDIENCE and PUBSUB_PUSH_SERVICE_ACCOUNT: the env file's, else ours."""
    return {
        "PUBSUB_PUSH_AUDIENCE": options.env.get("PUBSUB_PUSH_AUDIENCE")
        or function_url(PUSH_FUNCTION, options),
        "PUBSUB_PUSH_SERVICE_ACCOUNT": options.env.get("PUBSUB_PUSH_SERVICE_ACCOUNT")
        or iam.email(PUSH_ACCOUNT, options.project),
    }


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


def _trigger(spec: FunctionSpec, account: str) -> list[str]:
    if spec.kind in ("callable", "http"):
        # Callables verify ID tokens and webhooks verify signatures themselves.
        return ["--trigger-http", "--allow-unauthenticated", "--ingress-settings=all"]
    # Event handlers are idempotent and re-raise on failure, so Pub/Sub may redeliver. Only
    # Eventarc reaches them (internal-only), as the area's account (the only invoker).
    retry = ["--retry"] if spec.kind == "event" else []
    return [
        f"--trigger-topic={spec.topic}", *retry, f"--trigger-service-account={account}",
        "--ingress-settings=internal-only",
    ]  # fmt: skip


def deploy_function(
    spec: FunctionSpec, options: Options, declared: Sequence[str], account: str,
    sizing: DeploySettings,
) -> Step:  # fmt: skip
    size = resources(spec, sizing)
    build = iam.email(iam.BUILD_ACCOUNT, options.project)
    command = [
        "gcloud", "functions", "deploy", spec.name, "--gen2", f"--runtime={RUNTIME}",
        f"--project={options.project}", f"--region={options.region}",
        f"--source={options.source}", f"--entry-point={spec.name}",
        *_trigger(spec, account),
        f"--service-account={account}",
        f"--build-service-account=projects/{options.project}/serviceAccounts/{build}",
        f"--cpu={size.cpu}", f"--memory={size.memory}", f"--timeout={spec.timeout_seconds}s",
        f"--concurrency={size.concurrency}", f"--max-instances={size.max_instances}",
    ]  # fmt: skip
    if size.min_instances:
        command.append(f"--min-instances={size.min_instances}")
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
    """Every command of a deploy, in order: the project's bootstrap (APIs, Firestore database,
    service accounts and their roles), topics, functions, their invokers, the Play push
    subscription, scheduler jobs, then (for a full deploy) Firestore rules, indexes and TTL
    policies and the log-based metrics."""
    found = discover() if functions is None else functions
    specs = chosen(found, options.only)
    declared = declared_settings()
    sizing = deploy_settings(options.env)
    if unknown := unknown_functions(sizing, set(found)):
        raise SystemExit(f"DEPLOY_FUNCTIONS names no function of functions/main.py: {unknown}")
    secrets_of = {s.name: attached_secrets(options, declared, s) for s in specs}
    teams = iam.areas(specs, options.project, secrets_of)
    account_of = {spec.name: area.account for area in teams for spec in area.specs}
    full = not options.only
    steps = [enable_apis(teams, options, firestore=full and options.firestore)]
    if full and options.firestore:
        steps.append(create_database(options, sizing))
    steps += service_accounts(teams, options)
    push = PUSH_FUNCTION in account_of and PLAY_TOPIC in found_topics(found)
    topics = sorted({s.topic for s in specs if s.topic} | ({PLAY_TOPIC} if push else set()))
    steps += [create_topic(t, options) for t in topics]
    steps += publisher_grants(teams, topics, options)
    steps += [deploy_function(s, options, declared, account_of[s.name], sizing) for s in specs]
    steps += [
        invoker_grant(s, account_of[s.name], options)
        for s in specs
        if s.kind in ("event", "scheduled")
    ]
    if push:
        steps += push_subscription(options)
    steps += [schedule_job(s, options) for s in specs if s.kind == "scheduled"]
    if full and options.firestore:
        steps.append(deploy_firestore(options))
        steps += [ttl_policy(group, field, options) for group, field in TTL_POLICIES.items()]
    if full and options.metrics:
        steps += [create_metric(p, options) for p in metric_files()]
    return steps


def found_topics(functions: dict[str, Function]) -> set[str]:
    return {t for fn in functions.values() if (t := spec_of(fn).topic)}


# --- The project's bootstrap ----------------------------------------------------------------
# Every step below is safe to re-run: `services enable` and `add-iam-policy-binding` leave what
# is already there as it is (a binding that exists is not added twice), and everything else is
# created only when a `describe` finds nothing (or updated to the same values).

BASE_APIS = (
    "cloudfunctions.googleapis.com", "run.googleapis.com", "eventarc.googleapis.com",
    "cloudscheduler.googleapis.com", "pubsub.googleapis.com", "secretmanager.googleapis.com",
    "firestore.googleapis.com", "cloudbuild.googleapis.com", "artifactregistry.googleapis.com",
    "iam.googleapis.com", "logging.googleapis.com",
)  # fmt: skip
# APIs the code's roles need: FCM, Firebase Auth.
ROLE_APIS = {
    "roles/firebasecloudmessaging.admin": "fcm.googleapis.com",
    "roles/firebaseauth.admin": "identitytoolkit.googleapis.com",
}
PLAY_TOPIC = "play-notifications"


def enable_apis(teams: Sequence[Area], options: Options, firestore: bool) -> Step:
    extra = sorted({ROLE_APIS[r] for a in teams for r in a.project_roles if r in ROLE_APIS})
    rules = ["firebaserules.googleapis.com"] if firestore else []
    apis = [*BASE_APIS, *extra, *rules]
    return Step(("gcloud", "services", "enable", *apis, f"--project={options.project}"))


def create_database(options: Options, sizing: DeploySettings) -> Step:
    """The (default) Firestore database in Native mode, where the functions run unless told."""
    where = ["--database=(default)", f"--project={options.project}"]
    location = sizing.firestore_location or options.region
    return Step(
        ("gcloud", "firestore", "databases", "create", *where, f"--location={location}",
         "--type=firestore-native"),
        exists=("gcloud", "firestore", "databases", "describe", *where),
    )  # fmt: skip


def _account(account_id: str, description: str, options: Options) -> Step:
    email = iam.email(account_id, options.project)
    return Step(
        ("gcloud", "iam", "service-accounts", "create", account_id,
         f"--display-name={description}", f"--project={options.project}"),
        exists=("gcloud", "iam", "service-accounts", "describe", email,
                f"--project={options.project}"),
    )  # fmt: skip


def _project_grant(account: str, role: str, options: Options) -> Step:
    return Step(
        ("gcloud", "projects", "add-iam-policy-binding", options.project,
         f"--member={iam.member(account)}", f"--role={role}", "--condition=None", "--quiet",
         "--format=none"),
    )  # fmt: skip


def service_accounts(teams: Sequence[Area], options: Options) -> list[Step]:
    """Each area's account with its project roles and its secrets; the build account; the
    account Pub/Sub signs google_play_push's OIDC tokens as (when we make it)."""
    steps = [_account(iam.BUILD_ACCOUNT, "Builds the functions", options)]
    steps.append(
        _project_grant(iam.email(iam.BUILD_ACCOUNT, options.project), iam.BUILD_ROLE, options)
    )
    for area in teams:
        steps.append(_account(iam.account_id(area.name), f"Functions of {area.name}", options))
        steps += [_project_grant(area.account, role, options) for role in area.project_roles]
        steps += [
            Step(("gcloud", "secrets", "add-iam-policy-binding", secret,
                  f"--member={iam.member(area.account)}", f"--role={iam.SECRET_ROLE}",
                  f"--project={options.project}", "--condition=None", "--format=none"))
            for secret in area.secrets
        ]  # fmt: skip
    if any(s.name == PUSH_FUNCTION for a in teams for s in a.specs) and not options.env.get(
        "PUBSUB_PUSH_SERVICE_ACCOUNT"
    ):
        steps.append(_account(PUSH_ACCOUNT, "Signs Play push deliveries", options))
    return steps


def _topic_grant(topic: str, principal: str, role: str, options: Options) -> Step:
    return Step(
        ("gcloud", "pubsub", "topics", "add-iam-policy-binding", topic, f"--member={principal}",
         f"--role={role}", f"--project={options.project}", "--format=none"),
    )  # fmt: skip


def publisher_grants(teams: Sequence[Area], topics: Sequence[str], options: Options) -> list[Step]:
    """Publisher on a topic for the areas that publish to it, and for Google Play on its."""
    steps = [
        _topic_grant(topic, iam.member(area.account), iam.PUBLISHER_ROLE, options)
        for area in teams
        for topic in area.published_topics
    ]
    if PLAY_TOPIC in topics:
        steps.append(
            _topic_grant(PLAY_TOPIC, iam.member(iam.PLAY_PUBLISHER), iam.PUBLISHER_ROLE, options)
        )
    return steps


def invoker_grant(spec: FunctionSpec, account: str, options: Options) -> Step:
    """Its area's account (its Eventarc trigger's identity) may invoke an event function."""
    return Step(
        ("gcloud", "functions", "add-invoker-policy-binding", spec.name,
         f"--member={iam.member(account)}", f"--project={options.project}",
         f"--region={options.region}", "--format=none"),
    )  # fmt: skip


def push_subscription(options: Options) -> list[Step]:
    """Pub/Sub pushes Play notifications to google_play_push with an OIDC token whose audience
    and signer are the function's PUBSUB_PUSH_AUDIENCE and PUBSUB_PUSH_SERVICE_ACCOUNT."""
    settings = push_settings(options)
    name = f"{PLAY_TOPIC}-push"
    where = [name, f"--project={options.project}"]
    push = [
        f"--push-endpoint={function_url(PUSH_FUNCTION, options)}",
        f"--push-auth-service-account={settings['PUBSUB_PUSH_SERVICE_ACCOUNT']}",
        f"--push-auth-token-audience={settings['PUBSUB_PUSH_AUDIENCE']}",
    ]
    return [
        Step(
            ("gcloud", "pubsub", "subscriptions", "create", *where, f"--topic={PLAY_TOPIC}",
             *push, "--ack-deadline=60"),
            exists=("gcloud", "pubsub", "subscriptions", "describe", *where),
            update=("gcloud", "pubsub", "subscriptions", "update", *where, *push),
        )
    ]  # fmt: skip


def ttl_policy(group: str, field: str, options: Options) -> Step:
    """Firestore deletes a `group` document once `field` (a Timestamp) is past. Enabling an
    enabled policy again is accepted and changes nothing."""
    return Step(
        ("gcloud", "firestore", "fields", "ttls", "update", field, f"--collection-group={group}",
         "--enable-ttl", "--async", f"--project={options.project}"),
    )  # fmt: skip


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
