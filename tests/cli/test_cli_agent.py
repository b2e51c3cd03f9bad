"""Agent commands (``rooms list``, ``inquiries list|take``) and ``offline-message``."""

from __future__ import annotations

from typing import Any

from _cli_helpers import Run, output

from rocketchat_livechat.testing.plugin import Agent, LivechatTestServer


def test_rooms_list_with_password_login(run: Run, visitor: dict[str, Any], agent: Agent) -> None:
    page = output(
        run("rooms", "list", "--user", agent.username, "--password", agent.password, "--mine")
    )
    assert [room["_id"] for room in page["items"]] == [visitor["rid"]]
    assert page["total"] == 1


def test_rooms_list_with_a_token_from_the_environment(
    run: Run, visitor: dict[str, Any], agent: Agent
) -> None:
    env = {"ROCKETCHAT_USER_ID": agent.user_id, "ROCKETCHAT_AUTH_TOKEN": agent.auth_token}
    page = output(run("rooms", "list", "--open", "--agent", agent.user_id, env=env))
    assert visitor["rid"] in [room["_id"] for room in page["items"]]
    text = run("rooms", "list", "--mine", "--no-json", env=env)
    assert text.exit_code == 0
    assert visitor["rid"] in text.stdout
    assert "rooms 1-1 of 1" in text.stdout


def test_agent_commands_need_credentials(run: Run) -> None:
    result = run("rooms", "list")
    assert result.exit_code == 2
    assert "--user/--password" in result.stderr


def test_inquiries_list_and_take_with_manual_routing(
    run: Run, livechat_server: LivechatTestServer, agent: Agent
) -> None:
    livechat_server.set_routing("Manual_Selection")
    token = output(run("visitor", "register", "--name", "Queued"))["token"]
    rid = output(run("room", "open", "--token", token))["room"]["_id"]
    admin = ("--user", livechat_server.admin_username, "--password", livechat_server.admin_password)
    queued = output(run("inquiries", "list", *admin))["items"]
    inquiry = next(item for item in queued if item["rid"] == rid)
    credentials = ("--user-id", agent.user_id, "--auth-token", agent.auth_token)
    taken = output(run("inquiries", "take", inquiry["_id"], *credentials))
    assert taken == {"inquiryId": inquiry["_id"], "taken": True}
    room = output(run("room", "open", "--token", token))["room"]
    assert room["servedBy"]["_id"] == agent.user_id
    again = run("inquiries", "take", inquiry["_id"], *credentials)
    assert again.exit_code == 1
    assert "InquiryTakenError" in again.stderr


def test_offline_message(run: Run, livechat_server: LivechatTestServer) -> None:
    livechat_server.set_setting("Livechat_validate_offline_email", False)
    livechat_server.set_setting("Livechat_offline_email", "support@example.com")
    args = ("--name", "Olga", "--email", "olga@example.com", "--message", "call me")
    assert output(run("offline-message", *args)) == {"message": "Livechat offline message sent"}
