"""Livechat visitor (``ILivechatVisitor``) and visitor endpoint results."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from ._base import RocketChatModel, Timestamp

__all__ = ["DeletedVisitor", "Visitor", "VisitorEmail", "VisitorPhone", "VisitorStatus"]


class VisitorEmail(RocketChatModel):
    """One entry of ``visitorEmails``."""

    address: str


class VisitorPhone(RocketChatModel):
    """One entry of ``phone``."""

    phone_number: str


class Visitor(RocketChatModel):
    """A livechat visitor (guest), as returned by ``livechat/visitor`` and ``config.guest``."""

    id: str = Field(alias="_id")
    token: str | None = Field(default=None, repr=False)
    username: str | None = None
    name: str | None = None
    status: str | None = None
    ts: Timestamp | None = None
    updated_at: Timestamp | None = Field(default=None, alias="_updatedAt")
    department: str | None = None
    visitor_emails: list[VisitorEmail] = Field(default_factory=list)
    phone: list[VisitorPhone] = Field(default_factory=list)
    livechat_data: dict[str, Any] = Field(default_factory=dict)
    user_agent: str | None = None
    ip: str | None = None
    host: str | None = None
    contact_id: str | None = None
    activity: list[str] = Field(default_factory=list)
    last_chat: dict[str, Any] | None = None
    last_agent: dict[str, Any] | None = None
    disabled: bool = False

    @property
    def email(self) -> str | None:
        """The first e-mail address, if any."""
        return self.visitor_emails[0].address if self.visitor_emails else None


class DeletedVisitor(RocketChatModel):
    """Result of ``DELETE livechat/visitor/:token``."""

    id: str = Field(alias="_id")
    ts: Timestamp | None = None


class VisitorStatus(RocketChatModel):
    """Result of ``POST livechat/visitor.status``."""

    token: str = Field(repr=False)
    status: str | None = None
