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
    archive_department = AsyncEndpointMethod(departments.archive_department)
    unarchive_department = AsyncEndpointMethod(departments.unarchive_department)
    list_archived_departments = AsyncEndpointMethod(departments.list_archived_departments)
    list_departments_by_ids = AsyncEndpointMethod(departments.list_departments_by_ids)
    autocomplete_departments = AsyncEndpointMethod(departments.autocomplete_departments)
    is_department_creation_available = AsyncEndpointMethod(
        departments.is_department_creation_available
    )
