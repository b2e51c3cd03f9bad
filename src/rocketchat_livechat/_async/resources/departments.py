"""``client.departments``: departments (agent side)."""

from __future__ import annotations

from ..._core.endpoints import departments
from ._base import AsyncEndpointMethod, AsyncResource


class AsyncDepartmentsResource(AsyncResource):
    list_departments = AsyncEndpointMethod(departments.list_departments)
    get_department = AsyncEndpointMethod(departments.get_department)
