"""CRM-integration (webhook) settings end to end: save, read, test, and a real event.

A real receiver on 127.0.0.1 records what the embedded server posts.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from _support.webhook_receiver import WebhookReceiver
from rocketchat_livechat import (
    AsyncLivechatClient,
    InvalidArgumentError,
    PermissionDeniedError,
    WebhookTestError,
    new_visitor_token,
)
from rocketchat_livechat.models import IntegrationSetting
from rocketchat_livechat.testing.plugin import LivechatTestServer

pytestmark = pytest.mark.e2e

#: the settings this module writes, and their defaults (each test starts from these)
SAVED = {
    "Livechat_webhookUrl": "",
    "Livechat_secret_token": "",
    "Livechat_http_timeout": 5000,
    "Livechat_webhook_on_visitor_message": False,
    "Livechat_webhook_on_close": False,
}


@pytest.fixture
def receiver(livechat_server: LivechatTestServer) -> Iterator[WebhookReceiver]:
    """A receiver; the settings this module writes start at their defaults, restored after."""
    for name, value in SAVED.items():
        livechat_server.set_setting(name, value)
    with WebhookReceiver() as hook:
        yield hook


async def test_save_read_and_test_webhook(
    livechat_server: LivechatTestServer,
    async_manager_client: AsyncLivechatClient,
    receiver: WebhookReceiver,
) -> None:
    client = async_manager_client
    await client.config.save_integration_settings(
        webhook_url=receiver.url, secret_token="tok", http_timeout=3000, on_visitor_message=True
    )
    settings = await client.config.get_integration_settings()
    assert all(isinstance(s, IntegrationSetting) for s in settings)
    by_id = {s.id: s.value for s in settings}
    assert by_id["Livechat_webhookUrl"] == receiver.url
    assert by_id["Livechat_secret_token"] == "tok"
    assert by_id["Livechat_http_timeout"] == 3000
    assert by_id["Livechat_webhook_on_visitor_message"] is True
    assert by_id["Livechat_webhook_on_close"] is False

    await client.config.test_webhook()
    [sample] = receiver.wait_for(lambda r: r.body.get("_id") == "fasd6f5a4sd6f8a4sdf")
    assert sample.header("X-RocketChat-Livechat-Token") == "tok"
    assert sample.body["visitor"]["email"] == "email@address.com"

    receiver.script(500)
    with pytest.raises(WebhookTestError) as failed:
        await client.config.test_webhook()
    assert failed.value.error == "error-invalid-webhook-response"


async def test_visitor_message_reaches_the_receiver(
    livechat_server: LivechatTestServer,
    async_manager_client: AsyncLivechatClient,
    async_livechat_client: AsyncLivechatClient,
    receiver: WebhookReceiver,
) -> None:
    livechat_server.create_agent()
    await async_manager_client.config.save_integration_settings(
        webhook_url=receiver.url, secret_token="tok", on_visitor_message=True
    )
    token = new_visitor_token()
    await async_livechat_client.visitor.register_visitor(token=token, name="Hook")
    room = (await async_livechat_client.room.get_room(token)).room
    sent = await async_livechat_client.messages.send_message(token, room.id, "hello hook")
    [request] = receiver.wait_for(lambda r: r.body.get("type") == "Message")
    assert request.header("X-RocketChat-Livechat-Token") == "tok"
    body = request.body
    assert body["_id"] == room.id and body["visitor"]["token"] == token
    [item] = body["messages"]
    assert item["_id"] == sent.id and item["msg"] == "hello hook" and "agentId" not in item


async def test_integration_errors(
    livechat_server: LivechatTestServer,
    async_manager_client: AsyncLivechatClient,
    receiver: WebhookReceiver,
) -> None:
    await async_manager_client.config.save_integration_settings(webhook_url="")
    with pytest.raises(WebhookTestError) as unset:
        await async_manager_client.config.test_webhook()
    assert unset.value.error == "Webhook_URL_not_set"
    with pytest.raises(InvalidArgumentError) as bad:
        await async_manager_client.config.save_integration_settings(on_close="yes")  # type: ignore[arg-type]
    assert bad.value.argument == "on_close"
    agent = livechat_server.create_agent()
    async with AsyncLivechatClient(
        livechat_server.url, user_id=agent.user_id, auth_token=agent.auth_token
    ) as as_agent:
        with pytest.raises(PermissionDeniedError):
            await as_agent.config.get_integration_settings()
        with pytest.raises(PermissionDeniedError):
            await as_agent.config.test_webhook()
