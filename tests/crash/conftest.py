from collections.abc import Iterator

import pytest

from shared import config
from tests.crash.devserver import DevServer
from tests.support.tokens import TokenSigner


@pytest.fixture
def devserver(tmp_path, certs_url: str, signer: TokenSigner) -> Iterator[DevServer]:
    """A dev server process on this test's SQLite file (the `store` fixture's)."""
    server = DevServer(config.platform().sqlite_path, certs_url, signer, {})
    yield server
    server.kill()
