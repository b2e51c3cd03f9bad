"""Transport conventions, errors for unknown routes, authentication (§1)."""

from __future__ import annotations

import httpx2
import pytest
from _server_helpers import error

from rocketchat_livechat.testing.plugin import LivechatTestServer

pytestmark = pytest.mark.e2e

LOGIN_REQUIRED = {
    "success": False,
    "error": "You must be logged in to do this.",
    "status": "error",
    "message": "You must be logged in to do this.",
}
PERMISSION_DENIED = {
    "success": False,
    "error": "User does not have the permissions required for this action [error-unauthorized]",
}


@pytest.mark.parametrize("path", ["/api/info", "/api/info/"])
def test_info(livechat_server: LivechatTestServer, path: str) -> None:
    response = httpx2.get(livechat_server.url + path)
    assert response.json() == {"version": "9.0.0", "success": True}  # the default line
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["pragma"] == "no-cache"


def test_no_cache_headers_on_errors(http: httpx2.Client) -> None:
    response = http.get("livechat/visitor/unknown-token")
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["pragma"] == "no-cache"


def test_unknown_route_and_method(http: httpx2.Client) -> None:
    assert error(http.get("livechat/nothing-here"), 404) == {
        "status": "error",
        "message": "API endpoint does not exist",
    }
    response = http.patch("livechat/config")
    assert error(response, 405) == {"status": "error", "message": "API endpoint does not exist"}
    assert response.headers["allow"] == "GET"


def test_cors_preflight_disabled(http: httpx2.Client) -> None:
    response = http.options("livechat/config")
    assert response.status_code == 405
    assert response.text == 'CORS not enabled. Go to "Admin > General > REST Api" to enable it.'


def test_login_me_logout(http: httpx2.Client, livechat_server: LivechatTestServer) -> None:
    body = http.post(
        "login",
        json={"user": livechat_server.admin_username, "password": livechat_server.admin_password},
    ).json()
    assert body["status"] == "success" and body["success"] is True
    headers = {"X-User-Id": body["data"]["userId"], "X-Auth-Token": body["data"]["authToken"]}
    assert body["data"]["me"]["username"] == livechat_server.admin_username
    assert "services" not in body["data"]["me"]
    me = http.get("me", headers=headers).json()
    assert me["_id"] == body["data"]["userId"] and me["success"] is True
    assert http.post("logout", headers=headers).json() == {
        "status": "success",
        "data": {"message": "You've been logged out!"},
        "success": True,
    }
    assert error(http.get("me", headers=headers), 401) == LOGIN_REQUIRED


def test_login_variants(http: httpx2.Client, livechat_server: LivechatTestServer) -> None:
    import hashlib

    name, password = livechat_server.admin_username, livechat_server.admin_password
    digest = hashlib.sha256(password.encode()).hexdigest()
    for body in (
        {"username": name, "password": password},
        {"user": {"username": name}, "password": {"digest": digest, "algorithm": "sha-256"}},
        {"user": f"{name}@localhost", "password": password},
    ):
        assert http.post("login", json=body).json()["status"] == "success", body
    token = http.post("login", json={"user": name, "password": password}).json()["data"][
        "authToken"
    ]
    assert http.post("login", json={"resume": token}).json()["data"]["authToken"] != token


def test_login_failures(http: httpx2.Client, livechat_server: LivechatTestServer) -> None:
    wrong = http.post("login", json={"user": livechat_server.admin_username, "password": "nope"})
    assert error(wrong, 401) == {
        "status": "error",
        "error": 403,
        "message": "Incorrect password",
        "success": False,
    }
    unknown = http.post("login", json={"user": "nobody-here", "password": "x"})
    assert error(unknown, 401) == {
        "status": "error",
        "error": "Unauthorized",
        "message": "Unauthorized",
        "success": False,
    }


def test_auth_required_and_permissions(
    http: httpx2.Client, livechat_server: LivechatTestServer
) -> None:
    assert error(http.get("livechat/inquiries.list"), 401) == LOGIN_REQUIRED
    bad = {"X-User-Id": "x", "X-Auth-Token": "y"}
    assert error(http.get("livechat/inquiries.list", headers=bad), 401) == LOGIN_REQUIRED
    agent = livechat_server.create_agent(available=False)
    denied = http.get("livechat/inquiries.list", headers=agent.headers)
    assert error(denied, 403) == PERMISSION_DENIED
    assert error(http.get("livechat/rooms", headers=agent.headers), 403) == {
        "success": False,
        "error": "unauthorized",
    }


def test_rate_limiter_off_on_shared_server(http: httpx2.Client) -> None:
    for _ in range(12):
        response = http.get("livechat/config")
        assert response.status_code == 200
        assert "x-ratelimit-limit" not in response.headers
