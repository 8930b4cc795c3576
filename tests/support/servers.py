"""Local HTTP servers that stand in for external services, on 127.0.0.1 and a free port."""

from shared.dev.servers import free_port, serve_wsgi

__all__ = ["free_port", "serve_wsgi"]
