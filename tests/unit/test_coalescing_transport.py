"""The coalescing transport: what it holds back, when it writes, and what it leaves to httpx2."""

from __future__ import annotations

from typing import Any

import httpcore2
import pytest

from rocketchat_livechat import AsyncLivechatClient, LivechatClient
from rocketchat_livechat._async.transport import AsyncCoalescingTransport
from rocketchat_livechat._core.write_buffer import FLUSH_AT, WriteBuffer
from rocketchat_livechat._sync.transport import CoalescingTransport, _CoalescingStream


class RecordingStream(httpcore2.NetworkStream):
    """A network stream that records what is written and answers reads from ``replies``."""

    def __init__(self, *replies: bytes, fail_writes: bool = False) -> None:
        self.writes: list[tuple[bytes, float | None]] = []
        self.replies = list(replies)
        self.fail_writes = fail_writes
        self.closed = False

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        if self.fail_writes:
            raise httpcore2.WriteError("connection reset")
        self.writes.append((buffer, timeout))

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self.replies.pop(0) if self.replies else b""

    def close(self) -> None:
        self.closed = True

    def get_extra_info(self, info: str) -> Any:
        return f"extra:{info}"


def test_the_clients_coalesce_by_default_on_httpx2s_pool() -> None:
    # pins httpcore2's private attribute the transport wraps: a rename turns this red
    sync_transport = LivechatClient("http://h")._http._transport
    async_transport = AsyncLivechatClient("http://h", http_backend="httpx2")._http._transport
    assert isinstance(sync_transport, CoalescingTransport) and sync_transport.coalescing
    assert isinstance(async_transport, AsyncCoalescingTransport) and async_transport.coalescing


def test_a_proxy_in_the_environment_keeps_httpx2s_own_transport_and_mounts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HTTP_PROXY", "http://proxy.invalid:3128")
    client = LivechatClient("http://h")
    assert not isinstance(client._http._transport, CoalescingTransport)
    assert any(transport is not None for transport in client._http._mounts.values())


def test_head_and_body_go_out_in_one_write_before_the_read() -> None:
    inner = RecordingStream(b"HTTP/1.1 200 OK\r\n\r\n")
    stream = _CoalescingStream(inner)
    stream.write(b"POST / HTTP/1.1\r\n\r\n", timeout=1.0)
    stream.write(b'{"msg": "hi"}', timeout=2.0)
    assert inner.writes == []
    assert stream.read(65536, timeout=3.0) == b"HTTP/1.1 200 OK\r\n\r\n"
    assert inner.writes == [(b'POST / HTTP/1.1\r\n\r\n{"msg": "hi"}', 2.0)]
    stream.read(65536)
    assert len(inner.writes) == 1  # nothing pending: no empty write


def test_a_large_body_goes_out_in_bounded_pieces() -> None:
    inner = RecordingStream()
    stream = _CoalescingStream(inner)
    chunk = b"x" * 16384
    for _ in range(10):
        stream.write(chunk)
    assert [len(data) for data, _ in inner.writes] == [FLUSH_AT, FLUSH_AT]
    stream.read(10)
    assert sum(len(data) for data, _ in inner.writes) == 10 * len(chunk)


def test_a_failed_flush_still_reads_the_answer_the_server_wrote() -> None:
    inner = RecordingStream(b"HTTP/1.1 413 Payload Too Large\r\n\r\n", fail_writes=True)
    stream = _CoalescingStream(inner)
    stream.write(b"POST / HTTP/1.1\r\n\r\n")
    assert stream.read(65536).startswith(b"HTTP/1.1 413")


def test_a_write_error_past_the_threshold_is_raised() -> None:
    stream = _CoalescingStream(RecordingStream(fail_writes=True))
    with pytest.raises(httpcore2.WriteError):
        stream.write(b"x" * FLUSH_AT)


def test_close_drops_what_is_pending_and_extra_info_passes_through() -> None:
    inner = RecordingStream()
    stream = _CoalescingStream(inner)
    stream.write(b"never sent")
    assert stream.get_extra_info("is_readable") == "extra:is_readable"
    stream.close()
    assert inner.closed and inner.writes == []


def test_the_buffer_hands_back_a_single_chunk_as_is() -> None:
    buffer = WriteBuffer()
    data = b"y" * 10
    assert not buffer.add(data, 5.0)
    taken, timeout = buffer.take()
    assert taken is data and timeout == 5.0
    assert buffer.take()[0] == b""
