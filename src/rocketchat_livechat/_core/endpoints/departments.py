"""Agent side: departments (``apps/meteor/app/livechat/imports/server/rest/departments.ts``)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Unpack

from ...errors import InvalidArgumentError
from .. import parsing
from .. import validation as v
from ..endpoint import CallOptions, Parts, Sample, endpoint
from ..lazy import lazy_model
from ..request import json_body
from ._samples import DEPARTMENT, DEPARTMENT_AGENT, page

if TYPE_CHECKING:
    from ...models import Department, DepartmentAgent, DepartmentDetails
else:
    Department = lazy_model("Department")
    DepartmentAgent = lazy_model("DepartmentAgent")
    DepartmentDetails = lazy_model("DepartmentDetails")


@endpoint(
    "GET",
    "livechat/department",
    parse=parsing.page_under(Department, "departments"),
    auth="user",
    idempotent=True,
    schema="isGETLivechatDepartmentProps",
    samples=[
        Sample(response=page("departments", DEPARTMENT)),
        Sample(
            kwargs={
                "text": "Sal",
                "enabled": True,
                "only_my_departments": False,
                "offset": 0,
                "count": 10,
            },
            response=page("departments"),
        ),
    ],
)
def list_departments(
    *,
    text: str | None = None,
    enabled: bool | None = None,
    only_my_departments: bool | None = None,
    offset: int | None = None,
    count: int | None = None,
    **options: Unpack[CallOptions],
) -> Parts:
    """One page of departments (agent/manager)."""
    return Parts(
        params={
            "text": v.optional_str("text", text),
            "enabled": v.optional_bool("enabled", enabled),
            "onlyMyDepartments": v.optional_bool("only_my_departments", only_my_departments),
            "offset": v.optional_int("offset", offset),
            "count": v.optional_int("count", count, minimum=1),
        }
    )


@endpoint(
    "GET",
    "livechat/department/{department_id}",
    parse=parsing.whole(DepartmentDetails),
    auth="user",
    idempotent=True,
    schema="isLivechatDepartmentIdProps",
    samples=[Sample(("dep-1",), response={"department": DEPARTMENT, "agents": []})],
)
def get_department(department_id: str, **options: Unpack[CallOptions]) -> Parts:
    """A department and its agents."""
    return Parts(path={"department_id": v.path_segment("department_id", department_id)})


_CREATE_AGENT_KEYS = frozenset({"agentId", "count", "order"})
_SAVE_AGENT_KEYS = frozenset({"agentId", "username", "name", "count", "order"})


def _agent_items(
    name: str, value: object, allowed: frozenset[str], *, required: bool = False
) -> list[dict[str, Any]] | None:
    """``None`` or a list of ``{agentId, count?, order?, ...}`` mappings (Rocket.Chat's keys)."""
    if value is None:
        return [] if required else None
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, Sequence):
        raise InvalidArgumentError(name, "expected a list of mappings with an 'agentId'")
    items: list[dict[str, Any]] = []
    for i, item in enumerate(value):
        where = f"{name}[{i}]"
        if not isinstance(item, Mapping):
            raise InvalidArgumentError(where, f"expected a mapping, got {type(item).__name__}")
        unknown = sorted(set(item) - allowed)
        if unknown:
            raise InvalidArgumentError(where, f"unknown keys {', '.join(map(repr, unknown))}")
        checked: dict[str, Any] = {
            "agentId": v.required_str(f"{where}.agentId", item.get("agentId"))
        }
        for key in ("username", "name"):
            if key in item:
                checked[key] = v.required_str(f"{where}.{key}", item[key])
        for key in ("count", "order"):
            number = v.optional_int(f"{where}.{key}", item.get(key))
            if number is not None:
                checked[key] = number
        items.append(checked)
    return items


