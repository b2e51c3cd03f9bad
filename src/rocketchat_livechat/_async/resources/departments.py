from __future__ import annotations

from ..._core.endpoints import departments as endpoint
from ...models import Department, DepartmentDetails, Page
from ._base import AsyncResource


class AsyncDepartmentsResource(AsyncResource):
    async def list_departments(
        self,
        text: str | None = None,
        enabled: bool | None = None,
        only_my_departments: bool | None = None,
        offset: int | None = None,
        count: int | None = None,
    ) -> Page[Department]:
        call = endpoint.list_departments(text, enabled, only_my_departments, offset, count)
        return await self._client._request(call)

    async def get_department(self, department_id: str) -> DepartmentDetails:
        """The department and its agents."""
        return await self._client._request(endpoint.get_department(department_id))
