"""307/308 redirects keep the method and the body: the rebuilt request names its new ``Host``,
keeps credentials on the same origin only, rewinds an upload, and never re-sends a non-seekable
upload (truncated) but fails with a typed error.

The transport here reads each body from its stream as a socket would (nothing cached, so a body
sent twice must be rewound) and refuses what h11 would refuse to put on the wire.
"""

from __future__ import annotations

import asyncio
import io
from pathlib import Path
from typing import Any

import h11
import httpx2
import pytest
from _harness import AUTH_TOKEN, BASE_URL, USER_ID, Driver, Recorder, json_response
from _harness import multipart_parts as parts

from _support.streams import NonSeekable
from rocketchat_livechat import AsyncLivechatClient, LivechatClient, UnexpectedResponseError

TOKEN = "Visitor-Token-Secret-1"
RID = "room-1"
MESSAGE = {"_id": "m1", "rid": RID, "msg": "hi", "u": {"_id": USER_ID, "username": "agent"}}
UPLOADED = {**MESSAGE, "file": {"_id": "f1", "name": "a.txt", "type": "text/plain"}}
CONTENT = bytes(range(256)) * 16
SECRET_HEADERS = ("x-auth-token", "x-user-id", "x-visitor-token")


class WireTransport(httpx2.BaseTransport, httpx2.AsyncBaseTransport):
    """Hands ``recorder`` a copy of each request whose body was read from its stream."""

    def __init__(self, recorder: Recorder) -> None:
        self.recorder = recorder

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        return self._answer(request, b"".join(request.stream))  # type: ignore[arg-type]

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        return self._answer(request, b"".join([c async for c in request.stream]))  # type: ignore[union-attr]

    def _answer(self, request: httpx2.Request, body: bytes) -> httpx2.Response:
        try:
            h11.Request(
                method=request.method, target=request.url.raw_path, headers=request.headers.raw
            )
        except h11.LocalProtocolError as exc:
            raise httpx2.LocalProtocolError(str(exc), request=request) from exc
        copy = httpx2.Request(request.method, request.url, headers=request.headers, content=body)
        return self.recorder(copy)


def redirecting(status: int, location: str) -> Recorder:
    """Redirects every request to ``location`` (relative to the API), answers the ones there."""
    target = httpx2.URL(f"{BASE_URL}/api/v1/").join(location)

    def respond(request: httpx2.Request) -> httpx2.Response:
        if request.url != target:
            return httpx2.Response(status, headers={"location": location})
        return json_response({**UPLOADED, "message": MESSAGE})  # an upload's or a message's

    return Recorder(respond)


def call(driver: Driver, recorder: Recorder, method: str, *args: Any) -> Any:
    """``client.<resource>.<method>(*args)`` over a :class:`WireTransport`, sync or async."""
    options: dict[str, Any] = {
        "user_id": USER_ID,
        "auth_token": AUTH_TOKEN,
        "transport": WireTransport(recorder),
    }
    resource, name = method.split(".")
    if driver.flavour == "sync":
        with LivechatClient(BASE_URL, **options) as client:
            return getattr(getattr(client, resource), name)(*args)

    async def run() -> Any:
        async with AsyncLivechatClient(BASE_URL, **options) as client:
            return await getattr(getattr(client, resource), name)(*args)

    return asyncio.run(run())


def assert_resent(recorder: Recorder, host: str) -> httpx2.Request:
    """The redirected request: same method and body as the first, ``Host`` of its target."""
    original, redirected = recorder.requests
    assert redirected.url != original.url
    assert redirected.method == original.method == "POST"
    assert redirected.content == original.content
    assert redirected.headers.get_list("host") == [host]
    return redirected


SAME_ORIGIN = [
    ("/api/v1/moved", "rc.test"),
    (f"{BASE_URL}/api/v1/moved", "rc.test"),
    ("https://rc.test/api/v1/moved", "rc.test"),  # http -> https upgrade on the default ports
]
CROSS_ORIGIN = [
    ("https://evil.test/api/v1/moved", "evil.test"),
    ("http://rc.test:8080/api/v1/moved", "rc.test:8080"),  # another port is another origin
    ("http://127.0.0.1/api/v1/moved", "127.0.0.1"),
]


