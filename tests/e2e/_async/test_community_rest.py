"""The rest of the community Omnichannel API end to end (issue #15): custom field definitions,
the analytics chart data and the legacy visitor-based ``omnichannel/contact``."""

from __future__ import annotations

import secrets
from datetime import timedelta

import pytest

from rocketchat_livechat import (
    AsyncLivechatClient,
    AuthenticationError,
    ContactManagerNotFoundError,
    CustomFieldExistsError,
    CustomFieldNotFoundError,
    InvalidArgumentError,
    InvalidCustomFieldError,
    PermissionDeniedError,
    new_visitor_token,
)
from rocketchat_livechat.testing.plugin import LivechatTestServer

from ._support import open_chat, register

pytestmark = pytest.mark.e2e


async def test_custom_field_definitions(
    async_manager_client: AsyncLivechatClient, async_livechat_client: AsyncLivechatClient
) -> None:
    fields = async_manager_client.custom_fields
    field = f"plan_{secrets.token_hex(3)}"
    created = await fields.save_custom_field(
        field, "Plan", field_type="select", choices="free,pro", public=True, required=False
    )
    assert (created.id, created.label, created.options) == (field, "Plan", "free,pro")
    try:
        with pytest.raises(CustomFieldExistsError):
            await fields.save_custom_field(field, "Again")
        got = await fields.get_custom_field(field)
        assert got is not None and (got.scope, got.visibility, got.public) == (
            "visitor",
            "visible",
            True,
        )
        page = await fields.list_custom_fields(text=field.upper())
        assert [f.id for f in page.items] == [field] and page.total == 1
        # a public visitor field is what the widget offers
        config = await async_livechat_client.config.get_config()
        assert field in [f.id for f in config.custom_fields]

        updated = await fields.save_custom_field(
            field, "Tier", scope="room", visibility="hidden", update=True
        )
        assert (updated.id, updated.label) == (None, "Tier")  # no id when updating
        got = await fields.get_custom_field(field)
        assert got is not None and (got.label, got.scope, got.visibility) == (
            "Tier",
            "room",
            "hidden",
        )
    finally:
        await fields.delete_custom_field(field)
    assert await fields.get_custom_field(field) is None
    with pytest.raises(CustomFieldNotFoundError):
        await fields.delete_custom_field(field)
    with pytest.raises(CustomFieldNotFoundError):
        await fields.save_custom_field(field, "Ghost", update=True)


async def test_custom_field_arguments_and_permissions(
    async_manager_client: AsyncLivechatClient, livechat_server: LivechatTestServer
) -> None:
    fields = async_manager_client.custom_fields
    with pytest.raises(InvalidArgumentError) as bad:
        await fields.save_custom_field("has space", "X")
    assert bad.value.argument == "field"
    with pytest.raises(InvalidArgumentError) as bad:
        await fields.save_custom_field("ok", "X", scope="everywhere")
    assert bad.value.argument == "scope"
    with pytest.raises(InvalidArgumentError) as bad:
        await fields.save_custom_field("ok", "X", regexp="(")
    assert bad.value.argument == "regexp"
    agent = livechat_server.create_agent()
    async with AsyncLivechatClient(
        livechat_server.url, user_id=agent.user_id, auth_token=agent.auth_token
    ) as as_agent:
        await as_agent.custom_fields.list_custom_fields()  # view-l-room: agents may read
        with pytest.raises(PermissionDeniedError):
            await as_agent.custom_fields.save_custom_field("agent_field", "X")
        with pytest.raises(PermissionDeniedError):
            await as_agent.custom_fields.delete_custom_field("agent_field")


