"""Uploads: ``POST livechat/upload/:rid``, multipart field ``file``, header ``x-visitor-token``;
paths, bytes and binary file objects are streamed, rewound before a retry, and report progress."""

from __future__ import annotations

import io
from pathlib import Path
from typing import IO, Any, cast

import httpx2
import pytest
from _harness import Driver, Recorder, json_response, multipart_parts, query, raw_path

from _support.streams import NonSeekable
from rocketchat_livechat import errors as e
from rocketchat_livechat._core.uploads import UploadSource
from rocketchat_livechat.models import UploadedMessage

TOKEN = "Visitor-Token-1"
RID = "room-1"
UPLOADED = {
    "_id": "file-msg-1",
    "rid": RID,
    "msg": "",
    "token": TOKEN,
    "file": {"_id": "f1", "name": "a.txt", "type": "text/plain"},
    "newRoom": False,
    "showConnecting": False,
    "success": True,
}
CONTENT = bytes(range(256)) * 8  # 2 KiB of every byte value


def uploaded(request: httpx2.Request) -> httpx2.Response:
    return json_response(UPLOADED)


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    path = tmp_path / "notes.txt"
    path.write_bytes(CONTENT)
    return path


def test_upload_from_a_path_with_progress(driver: Driver, sample: Path) -> None:
    recorder = Recorder(uploaded)
    progress: list[tuple[int, int | None]] = []
    result = driver.call(
        recorder,
        "room.upload_file",
        RID,
        sample,
        TOKEN,
        description="my notes",
        progress=lambda sent, total: progress.append((sent, total)),
    )
    assert isinstance(result, UploadedMessage)
    assert result.id == "file-msg-1" and result.new_room is False
    request = recorder.last
    assert request.method == "POST"
    assert raw_path(request) == f"/api/v1/livechat/upload/{RID}"
    assert query(request) == []
    assert request.headers["x-visitor-token"] == TOKEN
    assert "x-auth-token" not in request.headers and "x-user-id" not in request.headers
    parts = multipart_parts(request)
    assert set(parts) == {"file", "description"}
    assert parts["file"].filename == "notes.txt"
    assert parts["file"].content_type == "text/plain"
    assert parts["file"].data == CONTENT
    assert parts["description"].data == b"my notes"
    assert progress[-1] == (len(CONTENT), len(CONTENT))
    assert [sent for sent, _ in progress] == sorted(sent for sent, _ in progress)


def test_upload_from_a_str_path(driver: Driver, sample: Path) -> None:
    recorder = Recorder(uploaded)
    driver.call(recorder, "room.upload_file", RID, str(sample), TOKEN)
    parts = multipart_parts(recorder.last)
    assert set(parts) == {"file"}  # no description field when none is given
    assert parts["file"].data == CONTENT


def test_upload_bytes(driver: Driver) -> None:
    recorder = Recorder(uploaded)
    driver.call(recorder, "room.upload_file", RID, b"\x89PNG\r\n...", TOKEN)
    part = multipart_parts(recorder.last)["file"]
    assert (part.filename, part.content_type, part.data) == (
        "upload.bin",
        "application/octet-stream",
        b"\x89PNG\r\n...",
    )


@pytest.mark.parametrize("data", [bytearray(b"abc"), memoryview(b"abc")])
def test_upload_bytes_like(driver: Driver, data: bytearray | memoryview) -> None:
    recorder = Recorder(uploaded)
    driver.call(recorder, "room.upload_file", RID, data, TOKEN, filename="x.png")
    part = multipart_parts(recorder.last)["file"]
    assert (part.filename, part.content_type, part.data) == ("x.png", "image/png", b"abc")


def test_upload_file_object_from_its_current_position(driver: Driver) -> None:
    recorder = Recorder(uploaded)
    stream = io.BytesIO(b"HEADERpayload")
    stream.seek(6)
    driver.call(
        recorder,
        "room.upload_file",
        RID,
        stream,
        TOKEN,
        filename="data.json",
        content_type="application/json",
    )
    part = multipart_parts(recorder.last)["file"]
    assert (part.filename, part.content_type, part.data) == (
        "data.json",
        "application/json",
        b"payload",
    )
    assert not stream.closed  # the caller's file stays the caller's


