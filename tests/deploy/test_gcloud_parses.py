"""Every command `./deploy.sh --dry-run` prints parses with the installed gcloud CLI.

gcloud runs with an empty configuration (CLOUDSDK_CONFIG in a temp dir) and no account, so a
command whose arguments parse stops right after, at "no active account"; an unknown flag or a
bad value stops earlier, at argument parsing (exit 2). The commands run in one process of the
SDK (tests/deploy/gcloud_batch.py), and a deliberately broken command is shown to be caught,
by the batch and by the `gcloud` binary itself.
"""

import json
import os
import shlex
import shutil
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BATCH = Path(__file__).with_name("gcloud_batch.py")
GCLOUD = shutil.which("gcloud")
requires_gcloud = pytest.mark.skipif(GCLOUD is None, reason="the gcloud CLI is not installed")

SEPARATORS = {";", "||", "&&", "|"}
KEYWORDS = {"if", "then", "else", "fi"}
REDIRECTIONS = {">", ">>", "<", ">&", "&>"}
PARSE_ERRORS = ("unrecognized arguments", "Invalid choice", "argument --", "expected one argument")
NO_ACCOUNT = ("do not currently have an active account", "project property is set to the empty")


def shell_commands(line: str) -> list[list[str]]:
    """The simple commands of one line of shell (`a >/dev/null 2>&1 || b`, `if a; then b; fi`)."""
    lexer = shlex.shlex(line, posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    commands: list[list[str]] = [[]]
    tokens = list(lexer)
    skip = False
    for i, token in enumerate(tokens):
        if skip:
            skip = False
        elif token in SEPARATORS:
            commands.append([])
        elif token in REDIRECTIONS:
            skip = True  # its target
        elif token.isdigit() and i + 1 < len(tokens) and tokens[i + 1] in REDIRECTIONS:
            pass  # a file descriptor number: `2>&1`
        elif token in KEYWORDS and not commands[-1]:
            pass
        else:
            commands[-1].append(token)
    return [c for c in commands if c]


def test_shell_commands_splits_the_dry_run_forms():
    assert shell_commands("gcloud a b >/dev/null 2>&1 || gcloud c '--x=* *'") == [
        ["gcloud", "a", "b"], ["gcloud", "c", "--x=* *"],
    ]  # fmt: skip
    assert shell_commands("if gcloud d >/dev/null 2>&1; then gcloud u; else gcloud c; fi") == [
        ["gcloud", "d"], ["gcloud", "u"], ["gcloud", "c"],
    ]  # fmt: skip


@cache
def dry_run_commands() -> tuple[tuple[str, ...], ...]:
    """Every gcloud command of a full dry run (arguments after `gcloud`), each once."""
    env_file = Path(os.environ.get("TMPDIR", "/tmp")) / f"deploy-parse-{os.getpid()}.env"
    env_file.write_text("FIREBASE_PROJECT_ID=proj-parse\nLOG_LEVEL=INFO\n")
    try:
        out = subprocess.run(
            [sys.executable, "-m", "shared.deploy", "--dry-run", "--env-file", str(env_file)],
            cwd=ROOT, capture_output=True, text=True, timeout=120, check=True,
        ).stdout  # fmt: skip
    finally:
        env_file.unlink()
    found = [
        tuple(command[1:])
        for line in out.splitlines()
        if line and not line.startswith("#")
        for command in shell_commands(line)
        if command[0] == "gcloud"
    ]
    return tuple(dict.fromkeys(found))


def _sdk_python(sdk: Path) -> str:
    bundled = sdk / "platform" / "bundledpythonunix" / "bin" / "python3"
    return os.environ.get("CLOUDSDK_PYTHON") or (str(bundled) if bundled.exists() else "python3")


def gcloud_env(config: Path) -> dict[str, str]:
    """An empty gcloud configuration: no account, no project, no prompts, no network chatter."""
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith(("CLOUDSDK_", "GOOGLE_"))},
        "CLOUDSDK_CONFIG": str(config),
        "CLOUDSDK_CORE_DISABLE_PROMPTS": "1",
        "CLOUDSDK_CORE_DISABLE_USAGE_REPORTING": "true",
        "CLOUDSDK_COMPONENT_MANAGER_DISABLE_UPDATE_CHECK": "true",
    }


def run_batch(commands: list[tuple[str, ...]], config: Path) -> list[dict]:
    assert GCLOUD is not None
    sdk = Path(GCLOUD).resolve().parents[1]
    result = subprocess.run(
        [_sdk_python(sdk), str(BATCH), str(sdk)],
        input="".join(json.dumps(list(c)) + "\n" for c in commands),
        env=gcloud_env(config), capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    answers = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert len(answers) == len(commands), result.stderr[-2000:]
    return answers


def outcome(code: int, stderr: str) -> str:
    """parsed (stopped at the missing account), bad-arguments, or other."""
    if code == 2 or any(marker in stderr for marker in PARSE_ERRORS):
        return "bad-arguments"
    if code == 1 and any(marker in stderr for marker in NO_ACCOUNT):
        return "parsed"
    return "other"


@requires_gcloud
def test_every_dry_run_command_parses_with_gcloud(tmp_path):
    commands = list(dry_run_commands())
    groups = {c[0] for c in commands}
    assert {"services", "iam", "projects", "functions", "pubsub", "scheduler"} <= groups
    assert {"secrets", "firestore", "logging"} <= groups
    answers = run_batch(commands, tmp_path)
    failed = [
        f"gcloud {shlex.join(c)}\n  -> exit {a['code']}: {a['stderr'].strip()[:300]}"
        for c, a in zip(commands, answers, strict=True)
        if outcome(a["code"], a["stderr"]) != "parsed"
    ]
    assert not failed, "\n".join(failed)


def broken(command: tuple[str, ...]) -> list[tuple[str, ...]]:
    """The command with a misspelled flag, and with a value gcloud refuses."""
    typo = tuple(a.replace("--max-instances=", "--max-instance=") for a in command)
    bad_value = tuple(
        "--ingress-settings=internal" if a.startswith("--ingress-settings=") else a for a in command
    )
    assert typo != command and bad_value != command
    return [typo, bad_value]


@requires_gcloud
def test_a_broken_command_is_caught(tmp_path):
    deploy = next(c for c in dry_run_commands() if c[:2] == ("functions", "deploy"))
    commands = [deploy, *broken(deploy)]
    answers = run_batch(commands, tmp_path)
    assert [outcome(a["code"], a["stderr"]) for a in answers] == [
        "parsed", "bad-arguments", "bad-arguments",
    ]  # fmt: skip
    assert "--max-instance=" in answers[1]["stderr"]
    assert "internal-only" in answers[2]["stderr"]  # gcloud lists the valid choices
    # The gcloud binary itself agrees with the batch on the good and a broken command.
    for command, expected in ((deploy, "parsed"), (commands[1], "bad-arguments")):
        run = subprocess.run(
            [GCLOUD, *command], env=gcloud_env(tmp_path), capture_output=True, text=True,
            timeout=60, check=False,
        )  # fmt: skip
        assert outcome(run.returncode, run.stderr) == expected, run.stderr
