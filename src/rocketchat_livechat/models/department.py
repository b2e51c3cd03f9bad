"""Livechat departments and their agents."""

from __future__ import annotations

from pydantic import Field

from ._base import RocketChatModel, Timestamp

__all__ = [
    "AgentDepartment",
    "Department",
    "DepartmentAgent",
    "DepartmentDetails",
    "QueueDepartment",
    "QueueMetric",
    "QueueUser",
]


class Department(RocketChatModel):
    """A livechat department (``ILivechatDepartment``)."""

    id: str = Field(alias="_id")
    name: str | None = None
    enabled: bool | None = None
    email: str | None = None
    show_on_registration: bool | None = None
    show_on_offline_form: bool | None = None
    description: str | None = None
    num_agents: int | None = None
    updated_at: Timestamp | None = Field(default=None, alias="_updatedAt")
    request_tag_before_closing_chat: bool | None = None
    chat_closing_tags: list[str] = Field(default_factory=list)
    fallback_forward_department: str | None = None
    departments_allowed_to_forward: list[str] = Field(default_factory=list)
    archived: bool | None = None


class DepartmentAgent(RocketChatModel):
    """An agent's membership in a department (``ILivechatDepartmentAgents``)."""

    id: str = Field(alias="_id")
    agent_id: str | None = None
    department_id: str | None = None
    username: str | None = None
    count: int | None = None
    order: int | None = None
    department_enabled: bool | None = None


class DepartmentDetails(RocketChatModel):
    """A department with its agents (``GET``/``POST livechat/department``)."""

    department: Department | None = None
    agents: list[DepartmentAgent] = Field(default_factory=list)


class AgentDepartment(DepartmentAgent):
    """One of an agent's departments (``GET livechat/agents/:agentId/departments``): the
    department-agent link plus the department's name (``findDepartmentsOfAgent``)."""

    department_name: str | None = None
    updated_at: Timestamp | None = Field(default=None, alias="_updatedAt")


class QueueUser(RocketChatModel):
    """The agent of a queue-metrics row."""

    id: str | None = Field(default=None, alias="_id")
    username: str | None = None
    status: str | None = None


class QueueDepartment(RocketChatModel):
    """The department of a queue-metrics row (``None`` fields for chats without one)."""

    id: str | None = Field(default=None, alias="_id")
    name: str | None = None


class QueueMetric(RocketChatModel):
    """One row of ``GET livechat/queue``: an agent's open chats in one department."""

    user: QueueUser = Field(default_factory=QueueUser)
    department: QueueDepartment = Field(default_factory=QueueDepartment)
    chats: int = 0
