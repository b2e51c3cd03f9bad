"""A pytest suite for your own livechat code, using the plugin (``rocketchat-livechat[server]``).

Run it (the plugin starts an embedded server for the session, so no ``serve`` is needed)::

    python -m pytest examples/test_with_plugin.py

``greet_new_chats`` stands for your code: an agent-side job that greets every chat it serves.
The tests drive it against the embedded server like Rocket.Chat would, with the plugin's
fixtures: ``livechat_server`` (admin helpers: agents, departments, routing, settings; undone
after each test) and ``livechat_client`` (a ``LivechatClient`` for it).
"""

from __future__ import annotations

import pytest

from rocketchat_livechat import LivechatClient, NoAgentOnlineError, new_visitor_token
from rocketchat_livechat.testing.plugin import LivechatTestServer

GREETING = "Hi! How can I help?"


def greet_new_chats(agent: LivechatClient) -> int:
    """Your code: greet each open chat the logged-in agent serves that it has not greeted yet."""
    greeted = 0
    for room in agent.room.iter_rooms(agents=[agent.user_id or ""], open=True):
        token = room.v.token if room.v else None  # agents read the history as the visitor
        said = agent.messages.get_message_history(room.id, token) if token else []
        if not any(m.msg == GREETING for m in said):
            agent.messages.send_agent_message(room.id, GREETING)
            greeted += 1
    return greeted


def start_chat(livechat_client: LivechatClient, name: str) -> tuple[str, str]:
    """A visitor opens a chat: (token, room id)."""
    token = new_visitor_token()
    token = livechat_client.visitor.register_visitor(token, name=name).token or token
    return token, livechat_client.room.get_room(token).room.id


def test_each_chat_is_greeted_once(
    livechat_server: LivechatTestServer, livechat_client: LivechatClient
) -> None:
    agent = livechat_server.create_agent()  # online and available: chats are routed to it
    token, rid = start_chat(livechat_client, "Alice")
    with LivechatClient(livechat_server.url) as as_agent:
        as_agent.login(agent.username, agent.password)
        assert greet_new_chats(as_agent) == 1
        assert greet_new_chats(as_agent) == 0  # run again: nothing twice
    history = livechat_client.messages.get_message_history(rid, token)
    assert [m.msg for m in history if not m.is_system] == [GREETING]


def test_queued_chats_wait_for_an_agent(
    livechat_server: LivechatTestServer, livechat_client: LivechatClient
) -> None:
    livechat_server.set_routing("Manual_Selection")  # restored after the test
    agent = livechat_server.create_agent()
    token, rid = start_chat(livechat_client, "Bob")
    assert livechat_client.room.get_room(token, rid=rid).room.served_by is None
    livechat_server.take(agent, rid)
    served = livechat_client.room.get_room(token, rid=rid).room.served_by
    assert served is not None and served.id == agent.user_id


def test_nobody_online_means_the_offline_form(livechat_client: LivechatClient) -> None:
    token = new_visitor_token()
    livechat_client.visitor.register_visitor(token, name="Carol")
    with pytest.raises(NoAgentOnlineError):
        livechat_client.room.get_room(token)
    livechat_client.messages.send_offline_message("Carol", "carol@example.com", "Call me")
