"""``client.departments``: departments (agent side)."""

from __future__ import annotations

from ..._core.endpoints import departments
from ._base import AsyncEndpointMethod, AsyncResource


class AsyncDepartmentsResource(AsyncResource):
    list_departments = AsyncEndpointMethod(departments.list_departments)
    get_department = AsyncEndpointMethod(departments.get_department)
    create_department = AsyncEndpointMethod(departments.create_department)
    update_department = AsyncEndpointMethod(departments.update_department)
    delete_department = AsyncEndpointMethod(departments.delete_department)
    get_department_agents = AsyncEndpointMethod(departments.get_department_agents)
    save_department_agents = AsyncEndpointMethod(departments.save_department_agents)
