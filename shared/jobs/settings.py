"""Generation job settings (documented in .env.example)."""

from typing import Literal

from pydantic import Field, SecretStr

from shared import config
from shared.config import AppSettings
from shared.http import RetryPolicy


class JobSettings(AppSettings):
    # The fal-style queue API: POST {base}/{providerModelId}, GET .../requests/{id}/status.
    provider_base_url: str = "https://queue.fal.run"
    provider_api_key: SecretStr = SecretStr("")
    # Per attempt; the whole submit may take (retries + 1) timeouts plus the backoff.
    provider_timeout_seconds: float = Field(default=20.0, gt=0)
    provider_retries: int = Field(default=3, ge=0, le=10)
    provider_retry_initial_seconds: float = Field(default=2.0, ge=0)
    provider_retry_max_seconds: float = Field(default=30.0, ge=0)
    provider_retry_jitter_seconds: float = Field(default=1.0, ge=0)
    # The provider answers a repeated Idempotency-Key with the job it started. false: a submit
    # is never retried (a retry after a timeout could start and bill a second job).
    provider_idempotent_submits: bool = True
    # Where the provider posts results (our provider_webhook URL); empty: rely on polling.
    provider_webhook_url: str = ""
    # The webhook's HMAC-SHA256 secret (Standard Webhooks; a "whsec_" prefix means base64).
    provider_webhook_secret: SecretStr = SecretStr("")
    provider_webhook_tolerance_seconds: int = Field(default=300, ge=1)
    job_prompt_max_chars: int = Field(default=2000, ge=1)
    # job_status asks the provider about a pending job at most this often.
    job_status_refresh_seconds: float = Field(default=10.0, ge=0)
    # A job stuck in "submitting" (the function died mid-submit) is failed and refunded.
    job_submit_stale_minutes: int = Field(default=15, ge=1)
    # fcm in prod; log prints notifications (dev); auto: fcm when APP_ENV=prod.
    job_notifier: Literal["auto", "fcm", "log"] = "auto"
    # Cleanup job: documents per transaction, and transactions per run.
    cleanup_batch_size: int = Field(default=200, ge=1, le=500)
    cleanup_max_batches: int = Field(default=50, ge=1)

    @property
    def retry_policy(self) -> RetryPolicy:
        return RetryPolicy(
            retries=self.provider_retries if self.provider_idempotent_submits else 0,
            initial=self.provider_retry_initial_seconds,
            maximum=self.provider_retry_max_seconds,
            jitter=self.provider_retry_jitter_seconds,
        )


def settings() -> JobSettings:
    return config.load(JobSettings)