def _department_data(
    *,
    name: str,
    email: str,
    enabled: bool,
    show_on_registration: bool,
    show_on_offline_form: bool,
    description: str | None,
    request_tag_before_closing_chat: bool | None,
    chat_closing_tags: Sequence[str] | None,
    fallback_forward_department: str | None,
    departments_allowed_to_forward: Sequence[str] | None,
    allow_receive_forward_offline: bool | None,
) -> dict[str, Any]:
    data = json_body(
        enabled=v.required_bool("enabled", enabled),
        name=v.required_str("name", name),
        email=v.required_str("email", email),
        showOnRegistration=v.required_bool("show_on_registration", show_on_registration),
        showOnOfflineForm=v.required_bool("show_on_offline_form", show_on_offline_form),
        description=v.optional_str("description", description),
        requestTagBeforeClosingChat=v.optional_bool(
            "request_tag_before_closing_chat", request_tag_before_closing_chat
        ),
        chatClosingTags=v.optional_str_list("chat_closing_tags", chat_closing_tags),
        fallbackForwardDepartment=v.optional_str(
            "fallback_forward_department", fallback_forward_department
        ),
        departmentsAllowedToForward=v.optional_str_list(
            "departments_allowed_to_forward", departments_allowed_to_forward
        ),
        allowReceiveForwardOffline=v.optional_bool(
            "allow_receive_forward_offline", allow_receive_forward_offline
        ),
    )
    return data


_SAVED = {"department": DEPARTMENT, "agents": [DEPARTMENT_AGENT]}


@endpoint(
    "POST",
    "livechat/department",
    parse=parsing.whole(DepartmentDetails),
    auth="user",
    schema="isPOSTLivechatDepartmentProps",
    samples=[
        Sample(("Sales", "sales@example.com"), response=_SAVED),
        Sample(
            ("Sales", "sales@example.com"),
            {
                "enabled": False,
                "show_on_registration": False,
                "show_on_offline_form": False,
                "description": "Buying",
                "request_tag_before_closing_chat": False,
                "chat_closing_tags": ["won"],
                "fallback_forward_department": "dep-2",
                "departments_allowed_to_forward": ["dep-2"],
                "allow_receive_forward_offline": True,
                "agents": [{"agentId": "u1", "count": 0, "order": 1}],
            },
            response=_SAVED,
        ),
    ],
)
def create_department(
    name: str,
    email: str,
    *,
    enabled: bool = True,
    show_on_registration: bool = True,
    show_on_offline_form: bool = True,
    description: str | None = None,
    request_tag_before_closing_chat: bool | None = None,
    chat_closing_tags: Sequence[str] | None = None,
    fallback_forward_department: str | None = None,
    departments_allowed_to_forward: Sequence[str] | None = None,
    allow_receive_forward_offline: bool | None = None,
    agents: Sequence[Mapping[str, Any]] | None = None,
    **options: Unpack[CallOptions],
) -> Parts:
    """Create a department (``manage-livechat-departments``); ``agents`` are
    ``{"agentId", "count"?, "order"?}`` mappings. Answers the department and its agents.

    Rocket.Chat CE allows one department (``error-max-departments-number-reached``); business
    units (``departmentUnit``) are Enterprise-only and not offered.
    """
    data = _department_data(
        name=name,
        email=email,
        enabled=enabled,
        show_on_registration=show_on_registration,
        show_on_offline_form=show_on_offline_form,
        description=description,
        request_tag_before_closing_chat=request_tag_before_closing_chat,
        chat_closing_tags=chat_closing_tags,
        fallback_forward_department=fallback_forward_department,
        departments_allowed_to_forward=departments_allowed_to_forward,
        allow_receive_forward_offline=allow_receive_forward_offline,
    )
    return Parts(
        json=json_body(department=data, agents=_agent_items("agents", agents, _CREATE_AGENT_KEYS))
    )


@endpoint(
    "PUT",
    "livechat/department/{department_id}",
    parse=parsing.whole(DepartmentDetails),
    auth="user",
    samples=[
        Sample(("dep-1", "Sales", "sales@example.com"), response=_SAVED),
        Sample(
            ("dep-1", "Sales", "sales@example.com"),
            {
                "enabled": False,
                "show_on_registration": False,
                "show_on_offline_form": False,
                "description": "Buying",
                "request_tag_before_closing_chat": True,
                "chat_closing_tags": ["won"],
                "fallback_forward_department": "dep-2",
                "departments_allowed_to_forward": ["dep-2"],
                "allow_receive_forward_offline": False,
                "agents": [{"agentId": "u1"}],
            },
            response=_SAVED,
        ),
    ],
)
def update_department(
    department_id: str,
    name: str,
    email: str,
    *,
    enabled: bool = True,
    show_on_registration: bool = True,
    show_on_offline_form: bool = True,
    description: str | None = None,
    request_tag_before_closing_chat: bool | None = None,
    chat_closing_tags: Sequence[str] | None = None,
    fallback_forward_department: str | None = None,
    departments_allowed_to_forward: Sequence[str] | None = None,
    allow_receive_forward_offline: bool | None = None,
    agents: Sequence[Mapping[str, Any]] | None = None,
    **options: Unpack[CallOptions],
) -> Parts:
    """Save a department (``manage-livechat-departments``). ``agents`` are added or updated
    (with ``add-livechat-department-agents``), agents not listed stay: remove them with
    :meth:`save_department_agents`. Answers the department and all its agents."""
    data = _department_data(
        name=name,
        email=email,
        enabled=enabled,
        show_on_registration=show_on_registration,
        show_on_offline_form=show_on_offline_form,
        description=description,
        request_tag_before_closing_chat=request_tag_before_closing_chat,
        chat_closing_tags=chat_closing_tags,
        fallback_forward_department=fallback_forward_department,
        departments_allowed_to_forward=departments_allowed_to_forward,
        allow_receive_forward_offline=allow_receive_forward_offline,
    )
    return Parts(
        path={"department_id": v.path_segment("department_id", department_id)},
        json=json_body(department=data, agents=_agent_items("agents", agents, _CREATE_AGENT_KEYS)),
    )


