"""``StdlibTransport`` (``http.client`` under httpx2) over real sockets: keep-alive reuse, idle
connections the server closed, streamed and chunked bodies, the pool limit, and the failures
retries depend on, each mapped to the httpx2 exception httpcore2 would raise.

The rest of the sync suite runs on it too ("auto" picks it); these pin its own contract.
"""

from __future__ import annotations

import contextlib
import os
import resource
import select
import socket
import socketserver
import ssl
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx2
import pytest
import trustme

from rocketchat_livechat._stdlib_http import StdlibTransport

pytestmark = pytest.mark.e2e


class _Handler(socketserver.StreamRequestHandler):
    server: _Server

    def handle(self) -> None:
        self.server.opened.append(self.connection)
        with contextlib.suppress(OSError):
            while self._one_exchange():
                pass

    def _one_exchange(self) -> bool:
        request_line = self.rfile.readline()
        if not request_line:
            return False
        headers = {}
        while (line := self.rfile.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            headers[name.strip().lower()] = value.strip()
        body = self._body(headers)
        mode = self.server.mode
        if mode == "drop":
            return False
        if mode == "silent":
            self.rfile.read()  # until the client gives up
            return False
        path = request_line.split()[1]
        answer = b"%s %d %s" % (request_line.split()[0], len(body), path)
        if mode == "truncated":
            self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nshort")
            return False
        self.wfile.write(
            b"HTTP/1.1 200 OK\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\nX-Name: caf\xe9\r\n"
            b"Content-Length: %d\r\n\r\n%s" % (len(answer), answer)
        )
        return True

    def _body(self, headers: dict[str, str]) -> bytes:
        if "content-length" in headers:
            return self.rfile.read(int(headers["content-length"]))
        if headers.get("transfer-encoding") != "chunked":
            return b""
        body = b""
        while size := int(self.rfile.readline(), 16):
            body += self.rfile.read(size)
            self.rfile.readline()
        self.rfile.readline()
        return body


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, mode: str) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.mode = mode
        self.opened: list[socket.socket] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def close_idle_connections(self) -> None:
        for sock in self.opened:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


@contextlib.contextmanager
def serving(mode: str = "answer") -> Iterator[_Server]:
    server = _Server(mode)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def _client(url: str, **kwargs: object) -> httpx2.Client:
    return httpx2.Client(base_url=url, transport=StdlibTransport(**kwargs), timeout=2.0)  # type: ignore[arg-type]


def test_keep_alive_connections_are_reused() -> None:
    with serving() as server, _client(server.url) as client:
        answers = [client.post("/p?q=1", content=b"x" * i).content for i in range(5)]
    assert answers == [b"POST %d /p?q=1" % i for i in range(5)]
    assert len(server.opened) == 1


def test_a_connection_the_server_closed_while_idle_is_replaced_not_failed() -> None:
    with serving() as server, _client(server.url) as client:
        client.get("/a")
        server.close_idle_connections()
        transport = client._transport
        assert isinstance(transport, StdlibTransport)
        (idle,) = [c.http.sock for conns in transport._idle.values() for c in conns]
        assert select.select([idle], [], [], 5.0)[0]  # the server's close has reached us
        assert client.get("/b").content == b"GET 0 /b"
    assert len(server.opened) >= 2


def test_headers_come_through_byte_for_byte_and_cookies_are_kept() -> None:
    with serving() as server, _client(server.url) as client:
        response = client.get("/")
        assert response.headers.get_list("set-cookie") == ["a=1", "b=2"]
        assert response.headers.raw[2] == (b"X-Name", b"caf\xe9")
        assert dict(client.cookies) == {"a": "1", "b": "2"}
        assert response.http_version == "HTTP/1.1" and response.reason_phrase == "OK"


def test_streamed_bodies_go_out_chunked_or_sized_as_httpx2_declared() -> None:
    parts = [b"a" * 70_000, b"", b"b" * 10]
    with serving() as server, _client(server.url) as client:
        chunked = client.post("/c", content=iter(parts))
        sized = client.post("/s", content=iter(parts), headers={"Content-Length": "70010"})
    assert chunked.content == b"POST 70010 /c"
    assert sized.content == b"POST 70010 /s"


