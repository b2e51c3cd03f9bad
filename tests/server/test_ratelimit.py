"""REST rate limiter on a dedicated server (§1.6)."""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx2
import pytest

from rocketchat_livechat.server import EmbeddedServer

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def limited() -> Iterator[EmbeddedServer]:
    with EmbeddedServer(rate_limit=True, admin_password="pw") as server:
        yield server


@pytest.fixture
def client(limited: EmbeddedServer) -> Iterator[httpx2.Client]:
    limited.state.rate_limiter.reset()
    with httpx2.Client(base_url=f"{limited.url}/api/v1/") as http:
        yield http


def test_default_limit_headers_and_429(client: httpx2.Client) -> None:
    before = int(time.time() * 1000)
    for i in range(10):
        response = client.get("livechat/config")
        assert response.status_code == 200
        assert response.headers["x-ratelimit-limit"] == "10"
        assert response.headers["x-ratelimit-remaining"] == str(9 - i)
    reset = int(response.headers["x-ratelimit-reset"])
    assert before + 59_000 <= reset <= before + 61_000
    refused = client.get("livechat/config")
    assert refused.status_code == 429
    assert refused.headers["x-ratelimit-remaining"] == "0"
    body = refused.json()
    assert body["success"] is False and "errorType" not in body
    assert body["error"].startswith("Error, too many requests. Please slow down. You must wait ")
    assert body["error"].endswith(
        " seconds before trying this endpoint again. [error-too-many-requests]"
    )
    seconds = int(body["error"].split("wait ")[1].split(" ")[0])
    assert 55 <= seconds <= 60
    # another route/method is a separate bucket; a different IP too
    assert client.get("livechat/visitor/x").status_code == 400
    other_ip = client.get("livechat/config", headers={"x-real-ip": "10.0.0.9"})
    assert other_ip.status_code == 200 and other_ip.headers["x-ratelimit-remaining"] == "9"


def test_counts_requests_that_fail_validation(client: httpx2.Client) -> None:
    for _ in range(5):
        assert client.post("livechat/visitor", json={}).status_code == 400
    response = client.post("livechat/visitor", json={"visitor": {"token": "t"}})
    assert response.status_code == 429
    assert response.headers["x-ratelimit-limit"] == "5"


def test_room_and_offline_limits(client: httpx2.Client) -> None:
    statuses = [client.get("livechat/room", params={"token": "x"}).status_code for _ in range(6)]
    assert statuses == [400] * 5 + [429]
    body = {"name": "a", "email": "a@x.io", "message": "m"}
    first = client.post("livechat/offline.message", json=body)
    assert first.headers["x-ratelimit-limit"] == "1"
    second = client.post("livechat/offline.message", json=body)
    assert second.status_code == 429 and "You must wait 5 seconds" in second.json()["error"]


def test_admin_bypasses_and_setting_disables(
    client: httpx2.Client, limited: EmbeddedServer
) -> None:
    login = client.post("login", json={"user": "admin", "password": "pw"}).json()["data"]
    headers = {"X-User-Id": login["userId"], "X-Auth-Token": login["authToken"]}
    for _ in range(12):
        response = client.get("livechat/config", headers=headers)
        assert response.status_code == 200 and "x-ratelimit-limit" not in response.headers
    limited.state.settings.set("API_Enable_Rate_Limiter", False)
    try:
        assert all(client.get("livechat/config").status_code == 200 for _ in range(12))
    finally:
        limited.state.settings.set("API_Enable_Rate_Limiter", True)
