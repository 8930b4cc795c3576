"""Admin changes to the model catalog."""

from shared import wiring
from shared.admin.actions import record_action
from shared.admin.models import ActionDone, PutModel, SetModelAvailability
from shared.jobs import catalog
from shared.jobs.models import Model
from shared.store import Transaction
from shared.web.auth import AuthToken


def put_model(admin: AuthToken, request: PutModel) -> ActionDone:
    """Create or replace a model."""
    now = wiring.now()
    model = Model.model_validate(request.model_dump(exclude={"reason"}) | {"id": request.model_id})

    def body(txn: Transaction) -> ActionDone:
        stored = catalog.put_model(txn, model, now)
        result = stored.model_dump(mode="json", by_alias=True, exclude={"id", "updated_at"})
        return record_action(txn, admin.uid, "put_model", model.id, request.reason, result, now)

    return wiring.store().transaction(body)


def set_model_availability(admin: AuthToken, request: SetModelAvailability) -> ActionDone:
    """Enable or disable a model (ERR_4506 if unknown); running jobs are not affected."""
    now = wiring.now()

    def body(txn: Transaction) -> ActionDone:
        catalog.set_available(txn, request.model_id, request.available, now)
        action = "enable_model" if request.available else "disable_model"
        result = {"available": request.available}
        return record_action(txn, admin.uid, action, request.model_id, request.reason, result, now)

    return wiring.store().transaction(body)
