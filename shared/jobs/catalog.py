"""The `models` collection: what apps may generate with, at what cost.

`list_models` answers an ETag (a hash of exactly what it returns), so an app that sends the
ETag it has gets `notModified` and no list. Callables always answer HTTP 200 with JSON, so
"not modified" is a field of the result rather than a 304.
"""

import hashlib
import json
from datetime import datetime
from typing import Any

from shared import collections, wiring
from shared.errors import AppError
from shared.jobs.models import GetModels, Model, ModelList, ModelView
from shared.store import Reader, Transaction, query


def model_path(model_id: str) -> str:
    return f"{collections.MODELS}/{model_id}"


def read_model(reader: Reader, model_id: str) -> Model:
    """The model `model_id`; ERR_4506 if unknown, ERR_4002 if disabled."""
    data = reader.get(model_path(model_id))
    if data is None:
        raise AppError("ERR_4506", modelId=model_id)
    model = Model.model_validate({**data, "id": model_id})
    if not model.available:
        raise AppError("ERR_4002")
    return model


def check_options(model: Model, options: dict[str, Any]) -> None:
    """ERR_4000 naming the first option the model does not accept."""
    for name in options:
        if name not in model.allowed_options:
            raise AppError("ERR_4000", reason=f"options.{name}: not accepted by {model.id}")


def _etag(models: list[ModelView]) -> str:
    raw = json.dumps([m.model_dump(mode="json") for m in models], sort_keys=True)
    return '"' + hashlib.sha256(raw.encode()).hexdigest()[:32] + '"'


def list_models(request: GetModels, if_none_match: str | None = None) -> ModelList:
    """The available models, featured first then by name, with their ETag.

    `if_none_match` (the header) is used when the request carries none of its own.
    """
    docs = wiring.store().query(query(collections.MODELS, [("available", "==", True)]))
    models = sorted(
        (Model.model_validate({**d.data, "id": d.id}) for d in docs),
        key=lambda m: (not m.featured, m.name.lower(), m.id),
    )
    views = [
        ModelView(model_id=m.id, name=m.name, cost=m.cost, provider=m.provider, featured=m.featured)
        for m in models
    ]
    etag = _etag(views)
    wanted = request.if_none_match or if_none_match
    if wanted and wanted.removeprefix("W/") == etag:
        return ModelList(etag=etag, not_modified=True, models=None)
    return ModelList(etag=etag, not_modified=False, models=views)


def put_model(txn: Transaction, model: Model, now: datetime) -> Model:
    """Create or replace a model (in the caller's transaction)."""
    stored = model.model_copy(update={"updated_at": now})
    txn.set(model_path(model.id), stored.document())
    return stored


def set_available(txn: Transaction, model_id: str, available: bool, now: datetime) -> Model:
    """Enable or disable a model; ERR_4506 if unknown. Reads, then writes."""
    data = txn.get(model_path(model_id))
    if data is None:
        raise AppError("ERR_4506", modelId=model_id)
    txn.update(model_path(model_id), {"available": available, "updatedAt": now})
    return Model.model_validate({**data, "id": model_id, "available": available})
