"""Every error spelling Rocket.Chat 5.x-8.x produces becomes the right exception.

Bodies come from Rocket.Chat's ``api.ts`` (envelopes, 401/403, 429) and its livechat routes (per
endpoint), §4 (agent side) and §8 (version differences). The same logical error, however it is
spelled, must become the same class.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import httpx2
import pytest
from _harness import AUTH_TOKEN, USER_ID, Driver, Recorder

from rocketchat_livechat import errors as e
from rocketchat_livechat._core.error_map import build_error, error_code, exception_class

HTML_502 = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>nginx</body></html>"
TOO_MANY = (
    "Error, too many requests. Please slow down. You must wait 7 seconds before trying this "
    "endpoint again. [error-too-many-requests]"
)
NOT_LOGGED_IN = "You must be logged in to do this."
NO_PERMISSION = "User does not have the permissions required for this action [error-unauthorized]"


@dataclass(frozen=True)
class ErrorCase:
    id: str
    status: int
    body: Any  # a JSON value, or raw text (``str``) sent as-is
    cls: type[e.APIError]
    error: str | None
    content_type: str = "application/json"

    @property
    def raw(self) -> bytes:
        return self.body.encode() if isinstance(self.body, str) else json.dumps(self.body).encode()

    @property
    def details(self) -> Any:
        """What ``exc.details`` holds: the parsed JSON, else the text as received."""
        try:
            return json.loads(self.raw)
        except ValueError:
            return self.raw.decode()


def fail(**fields: Any) -> dict[str, Any]:
    return {"success": False, **fields}


CASES = [
    # §1.3 envelopes, with invalid-token in each spelling
    ErrorCase(
        "plain-error", 400, fail(error="invalid-token"), e.InvalidTokenError, "invalid-token"
    ),
    ErrorCase(
        "meteor-error-no-reason",
        400,
        fail(error="[invalid-token]", errorType="invalid-token"),
        e.InvalidTokenError,
        "invalid-token",
    ),
    ErrorCase(
        "meteor-error-reason-details",
        400,
        fail(
            error="Token cannot be empty [error-invalid-token]",
            errorType="error-invalid-token",
            details={"method": "livechat/visitor"},
        ),
        e.InvalidTokenError,
        "error-invalid-token",
    ),
    ErrorCase(
        "5.x-serialised-error",
        400,
        fail(error="invalid-token", message="[invalid-token]", isClientSafe=True),
        e.InvalidTokenError,
        "invalid-token",
    ),
    ErrorCase(
        "5.x-serialised-error-with-generic-type",
        400,
        fail(
            error="invalid-token",
            message="[invalid-token]",
            isClientSafe=True,
            errorType="Meteor.Error",
        ),
        e.InvalidTokenError,
        "invalid-token",
    ),
    ErrorCase(
        "5.x-message-only",
        400,
        fail(message="[invalid-token]"),
        e.InvalidTokenError,
        "invalid-token",
    ),
    ErrorCase(
        "stack-in-test-mode",
        400,
        fail(error="invalid-token", stack="Error: x\n at y"),
        e.InvalidTokenError,
        "invalid-token",
    ),
    ErrorCase(
        "transcript-invalid-visitor",
        400,
        fail(error="error-invalid-visitor"),
        e.InvalidTokenError,
        "error-invalid-visitor",
    ),
    ErrorCase(
        "bulk-messages-invalid-token",
        400,
        fail(error="error-invalid-token"),
        e.InvalidTokenError,
        "error-invalid-token",
    ),
    # schema / Match errors
    ErrorCase(
        "match-error-missing-key",
        400,
        fail(error="Match error: Missing key 'visitor'"),
        e.InvalidParamsError,
        "Match error: Missing key 'visitor'",
    ),
    ErrorCase(
        "match-error-unknown-key",
        400,
        fail(error="Match error: Unknown key in field department"),
        e.InvalidParamsError,
        "Match error: Unknown key in field department",
    ),
    ErrorCase(
        "ajv-one-message",
        400,
        fail(
            error="must have required property 'token' [invalid-params]", errorType="invalid-params"
        ),
        e.InvalidParamsError,
        "invalid-params",
    ),
    ErrorCase(
        "ajv-several-messages",
        400,
        fail(
            error="must be string\n must be number\n must match a schema in anyOf [invalid-params]",
            errorType="invalid-params",
        ),
        e.InvalidParamsError,
        "invalid-params",
    ),
    ErrorCase(
        "chat-send-message-params",
        400,
        fail(
            error='The "message" parameter must be provided. [error-invalid-params]',
            errorType="error-invalid-params",
        ),
        e.InvalidParamsError,
        "error-invalid-params",
    ),
    # bare failures and unexpected JavaScript errors
    ErrorCase("failure-no-argument", 400, fail(), e.BadRequestError, None),
    ErrorCase(
        "duplicate-message-id",
        400,
        fail(error="Cannot convert undefined or null to object"),
        e.BadRequestError,
        "Cannot convert undefined or null to object",
    ),
    ErrorCase(
        "not-found", 404, fail(error="Resource not found"), e.NotFoundError, "Resource not found"
    ),
    ErrorCase(
        "405-unknown-method",
        405,
        {"status": "error", "message": "API endpoint does not exist"},
        e.APIStatusError,
        "API endpoint does not exist",
    ),
    # rooms
    ErrorCase("invalid-room", 400, fail(error="invalid-room"), e.InvalidRoomError, "invalid-room"),
    ErrorCase(
        "invalid-room-meteor",
        400,
        fail(error="Invalid room [error-invalid-room]", errorType="error-invalid-room"),
        e.InvalidRoomError,
        "error-invalid-room",
    ),
    ErrorCase("room-closed", 400, fail(error="room-closed"), e.RoomClosedError, "room-closed"),
    ErrorCase(
        "room-already-closed",
        400,
        fail(error="error-room-already-closed"),
        e.RoomClosedError,
        "error-room-already-closed",
    ),
    ErrorCase(
        "8.0-department-transfer-closed",
        400,
        fail(error="This_conversation_is_already_closed"),
        e.RoomClosedError,
        "This_conversation_is_already_closed",
    ),
    ErrorCase(
        "no-agent-online",
        400,
        fail(error="Sorry, no online agents [no-agent-online]", errorType="no-agent-online"),
        e.NoAgentOnlineError,
        "no-agent-online",
    ),
    ErrorCase(
        "no-agent-online-5.x",
        400,
        fail(error="no-agent-online", message="Sorry, no online agents [no-agent-online]"),
        e.NoAgentOnlineError,
        "no-agent-online",
    ),
    ErrorCase(
        "omnichannel-disabled",
        400,
        fail(error="[error-omnichannel-is-disabled]", errorType="error-omnichannel-is-disabled"),
        e.OmnichannelDisabledError,
        "error-omnichannel-is-disabled",
    ),
    ErrorCase(
        "visitors-may-not-close",
        400,
        fail(error="error-not-allowed-to-close-conversation"),
        e.ActionNotAllowedError,
        "error-not-allowed-to-close-conversation",
    ),
    ErrorCase(
        "contact-channel-blocked-7.x",
        400,
        fail(error="error-contact-channel-blocked"),
        e.BadRequestError,
        "error-contact-channel-blocked",
    ),
    # agents
    ErrorCase(
        "agent-not-found",
        400,
        fail(error="agent-not-found"),
        e.AgentNotFoundError,
        "agent-not-found",
    ),
    ErrorCase(
        "invalid-agent", 400, fail(error="invalid-agent"), e.AgentNotFoundError, "invalid-agent"
    ),
    # messages
    ErrorCase(
        "invalid-message",
        400,
        fail(error="invalid-message"),
        e.InvalidMessageError,
        "invalid-message",
    ),
    ErrorCase(
        "action-not-allowed",
        400,
        fail(error="error-action-not-allowed"),
        e.ActionNotAllowedError,
        "error-action-not-allowed",
    ),
    ErrorCase(
        "message-too-long",
        400,
        fail(error="message-length-exceeds-character-limit"),
        e.MessageTooLongError,
        "message-length-exceeds-character-limit",
    ),
    ErrorCase(
        "agent-message-too-long",
        400,
        fail(
            error="Message size exceeds Message_MaxAllowedSize [error-message-size-exceeded]",
            errorType="error-message-size-exceeded",
        ),
        e.MessageTooLongError,
        "error-message-size-exceeded",
    ),
    ErrorCase(
        "offline-message-6.14",
        400,
        fail(error="Error sending Omnichannel offline message"),
        e.BadRequestError,
        "Error sending Omnichannel offline message",
    ),
    ErrorCase(
        "offline-message-6.3",
        400,
        {"message": "Error sending Omnichannel offline message", "success": False},
        e.BadRequestError,
        "Error sending Omnichannel offline message",
    ),
    ErrorCase(
        "transcript-helper-false",
        400,
        {"message": "Error sending Omnichannel transcript", "success": False},
        e.BadRequestError,
        "Error sending Omnichannel transcript",
    ),
    # visitors
    ErrorCase(
        "invalid-email",
        400,
        fail(
            error="Invalid email bad@ [error-invalid-email]",
            errorType="error-invalid-email",
            details={"function": "Livechat.validateEmail", "email": "bad@"},
        ),
        e.InvalidEmailError,
        "error-invalid-email",
    ),
    ErrorCase(
        "transcript-invalid-email",
        400,
        fail(error="[invalid email]", errorType="invalid email"),
        e.InvalidEmailError,
        "invalid email",
    ),
    ErrorCase(
        "invalid-department",
        400,
        fail(
            error="The provided department is invalid [error-invalid-department]",
            errorType="error-invalid-department",
        ),
        e.InvalidDepartmentError,
        "error-invalid-department",
    ),
    ErrorCase(
        "visitor-has-open-rooms",
        400,
        fail(
            error="Cannot remove visitors with opened rooms [visitor-has-open-rooms]",
            errorType="visitor-has-open-rooms",
        ),
        e.VisitorHasOpenRoomsError,
        "visitor-has-open-rooms",
    ),
    ErrorCase(
        "visitor-not-found",
        400,
        fail(error="visitor-not-found"),
        e.VisitorNotFoundError,
        "visitor-not-found",
    ),
    ErrorCase(
        "7.x-missing-custom-fields",
        400,
        fail(error="Missing required custom fields: cf1, cf2"),
        e.BadRequestError,
        "Missing required custom fields: cf1, cf2",
    ),
    # inquiries
    ErrorCase(
        "inquiry-taken",
        400,
        fail(error="Inquiry already taken [error-inquiry-taken]", errorType="error-inquiry-taken"),
        e.InquiryTakenError,
        "error-inquiry-taken",
    ),
    # hand-off (livechat/room.forward, room.join)
    *(
        ErrorCase(f"forward-{code}", 400, fail(error=code), cls, code)
        for code, cls in (
            ("error-user-is-offline", e.AgentOfflineError),
            ("error-no-agents-online-in-department", e.NoAgentOnlineError),
            ("error-forwarding-chat", e.ForwardingError),
            ("error-forwarding-chat-same-department", e.ForwardingError),
            ("error-selected-agent-room-agent-are-same", e.ForwardingError),
            ("error-user-not-belong-to-department", e.ForwardingError),
            ("error-transferring-inquiry", e.ForwardingError),
            ("This_conversation_is_already_closed", e.RoomClosedError),
        )
    ),
    ErrorCase(
        "join-already-in-room",
        400,
        fail(
            error="User already in room [error-user-already-in-room]",
            errorType="error-user-already-in-room",
        ),
        e.UserAlreadyInRoomError,
        "error-user-already-in-room",
    ),
    # uploads (§3.12): ``reason`` bodies without ``error``, bracketed codes, plain texts
    ErrorCase(
        "upload-disabled",
        400,
        {"reason": "error-file-upload-disabled", "success": False},
        e.FileUploadDisabledError,
        "error-file-upload-disabled",
    ),
    ErrorCase(
        "upload-type-not-allowed",
        400,
        {"reason": "error-type-not-allowed", "success": False},
        e.FileTypeNotAllowedError,
        "error-type-not-allowed",
    ),
    ErrorCase(
        "upload-size-not-allowed",
        400,
        {"reason": "error-size-not-allowed", "sizeAllowed": "100 MB", "success": False},
        e.FileTooLargeError,
        "error-size-not-allowed",
    ),
    ErrorCase(
        "upload-busboy-too-large",
        400,
        fail(error="[error-file-too-large]", errorType="error-file-too-large"),
        e.FileTooLargeError,
        "error-file-too-large",
    ),
    ErrorCase(
        "upload-no-file-6.14",
        400,
        fail(error="[No file uploaded]", errorType="No file uploaded"),
        e.BadRequestError,
        "No file uploaded",
    ),
    ErrorCase(
        "upload-no-file-7.x",
        400,
        {"reason": "error-no-file-uploaded", "success": False},
        e.BadRequestError,
        "error-no-file-uploaded",
    ),
    ErrorCase(
        "upload-invalid-field",
        400,
        fail(error="[invalid-field]", errorType="invalid-field"),
        e.InvalidFileError,
        "invalid-field",
    ),
    # the agent's own messages (chat.ts: chat.update / chat.delete, rooms.ts: rooms.media*)
    ErrorCase(
        "chat-update-wrong-room",
        400,
        fail(error="The room id provided does not match where the message is from."),
        e.InvalidMessageError,
        "The room id provided does not match where the message is from.",
    ),
    ErrorCase(
        "chat-update-no-message",
        400,
        fail(error='No message found with the id of "m1".'),
        e.InvalidMessageError,
        'No message found with the id of "m1".',
    ),
    ErrorCase(
        "chat-update-editing-blocked",
        400,
        fail(
            error="Message editing is blocked [error-message-editing-blocked]",
            errorType="error-message-editing-blocked",
            details={"method": "updateMessage"},
        ),
        e.MessageEditingBlockedError,
        "error-message-editing-blocked",
    ),
    ErrorCase(
        "chat-delete-as-user",
        400,
        fail(
            error='Unauthorized. You must have the permission "force-delete-message" to delete '
            "other's message as them."
        ),
        e.ActionNotAllowedError,
        'Unauthorized. You must have the permission "force-delete-message" to delete '
        "other's message as them.",
    ),
    ErrorCase(
        "rooms-media-type",
        400,
        fail(
            error="File type is not accepted. [error-invalid-file-type]",
            errorType="error-invalid-file-type",
        ),
        e.FileTypeNotAllowedError,
        "error-invalid-file-type",
    ),
    ErrorCase(
        "rooms-media-confirm-unknown-file",
        400,
        fail(error="[invalid-file]", errorType="invalid-file"),
        e.InvalidFileError,
        "invalid-file",
    ),
    ErrorCase(
        "upload-two-files",
        400,
        fail(error="Just 1 file is allowed"),
        e.BadRequestError,
        "Just 1 file is allowed",
    ),
    ErrorCase(
        "upload-store-failed", 400, fail(error="Invalid file"), e.BadRequestError, "Invalid file"
    ),
    ErrorCase(
        "upload-unauthorized",
        403,
        fail(error="unauthorized"),
        e.PermissionDeniedError,
        "unauthorized",
    ),
    # authentication and permissions (§1.4, §4.1, §8)
    ErrorCase(
        "401-6.14",
        401,
        {"status": "error", "message": NOT_LOGGED_IN},
        e.AuthenticationError,
        NOT_LOGGED_IN,
    ),
    ErrorCase(
        "401-7.x",
        401,
        {"success": False, "error": NOT_LOGGED_IN, "status": "error", "message": NOT_LOGGED_IN},
        e.AuthenticationError,
        NOT_LOGGED_IN,
    ),
    ErrorCase(
        "401-8.0-flag",
        401,
        fail(error="You must be logged in to do this [error-unauthorized]"),
        e.AuthenticationError,
        "error-unauthorized",
    ),
    ErrorCase(
        "login-incorrect-password",
        401,
        {"status": "error", "error": 403, "message": "Incorrect password"},
        e.AuthenticationError,
        "Incorrect password",
    ),
    ErrorCase(
        "login-unknown-user",
        401,
        {"status": "error", "error": "Unauthorized", "message": "Unauthorized"},
        e.AuthenticationError,
        "Unauthorized",
    ),
    ErrorCase(
        "403-permission",
        403,
        fail(error=NO_PERMISSION),
        e.PermissionDeniedError,
        "error-unauthorized",
    ),
    ErrorCase(
        "403-8.0-flag",
        403,
        fail(error="User does not have the permissions required for this action [error-forbidden]"),
        e.PermissionDeniedError,
        "error-forbidden",
    ),
    ErrorCase(
        "403-forbidden-8.0", 403, fail(error="forbidden"), e.PermissionDeniedError, "forbidden"
    ),
    # rate limiting (§1.6) — retry_after from the text when no header is sent
    ErrorCase("429", 429, fail(error=TOO_MANY), e.RateLimitError, "error-too-many-requests"),
    # proxies, crashes, garbage
    ErrorCase("html-502-proxy", 502, HTML_502, e.ServerError, None, "text/html"),
    ErrorCase("empty-503", 503, "", e.ServerError, None, "text/plain"),
    ErrorCase(
        "500-json", 500, fail(error="Internal server error"), e.ServerError, "Internal server error"
    ),
    ErrorCase(
        "truncated-json", 400, '{"success":false,"error":"invalid-tok', e.BadRequestError, None
    ),
    ErrorCase("json-not-an-object", 400, ["invalid-token"], e.BadRequestError, None),
    ErrorCase(
        "error-with-200", 200, fail(error="invalid-room"), e.InvalidRoomError, "invalid-room"
    ),
]


def respond(case: ErrorCase) -> Recorder:
    headers = {"content-type": case.content_type}
    return Recorder(lambda request: httpx2.Response(case.status, content=case.raw, headers=headers))


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_error_body_becomes_the_right_exception(driver: Driver, case: ErrorCase) -> None:
    recorder = respond(case)
    with pytest.raises(e.APIError) as caught:
        driver.call(
            recorder,
            "messages.get_message",
            "msg-1",
            "Visitor-Token-Secret",
            "room-1",
            client_kwargs={"max_retries": 0},
        )
    exc = caught.value
    assert type(exc) is case.cls
    assert exc.code == case.status
    assert exc.error == case.error
    assert exc.error_type == "API"
    assert exc.details == case.details
    # the message names the route template, never the token or the actual path
    assert str(exc).startswith(
        f"GET livechat/message/{{message_id}} failed with HTTP {case.status}"
    )
    assert "Visitor-Token-Secret" not in str(exc) + repr(exc)
    assert len(recorder.requests) == 1


def test_status_error_carries_the_response_without_secrets(driver: Driver) -> None:
    secret = "Visitor-Token-Secret"
    recorder = Recorder(lambda request: httpx2.Response(400, json=fail(error="invalid-token")))
    with pytest.raises(e.APIStatusError) as caught:
        driver.call(recorder, "visitor.get_visitor", secret, client_kwargs={"max_retries": 0})
    exc = caught.value
    assert exc.status_code == exc.code == 400
    assert exc.response is not None
    assert exc.response.status_code == 400
    assert exc.response.json() == {"success": False, "error": "invalid-token"}
    sent = exc.response.request
    assert sent.method == "GET"
    assert sent.url.path == "/api/v1/livechat/visitor/***"
    # the real request did carry the secrets
    assert recorder.last.url.path.endswith(secret)
    shown = [
        str(exc),
        repr(exc),
        repr(exc.response),
        repr(sent),
        str(sent.url),
        str(exc.response.url),
    ]
    shown += [f"{k}: {v}" for k, v in sent.headers.multi_items()]
    assert not [text for text in shown if secret in text]


def test_status_error_response_hides_the_auth_token(driver: Driver) -> None:
    recorder = Recorder(lambda request: httpx2.Response(403, json=fail(error="error-unauthorized")))
    with pytest.raises(e.PermissionDeniedError) as caught:
        driver.call(recorder, "users.get_user", "agent", "u1", client_kwargs={"max_retries": 0})
    assert recorder.last.headers["x-auth-token"] == AUTH_TOKEN
    assert caught.value.response is not None
    sent = caught.value.response.request
    assert sent.headers["x-auth-token"] == "***"
    assert sent.headers["x-user-id"] == USER_ID  # an id, not a secret


def test_errors_raised_before_a_response_have_none() -> None:
    assert e.APIStatusError("x", code=500).response is None
    assert e.RateLimitError("x", code=429, retry_after=1.0).status_code == 429


def test_rate_limit_error_carries_the_wait_from_the_text(driver: Driver) -> None:
    recorder = Recorder(lambda r: httpx2.Response(429, json=fail(error=TOO_MANY)))
    with pytest.raises(e.RateLimitError) as caught:
        driver.call(recorder, "room.close_room", "room-1", "tok", client_kwargs={"max_retries": 0})
    assert caught.value.retry_after == 7.0


def test_long_html_error_page_is_truncated_in_details(driver: Driver) -> None:
    page = "<html>" + "x" * 5000 + "</html>"
    recorder = Recorder(lambda r: httpx2.Response(502, text=page))
    with pytest.raises(e.ServerError) as caught:
        driver.call(recorder, "room.close_room", "room-1", "tok", client_kwargs={"max_retries": 0})
    assert caught.value.details == page[:500]


def test_success_with_a_non_json_body_is_an_unexpected_response(driver: Driver) -> None:
    recorder = Recorder(
        lambda r: httpx2.Response(200, text="<html>login page</html>", headers={"x": "y"})
    )
    with pytest.raises(e.UnexpectedResponseError) as caught:
        driver.call(recorder, "visitor.get_visitor", "tok")
    assert caught.value.code == 200
    assert caught.value.details == "<html>login page</html>"


def test_success_body_of_the_wrong_shape_is_an_unexpected_response(driver: Driver) -> None:
    recorder = Recorder(lambda r: httpx2.Response(200, json={"success": True, "vistor": {}}))
    with pytest.raises(e.UnexpectedResponseError) as caught:
        driver.call(recorder, "visitor.get_visitor", "tok")
    assert caught.value.details == {"success": True, "vistor": {}}


# --- one logical error, every spelling, one class --------------------------------------------

SPELLINGS = {
    e.InvalidTokenError: [
        fail(error="invalid-token"),
        fail(error="[invalid-token]", errorType="invalid-token"),
        fail(error="Token cannot be empty [error-invalid-token]", errorType="error-invalid-token"),
        fail(error="invalid-token", message="[invalid-token]", errorType="Meteor.Error"),
        fail(error="error-invalid-visitor"),
    ],
    e.RoomClosedError: [
        fail(error="room-closed"),
        fail(error="[room-closed]", errorType="room-closed"),
        fail(error="error-room-already-closed"),
        fail(error="This_conversation_is_already_closed"),
    ],
    e.InvalidRoomError: [
        fail(error="invalid-room"),
        fail(error="Invalid room [error-invalid-room]", errorType="error-invalid-room"),
        fail(error="error-invalid-room"),
        fail(error="invalid-room", message="[invalid-room]", isClientSafe=True),
    ],
    e.NoAgentOnlineError: [
        fail(error="Sorry, no online agents [no-agent-online]", errorType="no-agent-online"),
        fail(error="Sorry, no online agents [no-agent-online]"),
        fail(error="no-agent-online"),
    ],
    e.FileTypeNotAllowedError: [
        {"reason": "error-type-not-allowed", "success": False},
        fail(error="[error-type-not-allowed]", errorType="error-type-not-allowed"),
    ],
    e.InvalidParamsError: [
        fail(error="must be string [invalid-params]", errorType="invalid-params"),
        fail(error="Match error: Expected string, got number in field visitor.token"),
    ],
}


@pytest.mark.parametrize(
    ("cls", "body"),
    [(cls, body) for cls, bodies in SPELLINGS.items() for body in bodies],
    ids=lambda value: value.__name__ if isinstance(value, type) else None,
)
def test_every_spelling_of_one_error_maps_to_one_class(cls: type[e.APIError], body: Any) -> None:
    error = build_error(400, body, route="livechat/message", method="POST")
    assert type(error) is cls
    assert error.details == body


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"errorType": "x", "error": "y [z]"}, "x"),
        ({"error": "Reason [code-a]  "}, "code-a"),
        ({"error": "a [b] c"}, "a [b] c"),  # only a trailing [...] is a code
        ({"error": "", "message": "m"}, "m"),
        ({"reason": "r"}, "r"),
        ({"error": 403, "message": "Incorrect password"}, "Incorrect password"),
        ({"success": False}, None),
        ("text", None),
        (None, None),
    ],
)
def test_error_code_normalisation(body: Any, code: str | None) -> None:
    assert error_code(body) == code


@pytest.mark.parametrize(
    ("status", "code", "cls"),
    [
        (429, "invalid-token", e.RateLimitError),  # the status wins for 429
        (400, "too-many-requests", e.RateLimitError),
        (400, "unknown-code", e.BadRequestError),
        (401, None, e.AuthenticationError),
        (403, "unknown", e.PermissionDeniedError),
        (404, None, e.NotFoundError),
        (418, None, e.APIStatusError),
        (500, None, e.ServerError),
        (504, "unknown", e.ServerError),
        (403, "room-closed", e.RoomClosedError),
    ],
)
def test_exception_class_by_code_then_status(
    status: int, code: str | None, cls: type[e.APIError]
) -> None:
    assert exception_class(status, code) is cls


def test_error_hierarchy() -> None:
    assert issubclass(e.InvalidTokenError, e.BadRequestError)
    assert issubclass(e.BadRequestError, e.APIStatusError)
    assert issubclass(e.APITimeoutError, e.APIConnectionError)
    assert issubclass(e.InvalidArgumentError, ValueError)
    for name in e.__all__:
        assert issubclass(getattr(e, name), e.APIError)
