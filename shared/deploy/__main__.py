"""`./deploy.sh`: print (`--dry-run`) or run the deployment plan of shared.deploy.plan."""

import argparse
import shlex
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from shared.deploy.plan import (
    BUNDLE_DIR,
    BUNDLE_DIRS,
    BUNDLE_FILES,
    PLAY_TOPIC,
    ROOT,
    Options,
    Step,
    attached_secrets,
    chosen,
    function_url,
    plan,
    stage_bundle,
)
from shared.deploy.settings import declared_settings, read_env_file
from shared.dev.server import discover


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
        *_endpoints(options),
    ]


def _endpoints(options: Options) -> list[str]:
    """Where Stripe, Apple, the provider and Play Console must point (README, one-time steps)."""
    hooks = [s.name for s in chosen(discover(), options.only) if s.kind == "http"]
    lines = [f"# endpoint {name}: {function_url(name, options)}" for name in hooks]
    return [*lines, f"# Play Console topic: projects/{options.project}/topics/{PLAY_TOPIC}"]


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
