"""Departments and their agents (§4.6).

Rocket.Chat CE allows a single department (``error-max-departments-number-reached``); the
embedded server behaves like EE and allows any number, because tests need several.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ..errors import MeteorError
from ..ids import random_id
from ..state import ServerState
from ..store import Doc
from ..validation import ObjectIncluding, Optional, check

DEPARTMENT_PATTERN = ObjectIncluding(
    {
        "enabled": bool,
        "name": str,
        "description": Optional(str),
        "showOnRegistration": bool,
        "email": str,
        "showOnOfflineForm": bool,
        "requestTagBeforeClosingChat": Optional(bool),
        "chatClosingTags": Optional([str]),
        "fallbackForwardDepartment": Optional(str),
        "departmentsAllowedToForward": Optional([str]),
        "allowReceiveForwardOffline": Optional(bool),
    }
)
AGENT_PATTERN = ObjectIncluding({"agentId": str})


def _check_rules(state: ServerState, department_id: str | None, data: Mapping[str, Any]) -> None:
    if data.get("requestTagBeforeClosingChat") and not data.get("chatClosingTags"):
        raise MeteorError(
            "error-validating-department-chat-closing-tags",
            "At least one closing tag is required when the department requires tag(s) on "
            "closing conversations.",
            {"method": "livechat:saveDepartment"},
        )
    fallback = data.get("fallbackForwardDepartment")
    if fallback:
        if fallback == department_id:
            raise MeteorError(
                "error-fallback-department-circular",
                "Cannot save department. Circular reference between fallback department and "
                "department",
                {"method": "livechat:saveDepartment"},
            )
        if state.store.departments.get(fallback) is None:
            raise MeteorError(
                "error-fallback-department-not-found",
                "Fallback department not found",
                {"method": "livechat:saveDepartment"},
            )


def save(
    state: ServerState,
    department_id: str | None,
    data: Mapping[str, Any],
    agents: Iterable[Mapping[str, Any]] | None,
) -> Doc:
    """Create (``department_id`` None) or update a department; ``agents`` replaces the list."""
    check(dict(data), DEPARTMENT_PATTERN)
    agent_list = list(agents) if agents is not None else None
    if agent_list is not None:
        check(agent_list, [AGENT_PATTERN])
    _check_rules(state, department_id, data)
    existing = state.store.departments.get(department_id) if department_id else None
    if department_id and existing is None:
        raise MeteorError(
            "error-department-not-found",
            "Department not found",
            {"method": "livechat:saveDepartment"},
        )
    doc: Doc = {
        "type": "d",
        "numAgents": 0,
        "archived": False,
        **(existing or {}),
        **data,
        "_id": department_id or random_id(),
        "_updatedAt": state.now(),
    }
    with state.store.transaction():
        state.store.departments.save(doc)
        if agent_list is not None:
            set_agents(state, doc, agent_list)
        state.store.department_agents.update_many(
            {"departmentId": doc["_id"]}, {"$set": {"departmentEnabled": doc["enabled"]}}
        )
    result = state.store.departments.get(doc["_id"])
    assert result is not None
    return result


def set_agents(state: ServerState, department: Doc, agents: list[Mapping[str, Any]]) -> None:
    """Replace the department's agents (unknown or non-agent ids are skipped)."""
    state.store.department_agents.delete_many({"departmentId": department["_id"]})
    count = 0
    for item in agents:
        user = state.store.users.get(item["agentId"])
        if user is None or "livechat-agent" not in user.get("roles", []):
            continue
        state.store.department_agents.insert(
            {
                "_id": random_id(),
                "agentId": user["_id"],
                "departmentId": department["_id"],
                "departmentEnabled": department.get("enabled", True),
                "username": user["username"],
                "count": int(item.get("count") or 0),
                "order": int(item.get("order") or 0),
            }
        )
        count += 1
    state.store.departments.update(department["_id"], {"$set": {"numAgents": count}})


def agents_of(state: ServerState, department_id: str) -> list[Doc]:
    """The department's agent links."""
    return state.store.department_agents.find(
        {"departmentId": department_id}, sort=[("username", 1)]
    )


def remove(state: ServerState, department_id: str) -> None:
    """Delete a department and its agent links."""
    if state.store.departments.get(department_id) is None:
        raise MeteorError(
            "department-not-found", "Department not found", {"method": "livechat:removeDepartment"}
        )
    with state.store.transaction():
        state.store.departments.delete(department_id)
        state.store.department_agents.delete_many({"departmentId": department_id})


def department_ids_of(state: ServerState, agent_id: str) -> list[str]:
    """The ids of the departments an agent belongs to."""
    return [
        link["departmentId"] for link in state.store.department_agents.find({"agentId": agent_id})
    ]
