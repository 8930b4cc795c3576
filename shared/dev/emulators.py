"""`./dev emulators`: the backend inside the Firebase emulator suite, in one command.

It starts the Firebase Auth emulator (firebase-tools, pure JS), the official Firestore emulator
as the store (`STORE_BACKEND=firestore`) and the official Pub/Sub emulator (both from the Google
Cloud CLI, Java 17), creates a topic and a push subscription for every event and scheduled
function, pointed at the dev server, and then serves the backend. The local scheduler publishes
its ticks to the Pub/Sub emulator, as Cloud Scheduler does. Ctrl-C stops everything together.

Ports default to firebase.json's (Auth 9099, Firestore 8081, Pub/Sub 8085) and $PORT (8080);
a default that is taken is replaced by a free port, a port given as an option must be free.
"""

import argparse
import contextlib
import functools
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from shared.dev.servers import free_port

ROOT = Path(__file__).resolve().parents[2]
FIREBASE_CLI = ROOT / "tests" / "js" / "node_modules" / ".bin" / "firebase"
START_TIMEOUT_SECONDS = 120
SCHEDULER_MESSAGE = b"{}"  # the body deploy.sh gives each Cloud Scheduler job


class EmulatorError(RuntimeError):
    """An emulator is missing or did not start; the message says what to do."""


@functools.cache
def _gcloud_sdk_root() -> Path | None:
    if shutil.which("gcloud") is None:
        return None
    done = subprocess.run(
        ["gcloud", "info", "--format=value(installation.sdk_root)"],
        capture_output=True,
        text=True,
        check=False,
    )
    return Path(done.stdout.strip()) if done.returncode == 0 and done.stdout.strip() else None


def gcloud_emulator_missing(component: str) -> str | None:
    """Why the Google Cloud CLI emulator `component` cannot run here, or None if it can."""
    root = _gcloud_sdk_root()
    if root is None:
        return "the Google Cloud CLI (gcloud) is not installed"
    if shutil.which("java") is None:
        return "Java (17+), which the gcloud emulators run on, is not installed"
    if not (root / "platform" / component).is_dir():
        return f"the gcloud component {component} is missing: gcloud components install {component}"
    return None


def firebase_cli_missing() -> str | None:
    """Why the Auth emulator (firebase-tools) cannot run here, or None if it can."""
    if shutil.which("node") is None:
        return "node is not installed"
    if not FIREBASE_CLI.exists():
        return "firebase-tools is missing from tests/js/node_modules (./dev installs it with npm)"
    return None


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1) as response:
            return response.status == 200
    except OSError:
        return False


def _group_alive(group: int) -> bool:
    """Whether a live (not zombie) process is left in process group `group`."""
    proc = Path("/proc")
    if not proc.is_dir():  # not Linux: signal 0 answers for the group
        try:
            os.killpg(group, 0)
        except ProcessLookupError:
            return False
        return True
    for stat in proc.glob("[0-9]*/stat"):
        with contextlib.suppress(OSError):
            # "pid (comm) state ppid pgrp ..."; comm may hold spaces, so split after its ")".
            state, _ppid, pgrp = stat.read_text().rpartition(")")[2].split()[:3]
            if int(pgrp) == group and state != "Z":
                return True
    return False


def _stop(process: subprocess.Popen, grace_seconds: float = 10) -> None:
    """Stop a process and every child it spawned (its own process group), and wait until they
    are all gone: the gcloud wrapper exits before its Java emulator has closed its port."""
    group = process.pid

    def gone() -> bool:
        return process.poll() is not None and not _group_alive(group)

    for sig, seconds in ((signal.SIGTERM, grace_seconds), (signal.SIGKILL, 5)):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(group, sig)
        deadline = time.monotonic() + seconds
        while not (stopped := gone()) and time.monotonic() < deadline:
            time.sleep(0.05)
        if stopped:
            return


@dataclass
class Emulator:
    """A started emulator process; `wait_ready` waits until it answers at `host`."""

    name: str
    host: str
    process: subprocess.Popen
    log: Path

    def ready(self) -> bool:
        if self.process.poll() is not None:
            raise EmulatorError(f"the {self.name} exited; its log ({self.log}):\n{self._log()}")
        return _answers(f"http://{self.host}")

    def _log(self) -> str:
        return self.log.read_text(errors="replace")[-4000:]