def test_upload_open_file_takes_its_name(driver: Driver, sample: Path) -> None:
    recorder = Recorder(uploaded)
    with sample.open("rb") as handle:
        driver.call(recorder, "room.upload_file", RID, handle, TOKEN)
        assert not handle.closed
    part = multipart_parts(recorder.last)["file"]
    assert (part.filename, part.data) == ("notes.txt", CONTENT)


def test_upload_non_seekable_stream(driver: Driver) -> None:
    recorder = Recorder(uploaded)
    progress: list[tuple[int, int | None]] = []
    driver.call(
        recorder,
        "room.upload_file",
        RID,
        NonSeekable(CONTENT),
        TOKEN,
        progress=lambda sent, total: progress.append((sent, total)),
    )
    assert multipart_parts(recorder.last)["file"].data == CONTENT
    assert progress[-1] == (len(CONTENT), None)  # size unknown


def test_a_large_file_is_streamed_in_chunks(driver: Driver, tmp_path: Path) -> None:
    path = tmp_path / "big.bin"
    path.write_bytes(b"\0" * (1 << 20))
    progress: list[int] = []
    recorder = Recorder(uploaded)
    driver.call(
        recorder,
        "room.upload_file",
        RID,
        path,
        TOKEN,
        progress=lambda sent, total: progress.append(sent),
    )
    assert len(progress) > 4  # read piecewise, not in one go
    assert progress[-1] == 1 << 20
    assert len(multipart_parts(recorder.last)["file"].data) == 1 << 20


TOO_MANY = {"success": False, "error": "Error, too many requests. [error-too-many-requests]"}


def rate_limited_once(recorder_ref: list[Recorder]) -> Recorder:
    def respond(request: httpx2.Request) -> httpx2.Response:
        if len(recorder_ref[0].requests) == 1:
            return json_response(TOO_MANY, 429, {"retry-after": "1"})
        return json_response(UPLOADED)

    recorder_ref.append(Recorder(respond))
    return recorder_ref[0]


@pytest.mark.parametrize("kind", ["path", "bytes", "file-object"])
def test_upload_is_rewound_before_a_retry(
    driver: Driver, sample: Path, sleeps: list[float], kind: str
) -> None:
    recorder = rate_limited_once([])
    stream = io.BytesIO(b"skip" + CONTENT)
    stream.seek(4)
    source: Any = {"path": sample, "bytes": CONTENT, "file-object": stream}[kind]
    progress: list[tuple[int, int | None]] = []
    driver.call(
        recorder,
        "room.upload_file",
        RID,
        source,
        TOKEN,
        progress=lambda sent, total: progress.append((sent, total)),
    )
    first, second = recorder.requests
    assert sleeps == [1.0]
    assert multipart_parts(first)["file"].data == CONTENT
    assert multipart_parts(second)["file"].data == CONTENT
    assert progress[-1] == (len(CONTENT), len(CONTENT))
    assert second.headers["x-visitor-token"] == TOKEN


def test_connect_error_retry_resends_the_whole_file(
    driver: Driver, sample: Path, sleeps: list[float]
) -> None:
    def respond(request: httpx2.Request) -> httpx2.Response:
        if len(recorder.requests) == 1:
            raise httpx2.ConnectError("refused", request=request)
        return json_response(UPLOADED)

    recorder = Recorder(respond)
    driver.call(recorder, "room.upload_file", RID, sample, TOKEN)
    assert multipart_parts(recorder.last)["file"].data == CONTENT
    assert len(sleeps) == 1


def test_a_non_seekable_stream_is_never_resent(driver: Driver, sleeps: list[float]) -> None:
    recorder = rate_limited_once([])
    with pytest.raises(e.RateLimitError) as caught:
        driver.call(recorder, "room.upload_file", RID, NonSeekable(CONTENT), TOKEN)
    assert caught.value.retry_after == 1.0
    assert len(recorder.requests) == 1  # a second attempt would send a truncated file
    assert sleeps == []


