"""The writes a coalescing network stream holds back until the response is read.

Sans-I/O, shared by the async and sync transports (``_async/transport.py``): the stream adds each
write here and sends what :meth:`WriteBuffer.take` returns in one ``send``.
"""

from __future__ import annotations

__all__ = ["FLUSH_AT", "WriteBuffer"]

# a streamed upload goes out in pieces this size, so memory stays bounded by it
FLUSH_AT = 64 * 1024


class WriteBuffer:
    """Bytes waiting to be written, and the timeout of the latest write."""

    __slots__ = ("_chunks", "_size", "_timeout")

    def __init__(self) -> None:
        self._chunks: list[bytes] = []
        self._size = 0
        self._timeout: float | None = None

    def add(self, data: bytes, timeout: float | None) -> bool:
        """Hold ``data`` back; whether enough is waiting that it should be written now."""
        if data:
            self._chunks.append(data)
            self._size += len(data)
        self._timeout = timeout
        return self._size >= FLUSH_AT

    def take(self) -> tuple[bytes, float | None]:
        """Everything waiting, joined, with the timeout to write it under; the buffer empties."""
        chunks, timeout = self._chunks, self._timeout
        self._chunks, self._size = [], 0
        if len(chunks) == 1:
            return chunks[0], timeout
        return b"".join(chunks), timeout
