"""The FCM notifier: firebase-admin is loaded only when a notification is sent, messages go
to the tokens of the user's devices, and a failure never breaks the caller."""

import subprocess
import sys
from datetime import UTC, datetime

import pytest

from shared.jobs import notify
from shared.jobs.models import JobStatus, JobView


def view(status: JobStatus = JobStatus.COMPLETED) -> JobView:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    return JobView(
        job_id="j1",
        model_id="m",
        status=status,
        cost=1,
        prompt="p",
        result_urls=[],
        error=None,
        refunded=False,
        created_at=now,
        updated_at=now,
        finished_at=now,
    )


def test_importing_the_jobs_functions_does_not_load_firebase_admin():
    code = "import sys, functions.jobs; print('firebase_admin' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_fcm_sends_to_the_device_tokens(store, monkeypatch):
    from firebase_admin import messaging

    sent = []
    monkeypatch.setattr(messaging, "send_each_for_multicast", lambda m, app=None: sent.append(m))
    store.set("users/u1/devices/d1", {"fcmToken": "tok-1"})
    store.set("users/u1/devices/d2", {"name": "no token"})
    notify.FcmNotifier().job_finished("u1", view())
    [message] = sent
    assert message.tokens == ["tok-1"]
    assert message.data == {"type": "job_finished", "jobId": "j1", "status": "completed"}
    assert message.notification.title == "Your creation is ready"


def test_no_tokens_no_firebase(store, monkeypatch):
    notifier = notify.FcmNotifier()
    monkeypatch.setattr(notifier, "_messaging", lambda: pytest.fail("firebase-admin touched"))
    notifier.job_finished("u1", view(JobStatus.FAILED))


def test_a_failing_notifier_is_logged_not_raised(store):
    class Broken:
        def job_finished(self, uid, job):
            raise RuntimeError("FCM down")

    from shared import wiring

    wiring.use(notifier=Broken())
    notify.notify_finished("u1", view())  # no exception
