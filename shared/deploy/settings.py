"""Which settings a deployed function gets, and which of them are secrets.

A secret is a `SecretStr` field of an area's settings, a name of `SECRETS`, or a name that looks
like one, so a new area's key cannot slip into --set-env-vars even if it is typed `str`. Each
function gets the secrets of the settings classes its module can reach by import.
"""

import ast
import importlib.util
import re
import sys
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any, get_args

from pydantic import SecretBytes, SecretStr

from shared.config import AppSettings
from shared.dev.server import discover

ROOT = Path(__file__).resolve().parents[2]

# Secrets typed `str` by their area (every `SecretStr` field is one too).
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


def is_deploy_only(name: str) -> bool:
    """Settings of deploy.sh itself (`DEPLOY_*`): read from the env file, never deployed."""
    return name.startswith("DEPLOY_")


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


@cache
def _imported_names(module: str) -> frozenset[str]:
    """Every module (and imported name) `module` imports anywhere in its source, function
    bodies included, relative imports resolved. Parsed once per module."""
    spec = importlib.util.find_spec(module)
    if spec is None or spec.origin is None or not spec.origin.endswith(".py"):
        return frozenset()
    package = module if spec.submodule_search_locations else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(Path(spec.origin).read_text())):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = importlib.util.resolve_name("." * node.level + (node.module or ""), package)
            found.update([base, *(f"{base}.{a.name}" for a in node.names)])
    return frozenset(found)


def _module_imports(module: str) -> set[str]:
    """The shared.* modules `module` imports anywhere in its source."""
    return {n for n in _imported_names(module) if n.startswith("shared") and n in sys.modules}


def _library_imports(module: str) -> set[str]:
    """The other libraries' modules (and names) `module` imports: `firebase_admin.messaging`,
    `google.cloud.pubsub_v1`, `stripe`."""
    return {n for n in _imported_names(module) if not n.startswith(("shared", "functions"))}


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


@cache
def module_of(function: str) -> str | None:
    """The functions/ module that defines the function (None if none does)."""
    discover()
    return next(
        (m for m in sorted(sys.modules) if m.startswith("functions.") and m != "functions.main"
         and function in vars(sys.modules[m]) and _defines(sys.modules[m], function)),
        None,
    )  # fmt: skip


@cache
def libraries_used_by(function: str) -> frozenset[str] | None:
    """Every library module the function's module can reach by import, lazy imports included,
    and the project's own modules it reaches (`shared.fcm` calls an API of its own); None when
    its module is unknown."""
    module = module_of(function)
    if module is None:
        return None
    closure = _import_closure(module)
    return closure | frozenset(lib for name in closure for lib in _library_imports(name))


def secrets_read_by(function: str) -> set[str] | None:
    """The secret settings of every settings class the function's module can reach by import
    (None when its module is unknown: then it gets them all)."""
    module = module_of(function)
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
