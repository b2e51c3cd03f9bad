"""Manager side end to end: reading and saving the widget appearance (``livechat/appearance``)."""

from __future__ import annotations

import pytest

from rocketchat_livechat import (
    AsyncLivechatClient,
    AuthenticationError,
    BadRequestError,
    InvalidArgumentError,
    PermissionDeniedError,
)
from rocketchat_livechat.models import AppearanceSetting
from rocketchat_livechat.testing.plugin import LivechatTestServer

pytestmark = pytest.mark.e2e

CHANGED = (
    "Livechat_title",
    "Livechat_registration_form",
    "Livechat_message_character_limit",
    "Livechat_hide_system_messages",
)


async def restore_after_test(server: LivechatTestServer, client: AsyncLivechatClient) -> None:
    """Make the plugin put the settings this module changes back after the test."""
    current = {s.id: s.value for s in await client.config.get_appearance()}
    for name in CHANGED:
        server.set_setting(name, current[name])


async def test_get_and_set_appearance(
    livechat_server: LivechatTestServer, async_manager_client: AsyncLivechatClient
) -> None:
    client = async_manager_client
    await restore_after_test(livechat_server, client)
    settings = await client.config.get_appearance()
    assert all(isinstance(s, AppearanceSetting) for s in settings)
    by_id = {s.id: s for s in settings}
    assert set(CHANGED) <= by_id.keys()
    assert by_id["Livechat_message_character_limit"].type == "int"
    await client.config.set_appearance(
        {
            "Livechat_title": "Help desk",
            "Livechat_registration_form": "false",
            "Livechat_message_character_limit": "250",
        }
    )
    await client.config.set_appearance([{"_id": "Livechat_hide_system_messages", "value": ["uj"]}])
    saved = {s.id: s.value for s in await client.config.get_appearance()}
    assert saved["Livechat_title"] == "Help desk"
    assert saved["Livechat_registration_form"] is False
    assert saved["Livechat_message_character_limit"] == 250
    config = await client.config.get_config()
    assert config.theme.title == "Help desk"
    assert config.settings.registration_form is False
    assert config.settings.hidden_system_messages == ["uj"]


async def test_appearance_errors(
    livechat_server: LivechatTestServer, async_manager_client: AsyncLivechatClient
) -> None:
    with pytest.raises(BadRequestError) as unknown:
        await async_manager_client.config.set_appearance({"Livechat_enabled": False})
    assert unknown.value.code == 400
    assert unknown.value.error == "invalid-setting"
    with pytest.raises(InvalidArgumentError) as empty:
        await async_manager_client.config.set_appearance({})
    assert empty.value.argument == "settings"
    agent = livechat_server.create_agent()
    async with AsyncLivechatClient(
        livechat_server.url, user_id=agent.user_id, auth_token=agent.auth_token
    ) as as_agent:
        with pytest.raises(PermissionDeniedError) as denied:
            await as_agent.config.get_appearance()
    assert denied.value.code == 403
    async with AsyncLivechatClient(livechat_server.url) as anonymous:
        with pytest.raises(AuthenticationError):
            await anonymous.config.get_appearance()
