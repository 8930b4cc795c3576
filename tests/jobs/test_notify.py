"""The FCM notifier: firebase-admin is never loaded, messages go to the tokens of the user's
devices through the FCM v1 API (a local stand-in here), and a failure never breaks the caller."""

import subprocess
import sys
from datetime import UTC, datetime

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


def test_fcm_sends_to_the_device_tokens_and_forgets_dead_ones(store, fcm):
    store.set("users/u1/devices/d1", {"fcmToken": "tok-1"})
    store.set("users/u1/devices/d2", {"name": "no token"})
    store.set("users/u1/devices/d3", {"fcmToken": "tok-dead"})
    fcm.dead_tokens.add("tok-dead")
    notify.FcmNotifier().job_finished("u1", view())
    [message] = fcm.messages  # at the local FCM v1 API
    assert message["token"] == "tok-1"
    assert message["data"] == {"type": "job_finished", "jobId": "j1", "status": "completed"}
    assert message["notification"]["title"] == "Your creation is ready"
    assert "fcmToken" not in store.get("users/u1/devices/d3")


def test_no_tokens_no_message(store, fcm):
    notify.FcmNotifier().job_finished("u1", view(JobStatus.FAILED))
    assert fcm.messages == []


def test_a_failing_notifier_is_logged_not_raised(store):
    class Broken:
        def job_finished(self, uid, job):
            raise RuntimeError("FCM down")

    from shared import wiring

    wiring.use(notifier=Broken())
    notify.notify_finished("u1", view())  # no exception
