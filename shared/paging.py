"""Opaque page cursors for "newest first" lists ordered by a timestamp, then document id.

The cursor names the last document of a page by its time and id, so the next page starts
strictly after it even when many documents share a timestamp. A cursor that is not one of
ours answers the caller's own error code.
"""

import base64
import binascii
import json
from datetime import datetime

from pydantic import BaseModel, ValidationError

from shared.errors import AppError
from shared.models import document_id
from shared.store import Doc

CursorId = document_id(max_chars=200)


class _Cursor(BaseModel):
    t: datetime
    id: CursorId  # becomes a document path (the query's start-after document)


def encode_cursor(doc: Doc, time_field: str = "createdAt") -> str:
    raw = _Cursor(t=doc.data[time_field], id=doc.id).model_dump_json()
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(
    cursor: str, collection: str, invalid_code: str, time_field: str = "createdAt"
) -> Doc:
    """The last document of the previous page; `AppError(invalid_code)` if malformed."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        parsed = _Cursor.model_validate(json.loads(raw))
    except (ValueError, binascii.Error, ValidationError, UnicodeDecodeError):
        raise AppError(invalid_code) from None
    if parsed.t.tzinfo is None:
        raise AppError(invalid_code)
    return Doc(f"{collection}/{parsed.id}", {time_field: parsed.t})
