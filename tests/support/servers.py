"""Local HTTP servers that stand in for external services, on 127.0.0.1 and a free port."""

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from werkzeug.serving import BaseWSGIServer, make_server


@contextmanager
def serve_wsgi(app) -> Iterator[str]:
    """Serve a WSGI app (Flask or werkzeug) in a thread; yield its base URL."""
    server: BaseWSGIServer = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)
