"""Typed response models (pydantic v2) for Rocket.Chat Livechat payloads.

The models (and pydantic) load on first use: ``from rocketchat_livechat.models import Message``
imports the module that defines it, ``import rocketchat_livechat.models`` alone imports nothing.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._base import RocketChatModel, Timestamp
    from .agent import AgentEmail, AgentInfo
    from .analytics import (
        AgentChats,
        AgentOverview,
        AgentOverviewColumn,
        AgentOverviewRow,
        AgentsStatus,
        ChatsChart,
        DepartmentChats,
        OverviewItem,
        Timing,
        Timings,
    )
    from .config import (
        AppearanceSetting,
        ConfigCustomField,
        ConfigDepartment,
        ConfigMessages,
        ConfigSettings,
        ConfigTheme,
        IntegrationSetting,
        LivechatConfig,
        QueueInfo,
        RoutingConfig,
        SurveyOptions,
    )
    from .contact import (
        Contact,
        ContactChannel,
        ContactConflict,
        ContactEmail,
        ContactLastChat,
        ContactManager,
        ContactPhone,
        ContactVisitor,
        ContactVisitorSource,
    )
    from .custom_field import CustomFieldDefinition, CustomFieldResult
    from .department import (
        AgentDepartment,
        Department,
        DepartmentAgent,
        DepartmentDetails,
        QueueDepartment,
        QueueMetric,
        QueueUser,
    )
    from .inquiry import DefaultAgent, Inquiry
    from .message import (
        Attachment,
        DeletedAgentMessage,
        DeletedMessage,
        FileUpload,
        Message,
        MessageFile,
        MessageUser,
        SentMessage,
        UploadedMedia,
        UploadedMessage,
    )
    from .page import Page, PageVisit
    from .room import ClosedRoom, Room, RoomResult, RoomSource, RoomVisitor, ServedBy, SurveyResult
    from .transfer import TransferDepartment, TransferHistoryEntry, TransferredBy, TransferTarget
    from .trigger import Trigger, TriggerAction, TriggerCondition
    from .user import AgentStatus, LivechatUser, LoginResult, UserRef
    from .visitor import DeletedVisitor, Visitor, VisitorEmail, VisitorPhone, VisitorStatus

_LAZY = {
    "AgentChats": "analytics",
    "AgentDepartment": "department",
    "AgentEmail": "agent",
    "AgentInfo": "agent",
    "AgentOverview": "analytics",
    "AgentOverviewColumn": "analytics",
    "AgentOverviewRow": "analytics",
    "AgentStatus": "user",
    "AgentsStatus": "analytics",
    "AppearanceSetting": "config",
    "Attachment": "message",
    "ChatsChart": "analytics",
    "ClosedRoom": "room",
    "ConfigCustomField": "config",
    "ConfigDepartment": "config",
    "ConfigMessages": "config",
    "ConfigSettings": "config",
    "ConfigTheme": "config",
    "Contact": "contact",
    "ContactChannel": "contact",
    "ContactConflict": "contact",
    "ContactEmail": "contact",
    "ContactLastChat": "contact",
    "ContactManager": "contact",
    "ContactPhone": "contact",
    "ContactVisitor": "contact",
    "ContactVisitorSource": "contact",
    "CustomFieldDefinition": "custom_field",
    "CustomFieldResult": "custom_field",
    "DefaultAgent": "inquiry",
    "DeletedAgentMessage": "message",
    "DeletedMessage": "message",
    "DeletedVisitor": "visitor",
    "Department": "department",
    "DepartmentAgent": "department",
    "DepartmentChats": "analytics",
    "DepartmentDetails": "department",
    "FileUpload": "message",
    "Inquiry": "inquiry",
    "IntegrationSetting": "config",
    "LivechatConfig": "config",
    "LivechatUser": "user",
    "LoginResult": "user",
    "Message": "message",
    "MessageFile": "message",
    "MessageUser": "message",
    "OverviewItem": "analytics",
    "Page": "page",
    "PageVisit": "page",
    "QueueDepartment": "department",
    "QueueInfo": "config",
    "QueueMetric": "department",
    "QueueUser": "department",
    "RocketChatModel": "_base",
    "Room": "room",
    "RoomResult": "room",
    "RoomSource": "room",
    "RoomVisitor": "room",
    "RoutingConfig": "config",
    "SentMessage": "message",
    "ServedBy": "room",
    "SurveyOptions": "config",
    "SurveyResult": "room",
    "Timestamp": "_base",
    "Timing": "analytics",
    "Timings": "analytics",
    "TransferDepartment": "transfer",
    "TransferHistoryEntry": "transfer",
    "TransferTarget": "transfer",
    "TransferredBy": "transfer",
    "Trigger": "trigger",
    "TriggerAction": "trigger",
    "TriggerCondition": "trigger",
    "UploadedMedia": "message",
    "UploadedMessage": "message",
    "UserRef": "user",
    "Visitor": "visitor",
    "VisitorEmail": "visitor",
    "VisitorPhone": "visitor",
    "VisitorStatus": "visitor",
}

__all__ = [
    "AgentChats",
    "AgentDepartment",
    "AgentEmail",
    "AgentInfo",
    "AgentOverview",
    "AgentOverviewColumn",
    "AgentOverviewRow",
    "AgentStatus",
    "AgentsStatus",
    "AppearanceSetting",
    "Attachment",
    "ChatsChart",
    "ClosedRoom",
    "ConfigCustomField",
    "ConfigDepartment",
    "ConfigMessages",
    "ConfigSettings",
    "ConfigTheme",
    "Contact",
    "ContactChannel",
    "ContactConflict",
    "ContactEmail",
    "ContactLastChat",
    "ContactManager",
    "ContactPhone",
    "ContactVisitor",
    "ContactVisitorSource",
    "CustomFieldDefinition",
    "CustomFieldResult",
    "DefaultAgent",
    "DeletedAgentMessage",
    "DeletedMessage",
    "DeletedVisitor",
    "Department",
    "DepartmentAgent",
    "DepartmentChats",
    "DepartmentDetails",
    "FileUpload",
    "Inquiry",
    "IntegrationSetting",
    "LivechatConfig",
    "LivechatUser",
    "LoginResult",
    "Message",
    "MessageFile",
    "MessageUser",
    "OverviewItem",
    "Page",
    "PageVisit",
    "QueueDepartment",
    "QueueInfo",
    "QueueMetric",
    "QueueUser",
    "RocketChatModel",
    "Room",
    "RoomResult",
    "RoomSource",
    "RoomVisitor",
    "RoutingConfig",
    "SentMessage",
    "ServedBy",
    "SurveyOptions",
    "SurveyResult",
    "Timestamp",
    "Timing",
    "Timings",
    "TransferDepartment",
    "TransferHistoryEntry",
    "TransferTarget",
    "TransferredBy",
    "Trigger",
    "TriggerAction",
    "TriggerCondition",
    "UploadedMedia",
    "UploadedMessage",
    "UserRef",
    "Visitor",
    "VisitorEmail",
    "VisitorPhone",
    "VisitorStatus",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module("." + module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
