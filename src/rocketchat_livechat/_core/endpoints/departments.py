"""Agent side: departments."""

from __future__ import annotations

from ...models import Department, DepartmentDetails, Page
from .. import parsing
from .. import validation as v
from ..request import Call, Request, api_path, query_params


def list_departments(
    text: str | None = None,
    enabled: bool | None = None,
    only_my_departments: bool | None = None,
    offset: int | None = None,
    count: int | None = None,
) -> Call[Page[Department]]:
    params = query_params(
        {
            "text": v.optional_str("text", text),
            "enabled": v.optional_bool("enabled", enabled),
            "onlyMyDepartments": v.optional_bool("only_my_departments", only_my_departments),
            "offset": v.optional_int("offset", offset),
            "count": v.optional_int("count", count, minimum=1),
        }
    )
    request = Request(
        "GET",
        "livechat/department",
        "livechat/department",
        params=params,
        auth="user",
        idempotent=True,
    )
    return Call(request, parsing.page_under(Department, "departments"))


def get_department(department_id: str) -> Call[DepartmentDetails]:
    route = "livechat/department/{department_id}"
    path = api_path(route, department_id=v.path_segment("department_id", department_id))
    return Call(
        Request("GET", route, path, auth="user", idempotent=True), parsing.whole(DepartmentDetails)
    )
