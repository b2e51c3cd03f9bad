"""Community Omnichannel operations end to end: triggers (and the widget's ``config.triggers``),
a visitor's messages imported in bulk, an inbound SMS, the analytics overviews."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta

import pytest

from rocketchat_livechat import (
    AsyncLivechatClient,
    InvalidArgumentError,
    InvalidTokenError,
    PermissionDeniedError,
    SmsRefusedError,
    new_visitor_token,
)
from rocketchat_livechat.server.services.sms import twilio_signature
from rocketchat_livechat.testing.plugin import LivechatTestServer

from ._support import open_chat, register

pytestmark = pytest.mark.e2e

_ACTIONS = [{"name": "send-message", "params": {"sender": "queue", "msg": "Need help?"}}]


async def test_trigger_lifecycle_and_widget_config(
    async_manager_client: AsyncLivechatClient, async_livechat_client: AsyncLivechatClient
) -> None:
    manager = async_manager_client
    name = f"pricing-{secrets.token_hex(3)}"
    conditions = [{"name": "time-on-site", "value": 10}]  # a number is sent as text
    assert await manager.triggers.save_trigger(name, "Greets", conditions, _ACTIONS) is None
    page = await manager.triggers.list_triggers(count=100)
    (trigger,) = [t for t in page.items if t.name == name]
    assert (trigger.enabled, trigger.run_once) == (True, False)
    assert [(c.name, c.value) for c in trigger.conditions] == [("time-on-site", "10")]
    assert trigger.actions[0].params == {"sender": "queue", "msg": "Need help?"}
    try:
        config = await async_livechat_client.config.get_config()
        (shown,) = [t for t in config.triggers if t.id == trigger.id]
        assert shown.name is None and shown.run_once is False  # only _id/actions/conditions/runOnce

        await manager.triggers.save_trigger(
            name, "Off", conditions, _ACTIONS, enabled=False, trigger_id=trigger.id
        )
        got = await manager.triggers.get_trigger(trigger.id)
        assert got is not None and (got.description, got.enabled) == ("Off", False)
        config = await async_livechat_client.config.get_config()
        assert trigger.id not in [t.id for t in config.triggers]
    finally:
        await manager.triggers.delete_trigger(trigger.id)
    assert await manager.triggers.get_trigger(trigger.id) is None
    await manager.triggers.delete_trigger(trigger.id)  # again: still a success


async def test_trigger_arguments_and_permissions(
    async_manager_client: AsyncLivechatClient, livechat_server: LivechatTestServer
) -> None:
    with pytest.raises(InvalidArgumentError) as bad:
        await async_manager_client.triggers.save_trigger(
            "x", "d", [{"name": "on-hover", "value": None}], _ACTIONS
        )
    assert bad.value.argument == "conditions[0].name"
    with pytest.raises(InvalidArgumentError):
        await async_manager_client.triggers.save_trigger("x", "d", [], _ACTIONS)
    agent = livechat_server.create_agent()
    async with AsyncLivechatClient(
        livechat_server.url, user_id=agent.user_id, auth_token=agent.auth_token
    ) as as_agent:
        with pytest.raises(PermissionDeniedError):
            await as_agent.triggers.list_triggers()


async def test_send_messages_in_bulk(
    async_livechat_client: AsyncLivechatClient, livechat_server: LivechatTestServer
) -> None:
    chat = await open_chat(async_livechat_client, livechat_server)
    async with AsyncLivechatClient(
        livechat_server.url, user_id=chat.agent.user_id, auth_token=chat.agent.auth_token
    ) as as_agent:
        sent = await as_agent.messages.send_messages(chat.token, ["first", "second"])
        assert [m.msg for m in sent] == ["first", "second"]
        assert sent[0].ts is not None and sent[0].username and sent[0].username.startswith("guest")
        history = await async_livechat_client.messages.get_message_history(chat.rid, chat.token)
        assert [m.msg for m in history[:2]] == ["second", "first"]

        # a new visitor: registered, then refused (Rocket.Chat's bug); the retry goes through
        fresh = new_visitor_token("bulk-")
        with pytest.raises(InvalidTokenError):
            await as_agent.messages.send_messages(fresh, ["hello"])
        assert (await async_livechat_client.visitor.get_visitor(fresh)).token == fresh
        assert [m.msg for m in await as_agent.messages.send_messages(fresh, ["hello"])] == ["hello"]
        with pytest.raises(InvalidArgumentError):
            await as_agent.messages.send_messages(fresh, [])


async def test_receive_sms(
    async_livechat_client: AsyncLivechatClient, livechat_server: LivechatTestServer
) -> None:
    livechat_server.create_agent()
    fields = {"From": f"+1555{secrets.randbelow(10**7):07d}", "To": "+15559990000", "Body": "Hi"}
    with pytest.raises(SmsRefusedError):  # SMS_Enabled is off by default
        await async_livechat_client.messages.receive_sms("twilio", fields)
    livechat_server.set_setting("SMS_Enabled", True)
    livechat_server.set_setting("SMS_Twilio_authToken", "twilio-secret")
    url = f"{livechat_server.url}/api/v1/livechat/sms-incoming/twilio"
    signature = twilio_signature("twilio-secret", url, fields)
    twiml = await async_livechat_client.messages.receive_sms("twilio", fields, signature=signature)
    assert twiml == "<Response></Response>"
    with pytest.raises(SmsRefusedError):
        await async_livechat_client.messages.receive_sms("twilio", fields, signature="forged")
    with pytest.raises(InvalidArgumentError):
        await async_livechat_client.messages.receive_sms("twilio", {"From": 1})  # type: ignore[dict-item]


async def test_analytics_overviews(
    async_manager_client: AsyncLivechatClient,
    async_livechat_client: AsyncLivechatClient,
    livechat_server: LivechatTestServer,
) -> None:
    agent = livechat_server.create_agent()
    dept = livechat_server.create_department(f"Stats {secrets.token_hex(3)}", [agent])
    token = await register(async_livechat_client)
    await async_livechat_client.visitor.register_visitor(token, department=dept["_id"])
    room = (await async_livechat_client.room.get_room(token)).room
    await async_livechat_client.messages.send_message(token, room.id, "hello")
    livechat_server.agent_send(agent, room.id, "hi there")
    assert room.ts is not None
    manager = async_manager_client

    overview = await manager.analytics.get_overview(
        "Conversations", room.ts, room.ts, department_id=dept["_id"]
    )
    figures = {item.title: item.value for item in overview}
    assert figures["Total_conversations"] == 1 and figures["Total_messages"] == 2
    assert figures["Busiest_day"] == room.ts.strftime("%A")
    productivity = await manager.analytics.get_overview(
        "Productivity", room.ts, room.ts, department_id=dept["_id"]
    )
    assert [i.title for i in productivity] == [
        "Avg_response_time",
        "Avg_first_response_time",
        "Avg_reaction_time",
    ]
    agents = await manager.analytics.get_agent_overview(
        "Total_conversations", room.ts, room.ts, department_id=dept["_id"]
    )
    assert agents is not None
    assert [c.name for c in agents.head] == ["Agent", "%_of_conversations"]
    assert [(r.name, r.value) for r in agents.data] == [(agent.username, "100.00%")]
    assert await manager.analytics.get_overview("Conversations", "soon", "later") == []
    with pytest.raises(InvalidArgumentError):
        await manager.analytics.get_overview("Everything", room.ts, room.ts)  # type: ignore[arg-type]


async def test_dashboards(
    async_manager_client: AsyncLivechatClient,
    async_livechat_client: AsyncLivechatClient,
    livechat_server: LivechatTestServer,
) -> None:
    agent = livechat_server.create_agent()
    dept = livechat_server.create_department(f"Board {secrets.token_hex(3)}", [agent])
    token = await register(async_livechat_client)
    await async_livechat_client.visitor.register_visitor(token, department=dept["_id"])
    room = (await async_livechat_client.room.get_room(token)).room
    livechat_server.agent_send(agent, room.id, "hi")
    assert room.ts is not None
    start, end = room.ts - timedelta(minutes=1), datetime.now(UTC) + timedelta(minutes=1)
    analytics = async_manager_client.analytics
    d = {"department_id": dept["_id"]}

    chart = await analytics.get_chats_chart(start, end, **d)
    assert (chart.open, chart.closed, chart.queued) == (1, 0, 0)
    per_agent = await analytics.get_chats_per_agent_chart(start, end, **d)
    assert per_agent[agent.username].open == 1
    per_department = await analytics.get_chats_per_department_chart(start, end, **d)
    assert per_department[dept["name"]].open == 1
    timings = await analytics.get_timings_chart(start, end, **d)
    assert timings.chat_duration.avg == 0
    status = await analytics.get_agents_status_chart(**d)
    assert status is not None and status.available == 1
    assert await analytics.get_agents_status_chart(department_id="nope") is None
    totals = await analytics.get_conversation_totalizers(start, end, **d)
    assert {t.title: t.value for t in totals}["Total_conversations"] == 1
    for fetch in (
        analytics.get_productivity_totalizers,
        analytics.get_agents_productivity_totalizers,
        analytics.get_chats_totalizers,
    ):
        assert len(await fetch(start, end, **d)) >= 3
