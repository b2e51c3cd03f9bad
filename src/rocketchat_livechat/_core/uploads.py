"""Upload sources: a path, bytes or a binary file object, streamed and rewindable for retries."""

from __future__ import annotations

import io
import mimetypes
import os
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from ..errors import InvalidArgumentError

FileInput = str | os.PathLike[str] | bytes | bytearray | memoryview | IO[bytes]
Progress = Callable[[int, int | None], None]


class UploadSource:
    """Where an upload's bytes come from.

    Paths are opened (and reopened for a retry) lazily; file objects are read from their current
    position and rewound to it before a retry; bytes are wrapped in a view. Nothing is read into
    memory as a whole.
    """

    __slots__ = ("_bytes", "_fileobj", "_path", "_start", "content_type", "filename")

    def __init__(
        self, file: FileInput, *, filename: str | None = None, content_type: str | None = None
    ) -> None:
        self._path: Path | None = None
        self._bytes: memoryview | None = None
        self._fileobj: IO[bytes] | None = None
        self._start = 0
        if isinstance(file, str | os.PathLike):
            self._path = Path(file)
            if not _is_file(self._path):
                raise InvalidArgumentError("file", f"no such file: {self._path}")
            default_name = self._path.name
        elif isinstance(file, bytes | bytearray | memoryview):
            self._bytes = memoryview(file).cast("B")
            default_name = "upload.bin"
        elif hasattr(file, "read"):
            if isinstance(file, io.TextIOBase):
                raise InvalidArgumentError("file", "open the file in binary mode ('rb')")
            self._fileobj = file
            self._start = _tell(file)
            default_name = Path(str(getattr(file, "name", "upload.bin"))).name
        else:
            raise InvalidArgumentError(
                "file", f"expected a path, bytes or a binary file, got {type(file).__name__}"
            )
        self.filename = filename or default_name
        self.content_type = (
            content_type or mimetypes.guess_type(self.filename)[0] or "application/octet-stream"
        )

    @property
    def rewindable(self) -> bool:
        """Whether the bytes can be produced again for a retry."""
        return self._fileobj is None or _seekable(self._fileobj)

    def size(self) -> int | None:
        if self._path is not None:
            return self._path.stat().st_size
        if self._bytes is not None:
            return self._bytes.nbytes
        assert self._fileobj is not None
        if not _seekable(self._fileobj):
            return None
        end = self._fileobj.seek(0, os.SEEK_END)
        self._fileobj.seek(self._start)
        return end - self._start

    def open(self, progress: Progress | None = None) -> ProgressReader:
        """A fresh reader positioned at the start of the upload."""
        raw: IO[bytes]
        owned = False
        if self._path is not None:
            raw, owned = self._path.open("rb"), True
        elif self._bytes is not None:
            raw = io.BytesIO(self._bytes)  # copies once into a buffer httpx can stream from
        else:
            assert self._fileobj is not None
            raw = self._fileobj
            if _seekable(raw):
                raw.seek(self._start)
        return ProgressReader(
            raw, start=_tell(raw), total=self.size(), progress=progress, owned=owned
        )


class ProgressReader(io.RawIOBase):
    """A read-only view of a binary stream from ``start`` that reports progress as it is read."""

    def __init__(
        self,
        raw: IO[bytes],
        *,
        start: int,
        total: int | None,
        progress: Progress | None,
        owned: bool,
    ) -> None:
        super().__init__()
        self._raw = raw
        self._start = start
        self._total = total
        self._progress = progress
        self._owned = owned
        self._sent = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return _seekable(self._raw)

    def read(self, size: int = -1) -> bytes:
        chunk = self._raw.read(size)
        if chunk:
            self._sent += len(chunk)
            if self._progress is not None:
                self._progress(self._sent, self._total)
        return chunk

    def readinto(self, buffer: Any) -> int:
        chunk = self.read(len(buffer))
        buffer[: len(chunk)] = chunk
        return len(chunk)

    def tell(self) -> int:
        return self._raw.tell() - self._start

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        if whence == os.SEEK_SET:
            position = self._raw.seek(self._start + offset)
            self._sent = offset
        else:
            position = self._raw.seek(offset, whence)
        return position - self._start

    def close(self) -> None:
        if self._owned and not self._raw.closed:
            self._raw.close()
        super().close()


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except (OSError, ValueError):  # name too long, NUL byte...
        return False


def _seekable(stream: IO[bytes]) -> bool:
    try:
        return bool(stream.seekable())
    except (AttributeError, ValueError):
        return False


def _tell(stream: IO[bytes]) -> int:
    try:
        return stream.tell() if _seekable(stream) else 0
    except OSError:
        return 0