def test_upload_is_not_retried_after_it_may_have_reached_the_server(
    driver: Driver, sample: Path
) -> None:
    def respond(request: httpx2.Request) -> httpx2.Response:
        raise httpx2.ReadTimeout("slow", request=request)

    recorder = Recorder(respond)
    with pytest.raises(e.APITimeoutError):
        driver.call(recorder, "room.upload_file", RID, sample, TOKEN)
    assert len(recorder.requests) == 1


def test_upload_uses_the_upload_timeout(driver: Driver, sample: Path) -> None:
    recorder = Recorder(lambda request: json_response({**UPLOADED, "visitor": {"_id": "v"}}))
    driver.calls(
        recorder,
        [("room.upload_file", (RID, sample, TOKEN), {}), ("visitor.get_visitor", (TOKEN,), {})],
        client_kwargs={"timeout": 7.0, "upload_timeout": 99.0},
    )
    upload, other = recorder.requests
    assert upload.extensions["timeout"]["read"] == 99.0
    assert other.extensions["timeout"]["read"] == 7.0


@pytest.mark.parametrize(
    ("body", "cls"),
    [
        ({"reason": "error-file-upload-disabled", "success": False}, e.FileUploadDisabledError),
        ({"reason": "error-type-not-allowed", "success": False}, e.FileTypeNotAllowedError),
        (
            {"reason": "error-size-not-allowed", "sizeAllowed": "1 MB", "success": False},
            e.FileTooLargeError,
        ),
    ],
)
def test_upload_refusals(driver: Driver, body: dict[str, Any], cls: type[e.APIError]) -> None:
    recorder = Recorder(lambda request: json_response(body, 400))
    with pytest.raises(cls) as caught:
        driver.call(recorder, "room.upload_file", RID, b"x", TOKEN)
    assert caught.value.details == body


@pytest.mark.parametrize(
    ("file", "argument"),
    [
        ("/no/such/file.txt", "file"),
        (12345, "file"),
        (io.StringIO("text"), "file"),
    ],
)
def test_bad_upload_sources_fail_before_any_io(driver: Driver, file: Any, argument: str) -> None:
    recorder = Recorder(uploaded)
    with pytest.raises(e.InvalidArgumentError) as caught:
        driver.call(recorder, "room.upload_file", RID, file, TOKEN)
    assert caught.value.argument == argument
    assert recorder.requests == []


@pytest.mark.parametrize(
    ("rid", "token", "argument"),
    [
        ("a/b", TOKEN, "rid"),
        ("..", TOKEN, "rid"),
        (RID, "tok\r\nX-Injected: 1", "token"),
        (RID, "", "token"),
        (RID, None, "token"),
    ],
)
def test_bad_upload_arguments_fail_before_any_io(
    driver: Driver, rid: str, token: Any, argument: str
) -> None:
    recorder = Recorder(uploaded)
    with pytest.raises(e.InvalidArgumentError) as caught:
        driver.call(recorder, "room.upload_file", rid, b"x", token)
    assert caught.value.argument == argument
    assert recorder.requests == []


def test_upload_source_reports_size_and_rewindability(sample: Path) -> None:
    assert UploadSource(sample).size() == len(CONTENT)
    assert UploadSource(b"abc").size() == 3
    stream = io.BytesIO(b"0123456789")
    stream.seek(4)
    source = UploadSource(stream)
    assert (source.size(), source.rewindable, stream.tell()) == (6, True, 4)
    pipe = UploadSource(cast(IO[bytes], NonSeekable(b"abc")))
    assert (pipe.size(), pipe.rewindable) == (None, False)


def test_upload_source_reader_restarts_from_the_start(sample: Path) -> None:
    source = UploadSource(sample)
    for _ in range(2):
        reader = source.open()
        assert reader.read() == CONTENT
        reader.close()
