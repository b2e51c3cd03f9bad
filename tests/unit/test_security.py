"""Secrets stay secret: visitor tokens, passwords and auth tokens never appear in logs (even at
DEBUG, from any logger), reprs or exception texts; credentials never follow a redirect to
another origin; TLS verification is on unless explicitly turned off, and turning it off warns."""

from __future__ import annotations

import logging
import ssl
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx2
import pytest
from _harness import BASE_URL, Driver, Recorder, json_response, multipart_parts, raw_path

from rocketchat_livechat import APIError, AsyncLivechatClient, LivechatClient
from rocketchat_livechat._core.http import Credentials
from rocketchat_livechat._core.redact import redact, redact_pairs

VISITOR_TOKEN = "VisitorSecret-7f3a9c"
PASSWORD = "Pässw0rd-Secret-91"
CLIENT_AUTH_TOKEN = "ClientAuthSecret-4d2e"
ISSUED_AUTH_TOKEN = "IssuedAuthSecret-8b1c"
SECRETS = (VISITOR_TOKEN, PASSWORD, CLIENT_AUTH_TOKEN, ISSUED_AUTH_TOKEN)
RID = "room-1"

VISITOR = {"_id": "v1", "token": VISITOR_TOKEN}
MESSAGE = {"_id": "m1", "rid": RID, "msg": "hi", "token": VISITOR_TOKEN}
LOGIN = {"status": "success", "data": {"userId": "u1", "authToken": ISSUED_AUTH_TOKEN}}


def fake_server(request: httpx2.Request) -> httpx2.Response:
    """Answers every endpoint the secrets run through, with a failure on the ``fail`` rid."""
    path = raw_path(request)
    if "fail-connect" in str(request.url) or "fail-connect" in request.content.decode("latin-1"):
        raise httpx2.ConnectError(f"cannot connect to {request.url}", request=request)
    if "fail-timeout" in str(request.url) or b"fail-timeout" in request.content:
        raise httpx2.ReadTimeout("timed out", request=request)
    if "fail-400" in str(request.url) or b"fail-400" in request.content:
        return json_response({"success": False, "error": "invalid-token"}, 400)
    if "fail-429" in str(request.url):
        headers = {"retry-after": "1"}
        return json_response({"success": False, "error": "[error-too-many-requests]"}, 429, headers)
    if "fail-502" in str(request.url):
        return httpx2.Response(502, text="<html>Bad Gateway</html>")
    if path.endswith("/login"):
        if PASSWORD.encode() not in request.content:
            return json_response({"status": "error", "message": "Unauthorized"}, 401)
        return json_response(LOGIN)
    if "/livechat/visitor" in path:
        return json_response({"visitor": VISITOR})
    if "/livechat/room" in path:
        return json_response({"room": {"_id": RID, "v": {"_id": "v1", "token": VISITOR_TOKEN}}})
    if "/livechat/upload/" in path:
        return json_response(MESSAGE)
    if "messages.history" in path:
        return json_response({"messages": [MESSAGE]})
    if "/livechat/message" in path or "agent.info" in path:
        return json_response({"message": MESSAGE, "agent": {"_id": "a1"}})
    return json_response({"success": True, "users": [], "total": 0, "status": "success"})


STEPS: list[tuple[str, tuple[Any, ...], dict[str, Any]]] = [
    ("visitor.register_visitor", (VISITOR_TOKEN,), {"name": "Alice"}),
    ("visitor.get_visitor", (VISITOR_TOKEN,), {}),
    ("room.get_room", (VISITOR_TOKEN,), {}),
    ("agents.get_agent_info", (RID, VISITOR_TOKEN), {}),
    ("messages.send_message", (VISITOR_TOKEN, RID, "hello"), {}),
    ("messages.get_message", ("m1", VISITOR_TOKEN, RID), {}),
    ("messages.get_message_history", (RID, VISITOR_TOKEN), {}),
    ("room.upload_file", (RID, b"data", VISITOR_TOKEN), {}),
    ("users.list_users", ("agent",), {}),
    ("login", ("bob", PASSWORD), {}),
    ("users.list_users", ("manager",), {}),
    ("visitor.get_visitor", (VISITOR_TOKEN + "fail-400",), {}),
    ("messages.send_message", (VISITOR_TOKEN, "fail-400", "x"), {}),
    ("room.close_room", ("fail-timeout", VISITOR_TOKEN), {}),
    ("visitor.get_visitor", (VISITOR_TOKEN + "fail-connect",), {}),
    ("room.get_room", (VISITOR_TOKEN + "fail-429",), {}),
    ("agents.get_agent_info", ("fail-502", VISITOR_TOKEN), {}),
    ("room.upload_file", ("fail-400", b"data", VISITOR_TOKEN), {}),
    ("login", ("bob", "wrong-" + PASSWORD[::-1]), {}),
    ("logout", (), {}),
]


