#!/usr/bin/env bash
# Deploy every function of functions/main.py to Cloud Functions (2nd gen, python311), their
# Pub/Sub topics and Cloud Scheduler jobs, Firestore rules and indexes, and log-based metrics.
#   ./deploy.sh --project P [--region R] [--env-file .env.prod] [--only NAME]... [--dry-run]
# The plan lives in shared/deploy/; --dry-run prints every command and needs no gcloud.
set -euo pipefail
cd "$(dirname "$0")"
if [ ! -x .venv/bin/python ]; then
  echo "No .venv yet: run ./dev demo (or any ./dev command) once to create it." >&2
  exit 1
fi
exec .venv/bin/python -m shared.deploy "$@"
