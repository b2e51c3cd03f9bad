"""Uploads: streaming multipart parsing to disk, type/size rules, and authorised downloads.

Files are stored as ``<files_dir>/<upload id>`` and served at ``/file-upload/<id>/<name>``
(the ``title_link`` of file messages; ``fileUpload.publicFilePath`` is the same on the site URL).
Download access is Rocket.Chat's ``requestCanAccessFiles`` (:func:`can_access`):

* a visitor: ``rc_room_type=l`` + ``rc_rid`` + ``rc_token`` (query, or cookies as the widget
  sets them; with no ``rc_uid`` in the query any ``Cookie`` header replaces all four); the file
  must be in that room and the room (open or closed, as since 6.9) that visitor's;
* a user: ``rc_uid`` + ``rc_token`` or ``X-User-Id`` + ``X-Auth-Token``, a member of the file's
  room (``FileUpload_Restrict_to_room_members``, default on).

Anything else → 403 with an empty body, unknown file → 404 with an empty body.
"""

from __future__ import annotations

import mimetypes
import os
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import quote

from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.requests import Request
from starlette.responses import FileResponse, Response

from . import auth
from .errors import Failure, MatchError, MeteorError, PlainError
from .ids import random_id
from .state import ServerState
from .store import Doc

MAX_FIELD_BYTES = 1024 * 1024
DEFAULT_MAX_FILE_SIZE = 104857600
ALLOWED_TEXT_FIELDS = ("description", "msg", "alias", "emoji", "avatar", "groupable")


class UploadTooLarge(Exception):
    """The file part exceeded the size limit."""


@dataclass
class ReceivedFile:
    """A file part stored under a temporary name in the files dir."""

    field_name: str
    filename: str
    content_type: str
    path: Path
    size: int = 0


@dataclass
class ParsedUpload:
    """Result of :func:`receive_upload`."""

    fields: dict[str, str] = field(default_factory=dict)
    files: list[ReceivedFile] = field(default_factory=list)

    def discard(self) -> None:
        """Remove stored temporary files."""
        for received in self.files:
            received.path.unlink(missing_ok=True)


