"""The audit trail: every admin change is recorded in `admin_actions` with who, what and why,
in the same transaction as the change itself."""

import uuid
from datetime import datetime
from typing import Any

from shared import collections
from shared.admin.models import ActionDone
from shared.store import Transaction


def record_action(
    txn: Transaction,
    admin_uid: str,
    action: str,
    target: str,
    reason: str,
    result: dict[str, Any],
    now: datetime,
    action_id: str | None = None,
) -> ActionDone:
    """Write the `admin_actions` record of a change (a write: call it after your reads)."""
    action_id = action_id or uuid.uuid4().hex
    txn.create(
        f"{collections.ADMIN_ACTIONS}/{action_id}",
        {
            "adminUid": admin_uid,
            "action": action,
            "target": target,
            "reason": reason,
            "result": result,
            "createdAt": now,
        },
    )
    return ActionDone(action_id=action_id, action=action, target=target, result=result)
