"""Identifiers and ``livechat/config`` pieces as Rocket.Chat makes them.

Departments and their agent links are inserted through the raw models, whose ``insertOne``
gives a new document ``new ObjectId().toHexString()`` (``packages/models/src/models/BaseRaw.ts``):
24 lowercase hex characters, as in the official REST reference's examples. The config's
``theme.actionLinks`` is the object ``settings()`` builds
(``apps/meteor/app/livechat/server/api/lib/livechat.ts``).
"""

from __future__ import annotations

import re

import httpx2
import pytest

from rocketchat_livechat.testing.plugin import Agent, LivechatTestServer

pytestmark = pytest.mark.e2e

OBJECT_ID = re.compile(r"[0-9a-f]{24}")


def test_department_and_agent_link_ids_are_object_ids(
    http: httpx2.Client, admin: dict[str, str], agent: Agent, livechat_server: LivechatTestServer
) -> None:
    department = livechat_server.create_department("ObjectId dept", [agent])
    assert OBJECT_ID.fullmatch(department["_id"])
    agents = http.get(f"livechat/department/{department['_id']}/agents", headers=admin).json()
    [link] = agents["agents"]
    assert OBJECT_ID.fullmatch(link["_id"]) and link["departmentId"] == department["_id"]


def test_config_action_links(http: httpx2.Client) -> None:
    links = http.get("livechat/config").json()["config"]["theme"]["actionLinks"]
    assert [a["method_id"] for a in links["webrtc"]] == [
        "joinLivechatWebRTCCall",
        "endLivechatWebRTCCall",
    ]
    assert [a["i18nLabel"] for a in links["webrtc"]] == ["Join_call", "End_call"]
    assert links["jitsi"] == [
        {"icon": "icon-videocam", "i18nLabel": "Accept"},
        {"icon": "icon-cancel", "i18nLabel": "Decline"},
    ]
