"""The widget configuration (``GET livechat/config``) and its settings (``livechat/appearance``)."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from ._base import RocketChatModel, Timestamp
from .agent import AgentInfo
from .room import Room
from .trigger import Trigger
from .visitor import Visitor

__all__ = [
    "AppearanceSetting",
    "ConfigCustomField",
    "ConfigDepartment",
    "ConfigMessages",
    "ConfigSettings",
    "ConfigTheme",
    "LivechatConfig",
    "QueueInfo",
    "RoutingConfig",
    "SurveyOptions",
]


class ConfigSettings(RocketChatModel):
    """``config.settings``: widget behaviour switches."""

    registration_form: bool | None = None
    allow_switching_departments: bool | None = None
    name_field_registration_form: bool | None = None
    email_field_registration_form: bool | None = None
    display_offline_form: bool | None = None
    video_call: bool | None = None
    file_upload: bool | None = None
    language: str | None = None
    transcript: bool | None = None
    history_monitor_type: str | None = None
    force_accept_data_processing_consent: bool | None = None
    show_connecting: bool | None = None
    agent_hidden_info: bool | None = None
    clear_local_storage_when_chat_ended: bool | None = None
    limit_text_length: int | bool | None = None
    """False, or the maximum message length when the character limit is on."""
    hidden_system_messages: list[str] | None = None
    livechat_logo: dict[str, Any] | str | None = None
    hide_watermark: bool | None = None
    visitors_can_close_chat: bool | None = None


class ConfigTheme(RocketChatModel):
    """``config.theme``."""

    title: str | None = None
    color: str | None = None
    offline_title: str | None = None
    offline_color: str | None = None
    position: str | None = None
    background: str | None = None
    action_links: dict[str, Any] | list[dict[str, Any]] | None = None


class ConfigMessages(RocketChatModel):
    """``config.messages``: texts shown by the widget."""

    offline_message: str | None = None
    offline_success_message: str | None = None
    offline_unavailable_message: str | None = None
    conversation_finished_message: str | None = None
    conversation_finished_text: str | None = None
    transcript_message: str | None = None
    registration_form_message: str | None = None
    data_processing_consent_text: str | None = None


class SurveyOptions(RocketChatModel):
    """``config.survey``: the survey questions and allowed answers."""

    items: list[str] = Field(default_factory=list)
    values: list[str] = Field(default_factory=list)


class ConfigDepartment(RocketChatModel):
    """A department offered by the widget."""

    id: str = Field(alias="_id")
    name: str | None = None
    show_on_registration: bool | None = None
    show_on_offline_form: bool | None = None


class ConfigCustomField(RocketChatModel):
    """A public visitor custom field the widget may ask for."""

    id: str = Field(alias="_id")
    label: str | None = None
    regexp: str | None = None
    required: bool | None = None
    type: str | None = None
    default_value: str | None = None
    options: list[str] | str | None = None


class QueueInfo(RocketChatModel):
    """Waiting-queue position (``config.queueInfo`` and the ``queueData`` event) [EE]."""

    spot: int | None = None
    message: dict[str, Any] | str | None = None
    estimated_wait_time_seconds: int | float | None = None


class LivechatConfig(RocketChatModel):
    """``config`` of ``GET livechat/config``. A disabled livechat sends only ``enabled``."""

    enabled: bool | None = None
    settings: ConfigSettings = Field(default_factory=ConfigSettings)
    theme: ConfigTheme = Field(default_factory=ConfigTheme)
    messages: ConfigMessages = Field(default_factory=ConfigMessages)
    survey: SurveyOptions = Field(default_factory=SurveyOptions)
    triggers: list[Trigger] = Field(default_factory=list)
    """The enabled triggers (``_id``, ``actions``, ``conditions``, ``run_once`` only)."""
    departments: list[ConfigDepartment] = Field(default_factory=list)
    resources: dict[str, Any] | None = None
    online: bool | None = None
    custom_fields: list[ConfigCustomField] = Field(default_factory=list)
    guest: Visitor | None = None
    room: Room | None = None
    agent: AgentInfo | None = None
    queue_info: QueueInfo | None = None


class IntegrationSetting(RocketChatModel):
    """One CRM-integration (webhook) setting of ``GET livechat/integrations.settings``."""

    id: str = Field(alias="_id")
    value: Any = None
    """The URL or token (strings), ``Livechat_http_timeout`` (ms), or a ``Livechat_webhook_on_*``
    flag."""
    type: str | None = None
    package_value: Any = None
    updated_at: Timestamp | None = Field(default=None, alias="_updatedAt")


class AppearanceSetting(RocketChatModel):
    """One widget appearance setting of ``GET livechat/appearance`` (a Rocket.Chat setting)."""

    id: str = Field(alias="_id")
    value: Any = None
    """A string, bool, number or (``multiSelect``) list of strings, as the setting's type says."""
    type: str | None = None
    package_value: Any = None
    updated_at: Timestamp | None = Field(default=None, alias="_updatedAt")


class RoutingConfig(RocketChatModel):
    """``GET livechat/config/routing``: the routing method's switches for agents' clients
    (``RoutingManager.getConfig()``: ``Manual_Selection`` previews and queues, ``Auto_Selection``
    assigns)."""

    preview_room: bool | None = None
    show_connecting: bool | None = None
    show_queue: bool | None = None
    show_queue_link: bool | None = None
    return_queue: bool | None = None
    enable_trigger_action: bool | None = None
    auto_assign_agent: bool | None = None
