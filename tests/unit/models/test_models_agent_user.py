"""Agent info, users, login."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from rocketchat_livechat.models import AgentInfo, AgentStatus, LivechatUser, LoginResult, UserRef

RoundTrip = Callable[[BaseModel, dict[str, Any]], None]


@pytest.mark.parametrize("key", ["agent_info", "agent_next"])
def test_seed_agent(seed: dict[str, Any], key: str, round_trip: RoundTrip) -> None:
    payload = seed[key]["agent"]
    agent = AgentInfo.model_validate(payload)
    assert agent.id == payload["_id"]
    assert agent.username == payload["username"]
    assert agent.hidden_info is False
    assert agent.emails is not None and agent.emails[0].address == "agent@rocket.chat"
    round_trip(agent, payload)


def test_agent_info_details(seed: dict[str, Any]) -> None:
    agent = AgentInfo.model_validate(seed["agent_info"]["agent"])
    assert agent.status == "online"
    assert agent.livechat == {"maxNumberSimultaneousChat": "5"}


def test_hidden_agent() -> None:
    agent = AgentInfo.model_validate({"hiddenInfo": True})
    assert agent.hidden_info is True
    assert agent.id is None
    assert agent.name is None and agent.username is None and agent.status is None
    assert agent.emails is None and agent.livechat is None and agent.custom_fields is None
    assert agent.model_dump(by_alias=True, exclude_unset=True) == {"hiddenInfo": True}


def test_agent_custom_fields_and_phone() -> None:
    agent = AgentInfo.model_validate({"_id": "a", "phone": "+1 555", "customFields": {"x": "1"}})
    assert agent.phone == "+1 555"
    assert agent.custom_fields == {"x": "1"}


def test_login_result_6x_and_7x() -> None:
    body = {
        "status": "success",
        "data": {"userId": "u1", "authToken": "tok", "me": {"_id": "u1", "username": "agent"}},
    }
    login = LoginResult.from_response(body)
    assert (login.user_id, login.auth_token) == ("u1", "tok")
    assert login.me["username"] == "agent"
    assert LoginResult.from_response({**body, "success": True}) == login
    assert login.model_dump(by_alias=True) == body["data"]


def test_login_result_requires_credentials() -> None:
    with pytest.raises(ValidationError):
        LoginResult.from_response({"status": "success", "data": {"userId": "u1"}})


def test_livechat_user_listing_item(round_trip: RoundTrip) -> None:
    payload = {
        "_id": "u1",
        "username": "agent",
        "name": "Agent",
        "status": "online",
        "statusLivechat": "available",
        "emails": [{"address": "a@x.io", "verified": False}],
        "livechat": {"maxNumberSimultaneousChat": 3},
        "departments": ["d1"],
    }
    user = LivechatUser.model_validate(payload)
    assert user.status_livechat == "available"
    assert user.departments == ["d1"]
    assert user.emails[0].verified is False
    round_trip(user, payload)


def test_small_results() -> None:
    assert UserRef.model_validate({"_id": "u", "username": "x"}).username == "x"
    assert AgentStatus.model_validate({"status": "not-available"}).status == "not-available"
