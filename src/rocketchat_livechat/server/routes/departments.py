"""``livechat/department``, ``livechat/department/:_id`` and ``.../:_id/agents`` (§4.6).

Source: ``apps/meteor/app/livechat/imports/server/rest/departments.ts``.
"""

from __future__ import annotations

import json
from typing import Any

from .. import auth
from ..api import Context, RouteGroup
from ..errors import Failure, PlainError
from ..services import departments
from ..validation import (
    ANY,
    ARRAY,
    Maybe,
    ObjectIncluding,
    check,
    rest_typings,
)
from ._common import page, parse_json_param, sort_spec

routes = RouteGroup()

_VIEW = ("view-livechat-departments", "view-l-room")
LIST_QUERY = rest_typings("isGETLivechatDepartmentProps")
#: ``validateParams: {POST: isPOSTLivechatDepartmentProps}`` (strings coerced, required fields),
#: then the route's own ``check``
CREATE_BODY = rest_typings("isPOSTLivechatDepartmentProps")
BODY_PATTERN = {"department": dict, "agents": Maybe([ANY]), "departmentUnit": Maybe(dict)}


@routes.get(
    "livechat/department", auth=True, permissions=_VIEW, any_permission=True, schema=LIST_QUERY
)
async def list_departments(ctx: Context) -> dict[str, Any]:
    p = ctx.params
    found = ctx.store.departments.find(sort=sort_spec(ctx, [("name", 1)]))
    if p.get("text"):
        found = [d for d in found if p["text"].lower() in d["name"].lower()]
    if p.get("enabled") == "true":
        found = [d for d in found if d.get("enabled")]
    if p.get("excludeDepartmentId"):
        found = [d for d in found if d["_id"] != p["excludeDepartmentId"]]
    if p.get("showArchived") != "true":
        found = [d for d in found if not d.get("archived")]
    if p.get("onlyMyDepartments") == "true" and not auth.has_permission(
        ctx.user, "view-livechat-manager"
    ):
        mine = set(departments.department_ids_of(ctx.state, ctx.me["_id"]))
        found = [d for d in found if d["_id"] in mine]
    return page(ctx, "departments", found)


@routes.post(
    "livechat/department",
    auth=True,
    permissions=("manage-livechat-departments",),
    schema=CREATE_BODY,
)
async def create_department(ctx: Context) -> dict[str, Any]:
    check(ctx.params, BODY_PATTERN)
    dept = departments.save(ctx.state, None, ctx.params["department"], ctx.params.get("agents"))
    return {"department": dept, "agents": departments.agents_of(ctx.state, dept["_id"])}


@routes.get("livechat/department/:_id", auth=True, permissions=_VIEW, any_permission=True)
async def get_department(ctx: Context) -> dict[str, Any]:
    dept = ctx.store.departments.get(ctx.path["_id"])
    result: dict[str, Any] = {"department": dept}
    if dept is not None and ctx.params.get("includeAgents", "true") != "false":
        result["agents"] = departments.agents_of(ctx.state, dept["_id"])
    return result


@routes.put(
    "livechat/department/:_id",
    auth=True,
    permissions=("manage-livechat-departments", "add-livechat-department-agents"),
    any_permission=True,
)
async def update_department(ctx: Context) -> dict[str, Any]:
    """Saving needs ``manage-livechat-departments`` (else a plain ``error-not-allowed``); the
    ``agents`` are upserted only with ``add-livechat-department-agents``."""
    can_save = auth.has_permission(ctx.user, "manage-livechat-departments")
    can_add_agents = auth.has_permission(ctx.user, "add-livechat-department-agents")
    check(ctx.params, BODY_PATTERN)
    if not can_save:
        raise PlainError("error-not-allowed")
    agents = ctx.params.get("agents") if can_add_agents else None
    departments.save(ctx.state, ctx.path["_id"], ctx.params["department"], agents)
    return {
        "department": ctx.store.departments.get(ctx.path["_id"]),
        "agents": ctx.store.department_agents.find({"departmentId": ctx.path["_id"]}),
    }


@routes.delete(
    "livechat/department/:_id",
    auth=True,
    permissions=("manage-livechat-departments", "remove-livechat-department"),
    any_permission=True,
)
async def delete_department(ctx: Context) -> dict[str, Any]:
    """Refused unless ``Omnichannel_enable_department_removal`` (default off)."""
    if not ctx.state.settings["Omnichannel_enable_department_removal"]:
        raise Failure("error-department-removal-disabled")
    departments.remove(ctx.state, ctx.path["_id"])
    return {}


@routes.get("livechat/department/:_id/agents", auth=True, permissions=_VIEW, any_permission=True)
async def department_agents(ctx: Context) -> dict[str, Any]:
    """``findDepartmentAgents``: one page of the department's agent links (by username)."""
    found = departments.agents_of(ctx.state, ctx.path["_id"], sort_spec(ctx, [("username", 1)]))
    return page(ctx, "agents", found)


