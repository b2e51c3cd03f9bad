"""Departments and their agents (§4.6).

Rocket.Chat CE allows a single department (``error-max-departments-number-reached``); the
embedded server behaves like EE and allows any number, because tests need several.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ..errors import MeteorError, PlainError
from ..ids import object_id
from ..state import ServerState
from ..store import Doc, Sort
from ..validation import Integer, Maybe, ObjectIncluding, Optional, check

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


def _check_rules(
    state: ServerState, department_id: str | None, existing: Doc | None, data: Mapping[str, Any]
) -> None:
    """``saveDepartment``'s checks after the Match checks, in Rocket.Chat's order."""
    if data.get("requestTagBeforeClosingChat") and not data.get("chatClosingTags"):
        raise MeteorError(
            "error-validating-department-chat-closing-tags",
            "At least one closing tag is required when the department requires tag(s) on "
            "closing conversations.",
            {"method": "livechat:saveDepartment"},
        )
    if department_id and existing is None:
        raise MeteorError(
            "error-department-not-found",
            "Department not found",
            {"method": "livechat:saveDepartment"},
        )
    fallback = data.get("fallbackForwardDepartment")
    if fallback is not None and fallback == department_id:
        # Rocket.Chat throws this one without details
        raise MeteorError(
            "error-fallback-department-circular",
            "Cannot save department. Circular reference between fallback department and department",
        )
    if fallback and state.store.departments.get(fallback) is None:
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
    """``saveDepartment`` (``departmentsLib.ts``): create (``department_id`` None) or update a
    department; ``agents`` are upserted into its agents (``updateDepartmentAgents``), agents not
    listed stay."""
    existing = state.store.departments.get(department_id) if department_id else None
    if existing is not None and existing.get("archived") and data.get("enabled"):
        raise MeteorError(
            "error-archived-department-cant-be-enabled",
            "Archived departments cant be enabled",
            {"method": "livechat:saveDepartment"},
        )
    check(dict(data), DEPARTMENT_PATTERN)
    agent_list = list(agents) if agents is not None else None
    _check_agents({"upsert": agent_list} if agent_list is not None else {})
    _check_rules(state, department_id, existing, data)
    doc: Doc = {
        "type": "d",
        "numAgents": 0,
        "archived": False,
        **(existing or {}),
        **data,
        "_id": department_id or object_id(),
        "_updatedAt": state.now(),
    }
    with state.store.transaction():
        state.store.departments.save(doc)
        state.store.department_agents.update_many(
            {"departmentId": doc["_id"]}, {"$set": {"departmentEnabled": doc["enabled"]}}
        )
        if agent_list:
            _update_agents(state, doc["_id"], agent_list, [], bool(doc["enabled"]))
    result = state.store.departments.get(doc["_id"])
    assert result is not None
    return result


_AGENT_ITEM = ObjectIncluding(
    {
        "agentId": str,
        "username": Maybe(str),
        "count": Maybe(Integer),
        "order": Maybe(Integer),
    }
)


def _check_agents(agents: Mapping[str, Any]) -> None:
    """``updateDepartmentAgents``' Match check (``Helper.ts``)."""
    check(dict(agents), {"upsert": Maybe([_AGENT_ITEM]), "remove": Maybe([_AGENT_ITEM])})


def save_agents(state: ServerState, department_id: str, agents: Mapping[str, Any]) -> None:
    """``saveDepartmentAgents`` (``departmentsLib.ts``): upsert and remove department agents."""
    department = state.store.departments.get(department_id)
    if department is None:
        raise MeteorError("error-department-not-found", "Department not found")
    _check_agents(agents)
    with state.store.transaction():
        _update_agents(
            state,
            department_id,
            agents.get("upsert") or [],
            agents.get("remove") or [],
            bool(department.get("enabled")),
        )


def _update_agents(
    state: ServerState,
    department_id: str,
    upsert: Iterable[Mapping[str, Any]],
    remove: Iterable[Mapping[str, Any]],
    enabled: bool,
) -> None:
    """``updateDepartmentAgents``: remove, then upsert by (department, agent) (unknown users are
    skipped; the user need not be an agent), then recount ``numAgents``."""
    links = state.store.department_agents
    removed = [item["agentId"] for item in remove]
    for agent_id in removed:
        links.delete_many({"departmentId": department_id, "agentId": agent_id})
    added = 0
    for item in upsert:
        user = state.store.users.get(item["agentId"])
        if user is None:
            continue
        fields = {
            "agentId": user["_id"],
            "departmentId": department_id,
            "username": user.get("username") or "",
            "count": int(item.get("count") or 0),
            "order": int(item.get("order") or 0),
            "departmentEnabled": enabled,
            "_updatedAt": state.now(),
        }
        current = links.find_one({"departmentId": department_id, "agentId": user["_id"]})
        if current is None:
            links.insert({"_id": object_id(), **fields})
        else:
            links.update(current["_id"], {"$set": fields})
        added += 1
    if removed or added:
        total = links.count({"departmentId": department_id})
        state.store.departments.update(department_id, {"$set": {"numAgents": total}})


