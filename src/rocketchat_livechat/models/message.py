"""Chat messages (``IMessage``) as seen by a livechat visitor."""

from __future__ import annotations

from typing import Any

from pydantic import AliasChoices, ConfigDict, Field, field_validator

from ._base import RocketChatModel, Timestamp
from .user import UserRef

__all__ = [
    "Attachment",
    "DeletedAgentMessage",
    "DeletedMessage",
    "FileUpload",
    "Message",
    "MessageFile",
    "MessageUser",
    "SentMessage",
    "UploadedMedia",
    "UploadedMessage",
]


class MessageUser(RocketChatModel):
    """The author of a message (``u``): a visitor, an agent or ``rocket.cat``."""

    id: str = Field(alias="_id")
    username: str | None = None
    name: str | None = None


class MessageFile(RocketChatModel):
    """A file attached to a message (``file`` and the items of ``files``)."""

    id: str = Field(alias="_id")
    name: str | None = None
    type: str | None = None
    size: int | None = None
    format: str | None = None


class Attachment(RocketChatModel):
    """A message attachment. Rocket.Chat spells these keys in snake_case (``title_link``)."""

    model_config = ConfigDict(alias_generator=None)

    title: str | None = None
    type: str | None = None
    description: str | None = None
    description_md: list[dict[str, Any]] | None = Field(default=None, alias="descriptionMd")
    text: str | None = None
    ts: Timestamp | None = None
    title_link: str | None = None
    title_link_download: bool | None = None
    image_url: str | None = None
    image_type: str | None = None
    image_size: int | None = None
    image_dimensions: dict[str, Any] | None = None
    image_preview: str | None = None
    audio_url: str | None = None
    audio_type: str | None = None
    audio_size: int | None = None
    video_url: str | None = None
    video_type: str | None = None
    video_size: int | None = None
    size: int | None = None
    format: str | None = None
    file_id: str | None = Field(default=None, alias="fileId")
    message_link: str | None = None
    author_name: str | None = None
    color: str | None = None


class FileUpload(RocketChatModel):
    """Download information that GET/history responses add to file messages."""

    public_file_path: str | None = None
    type: str | None = None
    size: int | None = None


class Message(RocketChatModel):
    """A message of a livechat room, including system messages (``t`` set)."""

    id: str = Field(alias="_id")
    rid: str | None = None
    msg: str | None = None
    ts: Timestamp | None = None
    u: MessageUser | None = None
    token: str | None = Field(default=None, repr=False)
    alias: str | None = None
    t: str | None = None
    updated_at: Timestamp | None = Field(default=None, alias="_updatedAt")
    edited_at: Timestamp | None = None
    edited_by: UserRef | None = None
    file: MessageFile | None = None
    files: list[MessageFile] = Field(default_factory=list)
    attachments: list[Attachment] = Field(default_factory=list)
    file_upload: FileUpload | None = None
    groupable: bool | None = None
    mentions: list[dict[str, Any]] = Field(default_factory=list)
    channels: list[dict[str, Any]] = Field(default_factory=list)
    urls: list[dict[str, Any]] = Field(default_factory=list)
    md: list[dict[str, Any]] | None = None
    unread: bool | None = None
    transfer_data: dict[str, Any] | None = None
    transcript_requested: bool | None = None
    navigation: dict[str, Any] | None = Field(default=None, repr=False)  # holds the token
    request_data: dict[str, Any] | None = None
    hidden: bool | None = Field(default=None, alias="_hidden")

    @property
    def is_system(self) -> bool:
        """Whether this is a system message (``livechat-close``, ``uj``, ``command``...)."""
        return self.t is not None

    @property
    def edited(self) -> bool:
        """Whether the message was edited."""
        return self.edited_at is not None

    @property
    def user(self) -> MessageUser | None:
        """Readable alias of ``u``."""
        return self.u

    @property
    def text(self) -> str | None:
        """Readable alias of ``msg``."""
        return self.msg


class DeletedMessage(RocketChatModel):
    """Result of ``DELETE livechat/message/:_id`` (older docs spell ``ts`` as ``ls``)."""

    id: str = Field(alias="_id")
    ts: Timestamp | None = Field(
        default=None, validation_alias=AliasChoices("ts", "ls"), serialization_alias="ts"
    )


class UploadedMessage(Message):
    """Result of ``POST livechat/upload/:rid``: the file message itself plus two flags."""

    new_room: bool = False
    show_connecting: bool = False


class DeletedAgentMessage(RocketChatModel):
    """Result of ``POST chat.delete``: the id, when (``ts``, epoch ms sent as text) and the
    deleted message as Rocket.Chat read it (``_id``, ``rid``, ``u`` only)."""

    id: str = Field(alias="_id")
    ts: Timestamp | None = None
    message: Message | None = None

    @field_validator("ts", mode="before")
    @classmethod
    def _epoch_text(cls, value: Any) -> Any:
        return int(value) if isinstance(value, str) and value.isdigit() else value


class UploadedMedia(RocketChatModel):
    """Result of ``POST rooms.media/:rid``: the stored, not yet posted file (``url`` is relative
    to the site: ``/file-upload/<id>/<name>``)."""

    id: str = Field(alias="_id")
    url: str | None = None


class SentMessage(RocketChatModel):
    """One message stored by ``POST livechat/messages``: its author's username, text, time."""

    username: str | None = None
    msg: str | None = None
    ts: Timestamp | None = None
