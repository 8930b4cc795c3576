"""The bootstrap of a fresh project: least privilege derived from the code, a cost ceiling on
every function, the Play grant and push subscription, and a plan that can run twice."""

import json
from collections import defaultdict

import pytest

from shared import deploy
from shared.deploy import iam
from shared.deploy.plan import PLAY_TOPIC, PUSH_FUNCTION, function_url
from shared.deploy.settings import _import_closure, module_of
from shared.deploy.sizing import HEAVY_LIBRARIES
from shared.dev.server import discover, spec_of

ROOT = deploy.ROOT
PROJECT = "proj-1"


def options(**overrides) -> deploy.Options:
    return deploy.Options(project=PROJECT, **overrides)


def flags(command: tuple[str, ...]) -> dict[str, str]:
    return dict(a.removeprefix("--").partition("=")[::2] for a in command if a[:2] == "--")


def deploys(steps: list[deploy.Step]) -> dict[str, dict[str, str]]:
    return {
        s.command[3]: flags(s.command)
        for s in steps
        if s.command[:3] == ("gcloud", "functions", "deploy")
    }


def account(member: str) -> str:
    return member.removeprefix("serviceAccount:")


@pytest.fixture(scope="module")
def steps() -> list[deploy.Step]:
    return deploy.plan(options())


def libraries_of_area(area_account: str, deployed: dict[str, dict[str, str]]) -> set[str]:
    return {
        lib
        for name, f in deployed.items()
        if f["service-account"] == area_account
        for lib in deploy.libraries_used_by(name) or ()
    }


def test_every_function_runs_as_its_areas_own_account(steps):
    deployed = deploys(steps)
    assert set(deployed) == set(discover())
    by_account = defaultdict(set)
    for name, f in deployed.items():
        area = module_of(name).removeprefix("functions.")  # type: ignore[union-attr]
        assert f["service-account"] == iam.email(iam.account_id(area), PROJECT)
        assert "compute@developer" not in f["service-account"]
        by_account[f["service-account"]].add(module_of(name))
    assert all(len(modules) == 1 for modules in by_account.values()), "one account per area"
    created = {
        s.command[4] for s in steps if s.command[1:4] == ("iam", "service-accounts", "create")
    }
    assert {iam.account_id(a.split("@")[0].removeprefix("fn-")) for a in by_account} <= created


def test_every_project_role_is_needed_by_its_areas_code(steps):
    deployed = deploys(steps)
    grants = [
        flags(s.command) for s in steps if s.command[1:3] == ("projects", "add-iam-policy-binding")
    ]
    assert grants
    needed_by_library = {role: lib for lib, role in iam.LIBRARY_ROLES.items()}
    for grant in grants:
        who, role = account(grant["member"]), grant["role"]
        if who.startswith(f"{iam.BUILD_ACCOUNT}@"):
            assert role == iam.BUILD_ROLE
            continue
        members = [n for n, f in deployed.items() if f["service-account"] == who]
        assert members, f"{role} granted to {who}, which runs no function"
        if role == iam.FIRESTORE_ROLE:
            assert all("shared.store" in _import_closure(module_of(n)) for n in members)  # type: ignore[arg-type]
        else:
            assert role in needed_by_library, f"{role} is not a role any code needs"
            assert needed_by_library[role] in libraries_of_area(who, deployed), (who, role)


def test_a_role_follows_the_library_the_code_imports(steps):
    deployed = deploys(steps)
    granted = defaultdict(set)
    for s in steps:
        if s.command[1:3] == ("projects", "add-iam-policy-binding"):
            granted[account(flags(s.command)["member"])].add(flags(s.command)["role"])
    for who in {f["service-account"] for f in deployed.values()}:
        libraries = libraries_of_area(who, deployed)
        for library, role in iam.LIBRARY_ROLES.items():
            assert (role in granted[who]) == (library in libraries), (who, role)
    for sender in ("generate", "sync_push"):  # FCM: job notifications, sync pokes
        if sender in deployed:
            sa = deployed[sender]["service-account"]
            assert "roles/firebasecloudmessaging.admin" in granted[sa], sender
    assert granted[deployed["health"]["service-account"]] == {iam.FIRESTORE_ROLE}


def test_every_secret_is_readable_only_by_the_functions_that_read_it(steps):
    deployed = deploys(steps)
    readers = defaultdict(set)  # secret -> accounts of the functions it is attached to
    for f in deployed.values():
        for pair in filter(None, f.get("set-secrets", "").split(",")):
            readers[pair.partition("=")[0]].add(f["service-account"])
    bound = defaultdict(set)
    for s in steps:
        if s.command[1:3] == ("secrets", "add-iam-policy-binding"):
            assert flags(s.command)["role"] == iam.SECRET_ROLE
            bound[s.command[3]].add(account(flags(s.command)["member"]))
    assert readers and bound == readers
    secret_roles = [
        s for s in steps if "secretmanager" in flags(s.command).get("role", "")
        and s.command[1] == "projects"
    ]  # fmt: skip
    assert not secret_roles, "no project-wide secret access"