def run_everything(driver: Driver) -> list[Any]:
    """Every step on one client; results and exceptions alike are returned."""
    outcomes: list[Any] = []
    for step in STEPS:
        try:
            outcomes.extend(
                driver.calls(
                    Recorder(fake_server),
                    [step],
                    client_kwargs={"auth_token": CLIENT_AUTH_TOKEN, "max_retries": 1},
                )
            )
        except APIError as exc:
            outcomes.append(exc)
    return outcomes


def assert_no_secret(text: str) -> None:
    for secret in SECRETS:
        assert secret not in text
    assert PASSWORD[::-1] not in text


def test_no_secret_in_logs_reprs_or_exceptions(
    driver: Driver, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)  # every logger: ours, httpx2's and httpcore2's
    outcomes = run_everything(driver)
    errors = [o for o in outcomes if isinstance(o, APIError)]
    assert len(errors) >= 7  # the failures really happened
    assert any("livechat/visitor" in r.getMessage() for r in caplog.records)  # logging works
    captured = "\n".join(
        [caplog.text]
        + [record.getMessage() for record in caplog.records]
        + [repr(record.args) for record in caplog.records]
    )
    assert_no_secret(captured)
    for exc in errors:
        assert_no_secret(str(exc))
        assert_no_secret(repr(exc))
        assert_no_secret(str(exc.message))
        assert exc.__cause__ is None or isinstance(exc.__cause__, httpx2.HTTPError)


def test_malformed_response_errors_do_not_quote_the_body(driver: Driver) -> None:
    body = {"room": {"_id": RID, "v": {"token": VISITOR_TOKEN}}}  # v._id missing
    with pytest.raises(APIError) as caught:
        driver.call(lambda r: json_response(body), "room.get_room", "tok")
    assert str(caught.value) == (
        "unexpected response: RoomResult did not validate (room.v._id: Field required)"
    )
    assert caught.value.details == body
    assert_no_secret("".join(traceback.format_exception(caught.value)))


def test_client_repr_hides_the_auth_token(driver: Driver) -> None:
    client = driver.client(Recorder(), auth_token=CLIENT_AUTH_TOKEN)
    assert_no_secret(repr(client))
    assert_no_secret(str(client))
    assert "agent-user-id-1" in repr(client)
    assert_no_secret(repr(Credentials("u1", CLIENT_AUTH_TOKEN)))


def test_transport_errors_do_not_carry_the_url(driver: Driver) -> None:
    def refuse(request: httpx2.Request) -> httpx2.Response:
        raise httpx2.ConnectError(f"cannot connect to {request.url}", request=request)

    with pytest.raises(APIError) as caught:
        driver.call(refuse, "visitor.get_visitor", VISITOR_TOKEN, client_kwargs={"max_retries": 0})
    assert str(caught.value) == "GET livechat/visitor/{token} connection failed (ConnectError)"


def test_login_result_repr_hides_the_auth_token(driver: Driver) -> None:
    result = driver.call(lambda r: json_response(LOGIN), "login", "bob", PASSWORD)
    assert_no_secret(repr(result))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (
            {"token": "t", "visitor": {"token": "t", "name": "n"}},
            {"token": "***", "visitor": {"token": "***", "name": "n"}},
        ),
        ({"X-Auth-Token": "a", "X-User-Id": "u"}, {"X-Auth-Token": "***", "X-User-Id": "u"}),
        ([{"password": "p"}, {"resume": "r"}], [{"password": "***"}, {"resume": "***"}]),
        ({"visitorToken": "t", "msg": "hello"}, {"visitorToken": "***", "msg": "hello"}),
    ],
)
def test_redact(value: Any, expected: Any) -> None:
    assert redact(value) == expected


def test_redact_pairs() -> None:
    assert redact_pairs([("token", "t"), ("rid", "r")]) == [("token", "***"), ("rid", "r")]


# --- redirects -------------------------------------------------------------------------------

SECRET_HEADERS = ("x-auth-token", "x-user-id", "x-visitor-token")


def redirecting(
    status: int, location: str, answer: Callable[[httpx2.Request], httpx2.Response]
) -> Recorder:
    """Redirects the first request to ``location``; ``answer`` responds to the second."""

    def respond(request: httpx2.Request) -> httpx2.Response:
        if len(recorder.requests) == 1:
            return httpx2.Response(status, headers={"location": location})
        return answer(request)

    recorder = Recorder(respond)
    return recorder