@endpoint(
    "DELETE",
    "livechat/department/{department_id}",
    parse=parsing.nothing,
    auth="user",
    samples=[Sample(("dep-1",))],
)
def delete_department(department_id: str, **options: Unpack[CallOptions]) -> Parts:
    """Delete a department, its agent links, its use as fallback department and rooms'
    reference to it. Refused (``error-department-removal-disabled``) unless the
    ``Omnichannel_enable_department_removal`` setting is on."""
    return Parts(path={"department_id": v.path_segment("department_id", department_id)})


@endpoint(
    "GET",
    "livechat/department/{department_id}/agents",
    parse=parsing.page_under(DepartmentAgent, "agents"),
    auth="user",
    idempotent=True,
    samples=[
        Sample(("dep-1",), response=page("agents", DEPARTMENT_AGENT)),
        Sample(
            ("dep-1",),
            {"offset": 0, "count": 10, "sort": {"username": -1}},
            response=page("agents"),
        ),
    ],
)
def get_department_agents(
    department_id: str,
    *,
    offset: int | None = None,
    count: int | None = None,
    sort: Mapping[str, int] | None = None,
    **options: Unpack[CallOptions],
) -> Parts:
    """One page of the department's agents (by username unless ``sort``)."""
    return Parts(
        path={"department_id": v.path_segment("department_id", department_id)},
        params={
            "offset": v.optional_int("offset", offset),
            "count": v.optional_int("count", count, minimum=1),
            "sort": v.optional_json("sort", sort),
        },
    )


@endpoint(
    "POST",
    "livechat/department/{department_id}/agents",
    parse=parsing.nothing,
    auth="user",
    samples=[
        Sample(("dep-1",), {"upsert": [{"agentId": "u1", "username": "jane", "count": 1}]}),
        Sample(("dep-1",), {"remove": [{"agentId": "u1", "username": "jane"}]}),
    ],
)
def save_department_agents(
    department_id: str,
    *,
    upsert: Sequence[Mapping[str, Any]] | None = None,
    remove: Sequence[Mapping[str, Any]] | None = None,
    **options: Unpack[CallOptions],
) -> Parts:
    """Add or update (``upsert``) and remove department agents: ``{"agentId", "username"?,
    "count"?, "order"?}`` mappings (unknown user ids are skipped)."""
    return Parts(
        path={"department_id": v.path_segment("department_id", department_id)},
        json={
            "upsert": _agent_items("upsert", upsert, _SAVE_AGENT_KEYS, required=True),
            "remove": _agent_items("remove", remove, _SAVE_AGENT_KEYS, required=True),
        },
    )


@endpoint(
    "POST",
    "livechat/department/{department_id}/archive",
    parse=parsing.nothing,
    auth="user",
    samples=[Sample(("dep-1",))],
)
def archive_department(department_id: str, **options: Unpack[CallOptions]) -> Parts:
    """Archive a department (``manage-livechat-departments``): it is disabled, leaves the
    department lists and routing, and cannot be enabled again until unarchived
    (``departmentsLib.ts`` ``archiveDepartment``; unknown id: ``department-not-found``)."""
    return Parts(path={"department_id": v.path_segment("department_id", department_id)})


@endpoint(
    "POST",
    "livechat/department/{department_id}/unarchive",
    parse=parsing.nothing,
    auth="user",
    samples=[Sample(("dep-1",))],
)
def unarchive_department(department_id: str, **options: Unpack[CallOptions]) -> Parts:
    """Unarchive a department (``manage-livechat-departments``); it stays disabled until saved
    with ``enabled=True``."""
    return Parts(path={"department_id": v.path_segment("department_id", department_id)})