def wait_ready(*emulators: Emulator, timeout: float = START_TIMEOUT_SECONDS) -> None:
    """Wait until every emulator answers (they start in parallel)."""
    deadline = time.monotonic() + timeout
    pending = list(emulators)
    while pending := [e for e in pending if not e.ready()]:
        if time.monotonic() > deadline:
            e = pending[0]
            raise EmulatorError(f"the {e.name} did not start in {timeout:.0f} s:\n{e._log()}")
        time.sleep(0.25)


@contextlib.contextmanager
def _process(name: str, host: str, argv: list[str], log: Path, **popen: Any) -> Iterator[Emulator]:
    """Start `argv` in its own process group, logging to `log`; stop the group on exit."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("w") as out:
        process = subprocess.Popen(
            argv, stdout=out, stderr=subprocess.STDOUT, start_new_session=True, **popen
        )
    try:
        yield Emulator(name, host, process, log)
    finally:
        _stop(process)


def _gcloud_emulator(component: str) -> None:
    if (reason := gcloud_emulator_missing(component)) is not None:
        raise EmulatorError(reason)


@contextlib.contextmanager
def firestore_emulator(port: int, log_dir: Path) -> Iterator[Emulator]:
    """The official Firestore emulator with firestore.rules, started (see `wait_ready`)."""
    _gcloud_emulator("cloud-firestore-emulator")
    host = f"127.0.0.1:{port}"
    argv = ["gcloud", "emulators", "firestore", "start", f"--host-port={host}"]
    argv.append(f"--rules={ROOT / 'firestore.rules'}")
    with _process("Firestore emulator", host, argv, log_dir / "firestore.log") as emulator:
        yield emulator


@contextlib.contextmanager
def pubsub_emulator(port: int, project: str, log_dir: Path) -> Iterator[Emulator]:
    """The official Pub/Sub emulator, started (see `wait_ready`)."""
    _gcloud_emulator("pubsub-emulator")
    host = f"127.0.0.1:{port}"
    argv = ["gcloud", "beta", "emulators", "pubsub", "start", f"--host-port={host}"]
    argv.append(f"--project={project}")
    with _process("Pub/Sub emulator", host, argv, log_dir / "pubsub.log") as emulator:
        yield emulator


@contextlib.contextmanager
def auth_emulator(port: int, project: str, log_dir: Path) -> Iterator[Emulator]:
    """The Firebase Auth emulator (firebase-tools), started (see `wait_ready`)."""
    if (reason := firebase_cli_missing()) is not None:
        raise EmulatorError(reason)
    with tempfile.TemporaryDirectory(prefix="auth-emulator-") as tmp:
        # Its own firebase.json (our ports; free ones for its hub and logging) and TMPDIR (the
        # hub's locator file is named after the project only).
        config = {
            "emulators": {
                "auth": {"host": "127.0.0.1", "port": port},
                "hub": {"host": "127.0.0.1", "port": free_port()},
                "logging": {"host": "127.0.0.1", "port": free_port()},
                "ui": {"enabled": False},
                "singleProjectMode": False,  # tests use a project of their own
            }
        }
        (Path(tmp) / "firebase.json").write_text(json.dumps(config))
        argv = [str(FIREBASE_CLI), "emulators:start", "--only", "auth", "--project", project]
        host = f"127.0.0.1:{port}"
        env = {**os.environ, "CI": "true", "TMPDIR": tmp}
        log = log_dir / "auth.log"
        with _process("Auth emulator", host, argv, log, cwd=tmp, env=env) as emulator:
            yield emulator


@dataclass(frozen=True)
class PushSubscription:
    topic: str
    subscription: str
    endpoint: str
    function: str


def create_push_subscriptions(
    functions: dict[str, Any], project: str, backend_url: str
) -> list[PushSubscription]:
    """A topic and a push subscription to `backend_url/<name>` for every event and scheduled
    function, on the Pub/Sub emulator at PUBSUB_EMULATOR_HOST (kept if they exist)."""
    from google.api_core.exceptions import AlreadyExists
    from google.cloud import pubsub_v1  # imported here: gRPC is slow to load

    publisher, subscriber = pubsub_v1.PublisherClient(), pubsub_v1.SubscriberClient()
    created = []
    for name, fn in sorted(functions.items()):
        spec = fn.__deploy__
        if spec.kind not in ("event", "scheduled"):
            continue
        push = PushSubscription(
            publisher.topic_path(project, spec.topic),
            subscriber.subscription_path(project, f"push-{name}"),  # names may not start "goog"
            f"{backend_url}/{name}",
            name,
        )
        with contextlib.suppress(AlreadyExists):
            publisher.create_topic(name=push.topic)
        with contextlib.suppress(AlreadyExists):
            subscriber.create_subscription(
                name=push.subscription,
                topic=push.topic,
                push_config={"push_endpoint": push.endpoint},
                ack_deadline_seconds=min(max(spec.timeout_seconds, 10), 600),
            )
        created.append(push)
    return created


def publisher_of_ticks(project: str):
    """A local-scheduler `fire` that publishes each tick to the job's topic, as Cloud
    Scheduler does, for the push subscription to deliver."""
    from google.cloud import pubsub_v1

    client = pubsub_v1.PublisherClient()

    def fire(fn: Any) -> None:
        topic = client.topic_path(project, fn.__deploy__.topic)
        client.publish(topic, SCHEDULER_MESSAGE).result(timeout=30)

    return fire


def _port(given: int | None, default: int, what: str) -> int:
    if given is not None:
        if given and not _port_free(given):
            raise EmulatorError(f"port {given} for the {what} is taken")
        return given or free_port()
    if _port_free(default):
        return default
    chosen = free_port()
    print(f"port {default} for the {what} is taken; using {chosen}", file=sys.stderr)
    return chosen


def _port_free(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _firebase_json_ports() -> dict[str, int]:
    emulators = json.loads((ROOT / "firebase.json").read_text()).get("emulators", {})
    defaults = {"auth": 9099, "firestore": 8081, "pubsub": 8085}
    return {name: int(emulators.get(name, {}).get("port", port)) for name, port in defaults.items()}


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="./dev emulators", description=__doc__.split("\n")[0])
    for flag, what in (
        ("--port", "backend ($PORT, else 8080)"),
        ("--auth-port", "Auth emulator (firebase.json)"),
        ("--firestore-port", "Firestore emulator (firebase.json)"),
        ("--pubsub-port", "Pub/Sub emulator (firebase.json)"),
    ):
        parser.add_argument(flag, type=int, help=f"port of the {what}; 0 takes a free one")
    parser.add_argument(
        "--logs", type=Path, default=ROOT / ".data" / "emulators", help="the emulators' logs"
    )
    return parser.parse_args(argv)


def _stop_on_signals() -> None:
    """Ctrl-C and SIGTERM unwind main(), which stops the emulators (in their own process groups,
    they never see the terminal's Ctrl-C). SIGINT is set too: a shell starting us in the
    background would have it ignored."""

    def stop(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)


def main(argv: list[str] | None = None) -> int:
    from shared.dev import server

    args = _arguments(argv)
    _stop_on_signals()
    defaults = _firebase_json_ports()
    project = os.environ.setdefault("FIREBASE_PROJECT_ID", "demo-local")
    try:
        port = _port(args.port, int(os.environ.get("PORT", "8080")), "backend")
        auth_port = _port(args.auth_port, defaults["auth"], "Auth emulator")
        firestore_port = _port(args.firestore_port, defaults["firestore"], "Firestore emulator")
        pubsub_port = _port(args.pubsub_port, defaults["pubsub"], "Pub/Sub emulator")
        with contextlib.ExitStack() as running:
            print("Starting the Auth, Firestore and Pub/Sub emulators ...", flush=True)
            started = {
                "FIREBASE_AUTH_EMULATOR_HOST": running.enter_context(
                    auth_emulator(auth_port, project, args.logs)
                ),
                "FIRESTORE_EMULATOR_HOST": running.enter_context(
                    firestore_emulator(firestore_port, args.logs)
                ),
                "PUBSUB_EMULATOR_HOST": running.enter_context(
                    pubsub_emulator(pubsub_port, project, args.logs)
                ),
            }
            wait_ready(*started.values())
            hosts = {name: emulator.host for name, emulator in started.items()}
            os.environ.update(hosts)
            os.environ.update(STORE_BACKEND="firestore", PORT=str(port))
            os.environ.setdefault("STRIPE_BACKFILL_PUBLISHER", "pubsub")
            functions = server.discover()
            pushes = create_push_subscriptions(functions, project, f"http://127.0.0.1:{port}")
            for name, host in hosts.items():
                print(f"{name}={host}", flush=True)
            for push in pushes:
                print(f"  {push.topic} -> {push.endpoint}", flush=True)
            server.main(fire=publisher_of_ticks(project))  # returns on Ctrl-C or SIGTERM
    except EmulatorError as e:
        print(f"./dev emulators: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        pass  # while starting: the emulators started so far are stopped already
    print("Stopped the backend and the emulators.", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
