"""REST endpoint groups, one module per group (``server/routes/<group>.py``)."""

from __future__ import annotations

from ..api import RouteGroup
from . import (
    agent,
    analytics,
    appearance,
    auth,
    config,
    contacts,
    custom_fields,
    departments,
    general,
    inquiries,
    integrations,
    message,
    queue,
    room,
    rooms,
    sms,
    triggers,
    upload,
    users,
    visitor,
    visitors,
)

ROUTE_GROUPS: tuple[RouteGroup, ...] = tuple(
    module.routes
    for module in (
        auth,
        config,
        visitor,
        visitors,
        room,
        message,
        upload,
        agent,
        rooms,
        inquiries,
        queue,
        users,
        departments,
        custom_fields,
        contacts,
        appearance,
        integrations,
        general,
        triggers,
        sms,
        analytics,
    )
)
