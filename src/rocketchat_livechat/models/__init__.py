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
    from .config import (
        AppearanceSetting,
        ConfigCustomField,
        ConfigDepartment,
        ConfigMessages,
        ConfigSettings,
        ConfigTheme,
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
    from .custom_field import CustomFieldResult
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
        UploadedMedia,
        UploadedMessage,
    )
    from .page import Page, PageVisit
    from .room import (
        ClosedRoom,
        Room,
        RoomResult,
        RoomSource,
        RoomVisitor,
        ServedBy,
        SurveyResult,
    )
    from .transfer import TransferDepartment, TransferHistoryEntry, TransferredBy, TransferTarget
    from .user import AgentStatus, LivechatUser, LoginResult, UserRef
    from .visitor import DeletedVisitor, Visitor, VisitorEmail, VisitorPhone, VisitorStatus

_LAZY = {
    "AgentDepartment": "department",
    "AgentEmail": "agent",
    "AgentInfo": "agent",
    "AgentStatus": "user",
    "AppearanceSetting": "config",
    "Attachment": "message",
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
    "CustomFieldResult": "custom_field",
    "DefaultAgent": "inquiry",
    "DeletedAgentMessage": "message",
    "DeletedMessage": "message",
    "DeletedVisitor": "visitor",
    "Department": "department",
    "DepartmentAgent": "department",
    "DepartmentDetails": "department",
    "FileUpload": "message",
    "Inquiry": "inquiry",
    "LivechatConfig": "config",
    "LivechatUser": "user",
    "LoginResult": "user",
    "Message": "message",
    "MessageFile": "message",
    "MessageUser": "message",
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
    "ServedBy": "room",
    "SurveyOptions": "config",
    "SurveyResult": "room",
    "Timestamp": "_base",
    "TransferDepartment": "transfer",
    "TransferHistoryEntry": "transfer",
    "TransferTarget": "transfer",
    "TransferredBy": "transfer",
    "UploadedMedia": "message",
    "UploadedMessage": "message",
    "UserRef": "user",
    "Visitor": "visitor",
    "VisitorEmail": "visitor",
    "VisitorPhone": "visitor",
    "VisitorStatus": "visitor",
}

__all__ = [
    "AgentDepartment",
    "AgentEmail",
    "AgentInfo",
    "AgentStatus",
    "AppearanceSetting",
    "Attachment",
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
    "CustomFieldResult",
    "DefaultAgent",
    "DeletedAgentMessage",
    "DeletedMessage",
    "DeletedVisitor",
    "Department",
    "DepartmentAgent",
    "DepartmentDetails",
    "FileUpload",
    "Inquiry",
    "LivechatConfig",
    "LivechatUser",
    "LoginResult",
    "Message",
    "MessageFile",
    "MessageUser",
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
    "ServedBy",
    "SurveyOptions",
    "SurveyResult",
    "Timestamp",
    "TransferDepartment",
    "TransferHistoryEntry",
    "TransferTarget",
    "TransferredBy",
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