def users_page(request: httpx2.Request) -> httpx2.Response:
    return json_response({"users": [], "total": 0})


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
@pytest.mark.parametrize(
    "location",
    [
        "https://evil.test/api/v1/livechat/users/agent",
        "http://rc.test:8080/api/v1/livechat/users/agent",  # another port is another origin
        "https://rc.test:8443/x",
    ],
)
def test_cross_origin_redirect_drops_user_credentials(
    driver: Driver, status: int, location: str
) -> None:
    recorder = redirecting(status, location, users_page)
    driver.call(recorder, "users.list_users", "agent")
    original, redirected = recorder.requests
    assert original.headers["x-auth-token"]
    assert str(redirected.url) == location
    for name in SECRET_HEADERS:
        assert name not in redirected.headers


@pytest.mark.parametrize(
    "location",
    [
        "/api/v1/livechat/users/agent?moved=1",
        f"{BASE_URL}/elsewhere",
        "https://rc.test/api/v1/livechat/users/agent",  # http -> https upgrade, default ports
    ],
)
def test_same_origin_redirect_keeps_user_credentials(driver: Driver, location: str) -> None:
    recorder = redirecting(302, location, users_page)
    driver.call(recorder, "users.list_users", "agent")
    redirected = recorder.last
    assert redirected.headers["x-auth-token"] == "Auth-Token-Secret-0123456789"
    assert redirected.headers["x-user-id"] == "agent-user-id-1"


def test_cross_origin_redirect_drops_the_visitor_token_header(
    driver: Driver, tmp_path: Path
) -> None:
    recorder = redirecting(307, "https://cdn.test/upload", lambda r: json_response(MESSAGE))
    driver.call(recorder, "room.upload_file", RID, b"file-bytes", VISITOR_TOKEN)
    original, redirected = recorder.requests
    assert original.headers["x-visitor-token"] == VISITOR_TOKEN
    assert "x-visitor-token" not in redirected.headers
    assert redirected.method == "POST"  # 307 keeps method and body
    assert multipart_parts(redirected)["file"].data == b"file-bytes"


def test_same_origin_redirect_keeps_the_visitor_token_header(driver: Driver) -> None:
    recorder = redirecting(308, "/api/v1/livechat/upload/other", lambda r: json_response(MESSAGE))
    driver.call(recorder, "room.upload_file", RID, b"file-bytes", VISITOR_TOKEN)
    assert recorder.last.headers["x-visitor-token"] == VISITOR_TOKEN


@pytest.mark.parametrize(
    ("status", "method"), [(301, "GET"), (302, "GET"), (303, "GET"), (307, "POST")]
)
def test_redirect_method_rules(driver: Driver, status: int, method: str) -> None:
    recorder = redirecting(status, "/moved", lambda r: json_response({"rid": RID}))
    driver.call(recorder, "room.close_room", RID, VISITOR_TOKEN)
    assert recorder.last.method == method
    assert (recorder.last.content == recorder.requests[0].content) is (method == "POST")


def test_redirect_loops_end(driver: Driver) -> None:
    recorder = Recorder(lambda r: httpx2.Response(302, headers={"location": "/again"}))
    with pytest.raises(APIError, match="redirects"):
        driver.call(recorder, "visitor.get_visitor", VISITOR_TOKEN)
    assert len(recorder.requests) == 6


# --- TLS -------------------------------------------------------------------------------------


CLIENTS = [
    (LivechatClient, "stdlib"),
    (LivechatClient, "httpx2"),
    (AsyncLivechatClient, "httpx2"),
    (AsyncLivechatClient, "aiohttp"),
]


def _ssl_context(client: Any) -> ssl.SSLContext:
    transport = client._http._transport
    # httpx2's own transport has a pool; aiohttp's and http.client's hold the context
    pool = getattr(transport, "_pool", None)
    return pool._ssl_context if pool is not None else transport._ssl  # type: ignore[no-any-return]


@pytest.mark.parametrize(("cls", "backend"), CLIENTS)
def test_tls_verification_is_on_by_default(cls: type[Any], backend: str) -> None:
    context = _ssl_context(cls("https://rc.test", http_backend=backend))
    assert context.verify_mode == ssl.CERT_REQUIRED
    assert context.check_hostname is True


@pytest.mark.parametrize(("cls", "backend"), CLIENTS)
def test_verify_false_warns(cls: type[Any], backend: str, caplog: pytest.LogCaptureFixture) -> None:
    with pytest.warns(UserWarning, match=r"verification is disabled \(verify=False\)"):
        client = cls("https://rc.test", verify=False, http_backend=backend)
    assert _ssl_context(client).verify_mode == ssl.CERT_NONE
    assert "TLS certificate verification is disabled" in caplog.text


def test_verify_true_does_not_warn(recwarn: pytest.WarningsRecorder) -> None:
    LivechatClient("https://rc.test")
    assert not [w for w in recwarn if "verif" in str(w.message)]
