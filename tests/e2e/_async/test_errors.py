"""Typed errors the embedded server produces, as the SDK surfaces them (the rest of the typed
errors are exercised next to their endpoints in the other modules)."""

from __future__ import annotations

import pytest

from rocketchat_livechat import (
    APIError,
    AsyncLivechatClient,
    BadRequestError,
    InvalidArgumentError,
    InvalidDepartmentError,
    MessageTooLongError,
    OmnichannelDisabledError,
    new_visitor_token,
)
from rocketchat_livechat.testing.plugin import LivechatTestServer

from ._support import open_chat, register

pytestmark = pytest.mark.e2e


async def test_livechat_disabled(
    async_livechat_client: AsyncLivechatClient, livechat_server: LivechatTestServer
) -> None:
    livechat_server.create_agent()
    token = await register(async_livechat_client)
    livechat_server.set_setting("Livechat_enabled", False)
    config = await async_livechat_client.config.get_config()
    assert config.enabled is False
    with pytest.raises(OmnichannelDisabledError) as caught:
        await async_livechat_client.room.get_room(token)
    assert caught.value.error == "error-omnichannel-is-disabled"


async def test_message_character_limit(
    async_livechat_client: AsyncLivechatClient, livechat_server: LivechatTestServer
) -> None:
    chat = await open_chat(async_livechat_client, livechat_server)
    livechat_server.set_setting("Livechat_enable_message_character_limit", True)
    livechat_server.set_setting("Livechat_message_character_limit", 10)
    await async_livechat_client.messages.send_message(chat.token, chat.rid, "short")
    with pytest.raises(MessageTooLongError) as caught:
        await async_livechat_client.messages.send_message(chat.token, chat.rid, "x" * 11)
    assert caught.value.error == "message-length-exceeds-character-limit"


async def test_register_with_an_unknown_department(
    async_livechat_client: AsyncLivechatClient,
) -> None:
    with pytest.raises(InvalidDepartmentError) as caught:
        await async_livechat_client.visitor.register_visitor(
            new_visitor_token(), department="no-such-department"
        )
    assert caught.value.error == "error-invalid-department"
    assert caught.value.details["errorType"] == "error-invalid-department"


async def test_business_errors_without_a_dedicated_class(
    async_livechat_client: AsyncLivechatClient,
    async_manager_client: AsyncLivechatClient,
    livechat_server: LivechatTestServer,
) -> None:
    chat = await open_chat(async_livechat_client, livechat_server)
    with pytest.raises(BadRequestError) as survey:
        await async_livechat_client.room.submit_survey(chat.rid, chat.token, {"bogus": "1"})
    assert survey.value.error == "invalid-data"
    with pytest.raises(BadRequestError) as comment:
        await async_manager_client.room.close_room_by_user(chat.rid)
    assert comment.value.error == "error-comment-is-required"


async def test_sdk_checks_run_before_the_server_is_asked(
    async_livechat_client: AsyncLivechatClient,
) -> None:
    with pytest.raises(InvalidArgumentError) as caught:
        await async_livechat_client.visitor.get_visitor("a/../b?x=1#")
    assert caught.value.argument == "token"
    assert caught.value.error_type == "SDK"


async def test_every_server_error_is_an_api_error_with_its_body(
    async_livechat_client: AsyncLivechatClient,
) -> None:
    with pytest.raises(APIError) as caught:
        await async_livechat_client.room.close_room("NoSuchRoom", new_visitor_token())
    error = caught.value
    assert (error.code, error.error_type) == (400, "API")
    assert error.details == {"success": False, "error": "invalid-token"}
    assert "POST livechat/room.close failed with HTTP 400" in str(error)
