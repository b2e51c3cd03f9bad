"""Endpoint declarations, one module per resource (see :mod:`.._core.endpoint`)."""

from __future__ import annotations

from importlib import import_module
from typing import Any

from ..endpoint import Endpoint

# The client's own methods (login, logout, server_version), then one module per resource.
GROUPS = (
    "auth",
    "config",
    "agents",
    "visitor",
    "room",
    "messages",
    "inquiries",
    "users",
    "departments",
    "visitors",
    "contacts",
    "triggers",
    "custom_fields",
    "analytics",
)


def declared() -> list[Endpoint[Any, Any]]:
    """Every declared endpoint, in declaration order."""
    found: list[Endpoint[Any, Any]] = []
    for group in GROUPS:
        module = import_module(f"{__name__}.{group}")
        found.extend(
            item
            for item in vars(module).values()
            if isinstance(item, Endpoint) and item.group == group
        )
    return found
