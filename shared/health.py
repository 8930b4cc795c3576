"""The health check: who is calling and which version answers."""

from shared import VERSION, wiring
from shared.models import WireModel


class Health(WireModel):
    uid: str
    version: str
    time: str


def check_health(uid: str) -> Health:
    return Health(uid=uid, version=VERSION, time=wiring.now().isoformat())
