"""Department administration end to end: create a department with an agent, route a chat into
it, update it, list and change its agents, the agent's departments, queue metrics, delete."""

from __future__ import annotations

import secrets

import pytest

from rocketchat_livechat import (
    AsyncLivechatClient,
    DepartmentNotFoundError,
    DepartmentRemovalDisabledError,
    DepartmentSaveError,
    InvalidArgumentError,
    PermissionDeniedError,
)
from rocketchat_livechat.testing.plugin import LivechatTestServer

from ._support import register

pytestmark = pytest.mark.e2e


async def test_department_lifecycle(
    async_manager_client: AsyncLivechatClient,
    async_livechat_client: AsyncLivechatClient,
    livechat_server: LivechatTestServer,
) -> None:
    manager = async_manager_client
    human = livechat_server.create_agent()
    name = f"Human {secrets.token_hex(3)}"
    created = await manager.departments.create_department(
        name,
        "human@example.com",
        description="People",
        agents=[{"agentId": human.user_id, "count": 0, "order": 1}],
    )
    assert created.department is not None
    dept_id = created.department.id
    assert created.department.name == name and created.department.num_agents == 1
    assert [(a.agent_id, a.username, a.order) for a in created.agents] == [
        (human.user_id, human.username, 1)
    ]

    # a visitor of the department is routed to its only agent
    token = await register(async_livechat_client)
    await async_livechat_client.visitor.register_visitor(token, department=dept_id)
    room = (await async_livechat_client.room.get_room(token)).room
    assert room.served_by is not None and room.served_by.id == human.user_id

    # queue metrics: the agent serves one chat in the department
    queue = await manager.inquiries.get_queue(department_id=dept_id)
    assert [(q.user.id, q.department.id, q.department.name, q.chats) for q in queue.items] == [
        (human.user_id, dept_id, name, 1)
    ]
    assert queue.total == 1

    # update: the department is saved, listed agents are added, others stay
    second = livechat_server.create_agent(available=False)
    updated = await manager.departments.update_department(
        dept_id,
        name,
        "human@example.com",
        description="Humans only",
        agents=[{"agentId": second.user_id}],
    )
    assert updated.department is not None
    assert updated.department.description == "Humans only"
    assert updated.department.num_agents == 2
    agents = await manager.departments.get_department_agents(dept_id, sort={"username": 1})
    assert {a.agent_id for a in agents.items} == {human.user_id, second.user_id}
    assert agents.total == 2
    one = await manager.departments.get_department_agents(dept_id, count=1)
    assert len(one.items) == 1 and one.total == 2

    # the agent's departments
    async with AsyncLivechatClient(
        livechat_server.url, user_id=human.user_id, auth_token=human.auth_token
    ) as as_agent:
        mine = await as_agent.agents.get_agent_departments(human.user_id)
        assert [(d.department_id, d.department_name) for d in mine] == [(dept_id, name)]
        assert await as_agent.agents.get_agent_departments(human.user_id, enabled_only=True)
        queued = await as_agent.inquiries.list_queued_for_user()
        assert all(i.status == "queued" for i in queued.items)
        with pytest.raises(PermissionDeniedError):
            await as_agent.departments.delete_department(dept_id)

    # remove an agent
    await manager.departments.save_department_agents(
        dept_id, remove=[{"agentId": second.user_id, "username": second.username}]
    )
    details = await manager.departments.get_department(dept_id)
    assert details.department is not None and details.department.num_agents == 1
    assert [a.agent_id for a in details.agents] == [human.user_id]

    # refusals carry Rocket.Chat's codes
    with pytest.raises(DepartmentSaveError) as circular:
        await manager.departments.update_department(
            dept_id, name, "human@example.com", fallback_forward_department=dept_id
        )
    assert circular.value.error == "error-fallback-department-circular"
    with pytest.raises(DepartmentNotFoundError):
        await manager.departments.save_department_agents("no-such-department", upsert=[])
    with pytest.raises(InvalidArgumentError) as bad:
        await manager.departments.create_department(name, "x@example.com", agents=[{"id": "u"}])
    assert bad.value.argument == "agents[0]"

    # delete: refused until the setting allows it
    with pytest.raises(DepartmentRemovalDisabledError):
        await manager.departments.delete_department(dept_id)
    livechat_server.set_setting("Omnichannel_enable_department_removal", True)
    await manager.departments.delete_department(dept_id)
    with pytest.raises(DepartmentNotFoundError):
        await manager.departments.delete_department(dept_id)
    assert await manager.agents.get_agent_departments(human.user_id) == []