def test_the_pool_limit_waits_then_raises_pool_timeout() -> None:
    limits = httpx2.Limits(max_connections=1)
    with serving() as server, _client(server.url, limits=limits) as client:
        with client.stream("GET", "/held"), pytest.raises(httpx2.PoolTimeout):
            client.get("/second", timeout=httpx2.Timeout(2.0, pool=0.1))
        assert client.get("/after").content == b"GET 0 /after"


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_a_refused_connection_is_a_connect_error() -> None:
    with (
        _client(f"http://127.0.0.1:{_closed_port()}") as client,
        pytest.raises(httpx2.ConnectError),
    ):
        client.get("/")


@pytest.mark.parametrize(
    ("mode", "error"),
    [
        ("silent", httpx2.ReadTimeout),
        ("drop", httpx2.RemoteProtocolError),
        ("truncated", httpx2.RemoteProtocolError),
    ],
)
def test_failures_after_sending_map_as_httpcore2_maps_them(
    mode: str, error: type[httpx2.TransportError]
) -> None:
    with serving(mode) as server, _client(server.url) as client:
        with pytest.raises(error):
            client.get("/", timeout=0.3)
        server.mode = "answer"
        assert client.get("/again").content == b"GET 0 /again"


def test_a_header_http_client_refuses_is_a_local_protocol_error() -> None:
    with serving() as server, _client(server.url) as client:
        with pytest.raises(httpx2.LocalProtocolError) as refused:
            client.get("/", headers={"X-Bad": "secret\r\nb"})
        assert "secret" not in str(refused.value) and refused.value.__cause__ is None
        assert client.get("/fine").content == b"GET 0 /fine"


def test_threads_share_one_pool_safely() -> None:
    threads, calls = 8, 25
    with serving() as server, _client(server.url) as client:

        def work(n: int) -> list[bytes]:
            return [client.get(f"/{n}/{i}").content for i in range(calls)]

        with ThreadPoolExecutor(threads) as pool:
            answers = list(pool.map(work, range(threads)))
    assert answers == [[b"GET 0 /%d/%d" % (n, i) for i in range(calls)] for n in range(threads)]
    assert len(server.opened) <= threads


@contextlib.contextmanager
def serving_tls(ca: trustme.CA) -> Iterator[_Server]:
    with serving() as server:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ca.issue_cert("127.0.0.1").configure_cert(context)
        plain = server.socket
        server.socket = context.wrap_socket(plain, server_side=True)
        yield server


def test_https_verifies_the_server_and_refuses_an_untrusted_one() -> None:
    ca = trustme.CA()
    with serving_tls(ca) as server:
        url = f"https://127.0.0.1:{server.server_address[1]}"
        trusted = StdlibTransport()
        ca.configure_trust(trusted._ssl)
        with httpx2.Client(transport=trusted, timeout=5.0) as client:
            assert client.get(f"{url}/s").content == b"GET 0 /s"
            assert client.get(f"{url}/t").content == b"GET 0 /t"
        assert len(server.opened) == 1
        untrusted = httpx2.Client(transport=StdlibTransport(), timeout=5.0)
        with untrusted, pytest.raises(httpx2.ConnectError):
            untrusted.get(f"{url}/u")
        with httpx2.Client(transport=StdlibTransport(verify=False), timeout=5.0) as client:
            assert client.get(f"{url}/v").content == b"GET 0 /v"


def test_pooled_connections_past_fd_setsize_are_checked_too() -> None:
    """``select()`` refuses descriptors >= 1024; a busy bridge process has that many."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and hard < 1200:
        pytest.skip(f"this machine allows {hard} open files")
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, 1200), hard))
    pipes = [os.pipe() for _ in range(520)]
    try:
        with serving() as server, _client(server.url) as client:
            assert all(client.get(f"/{i}").content == b"GET 0 /%d" % i for i in range(3))
            transport = client._transport
            assert isinstance(transport, StdlibTransport)
            (idle,) = [c.http.sock for conns in transport._idle.values() for c in conns]
            assert idle.fileno() >= 1024
        assert len(server.opened) == 1
    finally:
        for pipe in pipes:
            os.close(pipe[0])
            os.close(pipe[1])
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
