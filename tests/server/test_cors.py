"""CORS on ``/api/v1`` as Rocket.Chat's ``app/api/server/middlewares/cors.ts``.

The official widget never reads ``API_CORS_Origin`` itself (it gets ``livechat/config``); an
admin reads and writes it with ``GET``/``POST settings/API_CORS_Origin`` like any setting.
"""

from __future__ import annotations

import httpx2
import pytest

from rocketchat_livechat.testing.plugin import LivechatTestServer

pytestmark = pytest.mark.e2e

ALLOW_METHODS = "GET, POST, PUT, DELETE, HEAD, PATCH"
ALLOW_HEADERS = (
    "Origin, X-Requested-With, Content-Type, Accept, X-User-Id, X-Auth-Token, "
    "x-visitor-token, Authorization"
)
WIDGET_ORIGIN = "https://shop.example"


def preflight(http: httpx2.Client, origin: str) -> httpx2.Response:
    headers = {"Origin": origin, "Access-Control-Request-Method": "POST"}
    return http.options("livechat/visitor", headers=headers)


def test_setting_readable_with_default(
    http: httpx2.Client, livechat_server: LivechatTestServer, admin: dict[str, str]
) -> None:
    body = http.get("settings/API_CORS_Origin", headers=admin).json()
    assert body == {"_id": "API_CORS_Origin", "value": "*", "success": True}
    livechat_server.set_setting("API_CORS_Origin", WIDGET_ORIGIN)
    assert http.get("settings/API_CORS_Origin", headers=admin).json()["value"] == WIDGET_ORIGIN


def test_preflight_cors_disabled(http: httpx2.Client) -> None:
    response = preflight(http, WIDGET_ORIGIN)
    assert response.status_code == 405
    assert response.text == 'CORS not enabled. Go to "Admin > General > REST Api" to enable it.'
    assert "access-control-allow-origin" not in response.headers


def test_preflight_any_origin(http: httpx2.Client, livechat_server: LivechatTestServer) -> None:
    livechat_server.set_setting("API_Enable_CORS", True)
    response = preflight(http, WIDGET_ORIGIN)
    assert response.status_code == 200
    assert response.content == b""
    assert response.headers["access-control-allow-origin"] == "*"
    assert response.headers["access-control-allow-methods"] == ALLOW_METHODS
    assert response.headers["access-control-allow-headers"] == ALLOW_HEADERS
    assert "vary" not in response.headers


def test_preflight_listed_origin_is_echoed(
    http: httpx2.Client, livechat_server: LivechatTestServer
) -> None:
    livechat_server.set_setting("API_Enable_CORS", True)
    livechat_server.set_setting(
        "API_CORS_Origin", f" http://other.example , {WIDGET_ORIGIN.upper()}"
    )
    response = preflight(http, WIDGET_ORIGIN)
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == WIDGET_ORIGIN
    assert response.headers["vary"] == "Origin"
    assert response.headers["access-control-allow-methods"] == ALLOW_METHODS
    assert response.headers["access-control-allow-headers"] == ALLOW_HEADERS


@pytest.mark.parametrize("origin", ["https://evil.example", WIDGET_ORIGIN.upper()])
def test_preflight_unlisted_origin_forbidden(
    http: httpx2.Client, livechat_server: LivechatTestServer, origin: str
) -> None:
    """Listed origins are lower-cased, the request's ``Origin`` is compared as sent."""
    livechat_server.set_setting("API_Enable_CORS", True)
    livechat_server.set_setting("API_CORS_Origin", f"{WIDGET_ORIGIN},http://other.example")
    response = preflight(http, origin)
    assert response.status_code == 403
    assert response.content == b""
    assert "access-control-allow-origin" not in response.headers


def test_responses_allow_any_origin(
    http: httpx2.Client, livechat_server: LivechatTestServer
) -> None:
    response = http.get("livechat/config", headers={"Origin": WIDGET_ORIGIN})
    assert response.headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-methods" not in response.headers
    livechat_server.set_setting("API_Enable_CORS", True)
    livechat_server.set_setting("API_CORS_Origin", WIDGET_ORIGIN)
    for response in (
        http.get("livechat/config", headers={"Origin": WIDGET_ORIGIN}),
        http.get("livechat/no-such-endpoint"),
    ):
        assert response.headers["access-control-allow-origin"] == "*"
        assert response.headers["vary"] == "Origin"
        assert response.headers["access-control-allow-methods"] == ALLOW_METHODS
        assert response.headers["access-control-allow-headers"] == ALLOW_HEADERS
