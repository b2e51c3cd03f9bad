"""Results of setting visitor custom fields."""

from __future__ import annotations

from pydantic import AliasChoices, Field

from ._base import RocketChatModel

__all__ = ["CustomFieldResult"]


class CustomFieldResult(RocketChatModel):
    """One custom field as echoed by ``livechat/custom.field`` / ``livechat/custom.fields``.

    ``custom.fields`` spells the key ``Key``; both spellings are accepted, ``key`` is dumped.
    """

    key: str = Field(validation_alias=AliasChoices("key", "Key"), serialization_alias="key")
    value: str | None = None
    overwrite: bool | None = None
