"""``POST users.register`` as Rocket.Chat answers it, and the first user of a fresh server.

Cases from Rocket.Chat's ``apps/meteor/tests/end-to-end/api/users.ts`` (``[/users.register]``);
behaviour from ``apps/meteor/app/api/server/v1/users.ts`` (the route),
``apps/meteor/server/methods/registerUser.ts`` and ``insertUserDoc`` (no admin yet: the new user
becomes one).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator

import httpx2
import pytest
from _server_helpers import error

from rocketchat_livechat.server import EmbeddedServer
from rocketchat_livechat.testing.plugin import LivechatTestServer

pytestmark = pytest.mark.e2e

PASSWORD = "a-Strong-password-1"


def _form(username: str | None = None) -> dict[str, str]:
    username = username or f"reg-{secrets.token_hex(4)}"
    return {"username": username, "email": f"{username}@Example.com", "pass": PASSWORD, "name": "N"}


def _login(http: httpx2.Client, username: str) -> dict[str, str]:
    data = http.post("login", json={"user": username, "password": PASSWORD}).json()["data"]
    return {"X-User-Id": data["userId"], "X-Auth-Token": data["authToken"]}


def test_registers_a_user_who_can_log_in(http: httpx2.Client) -> None:
    form = _form()
    response = http.post("users.register", json=form)
    assert response.status_code == 200, response.text
    user = response.json()["user"]
    assert response.json()["success"] is True
    assert (user["username"], user["name"], user["roles"]) == (form["username"], "N", ["user"])
    assert user["emails"] == [{"address": form["email"].lower(), "verified": False}]
    assert "services" not in user
    me = http.get("me", headers=_login(http, form["username"])).json()
    assert me["username"] == form["username"]


def test_refuses_a_taken_username_and_a_logged_in_caller(http: httpx2.Client) -> None:
    form = _form()
    assert http.post("users.register", json=form).status_code == 200
    again = http.post("users.register", json={**form, "email": "other@example.com"})
    assert (again.status_code, again.json()) == (
        400,
        {"success": False, "error": "Username is already in use"},
    )
    logged_in = http.post("users.register", json=_form(), headers=_login(http, form["username"]))
    assert error(logged_in) == {
        "success": False,
        "error": "Logged in users can not register again.",
    }


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"pass": None}, "must have required property 'pass' [invalid-params]"),
        ({"password": PASSWORD}, "must NOT have additional properties [invalid-params]"),
        ({"username": None}, "must have required property 'username' [invalid-params]"),
    ],
)
def test_validates_the_body_as_rest_typings(
    http: httpx2.Client, change: dict[str, str | None], message: str
) -> None:
    form = {k: v for k, v in {**_form(), **change}.items() if v is not None}
    body = error(http.post("users.register", json=form))
    assert (body["error"], body["errorType"]) == (message, "invalid-params")


def test_the_method_requires_a_name(http: httpx2.Client) -> None:
    form = _form()
    del form["name"]
    assert error(http.post("users.register", json=form)) == {
        "success": False,
        "error": "Match error: Missing key 'name'",
    }


def test_registration_disabled(http: httpx2.Client, livechat_server: LivechatTestServer) -> None:
    livechat_server.set_setting("Accounts_RegistrationForm", "Disabled")
    body = error(http.post("users.register", json=_form()))
    assert (body["error"], body["errorType"]) == (
        "User registration is disabled [error-user-registration-disabled]",
        "error-user-registration-disabled",
    )


@pytest.fixture(scope="module")
def fresh_server() -> Iterator[httpx2.Client]:
    with (
        EmbeddedServer(admin_username=None, rate_limit=False) as server,
        httpx2.Client(base_url=f"{server.url}/api/v1/", timeout=30) as client,
    ):
        yield client


def test_the_first_user_of_a_fresh_server_becomes_admin(fresh_server: httpx2.Client) -> None:
    first = fresh_server.post("users.register", json=_form()).json()["user"]
    second = fresh_server.post("users.register", json=_form()).json()["user"]
    assert sorted(first["roles"]) == ["admin", "user"]
    assert second["roles"] == ["user"]
