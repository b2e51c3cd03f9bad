"""Downloads of uploaded files (``GET /file-upload/<id>/<name>``), shared by both drivers.

Rocket.Chat serves uploads outside the REST API, at ``FileUpload.getPath()`` = ``/file-upload/``
(``apps/meteor/app/file-upload/server/lib/FileUpload.ts``). The legacy ``/ufs/<store>/<id>/<name>``
path is gone in 9.0 (#41054): such a link is fetched from ``/file-upload/`` too, on every line.
The handler looks the upload up by the first path segment (the name is ignored): unknown →
404, refused by ``requestCanAccessFiles`` → 403, both with an empty body. Access:

* a visitor: ``?rc_room_type=l&rc_rid=<rid>&rc_token=<visitor token>`` (query, no cookies: any
  ``Cookie`` header would replace the query's values). Rocket.Chat >= 6.9 accepts the
  visitor's room open or closed (<= 6.8 only while open, #18591); the newest revisions also
  require ``rc_rid`` to be the file's room, so the SDK sends the file's room;
* a user: ``X-User-Id``/``X-Auth-Token`` headers (``rc_uid``/``rc_token`` cookies are the
  browser's way to send the same), who must be a member of the file's room while
  ``FileUpload_Restrict_to_room_members`` is on (the default).

Nothing here performs I/O on the network; :class:`DownloadSink` writes the body where the
caller wants it: a path (through a temporary file next to it, renamed on success) or a binary
file object.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, TypeAlias
from urllib.parse import parse_qsl, unquote, urlsplit

from ..errors import InvalidArgumentError
from . import validation as v
from .request import Request, api_path

if TYPE_CHECKING:
    from ..models import Message, MessageFile

ROUTE = "file-upload/{file_id}/{name}"
PREFIX = "file-upload/"
LEGACY_PREFIX = "ufs"
NOT_A_FILE_URL = "not a /file-upload/<id>/<name> URL"
CHUNK_SIZE = 64 * 1024

Progress = Callable[[int, int | None], None]
Destination = str | os.PathLike[str] | IO[bytes]
FileLike: TypeAlias = "Message | MessageFile | str"


@dataclass(frozen=True, slots=True)
class FileRef:
    """Which upload to fetch: its id and name, its room if known, extra query (a JWT)."""

    file_id: str
    name: str
    rid: str | None = None
    query: tuple[tuple[str, str], ...] = ()


def file_ref(message_or_file: object) -> FileRef:
    """The upload a :class:`Message`, :class:`MessageFile` or ``/file-upload/...`` URL names.

    A message gives its ``file`` (else its first ``files`` item), else the link of its first
    attachment with one (``title_link``, ``image_url``...) or ``fileUpload.publicFilePath``.
    A URL may be relative (``/file-upload/<id>/<name>``) or absolute (its host is not used:
    the request always goes to the client's server); a ``token`` in its query (Rocket.Chat's
    JWT for protected files) is kept.
    """
    if isinstance(message_or_file, str):
        return _from_url(message_or_file)
    from ..models import Message, MessageFile

    if isinstance(message_or_file, Message):
        return _from_message(message_or_file)
    if isinstance(message_or_file, MessageFile):
        return FileRef(message_or_file.id, message_or_file.name or "")
    raise InvalidArgumentError(
        "message_or_file",
        f"expected a Message, a MessageFile or a /file-upload/ URL, "
        f"got {type(message_or_file).__name__}",
    )


def _from_message(message: Message) -> FileRef:
    file = message.file or (message.files[0] if message.files else None)
    if file is not None:
        return FileRef(file.id, file.name or "", message.rid)
    links = [
        link
        for attachment in message.attachments
        for link in (
            attachment.title_link,
            attachment.image_url,
            attachment.audio_url,
            attachment.video_url,
        )
        if link
    ]
    if message.file_upload is not None and message.file_upload.public_file_path:
        links.append(message.file_upload.public_file_path)
    for link in links:
        try:
            found = _from_url(link)
        except InvalidArgumentError:
            continue
        return FileRef(found.file_id, found.name, message.rid, found.query)
    raise InvalidArgumentError("message_or_file", "the message carries no uploaded file")


def _from_url(url: str) -> FileRef:
    parts = urlsplit(url)
    path = parts.path.lstrip("/")
    position = path.find(PREFIX)
    if position < 0 or (position > 0 and path[position - 1] != "/"):
        return _from_legacy_url(path, parts.query)
    file_id, _, name = path[position + len(PREFIX) :].partition("/")
    if not file_id:
        raise InvalidArgumentError("message_or_file", "the URL names no file id")
    query = tuple(
        (k, val)
        for k, val in parse_qsl(parts.query, keep_blank_values=True)
        if not k.startswith("rc_")
    )
    return FileRef(unquote(file_id), unquote(name), None, query)


def _from_legacy_url(path: str, query: str) -> FileRef:
    """``/ufs/<store>/<id>/<name>`` (UploadFS, gone in 9.0, #41054): the same upload, fetched
    from ``/file-upload/`` like any other (which every line serves)."""
    segments = path.split("/")
    try:
        start = segments.index(LEGACY_PREFIX)
    except ValueError:
        raise InvalidArgumentError("message_or_file", NOT_A_FILE_URL) from None
    if len(segments) < start + 3 or not segments[start + 2]:
        raise InvalidArgumentError("message_or_file", "the URL names no file id")
    name = "/".join(segments[start + 3 :])
    return _from_url(f"/{PREFIX}{segments[start + 2]}/{name}?{query}")


def visitor_request(ref: FileRef, token: str, rid: str | None) -> Request:
    """The visitor's request: ``rc_room_type=l``, the room and the visitor token in the query."""
    token = v.required_str("token", token)
    room = v.optional_str("rid", rid) or ref.rid
    if room is None:
        raise InvalidArgumentError("rid", "pass rid= (the file's room) with a file or a URL")
    params = [*ref.query, ("rc_room_type", "l"), ("rc_rid", room), ("rc_token", token)]
    return _request(ref, params, auth="none")


def agent_request(ref: FileRef) -> Request:
    """The logged-in user's request (``X-User-Id``/``X-Auth-Token`` headers)."""
    return _request(ref, list(ref.query), auth="user")


def _request(ref: FileRef, params: list[tuple[str, str]], *, auth: Any) -> Request:
    return Request(
        "GET",
        ROUTE,
        api_path(ROUTE, file_id=ref.file_id, name=ref.name),
        params=params,
        auth=auth,
        idempotent=True,
        api_prefix="",
    )


def check_progress(progress: object) -> Progress | None:
    if progress is not None and not callable(progress):
        raise InvalidArgumentError("progress", "expected a callable (received, total)")
    return progress


class DownloadSink:
    """Where a download's bytes go; one sink serves every attempt of a download.

    A path is written through a temporary file in the same directory, renamed over the path
    on :meth:`commit` and removed on :meth:`abort`, so a failed download leaves nothing. A
    file object is written from its current position; a retry after part of the body seeks
    back there (a non-seekable one cannot be restarted). ``progress(received, total)`` is
    called after each chunk (``total`` from ``Content-Length``, else ``None``).
    """

    def __init__(self, dest: object, progress: object = None) -> None:
        self._path: Path | None = None
        self._file: IO[bytes] | None = None
        self._temp: IO[bytes] | None = None
        self._start = 0
        self._progress = check_progress(progress)
        self.received = 0
        self.total: int | None = None
        if isinstance(dest, str | os.PathLike):
            path = Path(dest)
            if path.is_dir():
                raise InvalidArgumentError("dest", f"is a directory: {path}")
            if not path.parent.is_dir():
                raise InvalidArgumentError("dest", f"no such directory: {path.parent}")
            self._path = path
        elif hasattr(dest, "write"):
            if isinstance(dest, io.TextIOBase):
                raise InvalidArgumentError("dest", "open the file in binary mode ('wb')")
            file: IO[bytes] = dest  # type: ignore[assignment]
            self._file = file
            self._start = _tell(file)
        else:
            raise InvalidArgumentError(
                "dest", f"expected a path or a binary file object, got {type(dest).__name__}"
            )

    @property
    def restartable(self) -> bool:
        """Whether a partly written body can be thrown away for another attempt."""
        return self.received == 0 or self._path is not None or _seekable(self._file)

    def begin(self, total: int | None) -> None:
        """Start (or restart) writing a body of ``total`` bytes."""
        self.total = total
        if self._path is not None:
            if self._temp is None:
                import tempfile  # loaded with the first download to a path

                self._temp = tempfile.NamedTemporaryFile(  # noqa: SIM115 (closed by commit/abort)
                    dir=self._path.parent,
                    prefix=f".{self._path.name}.",
                    suffix=".part",
                    delete=False,
                )
            else:
                self._temp.seek(0)
                self._temp.truncate()
        elif self.received and self._file is not None:
            self._file.seek(self._start)
            self._file.truncate()
        self.received = 0

    def write(self, chunk: bytes) -> None:
        target = self._temp if self._path is not None else self._file
        assert target is not None
        target.write(chunk)
        self.received += len(chunk)
        if self._progress is not None:
            self._progress(self.received, self.total)

    def commit(self) -> None:
        """The body is complete: move the temporary file into place."""
        if self._path is None:
            if self._file is not None and hasattr(self._file, "flush"):
                self._file.flush()
            return
        if self._temp is None:  # never began (cannot happen after a 2xx); write an empty file
            self.begin(0)
        assert self._temp is not None
        self._temp.flush()
        os.fsync(self._temp.fileno())
        self._temp.close()
        os.replace(self._temp.name, self._path)
        self._temp = None

    def abort(self) -> None:
        """The download failed: remove the temporary file (a file object is left as it is)."""
        if self._temp is not None:
            self._temp.close()
            Path(self._temp.name).unlink(missing_ok=True)
            self._temp = None


def content_length(headers: Any) -> int | None:
    value = headers.get("content-length")
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _seekable(stream: IO[bytes] | None) -> bool:
    try:
        return stream is not None and bool(stream.seekable())
    except (AttributeError, ValueError):
        return False


def _tell(stream: IO[bytes]) -> int:
    try:
        return stream.tell() if _seekable(stream) else 0
    except OSError:
        return 0
