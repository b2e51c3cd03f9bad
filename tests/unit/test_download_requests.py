"""``messages.download_file`` / ``download_agent_file`` on a fake server, both drivers: the
request's shape, retries before and during the body, temporary files, argument checks."""

from __future__ import annotations

import io
import logging
import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx2
import pytest
from _harness import AUTH_TOKEN, USER_ID, Driver, Recorder

from rocketchat_livechat import (
    APIConnectionError,
    InvalidArgumentError,
    NotFoundError,
    PermissionDeniedError,
)
from rocketchat_livechat._core import downloads
from rocketchat_livechat.models import Message, MessageFile

TOKEN = "visitor-token-secret-1"
BODY = bytes(range(256)) * 1024  # 4 chunks of downloads.CHUNK_SIZE
BROKEN_AFTER = 2 * downloads.CHUNK_SIZE
MESSAGE = Message.model_validate(
    {"_id": "m1", "rid": "r1", "file": {"_id": "f1", "name": "a b.txt", "type": "text/plain"}}
)


class Broken(httpx2.SyncByteStream, httpx2.AsyncByteStream):
    """A body that breaks after its first chunk, as a dropped connection would."""

    def __init__(self, first: bytes) -> None:
        self.first = first

    def __iter__(self) -> Iterator[bytes]:
        yield self.first
        raise httpx2.ReadError("connection reset")

    async def __aiter__(self) -> AsyncIterator[bytes]:
        yield self.first
        raise httpx2.ReadError("connection reset")


def served(*answers: Any) -> Recorder:
    """Answers in order: ``bytes`` (200), an int status, ``"broken"`` or an exception."""
    queue = list(answers)

    def respond(request: httpx2.Request) -> httpx2.Response:
        answer = queue.pop(0)
        if isinstance(answer, Exception):
            raise answer
        if answer == "broken":
            headers = {"content-length": str(len(BODY))}
            return httpx2.Response(200, headers=headers, stream=Broken(BODY[:BROKEN_AFTER]))
        if isinstance(answer, int):
            return httpx2.Response(answer)
        return httpx2.Response(200, content=answer)

    return Recorder(respond)


def test_visitor_request_shape(driver: Driver, tmp_path: Path) -> None:
    recorder = served(BODY)
    written = driver.call(recorder, "messages.download_file", MESSAGE, TOKEN, tmp_path / "x")
    assert written == len(BODY)
    (request,) = recorder.requests
    assert request.method == "GET"
    assert request.url.raw_path.split(b"?")[0] == b"/file-upload/f1/a%20b.txt"
    assert list(request.url.params.multi_items()) == [
        ("rc_room_type", "l"),
        ("rc_rid", "r1"),
        ("rc_token", TOKEN),
    ]
    assert "cookie" not in request.headers and "x-auth-token" not in request.headers


def test_agent_request_uses_the_auth_headers(driver: Driver) -> None:
    recorder = served(BODY)
    out = io.BytesIO()
    url = "https://elsewhere.example/file-upload/f1/a.txt?token=jwt-1&rc_token=dropped"
    assert driver.call(recorder, "messages.download_agent_file", url, out) == len(BODY)
    (request,) = recorder.requests
    assert request.url.host == "rc.test"
    assert list(request.url.params.multi_items()) == [("token", "jwt-1")]
    assert (request.headers["x-user-id"], request.headers["x-auth-token"]) == (USER_ID, AUTH_TOKEN)
    assert out.getvalue() == BODY


def test_connection_errors_and_a_broken_body_are_retried_from_the_start(
    driver: Driver, tmp_path: Path
) -> None:
    recorder = served(httpx2.ConnectError("refused"), "broken", 503, BODY)
    dest = tmp_path / "x.txt"
    progress: list[int] = []
    driver.call(
        recorder,
        "messages.download_file",
        MESSAGE,
        TOKEN,
        dest,
        progress=lambda got, total: progress.append(got),
        client_kwargs={"max_retries": 3},
    )
    assert dest.read_bytes() == BODY
    assert len(recorder.requests) == 4
    assert progress[:3] == [downloads.CHUNK_SIZE, BROKEN_AFTER, downloads.CHUNK_SIZE]
    assert progress[-1] == len(BODY)
    assert os.listdir(tmp_path) == ["x.txt"]


