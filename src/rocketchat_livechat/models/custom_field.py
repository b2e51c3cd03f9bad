"""Custom field definitions, and the results of setting visitors' values."""

from __future__ import annotations

from pydantic import AliasChoices, Field

from ._base import RocketChatModel, Timestamp

__all__ = ["CustomFieldDefinition", "CustomFieldResult"]


class CustomFieldResult(RocketChatModel):
    """One custom field as echoed by ``livechat/custom.field`` / ``livechat/custom.fields``.

    ``custom.fields`` spells the key ``Key``; both spellings are accepted, ``key`` is dumped.
    """

    key: str = Field(validation_alias=AliasChoices("key", "Key"), serialization_alias="key")
    value: str | None = None
    overwrite: bool | None = None


class CustomFieldDefinition(RocketChatModel):
    """A custom field definition (``ILivechatCustomField``). ``custom-fields.save`` answers the
    stored attributes, with ``id`` only when it created the field. ``options`` holds a
    ``select`` field's comma-separated choices."""

    id: str | None = Field(default=None, alias="_id")
    label: str | None = None
    scope: str | None = None
    visibility: str | None = None
    type: str | None = None
    regexp: str | None = None
    required: bool | None = None
    default_value: str | None = None
    options: str | None = None
    public: bool | None = None
    searchable: bool | None = None
    updated_at: Timestamp | None = Field(default=None, alias="_updatedAt")