def test_event_and_scheduled_functions_are_internal_and_invoked_by_their_own_account(steps):
    deployed = deploys(steps)
    invokers = {
        s.command[3]: account(flags(s.command)["member"])
        for s in steps
        if s.command[1:3] == ("functions", "add-invoker-policy-binding")
    }
    for name, fn in discover().items():
        f, kind = deployed[name], spec_of(fn).kind
        if kind in ("event", "scheduled"):
            assert f["ingress-settings"] == "internal-only", name
            assert f["trigger-service-account"] == f["service-account"]
            assert invokers[name] == f["service-account"]
        else:
            assert f["ingress-settings"] == "all" and name not in invokers


def test_every_function_has_a_cost_ceiling(steps):
    for name, f in deploys(steps).items():
        spec = spec_of(discover()[name])
        assert int(f["max-instances"]) >= 1 and int(f["concurrency"]) >= 1, name
        assert "cpu" in f and f["memory"].endswith(("Mi", "Gi"))
        if int(f["concurrency"]) > 1:
            assert float(f["cpu"]) >= 1, f"{name}: concurrency needs a whole CPU"
        if spec.kind == "scheduled":
            assert f["max-instances"] == "1" and f["concurrency"] == "1"
        heavy = deploy.loads_heavy_sdk(name)
        assert (f["memory"] != "256Mi") == (heavy or spec.kind == "event"), name


def test_heavy_sdks_get_more_memory():
    assert "stripe" in HEAVY_LIBRARIES
    if "stripe_webhook" in discover():
        assert deploy.loads_heavy_sdk("stripe_webhook")
    assert not deploy.loads_heavy_sdk("health")


def test_deploy_settings_change_the_ceiling_and_are_never_deployed():
    hot = next(n for n, fn in discover().items() if spec_of(fn).kind == "callable")
    env = {
        "DEPLOY_MAX_INSTANCES": "3",
        "DEPLOY_CONCURRENCY": "8",
        "DEPLOY_FUNCTIONS": json.dumps({hot: {"minInstances": 1, "maxInstances": 50}}),
    }
    deployed = deploys(deploy.plan(options(env=env)))
    assert deployed[hot]["min-instances"] == "1" and deployed[hot]["max-instances"] == "50"
    other = next(n for n, f in deployed.items() if n != hot and f["concurrency"] != "1")
    assert deployed[other]["max-instances"] == "3" and deployed[other]["concurrency"] == "8"
    assert "min-instances" not in deployed[other]
    assert all("DEPLOY_" not in f["set-env-vars"] for f in deployed.values())


@pytest.mark.parametrize(
    ("env", "error"),
    [
        ({"DEPLOY_FUNCTIONS": '{"nope": {"maxInstances": 2}}'}, "nope"),
        ({"DEPLOY_FUNCTIONS": '{"health": {"maxInstance": 2}}'}, "maxInstance"),
        ({"DEPLOY_FUNCTIONS": '{"health": {"cpu": "0.333"}}'}, "cpu >= 1"),
        ({"DEPLOY_MAX_INSTANCES": "0"}, "DEPLOY_MAX_INSTANCES"),
        ({"DEPLOY_FUNCTIONS": '{"health": {"cpu": "one"}}'}, "cpu"),
        ({"DEPLOY_FUNCTIONS": "{not json"}, "DEPLOY_"),
    ],
)
def test_a_bad_deploy_setting_stops_the_deploy(env, error):
    with pytest.raises(SystemExit, match=error):
        deploy.plan(options(env=env))


def test_apis_and_the_firestore_database_come_first(steps):
    assert steps[0].command[1:3] == ("services", "enable")
    apis = set(steps[0].command[3:])
    assert {
        "cloudfunctions.googleapis.com", "run.googleapis.com", "eventarc.googleapis.com",
        "cloudscheduler.googleapis.com", "pubsub.googleapis.com", "secretmanager.googleapis.com",
        "firestore.googleapis.com", "cloudbuild.googleapis.com", "artifactregistry.googleapis.com",
    } <= apis  # fmt: skip
    assert steps[1].command[1:4] == ("firestore", "databases", "create")


