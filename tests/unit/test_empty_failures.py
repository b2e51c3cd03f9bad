"""Rocket.Chat's bare ``API.v1.failure()`` (HTTP 400, ``{"success": false}``) carries no error
text: a call that knows what it means there (``Call.empty_failure``) says so in its error."""

from __future__ import annotations

import pytest
from _harness import Driver, always, json_response

from rocketchat_livechat import BadRequestError, ServerError

TOKEN = "Visitor-Token-1"
BARE_FAILURE = {"success": False}
ROOM_SCOPE = "(or, for a room-scope field, the visitor has no open room)"


@pytest.mark.parametrize(
    ("overwrite", "reason"),
    [
        (False, "it already has a value and overwrite=False"),
        (True, "it already has this value"),
    ],
)
def test_custom_field_not_set_says_why(driver: Driver, overwrite: bool, reason: str) -> None:
    with pytest.raises(BadRequestError) as caught:
        driver.call(
            always(BARE_FAILURE, 400),
            "visitor.set_custom_field",
            TOKEN,
            "plan",
            "gold",
            overwrite=overwrite,
        )
    assert type(caught.value) is BadRequestError
    assert str(caught.value) == (
        "POST livechat/custom.field failed with HTTP 400: "
        f"custom field 'plan' was not set: {reason} {ROOM_SCOPE}"
    )
    assert (caught.value.code, caught.value.error, caught.value.details) == (
        400,
        None,
        BARE_FAILURE,
    )


def test_a_server_error_text_wins_over_the_hint(driver: Driver) -> None:
    body = {"success": False, "error": "invalid-custom-field"}
    with pytest.raises(BadRequestError) as caught:
        driver.call(always(body, 400), "visitor.set_custom_field", TOKEN, "plan", "gold")
    assert str(caught.value).endswith("HTTP 400: invalid-custom-field")


def test_the_hint_is_only_for_a_bare_http_400(driver: Driver) -> None:
    with pytest.raises(ServerError) as caught:
        driver.call(
            lambda request: json_response(BARE_FAILURE, 500),
            "visitor.set_custom_field",
            TOKEN,
            "plan",
            "gold",
        )
    assert str(caught.value).endswith("HTTP 500: HTTP 500")


def test_other_calls_keep_the_plain_text(driver: Driver) -> None:
    with pytest.raises(BadRequestError) as caught:
        driver.call(always(BARE_FAILURE, 400), "visitor.set_visitor_status", TOKEN, "away")
    assert str(caught.value) == "POST livechat/visitor.status failed with HTTP 400: HTTP 400"