def agents_of(state: ServerState, department_id: str, sort: Sort = (("username", 1),)) -> list[Doc]:
    """The department's agent links (``findAgentsByDepartmentId``, by username by default)."""
    return state.store.department_agents.find({"departmentId": department_id}, sort=list(sort))


def remove(state: ServerState, department_id: str) -> None:
    """``removeDepartment``: delete the department and its agent links, unset it as others'
    fallback department and remove it from rooms (a plain ``Error`` when unknown)."""
    if state.store.departments.get(department_id) is None:
        raise PlainError("error-department-not-found")
    with state.store.transaction():
        state.store.departments.delete(department_id)
        state.store.department_agents.delete_many({"departmentId": department_id})
        state.store.departments.update_many(
            {"fallbackForwardDepartment": department_id},
            {"$unset": {"fallbackForwardDepartment": 1}},
        )
        state.store.rooms.update_many(
            {"departmentId": department_id}, {"$unset": {"departmentId": 1}}
        )


def agent_departments(state: ServerState, agent_id: str, enabled_only: bool) -> list[Doc]:
    """``findDepartmentsOfAgent``: the agent's links with ``departmentName`` (links whose
    department is gone are dropped, like the ``$unwind`` after the ``$lookup``)."""
    flt: dict[str, Any] = {"agentId": agent_id}
    if enabled_only:
        flt["departmentEnabled"] = True
    result = []
    for link in state.store.department_agents.find(flt):
        department = state.store.departments.get(link["departmentId"])
        if department is None:
            continue
        result.append(
            {
                "_id": link["_id"],
                "agentId": link["agentId"],
                "departmentId": link["departmentId"],
                "departmentName": department.get("name"),
                "username": link.get("username"),
                "count": link.get("count"),
                "order": link.get("order"),
                "departmentEnabled": link.get("departmentEnabled"),
                **({"_updatedAt": link["_updatedAt"]} if "_updatedAt" in link else {}),
            }
        )
    return result


def department_ids_of(state: ServerState, agent_id: str) -> list[str]:
    """The ids of the departments an agent belongs to."""
    return [
        link["departmentId"] for link in state.store.department_agents.find({"agentId": agent_id})
    ]


def archive(state: ServerState, department_id: str) -> None:
    """``archiveDepartment`` (``departmentsLib.ts``): ``archived`` and disabled (so it leaves the
    lists and routing), its agent links disabled (``afterDepartmentArchived``); an unknown id is
    a plain ``Error('department-not-found')``."""
    if state.store.departments.get(department_id) is None:
        raise PlainError("department-not-found")
    with state.store.transaction():
        state.store.departments.update(
            department_id,
            {"$set": {"archived": True, "enabled": False, "_updatedAt": state.now()}},
        )
        state.store.department_agents.update_many(
            {"departmentId": department_id}, {"$set": {"departmentEnabled": False}}
        )


def unarchive(state: ServerState, department_id: str) -> None:
    """``unarchiveDepartment``: ``archived`` false (the department stays disabled); an unknown id
    is ``Meteor.Error('department-not-found')``."""
    if state.store.departments.get(department_id) is None:
        raise MeteorError("department-not-found")
    state.store.departments.update(
        department_id, {"$set": {"archived": False, "_updatedAt": state.now()}}
    )


def set_agent_departments(state: ServerState, agent_id: str, department_ids: list[str]) -> None:
    """``saveAgentInfo``'s department part: leave the departments not listed, join (count 0,
    order 0) the listed ones the agent is not in; unknown department ids are skipped."""
    current = set(department_ids_of(state, agent_id))
    to_remove = current - set(department_ids)
    to_add = [d for d in dict.fromkeys(department_ids) if d not in current]
    for department_id in [*to_remove, *to_add]:
        department = state.store.departments.get(department_id)
        if department is None:
            continue
        if department_id in to_remove:
            _update_agents(state, department_id, [], [{"agentId": agent_id}], False)
        else:
            _update_agents(
                state,
                department_id,
                [{"agentId": agent_id, "count": 0, "order": 0}],
                [],
                bool(department.get("enabled")),
            )