def test_google_play_may_publish_and_pushes_with_the_token_the_function_checks(steps):
    if PUSH_FUNCTION not in discover():
        pytest.skip("no google_play_push")
    grants = [
        flags(s.command)
        for s in steps
        if s.command[1:4] == ("pubsub", "topics", "add-iam-policy-binding")
        and s.command[4] == PLAY_TOPIC
    ]
    assert {"member": f"serviceAccount:{iam.PLAY_PUBLISHER}", "role": "roles/pubsub.publisher",
            "project": PROJECT, "format": "none"} in grants  # fmt: skip
    push = next(s for s in steps if s.command[1:4] == ("pubsub", "subscriptions", "create"))
    f = flags(push.command)
    env = dict(p.split("=", 1) for p in deploys(steps)[PUSH_FUNCTION]["set-env-vars"].split(","))
    assert f["topic"] == PLAY_TOPIC
    assert f["push-endpoint"] == function_url(PUSH_FUNCTION, options())
    assert f["push-auth-token-audience"] == env["PUBSUB_PUSH_AUDIENCE"]
    assert f["push-auth-service-account"] == env["PUBSUB_PUSH_SERVICE_ACCOUNT"]
    assert push.update is not None and flags(push.update) == {
        k: v for k, v in f.items() if k in flags(push.update)
    }


def test_the_push_settings_of_the_env_file_win():
    if PUSH_FUNCTION not in discover():
        pytest.skip("no google_play_push")
    env = {
        "PUBSUB_PUSH_AUDIENCE": "aud-x",
        "PUBSUB_PUSH_SERVICE_ACCOUNT": "sa@other.iam.gserviceaccount.com",
    }
    steps = deploy.plan(options(env=env))
    push = next(s for s in steps if s.command[1:4] == ("pubsub", "subscriptions", "create"))
    assert flags(push.command)["push-auth-token-audience"] == "aud-x"
    assert flags(push.command)["push-auth-service-account"] == env["PUBSUB_PUSH_SERVICE_ACCOUNT"]
    created = [
        s.command[4] for s in steps if s.command[1:4] == ("iam", "service-accounts", "create")
    ]
    assert "play-push" not in created  # theirs, not ours


def test_the_play_topic_is_the_one_google_play_notifications_listens_to():
    from functions.purchases import PLAY_TOPIC as listened

    assert listened == PLAY_TOPIC


# --- Idempotency: run the deploy twice against a gcloud that remembers what exists ------------


class RememberingGcloud:
    """Stands in for the runner's commands: `describe` finds what `create` made, a second
    `create` fails with ALREADY_EXISTS as gcloud does, and everything else succeeds."""

    def __init__(self) -> None:
        self.known: set[str] = set()
        self.calls: list[str] = []

    def __call__(self, command, quiet: bool = False) -> int:
        self.calls.append(" ".join(command[1:]))
        words = [a for a in command[1:] if not a.startswith("--")]
        for verb in ("create", "describe"):
            if verb in words:
                i = words.index(verb)
                names = words[i + 1 :]
                if words[0] == "scheduler" and names[:1] == ["pubsub"]:
                    names = names[1:]  # jobs create pubsub NAME / jobs describe NAME
                key = " ".join(words[:i]) + ":" + (names[0].split("@")[0] if names else "-")
                if verb == "describe":
                    return 0 if key in self.known else 1
                if key in self.known:
                    return 1  # ALREADY_EXISTS
                self.known.add(key)
        return 0


def test_running_the_deploy_twice_creates_nothing_the_second_time(tmp_path, monkeypatch):
    from shared.deploy import __main__ as runner

    gcloud = RememberingGcloud()
    monkeypatch.setattr(runner, "_run", gcloud)
    monkeypatch.setattr(runner, "_require_tools", lambda steps: None)
    monkeypatch.setattr(runner, "existing_secrets", lambda project: frozenset(deploy.SECRETS))
    runs = []
    for _ in range(2):
        gcloud.calls = []
        runner.main(["--project", PROJECT, "--bundle-dir", str(tmp_path / "bundle")])
        runs.append(gcloud.calls)
    first, second = runs
    creates = [c for c in first if " create " in f" {c} "]
    assert any(c.startswith("iam service-accounts create") for c in creates)
    assert any(c.startswith("firestore databases create") for c in creates)
    assert any(c.startswith("pubsub subscriptions create") for c in creates) == (
        PUSH_FUNCTION in discover()
    )
    assert not [c for c in second if " create " in f" {c} "], "the second run created again"
    deployed = [c.split()[2] for c in second if c.startswith("functions deploy")]
    assert sorted(deployed) == sorted(discover())  # the second run still updates everything


def test_deploying_only_the_push_function_still_makes_its_topic_first():
    if PUSH_FUNCTION not in discover():
        pytest.skip("no google_play_push")
    steps = deploy.plan(options(only=(PUSH_FUNCTION,)))
    kinds = [s.command[1:4] for s in steps]
    topic = kinds.index(("pubsub", "topics", "create"))
    assert topic < kinds.index(("pubsub", "subscriptions", "create"))
    assert steps[topic].command[4] == PLAY_TOPIC