@routes.post(
    "livechat/department/:_id/agents",
    auth=True,
    permissions=("manage-livechat-departments", "add-livechat-department-agents"),
    any_permission=True,
)
async def save_department_agents(ctx: Context) -> dict[str, Any]:
    check(ctx.params, ObjectIncluding({"upsert": ARRAY, "remove": ARRAY}))
    departments.save_agents(ctx.state, ctx.path["_id"], ctx.params)
    return {}


ARCHIVED_QUERY = LIST_QUERY  # isGETLivechatDepartmentProps, as Rocket.Chat's route


@routes.get(
    "livechat/departments/archived",
    auth=True,
    permissions=_VIEW,
    any_permission=True,
    schema=ARCHIVED_QUERY,
)
async def archived_departments(ctx: Context) -> dict[str, Any]:
    """``findArchivedDepartments``: archived departments by name (``text``, ``onlyMyDepartments``,
    ``excludeDepartmentId``)."""
    p = ctx.params
    found = ctx.store.departments.find(sort=sort_spec(ctx, [("name", 1)]))
    found = [d for d in found if d.get("archived") is True]
    if p.get("text"):
        found = [d for d in found if p["text"].lower() in d["name"].lower()]
    if p.get("excludeDepartmentId"):
        found = [d for d in found if d["_id"] != p["excludeDepartmentId"]]
    if p.get("onlyMyDepartments") == "true" and not auth.has_permission(
        ctx.user, "view-livechat-manager"
    ):
        mine = set(departments.department_ids_of(ctx.state, ctx.me["_id"]))
        found = [d for d in found if d["_id"] in mine]
    return page(ctx, "departments", found)


@routes.post(
    "livechat/department/:_id/archive", auth=True, permissions=("manage-livechat-departments",)
)
async def archive_department(ctx: Context) -> dict[str, Any]:
    departments.archive(ctx.state, ctx.path["_id"])
    return {}


@routes.post(
    "livechat/department/:_id/unarchive", auth=True, permissions=("manage-livechat-departments",)
)
async def unarchive_department(ctx: Context) -> dict[str, Any]:
    departments.unarchive(ctx.state, ctx.path["_id"])
    return {}


@routes.get("livechat/department.autocomplete", auth=True, permissions=_VIEW, any_permission=True)
async def autocomplete_departments(ctx: Context) -> dict[str, Any]:
    """``findDepartmentsToAutocomplete``: ``{_id, name}`` of the departments whose name contains
    ``selector.term`` (case-insensitive), less ``selector.exceptions``, archived ones only with
    ``showArchived=true``; by name."""
    p = ctx.params
    if not p.get("selector"):
        raise Failure("The 'selector' param is required")
    try:
        selector = json.loads(p["selector"])
    except ValueError:
        raise PlainError(f"Unexpected token in JSON: {p['selector'][:20]}") from None
    if not isinstance(selector, dict):
        selector = {}
    term = str(selector.get("term") or "").lower()
    exceptions = set(selector.get("exceptions") or [])
    show_archived = p.get("showArchived") == "true"
    found = ctx.store.departments.find(sort=[("name", 1)])
    found = [
        d
        for d in found
        if term in d["name"].lower()
        and d["_id"] not in exceptions
        and bool(d.get("archived")) == show_archived
    ]
    if p.get("onlyMyDepartments") == "true" and not auth.has_permission(
        ctx.user, "view-livechat-manager"
    ):
        mine = set(departments.department_ids_of(ctx.state, ctx.me["_id"]))
        found = [d for d in found if d["_id"] in mine]
    return {"items": [{"_id": d["_id"], "name": d["name"]} for d in found]}


@routes.get("livechat/department.listByIds", auth=True, permissions=_VIEW, any_permission=True)
async def departments_by_ids(ctx: Context) -> dict[str, Any]:
    """``findDepartmentsBetweenIds``: the departments with these ``ids`` (``fields`` projection)."""
    ids = ctx.params.get("ids")
    raw_fields = ctx.params.get("fields")
    fields = parse_json_param(raw_fields, "fields") if raw_fields else None
    if not ids:
        raise Failure("The 'ids' param is required")
    if not isinstance(ids, list):
        raise Failure("The 'ids' param must be an array")
    found = [d for d in ctx.store.departments.find() if d["_id"] in set(ids)]
    if isinstance(fields, dict) and fields:
        keep = {k for k, v in fields.items() if v}
        found = [{k: v for k, v in d.items() if k in keep or k == "_id"} for d in found]
    return {"departments": found}


@routes.get(
    "livechat/department/isDepartmentCreationAvailable",
    auth=True,
    permissions=("view-livechat-departments", "manage-livechat-departments"),
    any_permission=True,
)
async def is_department_creation_available(ctx: Context) -> dict[str, Any]:
    """Always ``true``: the embedded server allows any number of departments (Rocket.Chat CE
    answers ``false`` once one exists)."""
    return {"isDepartmentCreationAvailable": True}