@pytest.mark.parametrize("status", [307, 308])
@pytest.mark.parametrize(("location", "host"), SAME_ORIGIN)
def test_same_origin_keeps_body_and_user_credentials(
    driver: Driver, status: int, location: str, host: str
) -> None:
    recorder = redirecting(status, location)
    sent = call(driver, recorder, "messages.send_agent_message", RID, "hi")
    assert sent.id == "m1"
    redirected = assert_resent(recorder, host)
    assert (redirected.headers["x-user-id"], redirected.headers["x-auth-token"]) == (
        USER_ID,
        AUTH_TOKEN,
    )


@pytest.mark.parametrize("status", [307, 308])
@pytest.mark.parametrize(("location", "host"), CROSS_ORIGIN)
def test_cross_origin_keeps_body_but_drops_user_credentials(
    driver: Driver, status: int, location: str, host: str
) -> None:
    recorder = redirecting(status, location)
    call(driver, recorder, "messages.send_agent_message", RID, "hi")
    assert recorder.requests[0].headers["x-auth-token"] == AUTH_TOKEN
    redirected = assert_resent(recorder, host)
    assert str(redirected.url) == location
    for name in SECRET_HEADERS:
        assert name not in redirected.headers


@pytest.mark.parametrize("status", [307, 308])
@pytest.mark.parametrize(("location", "host"), [SAME_ORIGIN[0], CROSS_ORIGIN[0]])
def test_upload_is_rewound_and_resent_whole(
    driver: Driver, tmp_path: Path, status: int, location: str, host: str
) -> None:
    path = tmp_path / "notes.txt"
    path.write_bytes(CONTENT)
    stream = io.BytesIO(b"skip" + CONTENT)
    stream.seek(4)
    for source in (path, CONTENT, stream):
        recorder = redirecting(status, location)
        call(driver, recorder, "room.upload_file", RID, source, TOKEN)
        redirected = assert_resent(recorder, host)
        assert parts(redirected)["file"].data == CONTENT
        assert ("x-visitor-token" in redirected.headers) is (location == SAME_ORIGIN[0][0])


@pytest.mark.parametrize("status", [307, 308])
def test_a_non_seekable_upload_is_never_resent(driver: Driver, status: int) -> None:
    recorder = redirecting(status, "/api/v1/livechat/upload/other")
    with pytest.raises(UnexpectedResponseError, match="not seekable") as caught:
        call(driver, recorder, "room.upload_file", RID, NonSeekable(CONTENT), TOKEN)
    assert caught.value.code == status
    assert str(caught.value).startswith("POST livechat/upload/{rid}: ")
    assert len(recorder.requests) == 1  # a second request would carry an empty file


@pytest.mark.parametrize("status", [301, 302, 303])
def test_a_non_seekable_upload_may_follow_a_redirect_that_drops_the_body(
    driver: Driver, status: int
) -> None:
    recorder = redirecting(status, "/api/v1/livechat/upload/other")
    call(driver, recorder, "room.upload_file", RID, NonSeekable(CONTENT), TOKEN)
    redirected = recorder.last
    assert (redirected.method, redirected.content) == ("GET", b"")
    assert redirected.headers.get_list("host") == ["rc.test"]


@pytest.mark.parametrize("status", [301, 302])
def test_only_post_becomes_get_on_301_302(driver: Driver, status: int) -> None:
    """A DELETE that meets a 301/302 stays a DELETE with its body (RFC 9110 15.4.2-3): turned
    into a GET it would 'succeed' without deleting anything."""
    recorder = redirecting(status, "/api/v1/moved")
    call(driver, recorder, "messages.delete_message", "msg-1", "tok-1", "room-1")
    original, redirected = recorder.requests
    assert redirected.method == original.method == "DELETE"
    assert redirected.content == original.content != b""
