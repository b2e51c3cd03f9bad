"""Streams of unknown length, as a pipe gives: httpx2 sends them chunked and cannot rewind them."""

from __future__ import annotations

import io
from typing import Any


class NonSeekable(io.RawIOBase):
    """A pipe-like binary stream: readable once, not seekable."""

    def __init__(self, data: bytes) -> None:
        self._data = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        chunk = self._data.read(len(buffer))
        buffer[: len(chunk)] = chunk
        return len(chunk)
