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

from shared.deploy.plan import (
    BUNDLE_DIR,
    METRICS_DIR,
    Options,
    Step,
    chosen,
    cron,
    deployed_env,
    metric_files,
    plan,
    stage_bundle,
)
from shared.deploy.settings import (
    ROOT,
    SECRETS,
    code_settings,
    declared_settings,
    is_dev_only,
    is_secret,
    read_env_file,
    secrets_read_by,
)

__all__ = [
    "BUNDLE_DIR",
    "METRICS_DIR",
    "ROOT",
    "SECRETS",
    "Options",
    "Step",
    "chosen",
    "code_settings",
    "cron",
    "declared_settings",
    "deployed_env",
    "is_dev_only",
    "is_secret",
    "metric_files",
    "plan",
    "read_env_file",
    "secrets_read_by",
    "stage_bundle",
]
