"""The deployment plan: every command that ships this backend to Google Cloud.

`plan(options)` derives the commands from `shared.dev.server.discover()`, so a function added to
functions/main.py is deployed without touching this file. `./deploy.sh` (`python -m
shared.deploy`) prints them (`--dry-run`) or runs them.

First the project's bootstrap, every step safe to re-run: APIs, the Firestore database, one
service account per area with only the roles its code needs (shared/deploy/iam.py), secret
access per secret, Google Play's publisher grant and the OIDC push subscription.
Per function: `gcloud functions deploy` (2nd gen, python311) with its trigger, its area's
account, ingress, cpu, memory, concurrency and instance bounds (shared/deploy/sizing.py);
settings as env vars and secrets from Secret Manager. Event and scheduled functions get their
Pub/Sub topic, scheduled ones a Cloud Scheduler job. A full deploy also ships firestore.rules
and firestore.indexes.json, the TTL policies (shared/deploy/firestore.py) and the log-based
metrics of ops/metrics/.

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
    libraries_used_by,
    read_env_file,
    secrets_read_by,
)
from shared.deploy.sizing import loads_heavy_sdk

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
    "libraries_used_by",
    "loads_heavy_sdk",
    "metric_files",
    "plan",
    "read_env_file",
    "secrets_read_by",
    "stage_bundle",
]
