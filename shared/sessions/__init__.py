"""Commitment sessions: lock a pledge, keep it alive with heartbeats, resolve it once."""

from shared.sessions.lifecycle import (
    expire_session,
    heartbeat_session,
    resolve_session,
    session_id_for,
    session_path,
    start_session,
)
from shared.sessions.models import (
    HeartbeatSession,
    ResolveSession,
    Session,
    SessionStatus,
    SessionView,
    StartSession,
)
from shared.sessions.settings import SessionSettings, settings

__all__ = [
    "HeartbeatSession",
    "ResolveSession",
    "Session",
    "SessionSettings",
    "SessionStatus",
    "SessionView",
    "StartSession",
    "expire_session",
    "heartbeat_session",
    "resolve_session",
    "session_id_for",
    "session_path",
    "settings",
    "start_session",
]
