"""Telling a user that a job finished: a small protocol, with FCM behind it in production.

`FcmNotifier` sends through firebase-admin's messaging to the FCM tokens of the user's devices
(`users/{uid}/devices/*.fcmToken`), importing and initializing firebase-admin only on first
use. `LogNotifier` (dev) writes a log line. Tests install their own recording notifier with
`wiring.use(notifier=...)`. A notification is best effort: a failure is logged, never raised,
because the job's state is already committed and the app can always poll.
"""

import logging
from typing import Any, Protocol

from shared import collections, config, log, wiring
from shared.firebase import admin_app
from shared.jobs.models import JobStatus, JobView
from shared.jobs.settings import settings
from shared.store import query


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
    def _messaging(self) -> Any:
        from firebase_admin import messaging  # lazy: see shared.firebase

        return messaging

    def job_finished(self, uid: str, job: JobView) -> None:
        docs = wiring.store().query(query(collections.devices(uid)))
        tokens = [t for d in docs if isinstance(t := d.data.get("fcmToken"), str) and t]
        if not tokens:
            return
        messaging = self._messaging()
        title, body, data = message_of(job)
        message = messaging.MulticastMessage(
            tokens=tokens[:500],
            notification=messaging.Notification(title=title, body=body),
            data=data,
        )
        messaging.send_each_for_multicast(message, app=admin_app())


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
