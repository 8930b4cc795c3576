from tests.jobs.fixtures import notifier, provider, provider_server  # noqa: F401