class _Receiver:
    """``python-multipart`` callbacks writing the file part straight to disk."""

    def __init__(self, files_dir: Path, max_size: int) -> None:
        self.files_dir = files_dir
        self.max_size = max_size
        self.result = ParsedUpload()
        self._headers: dict[bytes, bytes] = {}
        self._field = b""
        self._value = b""
        self._name = ""
        self._text: bytearray | None = None
        self._file: ReceivedFile | None = None
        self._handle: BinaryIO | None = None

    def callbacks(self) -> dict[str, Any]:
        return {
            "on_part_begin": self._begin,
            "on_part_data": self._data,
            "on_part_end": self._end,
            "on_header_field": lambda d, s, e: self._set("_field", d[s:e]),
            "on_header_value": lambda d, s, e: self._set("_value", d[s:e]),
            "on_header_end": self._header_end,
            "on_headers_finished": self._headers_done,
        }

    def _set(self, attr: str, chunk: bytes) -> None:
        setattr(self, attr, getattr(self, attr) + chunk)

    def _begin(self) -> None:
        self._headers = {}

    def _header_end(self) -> None:
        self._headers[self._field.lower()] = self._value
        self._field = self._value = b""

    def _headers_done(self) -> None:
        _, options = parse_options_header(self._headers.get(b"content-disposition", b""))
        self._name = options.get(b"name", b"").decode("utf-8", "replace")
        filename = options.get(b"filename")
        if filename is None:
            self._text = bytearray()
            return
        if self._name != "file":
            raise MeteorError("invalid-field")
        if self.result.files:
            raise PlainError("Just 1 file is allowed")
        content_type = self._headers.get(b"content-type", b"application/octet-stream")
        path = self.files_dir / f".incoming-{random_id()}"
        self._file = ReceivedFile(
            self._name, filename.decode("utf-8", "replace"), content_type.decode(), path
        )
        self.result.files.append(self._file)
        self._handle = path.open("wb")

    def _data(self, data: bytes, start: int, end: int) -> None:
        if self._file is not None and self._handle is not None:
            self._file.size += end - start
            if self.max_size >= 0 and self._file.size > self.max_size:
                raise UploadTooLarge()
            self._handle.write(data[start:end])
        elif self._text is not None:
            self._text += data[start:end]
            if len(self._text) > MAX_FIELD_BYTES:
                raise PlainError("Field value too large")

    def _end(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None
            self._file = None
        elif self._text is not None:
            self.result.fields[self._name] = self._text.decode("utf-8", "replace")
            self._text = None

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()


def max_file_size(state: ServerState) -> int:
    """``FileUpload_MaxFileSize``: 0 → 100 MiB, negative → unlimited (-1)."""
    size = int(state.settings["FileUpload_MaxFileSize"])
    if size == 0:
        return DEFAULT_MAX_FILE_SIZE
    return -1 if size < 0 else size


async def receive_upload(state: ServerState, request: Request) -> ParsedUpload:
    """Parse a multipart request, streaming the single ``file`` part to disk.

    A request that is not ``multipart/form-data`` carries no file (empty result).
    """
    content_type, options = parse_options_header(request.headers.get("content-type", ""))
    if content_type != b"multipart/form-data":
        return ParsedUpload()
    boundary = options.get(b"boundary")
    if not boundary:
        raise PlainError("Invalid multipart body: missing boundary")
    receiver = _Receiver(state.files_dir, max_file_size(state))
    try:
        parser = MultipartParser(boundary, receiver.callbacks())  # type: ignore[arg-type]
        async for chunk in _stream(request):
            parser.write(chunk)
        parser.finalize()
    except UploadTooLarge:
        receiver.result.discard()
        raise MeteorError("error-file-too-large") from None
    except FormParserError as exc:
        receiver.result.discard()
        raise PlainError(f"Invalid multipart body: {exc}") from None
    except BaseException:
        receiver.result.discard()
        raise
    finally:
        receiver.close()
    return receiver.result


async def _stream(request: Request) -> AsyncIterator[bytes]:
    async for chunk in request.stream():
        yield chunk


def mime_type(filename: str, declared: str) -> str:
    """The type Rocket.Chat would record: from the file name when known, else the part's."""
    guessed, _ = mimetypes.guess_type(filename)
    return guessed or declared or "application/octet-stream"


def _matches_list(mime: str, entries: str) -> bool:
    for entry in (e.strip() for e in entries.split(",")):
        if not entry:
            continue
        if entry == mime or (entry.endswith("/*") and mime.startswith(entry[:-1])):
            return True
    return False


def is_allowed_type(state: ServerState, mime: str) -> bool:
    """``FileUpload_MediaTypeWhiteList`` / ``BlackList`` (comma lists, ``type/*`` wildcards)."""
    if _matches_list(mime, state.settings["FileUpload_MediaTypeBlackList"]):
        return False
    whitelist = state.settings["FileUpload_MediaTypeWhiteList"]
    return not whitelist or _matches_list(mime, whitelist)


def human_size(size: int) -> str:
    """``filesize()``-style text (base 1024), e.g. ``100 MB``."""
    value = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024:
            return f"{value:g} {unit}"
        value /= 1024
    return f"{value:g} TB"


def check_text_fields(fields: dict[str, str]) -> dict[str, str]:
    """Rocket.Chat's exact pattern for the text fields of a visitor upload (7.x groupable)."""
    for key, value in fields.items():
        if key not in ALLOWED_TEXT_FIELDS:
            raise MatchError(f"Unknown key in field {key}")
        if key == "groupable" and value not in ("true", "false", "1", "0"):
            raise MatchError("Expected boolean, got string in field groupable")
    return fields


def validate_file_upload(state: ServerState, received: ReceivedFile) -> None:
    """``FileUpload.validateFileUpload`` for users' uploads (``rooms.media``/``rooms.upload``;
    apps/meteor/app/file-upload/server/lib/FileUpload.ts), with its English texts."""
    if not state.settings["FileUpload_Enabled"]:
        raise MeteorError("error-file-upload-disabled", "File uploads are disabled.")
    limit = max_file_size(state)
    if 0 <= limit < received.size:
        raise MeteorError(
            "error-file-too-large", f"File exceeds allowed size of {human_size(limit)}."
        )
    if not is_allowed_type(state, mime_type(received.filename, received.content_type)):
        raise MeteorError("error-invalid-file-type", "File type is not accepted.")


def store_upload(
    state: ServerState,
    received: ReceivedFile,
    *,
    rid: str,
    owner: Doc,
    description: str,
    extra: Doc | None = None,
) -> Doc:
    """Validate type and size, move the file into place and record the upload (with the
    ``extra`` fields)."""
    mime = mime_type(received.filename, received.content_type)
    if not is_allowed_type(state, mime):
        raise Failure({"reason": "error-type-not-allowed"})
    limit = max_file_size(state)
    if 0 <= limit < received.size:
        raise Failure({"reason": "error-size-not-allowed", "sizeAllowed": human_size(limit)})
    now = state.now()
    upload: Doc = {
        "_id": random_id(),
        "name": received.filename,
        "size": received.size,
        "type": mime,
        "rid": rid,
        "userId": owner["_id"],
        "store": "FileSystem:Uploads",
        "complete": True,
        "uploading": False,
        "extension": Path(received.filename).suffix.lstrip("."),
        "progress": 1,
        "uploadedAt": now,
        "_updatedAt": now,
    }
    if description:
        upload["description"] = description
    upload.update(extra or {})
    os.replace(received.path, state.files_dir / upload["_id"])
    return state.store.uploads.insert(upload)


def file_url(upload: Doc) -> str:
    """Relative URL of an upload (``/file-upload/<id>/<name>``)."""
    return f"/file-upload/{upload['_id']}/{quote(upload['name'])}"


def attachment(upload: Doc, description: str) -> Doc:
    """The message attachment for an upload (image/audio/video specific keys)."""
    url = file_url(upload)
    item: Doc = {
        "title": upload["name"],
        "type": "file",
        "description": description,
        "title_link": url,
        "title_link_download": True,
    }
    kind = upload["type"].split("/", 1)[0]
    if kind in ("image", "audio", "video"):
        item[f"{kind}_url"] = url
        item[f"{kind}_type"] = upload["type"]
        item[f"{kind}_size"] = upload["size"]
    return item


def file_extension(name: str) -> str:
    """``getFileExtension`` (apps/meteor/lib/utils/getFileExtension.ts): ``PDF``, else ``file``."""
    parts = name.split(".")
    if len(parts) < 2 or (parts[0] == "" and len(parts) == 2):
        return "file"
    return parts[-1].upper() or "file"


def user_file_parts(upload: Doc) -> tuple[list[Doc], list[Doc]]:
    """``files`` and ``attachments`` of a user's file message (``parseFileIntoMessageAttachments``
    in apps/meteor/app/file-upload/server/methods/sendFileMessage.ts; no thumbnails)."""
    url = file_url(upload)
    file_prop: Doc = {
        "_id": upload["_id"],
        "name": upload["name"],
        "type": upload["type"] or "file",
        "size": upload["size"],
        "format": "",
    }
    item: Doc = {"title": upload["name"], "type": "file"}
    if upload.get("description") is not None:
        item["description"] = upload["description"]
    item.update({"title_link": url, "title_link_download": True})
    kind = upload["type"].split("/", 1)[0]
    if kind in ("image", "audio", "video"):
        item[f"{kind}_url"] = url
        item[f"{kind}_type"] = upload["type"]
        item[f"{kind}_size"] = upload["size"]
    else:
        item["format"] = file_extension(upload["name"])
        item["size"] = upload["size"]
    item["fileId"] = upload["_id"]
    return [file_prop], [item]


def public_file_info(state: ServerState, upload: Doc) -> Doc:
    """``fileUpload`` as added to GET/history responses."""
    site = str(state.settings["Site_Url"]).rstrip("/")
    return {
        "publicFilePath": site + file_url(upload),
        "type": upload["type"],
        "size": upload["size"],
    }


def with_file_upload(state: ServerState, message: Doc) -> Doc:
    """The message plus ``fileUpload`` when it carries a file."""
    file_id = message.get("file", {}).get("_id")
    upload = state.store.uploads.get(file_id) if file_id else None
    return {**message, "fileUpload": public_file_info(state, upload)} if upload else message


# ---------------------------------------------------------------------------------------------
# downloads


@dataclass(frozen=True, slots=True)
class FileCredentials:
    """``rc_uid``, ``rc_token``, ``rc_rid``, ``rc_room_type`` as ``requestCanAccessFiles`` reads."""

    uid: str | None
    token: str | None
    rid: str | None
    room_type: str | None


def file_credentials(request: Request) -> FileCredentials:
    """The query's values, all four replaced by the cookies' when the query has no ``rc_uid``
    and the request has any ``Cookie`` header (Rocket.Chat's quirk, kept: a visitor sending
    ``rc_token`` in the query *and* some unrelated cookie is refused)."""
    query = request.query_params
    if not query.get("rc_uid") and request.headers.get("cookie"):
        cookies = request.cookies
        return FileCredentials(
            cookies.get("rc_uid"),
            cookies.get("rc_token"),
            cookies.get("rc_rid"),
            cookies.get("rc_room_type"),
        )
    return FileCredentials(
        query.get("rc_uid"), query.get("rc_token"), query.get("rc_rid"), query.get("rc_room_type")
    )


def _livechat_directive(state: ServerState, creds: FileCredentials, upload: Doc) -> bool:
    """``LivechatRoomType.canAccessUploadedFile``: the room ``rc_rid`` of visitor ``rc_token``.

    Rocket.Chat >= 6.9 (#32439) accepts the visitor's room open *or closed* (<= 6.8 only open,
    #18591); its newest revision also requires the file to be in that room (the spec's "file
    belongs to a different room" test). The embedded server (7.10) applies both.
    """
    if not (creds.token and creds.rid) or upload.get("rid") != creds.rid:
        return False
    room = state.store.rooms.get(creds.rid)
    return (
        room is not None and room.get("t") == "l" and room.get("v", {}).get("token") == creds.token
    )


def _is_member(state: ServerState, user: Doc, room: Doc) -> bool:
    """Subscribed to ``room``: its serving agent (implicit here), a joined user, a member."""
    if room.get("servedBy", {}).get("_id") == user["_id"]:
        return True
    if user["_id"] in room.get("members", []):
        return True
    return bool(state.store.subscriptions.find({"rid": room["_id"], "u._id": user["_id"]}))


def can_access(state: ServerState, request: Request, upload: Doc) -> bool:
    """``FileUpload.requestCanAccessFiles`` (apps/meteor/app/file-upload/server/lib/FileUpload.ts).

    1. ``FileUpload_ProtectFiles`` off: everyone.
    2. ``rc_room_type`` set: that room type's directive decides first (only ``l`` grants
       anything here). The JWT rule (``FileUpload_Enable_json_web_token_for_files``) is not
       implemented: no ``?token=`` is ever issued by this server.
    3. A user: ``rc_uid`` + ``rc_token`` (each falling back to ``X-User-Id``/``X-Auth-Token``);
       then ``FileUpload_Restrict_to_room_members`` (default on: a subscription to the file's
       room) / ``FileUpload_Restrict_to_users_who_can_access_room`` (room access); both on
       refuses everyone (as Rocket.Chat's code does).
    """
    settings = state.settings
    if not settings["FileUpload_ProtectFiles"]:
        return True
    creds = file_credentials(request)
    if creds.room_type == "l" and _livechat_directive(state, creds, upload):
        return True
    uid = creds.uid or request.headers.get("x-user-id")
    auth_token = creds.token or request.headers.get("x-auth-token")
    user = auth.authenticate(state.store, uid, auth_token) if uid and auth_token else None
    if user is None:
        return False
    room = state.store.rooms.get(upload.get("rid") or "")
    if not upload.get("rid"):
        return True
    members_only = settings["FileUpload_Restrict_to_room_members"]
    room_access = settings["FileUpload_Restrict_to_users_who_can_access_room"]
    if not members_only and not room_access:
        return True
    if room is None or (members_only and room_access):
        return False
    if members_only:
        return _is_member(state, user, room)
    return auth.can_access_room(user, room)


def download_headers(upload: Doc) -> dict[str, str]:
    """The headers of the file handler and ``FileSystem:Uploads.get`` (FileSystem.ts)."""
    headers = {
        "Content-Disposition": f"attachment; filename*=UTF-8''{quote(upload['name'], safe='')}",
        "Content-Security-Policy": "default-src 'none'",
        "Cache-Control": "max-age=31536000",
        "X-Content-Type-Options": "nosniff",
    }
    uploaded = upload.get("uploadedAt")
    if isinstance(uploaded, datetime):
        headers["Last-Modified"] = format_datetime(uploaded.astimezone(UTC), usegmt=True)
    return headers


async def legacy_download(request: Request) -> Response:
    """``GET /ufs/<store>/<id>/<name>`` (UploadFS, up to 8.x): the same file handler; the line
    9.0 removed it (#41054, ``http:/ufs``), where it is a bare 404."""
    state: ServerState = request.app.state.livechat
    if not state.line.serves_path("/ufs"):
        return Response(status_code=404)
    return await download(request)


async def download(request: Request) -> Response:
    """``GET /file-upload/<id>/<name>``: 404 (empty) unknown id, 403 (empty) refused, else the
    file streamed from disk (``Range`` supported) with ``Content-Length`` and the headers above.
    The name segment is ignored, as in Rocket.Chat."""
    state: ServerState = request.app.state.livechat
    file_id = request.path_params["file_id"]
    upload = state.store.uploads.get(file_id)
    path = state.files_dir / file_id
    if upload is None or not path.is_file():
        return Response(status_code=404)
    if not can_access(state, request, upload):
        return Response(status_code=403)
    return FileResponse(
        path,
        media_type=upload.get("type") or "application/octet-stream",
        headers=download_headers(upload),
    )
