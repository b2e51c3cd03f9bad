"""``/avatar/...`` letter avatars as Rocket.Chat's ``server/routes/avatar/`` serves them."""

from __future__ import annotations

import secrets
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from urllib.parse import quote

import httpx2
import pytest
from _server_helpers import new_chat

from rocketchat_livechat.testing.plugin import Agent, LivechatTestServer

pytestmark = pytest.mark.e2e

#: Rocket.Chat's ``getAvatarColor`` palette, picked by the name's length
PALETTE = ["#158D65", "#7F1B9F", "#B68D00", "#E26D0E", "#10529E", "#6C727A"]
LAST_MODIFIED = "Thu, 01 Jan 2015 00:00:00 GMT"
SVG_NS = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def site(livechat_server: LivechatTestServer) -> Iterator[httpx2.Client]:
    """An anonymous client on the server root."""
    with httpx2.Client(base_url=livechat_server.url, timeout=30) as client:
        yield client


def creds(agent: Agent) -> dict[str, str]:
    """``rc_uid``/``rc_token`` query parameters of a logged-in user."""
    return {"rc_uid": agent.user_id, "rc_token": agent.auth_token}


def parse(response: httpx2.Response) -> tuple[str, str, str, str]:
    """``(viewBox, fill, font-size, initials)`` of an SVG avatar (must be well-formed)."""
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "image/svg+xml"
    root = ET.fromstring(response.text)
    rect, text = root.find(f"{SVG_NS}rect"), root.find(f"{SVG_NS}text")
    assert rect is not None and text is not None
    return root.attrib["viewBox"], rect.attrib["fill"], text.attrib["font-size"], text.text or ""


def test_agent_avatar(site: httpx2.Client, agent: Agent) -> None:
    response = site.get(f"/avatar/{agent.username}", params=creds(agent))
    view_box, fill, font_size, letters = parse(response)
    assert (view_box, font_size, letters.strip()) == ("0 0 200 200", "125", "A")
    assert fill == PALETTE[len(agent.username) % 6]
    assert response.headers["cache-control"] == "public, max-age=3600"
    assert response.headers["content-disposition"] == "inline"
    assert response.headers["last-modified"] == LAST_MODIFIED
    assert "etag" not in response.headers
    assert site.get(f"/avatar/{agent.username}", params=creds(agent)).text == response.text


def test_credentials_in_cookies(site: httpx2.Client, agent: Agent) -> None:
    cookie = f"rc_uid={agent.user_id}; rc_token={agent.auth_token}"
    response = site.get(f"/avatar/{agent.username}", headers={"Cookie": cookie})
    assert response.headers["cache-control"] == "public, max-age=3600"


def test_not_modified(site: httpx2.Client, agent: Agent) -> None:
    headers = {"If-Modified-Since": LAST_MODIFIED}
    response = site.get(f"/avatar/{agent.username}", params=creds(agent), headers=headers)
    assert response.status_code == 304
    assert response.content == b""
    assert response.headers["cache-control"] == "public, max-age=3600"


def test_unknown_username_still_renders(site: httpx2.Client, agent: Agent) -> None:
    _, fill, _, letters = parse(site.get("/avatar/nobody.here", params=creds(agent)))
    assert (fill, letters.strip()) == (PALETTE[len("nobody.here") % 6], "N")


def test_unauthenticated_gets_bare_fallback(site: httpx2.Client, agent: Agent) -> None:
    """``Accounts_AvatarBlockUnauthenticatedAccess`` (on by default): what the widget sees."""
    response = site.get(f"/avatar/{agent.username}", params={"size": 40})
    view_box, fill, _, letters = parse(response)
    assert (view_box, letters.strip()) == ("0 0 200 200", "A")
    assert fill == PALETTE[len(agent.username) % 6]
    assert "last-modified" not in response.headers
    assert "public" not in response.headers.get("cache-control", "")
    assert parse(site.get("/avatar/room/q1d"))[3].strip() == "Q"
    assert parse(site.get("/avatar/"))[3].strip() == "A"  # "Anonymous"


