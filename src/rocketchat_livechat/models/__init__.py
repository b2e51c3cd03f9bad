"""Typed response models (pydantic v2) for Rocket.Chat Livechat payloads."""

from __future__ import annotations

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
    LivechatConfig,
    QueueInfo,
    SurveyOptions,
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
    DeletedMessage,
    FileUpload,
    Message,
    MessageFile,
    MessageUser,
    SentMessage,
    UploadedMessage,
)
from .page import Page, PageVisit
from .room import (
    ClosedRoom,
    Room,
    RoomResult,
    RoomVisitor,
    ServedBy,
    SurveyResult,
)
from .transfer import TransferDepartment, TransferHistoryEntry, TransferredBy, TransferTarget
from .trigger import Trigger, TriggerAction, TriggerCondition
from .user import AgentStatus, LivechatUser, LoginResult, UserRef
from .visitor import DeletedVisitor, Visitor, VisitorEmail, VisitorPhone, VisitorStatus

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
    "CustomFieldResult",
    "DefaultAgent",
    "DeletedMessage",
    "DeletedVisitor",
    "Department",
    "DepartmentAgent",
    "DepartmentChats",
    "DepartmentDetails",
    "FileUpload",
    "Inquiry",
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
    "RoomVisitor",
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
    "UploadedMessage",
    "UserRef",
    "Visitor",
    "VisitorEmail",
    "VisitorPhone",
    "VisitorStatus",
]
