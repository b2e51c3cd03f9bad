"""2FA on settings writes, and ``GET /api/info`` for admins, as Rocket.Chat does.

``checkCodeForUser`` (``apps/meteor/app/2fa/server/code/index.ts``): no second factor is asked
when ``Accounts_TwoFactorAuthentication_Enabled`` is off or the user has no method — with
``Accounts_TwoFactorAuthentication_Enforce_Password_Fallback`` off, a user without TOTP or email
2FA has none (``PasswordCheckFallback.isEnabled``). ``rocketchat_API``'s CI turns that setting off
and then writes settings without a code. ``getServerInfo``
(``apps/meteor/app/api/server/lib/getServerInfo.ts``): ``info`` for ``view-statistics``.
"""

from __future__ import annotations

import hashlib

import httpx2
import pytest
from _server_helpers import error

from rocketchat_livechat.testing.plugin import Agent, LivechatTestServer

pytestmark = pytest.mark.e2e

SETTING = "settings/Livechat_title"


def test_a_code_is_asked_while_the_password_fallback_is_enforced(
    http: httpx2.Client, admin: dict[str, str], livechat_server: LivechatTestServer
) -> None:
    missing = error(http.post(SETTING, json={"value": "x"}, headers=admin))
    assert missing == {
        "success": False,
        "error": "TOTP Required [totp-required]",
        "errorType": "totp-required",
        "details": {"method": "password", "availableMethods": ["password"]},
    }
    # the code without its method is no code (both headers, or neither)
    code_only = http.post(SETTING, json={"value": "x"}, headers={**admin, "X-2fa-Code": "whatever"})
    assert error(code_only)["errorType"] == "totp-required"
    digest = hashlib.sha256(livechat_server.admin_password.encode()).hexdigest()
    ok = http.post(
        SETTING,
        json={"value": "Rocket.Chat"},
        headers={**admin, "X-2fa-Code": digest, "X-2fa-Method": "password"},
    )
    assert ok.json() == {"success": True}


def test_no_code_without_the_password_fallback(
    http: httpx2.Client, admin: dict[str, str], livechat_server: LivechatTestServer
) -> None:
    livechat_server.set_setting("Accounts_TwoFactorAuthentication_Enforce_Password_Fallback", False)
    title = http.get(SETTING, headers=admin).json()["value"]
    assert http.post(SETTING, json={"value": "No 2FA"}, headers=admin).json() == {"success": True}
    assert http.get("livechat/config").json()["config"]["theme"]["title"] == "No 2FA"
    assert http.post(SETTING, json={"value": title}, headers=admin).json() == {"success": True}


def test_no_code_with_2fa_disabled(
    http: httpx2.Client, admin: dict[str, str], livechat_server: LivechatTestServer
) -> None:
    livechat_server.set_setting("Accounts_TwoFactorAuthentication_Enabled", False)
    title = http.get(SETTING, headers=admin).json()["value"]
    assert http.post(SETTING, json={"value": title}, headers=admin).json() == {"success": True}


def test_api_info_gives_admins_the_info_object(
    livechat_server: LivechatTestServer, admin: dict[str, str], agent: Agent
) -> None:
    base = livechat_server.url
    anonymous = httpx2.get(f"{base}/api/info").json()
    assert set(anonymous) == {"version", "success"}
    assert "info" not in httpx2.get(f"{base}/api/info", headers=agent.headers).json()
    answer = httpx2.get(f"{base}/api/info", headers=admin).json()
    assert answer["success"] is True and answer["version"] == anonymous["version"]
    assert answer["info"]["version"] == anonymous["version"]
    assert {"build", "commit", "marketplaceApiVersion"} <= set(answer["info"])
    assert set(answer["minimumClientVersions"]) == {"desktop", "mobile"}
