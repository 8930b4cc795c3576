from tests.jobs.fixtures import notifier, provider, provider_server  # noqa: F401
from tests.sync.fcm_standin import fcm, fcm_service  # noqa: F401