@endpoint(
    "GET",
    "livechat/departments/archived",
    parse=parsing.page_under(Department, "departments"),
    auth="user",
    idempotent=True,
    schema="isGETLivechatDepartmentProps",
    samples=[
        Sample(response=page("departments", {**DEPARTMENT, "archived": True, "enabled": False})),
        Sample(
            kwargs={
                "text": "Sal",
                "only_my_departments": True,
                "exclude_department_id": "dep-2",
                "offset": 0,
                "count": 10,
            },
            response=page("departments"),
        ),
    ],
)
def list_archived_departments(
    *,
    text: str | None = None,
    only_my_departments: bool | None = None,
    exclude_department_id: str | None = None,
    offset: int | None = None,
    count: int | None = None,
    **options: Unpack[CallOptions],
) -> Parts:
    """One page of archived departments, by name (``view-livechat-departments`` or
    ``view-l-room``)."""
    return Parts(
        params={
            "text": v.optional_str("text", text),
            "onlyMyDepartments": v.optional_bool("only_my_departments", only_my_departments),
            "excludeDepartmentId": v.optional_str("exclude_department_id", exclude_department_id),
            "offset": v.optional_int("offset", offset),
            "count": v.optional_int("count", count, minimum=1),
        }
    )


@endpoint(
    "GET",
    "livechat/department.listByIds",
    parse=parsing.list_under(Department, "departments"),
    auth="user",
    idempotent=True,
    samples=[
        Sample((["dep-1"],), response={"departments": [DEPARTMENT]}),
        Sample((["dep-1", "dep-2"],), {"fields": {"name": 1}}, response={"departments": []}),
    ],
)
def list_departments_by_ids(
    ids: Sequence[str],
    *,
    fields: Mapping[str, int] | None = None,
    **options: Unpack[CallOptions],
) -> Parts:
    """The departments with these ids (archived ones included), optionally only ``fields``
    (a projection such as ``{"name": 1}``)."""
    checked = v.optional_str_list("ids", ids)
    if not checked:
        raise InvalidArgumentError("ids", "expected a non-empty list of department ids")
    return Parts(params={"ids": checked, "fields": v.optional_json("fields", fields)})


@endpoint(
    "GET",
    "livechat/department.autocomplete",
    parse=parsing.list_under(Department, "items"),
    auth="user",
    idempotent=True,
    samples=[
        Sample(("Sal",), response={"items": [{"_id": "dep-1", "name": "Sales"}]}),
        Sample(
            ("",),
            {"exceptions": ["dep-2"], "only_my_departments": True, "show_archived": True},
            response={"items": []},
        ),
    ],
)
def autocomplete_departments(
    term: str,
    *,
    exceptions: Sequence[str] | None = None,
    only_my_departments: bool = False,
    show_archived: bool | None = None,
    **options: Unpack[CallOptions],
) -> Parts:
    """Departments whose name contains ``term`` (``_id`` and ``name`` only, by name), except
    ``exceptions``; archived ones only with ``show_archived``."""
    if not isinstance(term, str):
        raise InvalidArgumentError("term", f"expected a string, got {type(term).__name__}")
    selector: dict[str, Any] = {"term": term}
    excluded = v.optional_str_list("exceptions", exceptions)
    if excluded:
        selector["exceptions"] = excluded
    return Parts(
        params={
            "selector": json.dumps(selector, separators=(",", ":")),
            "onlyMyDepartments": v.required_bool("only_my_departments", only_my_departments),
            "showArchived": v.optional_bool("show_archived", show_archived),
        },
        arguments={"selector": "term", "onlyMyDepartments": "only_my_departments"},
    )


@endpoint(
    "GET",
    "livechat/department/isDepartmentCreationAvailable",
    parse=parsing.bool_under("isDepartmentCreationAvailable"),
    auth="user",
    idempotent=True,
    samples=[Sample(response={"isDepartmentCreationAvailable": True})],
)
def is_department_creation_available(**options: Unpack[CallOptions]) -> Parts:
    """Whether another department may be created (``view-livechat-departments`` or
    ``manage-livechat-departments``). Rocket.Chat CE answers ``False`` once one department
    exists; the embedded server, which allows any number, always answers ``True``."""
    return Parts()