async def test_chart_data(
    async_manager_client: AsyncLivechatClient,
    async_livechat_client: AsyncLivechatClient,
    livechat_server: LivechatTestServer,
) -> None:
    agent = livechat_server.create_agent()
    dept = livechat_server.create_department(f"Chart {secrets.token_hex(3)}", [agent])
    token = await register(async_livechat_client)
    await async_livechat_client.visitor.register_visitor(token, department=dept["_id"])
    room = (await async_livechat_client.room.get_room(token)).room
    await async_livechat_client.messages.send_message(token, room.id, "hello")
    livechat_server.agent_send(agent, room.id, "hi")
    livechat_server.agent_send(agent, room.id, "how can I help?")
    assert room.ts is not None
    analytics, d = async_manager_client.analytics, {"department_id": dept["_id"]}

    hourly = await analytics.get_chart_data("Total_conversations", room.ts, room.ts, **d)
    assert hourly.chart_label == "Total_conversations" and len(hourly.data_points) == 24
    hour = room.ts.hour % 12 or 12
    label = f"{hour}{'AM' if room.ts.hour < 12 else 'PM'}"
    assert hourly.data_labels[room.ts.hour] == f"{label}-{label}"
    assert hourly.data_points[room.ts.hour] == 1 and sum(hourly.data_points) == 1

    yesterday = room.ts - timedelta(days=1)
    daily = await analytics.get_chart_data("Total_messages", yesterday, room.ts, **d)
    assert daily.data_labels == [f"{t.month}/{t.day}" for t in (yesterday, room.ts)]
    assert daily.data_points == [0, 2]  # the agent's messages only
    durations = await analytics.get_chart_data("Avg_chat_duration", yesterday, room.ts, **d)
    assert durations.data_points == [0, 0]  # the room is still open
    before = room.ts - timedelta(days=2)
    backwards = await analytics.get_chart_data("Total_conversations", room.ts, before, **d)
    assert (backwards.data_labels, backwards.data_points) == ([], [])
    # moment's truncated day difference: start the day after end is "the same day"
    quirk = await analytics.get_chart_data("Total_conversations", room.ts, yesterday, **d)
    assert quirk.data_points == hourly.data_points
    unreadable = await analytics.get_chart_data("Total_conversations", "soon", "later")
    assert (unreadable.chart_label, unreadable.data_points) == ("Total_conversations", [])
    with pytest.raises(InvalidArgumentError) as bad:
        await analytics.get_chart_data("Everything", room.ts, room.ts)  # type: ignore[arg-type]
    assert bad.value.argument == "name"


async def test_legacy_contact_registers_and_updates_the_visitor(
    async_manager_client: AsyncLivechatClient,
    async_livechat_client: AsyncLivechatClient,
    livechat_server: LivechatTestServer,
) -> None:
    contacts = async_manager_client.contacts
    chat = await open_chat(async_livechat_client, livechat_server)
    before = await async_livechat_client.visitor.get_visitor(chat.token)
    email = f"{secrets.token_hex(4)}@example.com"
    visitor_id = await contacts.register_legacy_contact(
        chat.token,
        "Alice Renamed",
        email=email.upper(),
        phone="+15550100",
        contact_manager=chat.agent.username,
    )
    assert visitor_id == before.id
    after = await async_livechat_client.visitor.get_visitor(chat.token)
    assert (after.name, after.email, after.phone[0].phone_number) == (
        "Alice Renamed",
        email,
        "+15550100",
    )
    assert (after.model_extra or {})["contactManager"] == {"username": chat.agent.username}
    room = (await async_livechat_client.room.get_room(chat.token, rid=chat.rid)).room
    assert room.fname == "Alice Renamed"

    # without email/contact manager they are removed; phone="" removes the phone
    await contacts.register_legacy_contact(chat.token, "Alice", phone="")
    bare = await async_livechat_client.visitor.get_visitor(chat.token)
    assert (bare.visitor_emails, bare.phone) == ([], [])
    assert "contactManager" not in (bare.model_extra or {})

    # a new token with a known e-mail moves that visitor to the new token
    await contacts.register_legacy_contact(chat.token, "Alice", email=email)
    moved = new_visitor_token("e2e-")
    assert await contacts.register_legacy_contact(moved, "Alice", email=email) == before.id
    assert (await async_livechat_client.visitor.get_visitor(moved)).id == before.id
    # an unknown token and e-mail create a visitor
    fresh = new_visitor_token("e2e-")
    username = f"legacy-{secrets.token_hex(3)}"
    created = await contacts.register_legacy_contact(fresh, "Bob", username=username)
    got = await async_livechat_client.visitor.get_visitor(fresh)
    assert (got.id, got.username, got.name) == (created, username, "Bob")


async def test_legacy_contact_refusals(
    async_manager_client: AsyncLivechatClient, livechat_server: LivechatTestServer
) -> None:
    contacts, token = async_manager_client.contacts, new_visitor_token("e2e-")
    with pytest.raises(ContactManagerNotFoundError) as refused:
        await contacts.register_legacy_contact(token, "X", contact_manager="no-such-user")
    assert refused.value.error == "error-contact-manager-not-found"
    with pytest.raises(ContactManagerNotFoundError) as refused:
        manager = livechat_server.admin_username
        await contacts.register_legacy_contact(token, "X", contact_manager=manager)
    assert refused.value.error == "error-invalid-contact-manager"  # not a livechat agent
    field = f"digits_{secrets.token_hex(3)}"
    await async_manager_client.custom_fields.save_custom_field(field, "Digits", regexp=r"^\d+$")
    try:
        with pytest.raises(InvalidCustomFieldError):
            await contacts.register_legacy_contact(token, "X", custom_fields={field: "abc"})
    finally:
        await async_manager_client.custom_fields.delete_custom_field(field)
    with pytest.raises(InvalidArgumentError) as bad:
        await contacts.register_legacy_contact("", "X")
    assert bad.value.argument == "token"
    async with AsyncLivechatClient(livechat_server.url) as anonymous:
        with pytest.raises(AuthenticationError):
            await anonymous.contacts.register_legacy_contact(token, "X")
