"""Uploads: streaming multipart parsing to disk, type/size rules, and authorised downloads.

Files are stored as ``<files_dir>/<upload id>`` and served at ``/file-upload/<id>/<name>``.
Download access (Rocket.Chat's ``requestCanAccessFiles`` with ``FileUpload_ProtectFiles`` on):

* a visitor: ``rc_token`` + ``rc_rid`` (cookies, as the widget sets them, or query
  parameters), optionally ``rc_room_type=l``; the file must belong to that room and the room
  to that visitor token. (Rocket.Chat only checks the room/token pair, not that the file is in
  that room; the embedded server is stricter.)
* a user: ``rc_uid`` + ``rc_token`` (cookies or query) or ``X-User-Id`` + ``X-Auth-Token``
  headers; users may read files of rooms they can access.

Anything else → 403 with an empty body (as Rocket.Chat), unknown file → 404.
"""

from __future__ import annotations

import mimetypes
import os
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
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


def _credential(request: Request, name: str) -> str | None:
    return request.query_params.get(name) or request.cookies.get(name)


def can_access(state: ServerState, request: Request, upload: Doc) -> bool:
    """Rocket.Chat's download authorisation (see module docstring)."""
    if not state.settings["FileUpload_ProtectFiles"]:
        return True
    token, rid = _credential(request, "rc_token"), _credential(request, "rc_rid")
    room_type = _credential(request, "rc_room_type")
    if token and rid and room_type in (None, "l") and upload.get("rid") == rid:
        room = state.store.rooms.get(rid)
        if room is not None and room.get("v", {}).get("token") == token:
            return True
    uid = _credential(request, "rc_uid") or request.headers.get("x-user-id")
    auth_token = (token if _credential(request, "rc_uid") else None) or request.headers.get(
        "x-auth-token"
    )
    user = auth.authenticate(state.store, uid, auth_token)
    if user is None:
        return False
    room = state.store.rooms.get(upload.get("rid", ""))
    return room is None or auth.can_access_room(user, room)


async def download(request: Request) -> Response:
    """``GET /file-upload/<id>/<name>``."""
    state: ServerState = request.app.state.livechat
    upload = state.store.uploads.get(request.path_params["file_id"])
    path = state.files_dir / request.path_params["file_id"]
    if upload is None or not path.is_file():
        return Response(status_code=404)
    if not can_access(state, request, upload):
        return Response(status_code=403)
    disposition = "attachment" if "download" in request.query_params else "inline"
    return FileResponse(
        path,
        media_type=upload["type"],
        headers={
            "Content-Disposition": f"{disposition}; filename*=UTF-8''{quote(upload['name'])}",
            "X-Content-Type-Options": "nosniff",
        },
    )
