"""Visitor side end to end: config, registration, lookup, status, custom fields, page visits,
agents, offline messages, removal."""

from __future__ import annotations

import pytest

from rocketchat_livechat import (
    AgentNotFoundError,
    AsyncLivechatClient,
    BadRequestError,
    InvalidTokenError,
    VisitorHasOpenRoomsError,
    new_visitor_token,
)
from rocketchat_livechat.testing.plugin import LivechatTestServer

from ._support import open_chat, register

pytestmark = pytest.mark.e2e


async def test_config_is_offline_without_agents_and_online_with_one(
    async_livechat_client: AsyncLivechatClient, livechat_server: LivechatTestServer
) -> None:
    offline = await async_livechat_client.config.get_config()
    assert offline.enabled is True
    assert offline.online is False
    livechat_server.create_agent()
    online = await async_livechat_client.config.get_config()
    assert online.online is True
    assert online.settings.file_upload is True


async def test_config_with_a_token_knows_the_visitor_room_and_agent(
    async_livechat_client: AsyncLivechatClient, livechat_server: LivechatTestServer
) -> None:
    chat = await open_chat(async_livechat_client, livechat_server)
    config = await async_livechat_client.config.get_config(token=chat.token)
    assert config.guest is not None and config.guest.token == chat.token
    assert config.room is not None and config.room.id == chat.rid
    assert config.agent is not None and config.agent.username == chat.agent.username


async def test_register_get_and_update_a_visitor(
    async_livechat_client: AsyncLivechatClient,
) -> None:
    token = new_visitor_token()
    # Rocket.Chat matches visitors by phone and e-mail too: keep both unique to this test
    unique = str(int.from_bytes(token.encode()[:6], "big"))
    email, phone = f"ZOE.{unique}@Example.com", f"+55 {unique}"
    created = await async_livechat_client.visitor.register_visitor(
        token, name="Zoë", email=email, phone=phone, username="zoe-1"
    )
    assert created.token == token
    assert created.name == "Zoë"
    assert created.email == email.lower()  # lower-cased by the server
    assert created.phone[0].phone_number == phone
    assert created.username == "zoe-1"
    again = await async_livechat_client.visitor.register_visitor(token, name="Zoë B.")
    assert again.id == created.id  # same token: same visitor, updated
    by_phone = await async_livechat_client.visitor.register_visitor(
        new_visitor_token(), phone=phone
    )
    assert (by_phone.id, by_phone.token) == (created.id, token)  # matched by phone, old token kept
    fetched = await async_livechat_client.visitor.get_visitor(token)
    assert (fetched.id, fetched.name) == (created.id, "Zoë B.")


async def test_tokens_with_reserved_characters_round_trip(
    async_livechat_client: AsyncLivechatClient,
) -> None:
    token = "tok:+@=,;~ é-" + new_visitor_token()
    visitor = await async_livechat_client.visitor.register_visitor(token)
    assert (await async_livechat_client.visitor.get_visitor(token)).id == visitor.id
    config = await async_livechat_client.config.get_config(token=token)
    assert config.guest is not None and config.guest.token == token


async def test_unknown_visitor_is_an_invalid_token_error(
    async_livechat_client: AsyncLivechatClient,
) -> None:
    with pytest.raises(InvalidTokenError) as caught:
        await async_livechat_client.visitor.get_visitor(new_visitor_token())
    assert caught.value.code == 400
    assert caught.value.error == "invalid-token"


async def test_visitor_status(
    async_livechat_client: AsyncLivechatClient, livechat_server: LivechatTestServer
) -> None:
    chat = await open_chat(async_livechat_client, livechat_server)
    status = await async_livechat_client.visitor.set_visitor_status(chat.token, "away")
    assert (status.token, status.status) == (chat.token, "away")
    room = await async_livechat_client.room.get_room(chat.token, rid=chat.rid)
    assert room.room.v is not None and room.room.v.status == "away"
    with pytest.raises(InvalidTokenError):
        await async_livechat_client.visitor.set_visitor_status(new_visitor_token(), "away")


async def test_custom_fields(
    async_livechat_client: AsyncLivechatClient, livechat_server: LivechatTestServer
) -> None:
    for field in ("plan", "city"):
        livechat_server.define_custom_field(field, label=field.title())
    token = await register(async_livechat_client)
    one = await async_livechat_client.visitor.set_custom_field(token, "plan", "gold")
    assert (one.key, one.value, one.overwrite) == ("plan", "gold", True)
    many = await async_livechat_client.visitor.set_custom_fields(
        token, {"plan": "platinum", "city": "Porto Alegre"}
    )
    assert [(f.key, f.value) for f in many] == [("plan", "platinum"), ("city", "Porto Alegre")]
    visitor = await async_livechat_client.visitor.get_visitor(token)
    assert visitor.livechat_data == {"plan": "platinum", "city": "Porto Alegre"}
    registered = await async_livechat_client.visitor.register_visitor(
        token, custom_fields=[{"key": "city", "value": "Recife", "overwrite": True}]
    )
    assert registered.livechat_data["city"] == "Recife"
    with pytest.raises(BadRequestError) as caught:
        await async_livechat_client.visitor.set_custom_field(token, "no-such-field", "x")
    assert caught.value.error == "invalid-custom-field"


