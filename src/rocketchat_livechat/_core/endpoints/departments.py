"""Agent side: departments."""

from __future__ import annotations

from typing import Unpack

from ...models import Department, DepartmentDetails
from .. import parsing
from .. import validation as v
from ..endpoint import CallOptions, Parts, Sample, endpoint
from ._samples import DEPARTMENT, page


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
