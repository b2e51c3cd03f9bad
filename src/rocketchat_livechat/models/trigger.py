"""Livechat triggers (``ILivechatTrigger``): messages the widget sends on its own when a
condition is met (time on site, page URL, chat opened, guest registered)."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from ._base import RocketChatModel, Timestamp

__all__ = ["Trigger", "TriggerAction", "TriggerCondition"]


class TriggerCondition(RocketChatModel):
    """When a trigger fires: ``name`` is ``time-on-site`` (``value``: seconds), ``page-url``
    (``value``: a URL pattern), ``chat-opened-by-visitor`` or ``after-guest-registration``."""

    name: str
    value: str | int | float | None = None


class TriggerAction(RocketChatModel):
    """What a trigger does: ``send-message`` (``params``: ``sender`` ``queue``/``custom``,
    ``msg``, ``name``) or the enterprise-only ``use-external-service``."""

    name: str
    params: dict[str, Any] | None = None


class Trigger(RocketChatModel):
    """A livechat trigger. ``livechat/config`` lists the enabled ones with only ``_id``,
    ``actions``, ``conditions`` and ``runOnce``."""

    id: str = Field(alias="_id")
    name: str | None = None
    description: str | None = None
    enabled: bool | None = None
    run_once: bool | None = None
    conditions: list[TriggerCondition] = Field(default_factory=list)
    actions: list[TriggerAction] = Field(default_factory=list)
    updated_at: Timestamp | None = Field(default=None, alias="_updatedAt")