async def test_custom_field_with_a_value_is_kept_without_overwrite(
    async_livechat_client: AsyncLivechatClient, livechat_server: LivechatTestServer
) -> None:
    field = f"tier-{new_visitor_token()[:8]}"
    data = {"field": field, "label": "Tier", "scope": "visitor", "visibility": "visible"}
    livechat_server.http.post(
        "/api/v1/livechat/custom-fields.save",
        json={"customFieldId": None, "customFieldData": data},
        headers=livechat_server.admin_headers,
    ).raise_for_status()
    try:
        token = await register(async_livechat_client)
        await async_livechat_client.visitor.set_custom_field(token, field, "gold")
        with pytest.raises(BadRequestError) as caught:
            await async_livechat_client.visitor.set_custom_field(
                token, field, "silver", overwrite=False
            )
        assert (caught.value.code, caught.value.details) == (400, {"success": False})
        expected = f"custom field '{field}' was not set: it already has a value and overwrite=False"
        assert expected in str(caught.value)
        visitor = await async_livechat_client.visitor.get_visitor(token)
        assert visitor.livechat_data[field] == "gold"
    finally:
        livechat_server.http.post(
            "/api/v1/livechat/custom-fields.delete",
            json={"customFieldId": field},
            headers=livechat_server.admin_headers,
        ).raise_for_status()


async def test_page_visited(
    async_livechat_client: AsyncLivechatClient, livechat_server: LivechatTestServer
) -> None:
    chat = await open_chat(async_livechat_client, livechat_server)
    page = {"title": "Pricing", "location": {"href": "https://example.com/pricing"}}
    visit = await async_livechat_client.visitor.send_page_visited(chat.token, chat.rid, page)
    assert visit is not None
    assert visit.msg == "Pricing - https://example.com/pricing"
    ignored = await async_livechat_client.visitor.send_page_visited(
        chat.token, None, {**page, "change": "title"}
    )
    assert ignored is None  # not the monitored kind of change: not recorded


async def test_agent_info_and_next_agent(
    async_livechat_client: AsyncLivechatClient, livechat_server: LivechatTestServer
) -> None:
    chat = await open_chat(async_livechat_client, livechat_server)
    info = await async_livechat_client.agents.get_agent_info(chat.rid, chat.token)
    assert (info.id, info.username) == (chat.agent.user_id, chat.agent.username)
    # the visitor already has an open room: the server names no agent
    assert await async_livechat_client.agents.get_next_agent(chat.token) is None
    newcomer = await register(async_livechat_client)
    following = await async_livechat_client.agents.get_next_agent(newcomer)
    assert following is not None and following.id == chat.agent.user_id


async def test_next_agent_when_nobody_is_online(
    async_livechat_client: AsyncLivechatClient,
) -> None:
    token = await register(async_livechat_client)
    with pytest.raises(AgentNotFoundError) as caught:
        await async_livechat_client.agents.get_next_agent(token)
    assert caught.value.error == "agent-not-found"


async def test_offline_message(
    async_livechat_client: AsyncLivechatClient, livechat_server: LivechatTestServer
) -> None:
    livechat_server.set_setting("Livechat_offline_email", "support@example.com")
    sent = await async_livechat_client.messages.send_offline_message(
        "Bob", "bob@example.com", "Please call me back"
    )
    assert sent == "Livechat offline message sent"
    livechat_server.set_setting("Livechat_offline_email", "")
    with pytest.raises(BadRequestError) as caught:
        await async_livechat_client.messages.send_offline_message("Bob", "bob@example.com", "x")
    assert caught.value.error == "Error sending Omnichannel offline message"


async def test_delete_visitor(
    async_livechat_client: AsyncLivechatClient, livechat_server: LivechatTestServer
) -> None:
    chat = await open_chat(async_livechat_client, livechat_server)
    with pytest.raises(VisitorHasOpenRoomsError):
        await async_livechat_client.visitor.delete_visitor(chat.token)
    await async_livechat_client.room.close_room(chat.rid, chat.token)
    visitor = await async_livechat_client.visitor.get_visitor(chat.token)
    deleted = await async_livechat_client.visitor.delete_visitor(chat.token)
    assert deleted.id == visitor.id
    assert deleted.ts is not None
    with pytest.raises(InvalidTokenError):
        await async_livechat_client.visitor.get_visitor(chat.token)
