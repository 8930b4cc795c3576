from tests.jobs.fixtures import notifier, provider  # noqa: F401
