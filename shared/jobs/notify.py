"""Telling a user that a job finished: a small protocol, with FCM behind it in production.

`FcmNotifier` sends an FCM v1 notification to the tokens of the user's devices through
`shared.fcm` (dead tokens are forgotten), importing it only when a job finishes. `LogNotifier`
(dev) writes a log line. Tests install their own recording notifier with
`wiring.use(notifier=...)`. A notification is best effort: a failure is logged, never raised,
because the job's state is already committed and the app can always poll.
"""

import logging
from typing import Protocol

from shared import config, log, wiring
from shared.jobs.models import JobStatus, JobView
from shared.jobs.settings import settings


class Notifier(Protocol):
    def job_finished(self, uid: str, job: JobView) -> None: ...


def message_of(job: JobView) -> tuple[str, str, dict[str, str]]:
    """(title, body, data) of the notification for a finished job."""
    done = job.status == JobStatus.COMPLETED
    title = "Your creation is ready" if done else "Your creation failed"
    body = "Tap to see it." if done else "Your credits were refunded."
    data = {"type": "job_finished", "jobId": job.job_id, "status": job.status.value}
    return title, body, data


class LogNotifier:
    def job_finished(self, uid: str, job: JobView) -> None:
        title, _, data = message_of(job)
        log.event("notification (not sent: log notifier)", uid=uid, title=title, **data)


class FcmNotifier:
    def job_finished(self, uid: str, job: JobView) -> None:
        from shared import fcm  # google-auth: loaded only when a job finishes

        title, body, data = message_of(job)
        notification = {"title": title, "body": body}
        fcm.send_to_devices(
            uid, lambda token: {"token": token, "notification": notification, "data": data}
        )


def _build() -> Notifier:
    choice = settings().job_notifier
    if choice == "auto":
        choice = "fcm" if config.platform().app_env == "prod" else "log"
    return FcmNotifier() if choice == "fcm" else LogNotifier()


def notifier() -> Notifier:
    return wiring.part("notifier", _build)


def notify_finished(uid: str, job: JobView) -> None:
    """Send the job-finished notification; log (never raise) if it fails."""
    try:
        notifier().job_finished(uid, job)
    except Exception as e:
        log.event("notification failed", logging.WARNING, uid=uid, jobId=job.job_id, error=repr(e))
