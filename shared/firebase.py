"""The firebase-admin app (Auth custom claims, Cloud Messaging), built on first use.

Importing firebase_admin and finding credentials costs a cold start, so nothing here runs at
import time. A named app of our own, so code that configures the default app is unaffected.
"""

from typing import Any

from shared import config, wiring

APP_NAME = "backend"


def _build_app() -> Any:
    import firebase_admin

    try:
        return firebase_admin.get_app(APP_NAME)
    except ValueError:
        project = config.platform().firebase_project_id
        return firebase_admin.initialize_app(options={"projectId": project}, name=APP_NAME)


def admin_app() -> Any:
    """The firebase-admin App, shared by every area."""
    return wiring.part("firebase_app", _build_app)
