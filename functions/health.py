"""Health callable."""

from shared.health import Health, check_health
from shared.models import Empty
from shared.web.functions import CallContext, callable_function


@callable_function(Empty)
def health(request: Empty, ctx: CallContext) -> Health:
    """The caller's uid and the server version."""
    return check_health(ctx.uid)
