"""parse_webhook: the token check (constant time, case-insensitive header) and malformed bodies."""

from __future__ import annotations

import hmac
import json
from typing import Any

import _webhook_payloads as p
import pytest

from rocketchat_livechat import APIError
from rocketchat_livechat.webhooks import (
    InvalidWebhookError,
    MessageEvent,
    WebhookAuthenticationError,
    WebhookPayloadTooLargeError,
    parse_webhook,
)
from rocketchat_livechat.webhooks import parsing as parsing_module

SECRET = "s3cr3t-livechat-token-Zq"
BODY = json.dumps(p.message_event()).encode()


@pytest.mark.parametrize(
    "name",
    ["X-RocketChat-Livechat-Token", "x-rocketchat-livechat-token", "X-ROCKETCHAT-LIVECHAT-TOKEN"],
)
def test_header_names_are_case_insensitive(name: str) -> None:
    assert isinstance(parse_webhook(BODY, {name: SECRET}, secret=SECRET), MessageEvent)


def test_header_pairs_and_bytes_are_accepted() -> None:
    pairs = [
        (b"content-type", b"application/json"),
        (b"x-rocketchat-livechat-token", SECRET.encode()),
    ]
    assert isinstance(parse_webhook(BODY, pairs, secret=SECRET), MessageEvent)  # type: ignore[arg-type]


def test_missing_token_is_401() -> None:
    with pytest.raises(WebhookAuthenticationError) as info:
        parse_webhook(BODY, {"Content-Type": "application/json"}, secret=SECRET)
    err = info.value
    assert (err.code, err.error, err.error_type) == (401, "webhook-token-missing", "SDK")
    assert "missing" in err.message and SECRET not in err.message
    assert isinstance(err, APIError)


def test_wrong_token_is_403_and_never_echoed() -> None:
    wrong = "attacker-supplied-value"
    with pytest.raises(WebhookAuthenticationError) as info:
        parse_webhook(BODY, {"X-RocketChat-Livechat-Token": wrong}, secret=SECRET)
    err = info.value
    assert (err.code, err.error) == (403, "webhook-token-invalid")
    for text in (str(err), repr(err), err.message):
        assert SECRET not in text and wrong not in text


def test_empty_token_header_against_a_secret_is_refused() -> None:
    # livechat/webhook.test sends the header even when Rocket.Chat's secret is empty
    with pytest.raises(WebhookAuthenticationError):
        parse_webhook(BODY, {"X-RocketChat-Livechat-Token": ""}, secret=SECRET)


def test_no_secret_accepts_any_or_no_token() -> None:
    assert isinstance(parse_webhook(BODY, {}, secret=None), MessageEvent)
    assert isinstance(
        parse_webhook(BODY, {"X-RocketChat-Livechat-Token": "x"}, secret=None), MessageEvent
    )


def test_the_comparison_is_constant_time(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[Any, Any]] = []
    real = hmac.compare_digest

    def spy(a: Any, b: Any) -> bool:
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(parsing_module.hmac, "compare_digest", spy)
    parse_webhook(BODY, {"X-RocketChat-Livechat-Token": SECRET}, secret=SECRET)
    with pytest.raises(WebhookAuthenticationError):
        parse_webhook(BODY, {"X-RocketChat-Livechat-Token": "nope"}, secret=SECRET)
    assert calls == [(SECRET.encode(), SECRET.encode()), (b"nope", SECRET.encode())]


def test_non_ascii_token_does_not_crash() -> None:
    with pytest.raises(WebhookAuthenticationError):
        parse_webhook(BODY, {"X-RocketChat-Livechat-Token": "tökén"}, secret=SECRET)


def test_token_is_checked_before_the_body() -> None:
    with pytest.raises(WebhookAuthenticationError):
        parse_webhook(b"not json", {}, secret=SECRET)


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"", "not JSON"),
        (b"<html>", "not JSON"),
        (b"\xff\xfe", "not JSON"),
        (b"[1, 2]", "JSON list, not an object"),
        (b'"Message"', "JSON str, not an object"),
        (b"null", "JSON NoneType, not an object"),
        (b'{"_id": "r1"}', "no string 'type'"),
        (b'{"type": 3}', "no string 'type'"),
        (b'{"type": ""}', "no string 'type'"),
    ],
)
def test_malformed_bodies(body: bytes, reason: str) -> None:
    with pytest.raises(InvalidWebhookError) as info:
        parse_webhook(body, {}, secret=None)
    err = info.value
    assert (err.code, err.error, err.error_type) == (400, "invalid-webhook", "SDK")
    assert reason in err.message and isinstance(err, ValueError)


def test_a_known_type_with_wrongly_shaped_fields() -> None:
    body = p.message_event()
    body["messages"] = "hello"
    with pytest.raises(InvalidWebhookError) as info:
        parse_webhook(json.dumps(body), {}, secret=None)
    assert "'Message' event with unexpected fields (messages:" in info.value.message
    assert p.VISITOR_TOKEN not in info.value.message  # inputs are never echoed


def test_oversized_body() -> None:
    with pytest.raises(WebhookPayloadTooLargeError) as info:
        parse_webhook(BODY, {}, secret=None, max_body_size=len(BODY) - 1)
    err = info.value
    assert (err.code, err.error) == (413, "webhook-too-large")
    assert isinstance(err, InvalidWebhookError)
    assert isinstance(parse_webhook(BODY, {}, secret=None, max_body_size=len(BODY)), MessageEvent)
    assert isinstance(parse_webhook(BODY, {}, secret=None, max_body_size=None), MessageEvent)