def test_a_seekable_file_object_is_rewound_for_a_retry(driver: Driver) -> None:
    out = io.BytesIO(b"keep")
    out.seek(4)
    driver.call(served("broken", BODY), "messages.download_file", MESSAGE, TOKEN, out)
    assert out.getvalue() == b"keep" + BODY


class _Pipe(io.RawIOBase):
    def __init__(self) -> None:
        self.data = bytearray()

    def writable(self) -> bool:
        return True

    def write(self, chunk: Any) -> int:
        self.data += chunk
        return len(chunk)


def test_a_broken_body_fails_when_nothing_can_be_restarted(driver: Driver, tmp_path: Path) -> None:
    with pytest.raises(APIConnectionError) as caught:
        driver.call(served("broken", BODY), "messages.download_file", MESSAGE, TOKEN, _Pipe())
    assert "file-upload/{file_id}/{name}" in str(caught.value)
    dest = tmp_path / "x.txt"
    with pytest.raises(APIConnectionError):
        driver.call(
            served("broken"),
            "messages.download_file",
            MESSAGE,
            TOKEN,
            dest,
            client_kwargs={"max_retries": 0},
        )
    assert os.listdir(tmp_path) == []


def test_refusals_are_typed_and_never_show_the_token(
    driver: Driver, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    with pytest.raises(PermissionDeniedError) as refused:
        driver.call(served(403), "messages.download_file", MESSAGE, TOKEN, tmp_path / "x")
    assert refused.value.code == 403
    with pytest.raises(NotFoundError):
        driver.call(served(404), "messages.download_file", MESSAGE, TOKEN, tmp_path / "x")
    assert TOKEN not in str(refused.value) and TOKEN not in caplog.text
    assert refused.value.response is not None
    assert TOKEN not in str(refused.value.response.request.url)
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize(
    ("args", "kwargs", "argument"),
    [
        ((42, TOKEN, io.BytesIO()), {}, "message_or_file"),
        (("/api/v1/nope", TOKEN, io.BytesIO()), {}, "message_or_file"),
        ((Message.model_validate({"_id": "m", "rid": "r"}), TOKEN, io.BytesIO()), {}, None),
        ((MessageFile.model_validate({"_id": "f"}), TOKEN, io.BytesIO()), {}, "rid"),
        ((MESSAGE, "", io.BytesIO()), {}, "token"),
        ((MESSAGE, TOKEN, io.StringIO()), {}, "dest"),
        ((MESSAGE, TOKEN, "/no/such/dir/x"), {}, "dest"),
        ((MESSAGE, TOKEN, io.BytesIO()), {"progress": 3}, "progress"),
    ],
)
def test_arguments_are_checked_before_any_request(
    driver: Driver, args: tuple[Any, ...], kwargs: dict[str, Any], argument: str | None
) -> None:
    recorder = served()
    with pytest.raises(InvalidArgumentError) as caught:
        driver.call(recorder, "messages.download_file", *args, **kwargs)
    assert caught.value.argument == (argument or "message_or_file")
    assert recorder.requests == []


def test_file_refs() -> None:
    attachment_only = Message.model_validate(
        {"_id": "m", "rid": "r", "attachments": [{"title_link": "/file-upload/f2/n%C3%A9.png"}]}
    )
    assert downloads.file_ref(attachment_only) == downloads.FileRef("f2", "né.png", "r")
    public = Message.model_validate(
        {"_id": "m", "rid": "r", "fileUpload": {"publicFilePath": "https://h/file-upload/f3/x"}}
    )
    assert downloads.file_ref(public).file_id == "f3"
    assert downloads.file_ref("/sub/file-upload/f4/y").file_id == "f4"  # a site under a path