def test_unauthenticated_allowed_when_not_blocked(
    site: httpx2.Client, livechat_server: LivechatTestServer, agent: Agent
) -> None:
    livechat_server.set_setting("Accounts_AvatarBlockUnauthenticatedAccess", False)
    response = site.get(f"/avatar/{agent.username}")
    assert parse(response)[3].strip() == "A"
    assert response.headers["last-modified"] == LAST_MODIFIED
    assert site.get("/avatar/").status_code == 404


@pytest.mark.parametrize(
    ("size", "view_box", "font_size"),
    [("50", "0 0 50 50", "31.25"), ("2", "0 0 16 16", "10"), ("5000", "0 0 1024 1024", "640"),
     ("64px", "0 0 64 64", "40"), ("abc", "0 0 200 200", "125")],
)  # fmt: skip
def test_size(site: httpx2.Client, agent: Agent, size: str, view_box: str, font_size: str) -> None:
    response = site.get(f"/avatar/{agent.username}", params={**creds(agent), "size": size})
    assert parse(response)[0::2] == (view_box, font_size)


def test_cache_time(site: httpx2.Client, livechat_server: LivechatTestServer, agent: Agent) -> None:
    params = {**creds(agent), "cacheTime": "60"}
    assert site.get("/avatar/x", params=params).headers["cache-control"] == "public, max-age=60"
    livechat_server.set_setting("Accounts_AvatarCacheTime", 120)
    response = site.get("/avatar/x", params=creds(agent))
    assert response.headers["cache-control"] == "public, max-age=120"


@pytest.mark.parametrize(
    ("name", "letter"),
    [("<x", "<"), ("&amp", "&"), ('"><script>alert(1)</script>', '"'), ("<b>bob</b>", "B")],
)
def test_name_is_escaped(site: httpx2.Client, agent: Agent, name: str, letter: str) -> None:
    response = site.get(f"/avatar/{quote(name, safe='')}", params=creds(agent))
    assert parse(response)[3].strip() == letter
    assert "<script" not in response.text and "<b>" not in response.text


def test_name_avatar(
    site: httpx2.Client, livechat_server: LivechatTestServer, admin: dict[str, str], agent: Agent
) -> None:
    username = f"jrrt-{secrets.token_hex(3)}"
    user = {"username": username, "name": "John Ronald Reuel Tolkien", "password": "x" * 12}
    user["email"] = f"{username}@example.com"
    site.post("/api/v1/users.create", json=user, headers=admin).raise_for_status()
    assert parse(site.get(f"/avatar/{username.upper()}", params=creds(agent)))[3].strip() == "J"
    assert parse(site.get("/avatar/@ann bea", params=creds(agent)))[3].strip() == "A"
    livechat_server.set_setting("UI_Use_Name_Avatar", True)
    response = site.get(f"/avatar/{username.upper()}", params=creds(agent))
    _, fill, font_size, letters = parse(response)
    assert (fill, font_size, letters.strip()) == (PALETTE[25 % 6], "80", "JRR")
    assert parse(site.get("/avatar/@ann bea", params=creds(agent)))[3].strip() == "AB"


def test_avatar_by_user_id(site: httpx2.Client, agent: Agent) -> None:
    assert parse(site.get(f"/avatar/uid/{agent.user_id}", params=creds(agent)))[3].strip() == "A"
    response = site.get("/avatar/uid/no-such-user", params=creds(agent))
    assert response.status_code == 404
    assert response.headers["cache-control"] == "public, max-age=3600"


def test_livechat_room_avatar(site: httpx2.Client, http: httpx2.Client, agent: Agent) -> None:
    _, room = new_chat(http, name="zoe visitor")
    response = site.get(f"/avatar/room/{room['_id']}", params=creds(agent))
    _, fill, _, letters = parse(response)
    assert (fill, letters.strip()) == (PALETTE[len("zoe visitor") % 6], "Z")
    assert response.headers["cache-control"] == "public, max-age=3600"
    assert site.get("/avatar/room/no-such-room", params=creds(agent)).status_code == 404


def test_head(site: httpx2.Client, agent: Agent) -> None:
    response = site.head(f"/avatar/{agent.username}", params=creds(agent))
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/svg+xml"
    assert response.content == b""
