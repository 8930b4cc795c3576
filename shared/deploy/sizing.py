"""How big each function runs and how far it may scale: the cost ceiling of a deploy.

Defaults follow what a function does: callables and webhooks are I/O-bound (Firestore, HTTPS), so
one full CPU serves `DEPLOY_CONCURRENCY` requests at once; event functions handle one message at
a time on a third of a CPU; scheduled jobs are batch loops, one instance, a full CPU. A function
whose code loads a heavy SDK (Stripe, firebase-admin, gRPC Pub/Sub, Apple's library) gets
512Mi. `DEPLOY_FUNCTIONS` overrides any of it per function.
"""

import json
from functools import cache

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from shared.deploy.settings import libraries_used_by
from shared.web.functions import FunctionSpec

# Libraries whose import alone takes most of 256Mi once a request runs.
HEAVY_LIBRARIES = ("stripe", "firebase_admin", "google.cloud.pubsub_v1", "appstoreserverlibrary")
_MEBIBYTES = {"Mi": 1, "Gi": 1024}


class Resources(BaseModel):
    """One function's `gcloud functions deploy` sizing flags (unset: the default applies)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True)

    cpu: str | None = Field(default=None, pattern=r"^(0\.[0-9]+|[1-9][0-9]*)$")
    memory: str | None = Field(default=None, pattern=r"^[1-9][0-9]*(Mi|Gi)$")
    concurrency: int | None = Field(default=None, ge=1, le=1000)
    max_instances: int | None = Field(default=None, ge=1, alias="maxInstances")
    min_instances: int | None = Field(default=None, ge=0, alias="minInstances")


class DeploySettings(BaseModel):
    """deploy.sh's own settings (`DEPLOY_*` in the env file; never deployed to functions)."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    max_instances: int = Field(default=10, ge=1, alias="DEPLOY_MAX_INSTANCES")
    concurrency: int = Field(default=40, ge=1, le=1000, alias="DEPLOY_CONCURRENCY")
    event_max_instances: int = Field(default=5, ge=1, alias="DEPLOY_EVENT_MAX_INSTANCES")
    functions: dict[str, Resources] = Field(default_factory=dict, alias="DEPLOY_FUNCTIONS")
    firestore_location: str = Field(default="", alias="DEPLOY_FIRESTORE_LOCATION")


def deploy_settings(env: dict[str, str]) -> DeploySettings:
    """The DEPLOY_* settings of an env file, validated (a bad one stops the deploy, named)."""
    raw: dict[str, object] = {k: v for k, v in env.items() if k.startswith("DEPLOY_") and v}
    try:
        if "DEPLOY_FUNCTIONS" in raw:
            raw["DEPLOY_FUNCTIONS"] = json.loads(str(raw["DEPLOY_FUNCTIONS"]))
        return DeploySettings.model_validate(raw)
    except (ValueError, ValidationError) as e:
        raise SystemExit(f"bad DEPLOY_* setting in the env file: {e}") from None


def _mebibytes(memory: str) -> int:
    return int(memory[:-2]) * _MEBIBYTES[memory[-2:]]


@cache
def loads_heavy_sdk(function: str) -> bool:
    """Whether the function's code can import one of HEAVY_LIBRARIES."""
    libraries = libraries_used_by(function)
    return libraries is None or any(
        lib == heavy or lib.startswith(f"{heavy}.")
        for lib in libraries
        for heavy in HEAVY_LIBRARIES
    )


def default_resources(spec: FunctionSpec, settings: DeploySettings) -> Resources:
    """What the function gets unless DEPLOY_FUNCTIONS says otherwise."""
    memory = "512Mi" if loads_heavy_sdk(spec.name) else "256Mi"
    if _mebibytes(spec.memory) > _mebibytes(memory):
        memory = spec.memory  # the decorator asked for more
    if spec.kind == "scheduled":
        # Batch loops over Firestore; runs are resumable, so one at a time is enough.
        return Resources(cpu="1", memory=memory, concurrency=1, max_instances=1, min_instances=0)
    if spec.kind == "event":
        # One message at a time; Pub/Sub redelivers what a capped instance count defers.
        memory = max(memory, "512Mi", key=_mebibytes)
        return Resources(
            cpu="0.333", memory=memory, concurrency=1,
            max_instances=settings.event_max_instances, min_instances=0,
        )  # fmt: skip
    return Resources(
        cpu="1", memory=memory, concurrency=settings.concurrency,
        max_instances=settings.max_instances, min_instances=spec.min_instances,
    )  # fmt: skip


def resources(spec: FunctionSpec, settings: DeploySettings) -> Resources:
    """The function's sizing: its defaults, then its DEPLOY_FUNCTIONS entry."""
    chosen = default_resources(spec, settings)
    override = settings.functions.get(spec.name)
    if override is not None:
        chosen = chosen.model_copy(update=override.model_dump(exclude_none=True))
    if (chosen.concurrency or 1) > 1 and float(chosen.cpu or 0) < 1:
        raise SystemExit(f"{spec.name}: Cloud Functions needs cpu >= 1 for concurrency > 1")
    return chosen


def unknown_functions(settings: DeploySettings, names: set[str]) -> list[str]:
    """DEPLOY_FUNCTIONS entries naming no function of main.py."""
    return sorted(set(settings.functions) - names)
