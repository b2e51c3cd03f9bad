"""pytest plugin: an embedded Rocket.Chat-compatible server and clients for your tests.

Registered automatically (entry point ``pytest11``) when ``rocketchat-livechat[server]`` is
installed. Fixtures:

``livechat_server``
    Function-scoped :class:`LivechatTestServer` wrapping one embedded server shared by the
    whole session (rate limiter off). It has ``url``, ``admin_username``,
    ``admin_password`` and helpers that talk to the server over real HTTP, like a user would
    against Rocket.Chat: :meth:`~LivechatTestServer.create_agent`,
    :meth:`~LivechatTestServer.set_routing`, :meth:`~LivechatTestServer.set_setting`,
    :meth:`~LivechatTestServer.agent_send`, :meth:`~LivechatTestServer.close_room`,
    :meth:`~LivechatTestServer.create_department`, :meth:`~LivechatTestServer.take`,
    :meth:`~LivechatTestServer.define_custom_field`.
    After each test the settings and custom fields it changed are restored and every agent is
    taken offline and not-available, so tests do not see each other's routing state.

``livechat_client`` / ``async_livechat_client``
    ``rocketchat_livechat.LivechatClient`` / ``AsyncLivechatClient`` connected to that server.

``rc_line``
    Runs the test once per emulated Rocket.Chat line (6.14, 7.10, 8.8, 9.0): the shared server
    emulates that line (a :class:`~rocketchat_livechat.server.versions.ServerLine`, the
    fixture's value) for the test, and goes back to its own line afterwards.

Options and markers: ``--rc-version LINE`` picks the line the shared server emulates (default:
the newest, 9.0); ``@pytest.mark.rc_version("7.10")`` runs one test against another line.

Nothing heavy is imported at plugin load: starlette/uvicorn load when a fixture is used.
"""

from __future__ import annotations

import itertools
import secrets
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import pytest

if TYPE_CHECKING:
    import httpx2

    from rocketchat_livechat import AsyncLivechatClient, LivechatClient
    from rocketchat_livechat.server import EmbeddedServer
    from rocketchat_livechat.server.versions import ServerLine

if TYPE_CHECKING:
    _async_fixture = pytest.fixture
else:  # async fixtures need pytest-asyncio; else a plain fixture (pytest-asyncio auto mode)
    try:
        from pytest_asyncio import fixture as _async_fixture
    except ImportError:  # pragma: no cover
        _async_fixture = pytest.fixture

_counter = itertools.count(1)

#: the option and marker naming a Rocket.Chat line
RC_VERSION_OPTION = "--rc-version"
RC_VERSION_MARKER = "rc_version"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.getgroup("rocketchat-livechat").addoption(
        RC_VERSION_OPTION,
        default=None,
        metavar="LINE",
        help="Rocket.Chat line the embedded server emulates: 6.14, 7.10, 8.8 or 9.0 (default)",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"{RC_VERSION_MARKER}(line): run against the embedded server emulating this "
        "Rocket.Chat line (6.14, 7.10, 8.8, 9.0)",
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "rc_line" in metafunc.fixturenames:
        from rocketchat_livechat.server.versions import LINES

        metafunc.parametrize("rc_line", LINES, indirect=True, ids=[f"rc{x}" for x in LINES])


@contextmanager
def _emulating(server: EmbeddedServer, line: str) -> Iterator[ServerLine]:
    """The shared server emulates ``line`` inside the block."""
    from rocketchat_livechat.server.versions import ServerLine

    state = server.state
    before, state.line = state.line, ServerLine(line)
    try:
        yield state.line
    finally:
        state.line = before


#: ``customFieldData`` keys of ``livechat/custom-fields.save`` besides ``field``
_CUSTOM_FIELD_KEYS = (
    "label",
    "scope",
    "visibility",
    "regexp",
    "searchable",
    "type",
    "required",
    "defaultValue",
    "options",
    "public",
)


@dataclass(frozen=True)
class Agent:
    """An agent created by :meth:`LivechatTestServer.create_agent`."""

    user_id: str
    username: str
    auth_token: str
    password: str

    @property
    def headers(self) -> dict[str, str]:
        """``X-User-Id`` / ``X-Auth-Token`` for REST calls as this agent."""
        return {"X-User-Id": self.user_id, "X-Auth-Token": self.auth_token}


class LivechatServerError(AssertionError):
    """A helper call was refused by the server (the body is in the message)."""


def _ok(response: httpx2.Response) -> dict[str, Any]:
    body: dict[str, Any] = response.json()
    if response.status_code != 200 or body.get("success") is False:
        raise LivechatServerError(
            f"{response.request.method} {response.request.url.path} -> "
            f"{response.status_code} {body}"
        )
    return body


@dataclass
class LivechatTestServer:
    """Per-test view of the shared embedded server, with admin-side helpers."""

    server: EmbeddedServer
    http: httpx2.Client
    admin_headers: dict[str, str]
    _saved_settings: dict[str, Any] = field(default_factory=dict)
    _saved_custom_fields: dict[str, dict[str, Any] | None] = field(default_factory=dict)

    @property
    def url(self) -> str:
        """Base URL of the server."""
        return self.server.url

    @property
    def admin_username(self) -> str:
        username = self.server.admin_username
        assert username is not None, "the plugin's server always has an admin"
        return username

    @property
    def admin_password(self) -> str:
        return self.server.admin_password

    def _post(self, path: str, body: Any, headers: dict[str, str] | None = None) -> dict[str, Any]:
        return _ok(
            self.http.post(f"/api/v1/{path}", json=body, headers=headers or self.admin_headers)
        )

    def _get(
        self, path: str, headers: dict[str, str] | None = None, **params: Any
    ) -> dict[str, Any]:
        return _ok(
            self.http.get(f"/api/v1/{path}", params=params, headers=headers or self.admin_headers)
        )

    # settings -------------------------------------------------------------------------------

    def set_setting(self, setting_id: str, value: Any) -> None:
        """Change a setting as admin (restored after the test)."""
        if setting_id not in self._saved_settings:
            self._saved_settings[setting_id] = self._get(f"settings/{setting_id}")["value"]
        headers = {
            **self.admin_headers,
            "X-2fa-Code": self.admin_password,
            "X-2fa-Method": "password",
        }
        self._post(f"settings/{setting_id}", {"value": value}, headers)

    def set_routing(self, method: str) -> None:
        """``Auto_Selection`` or ``Manual_Selection``."""
        self.set_setting("Livechat_Routing_Method", method)

    # custom fields ------------------------------------------------------------------------------

    def define_custom_field(
        self,
        field: str,
        *,
        scope: Literal["visitor", "room"] = "visitor",
        label: str | None = None,
        visibility: Literal["visible", "hidden"] = "visible",
        regexp: str = "",
        required: bool = False,
        default_value: str = "",
        options: str = "",
        public: bool = True,
    ) -> dict[str, Any]:
        """Define (or redefine) a custom field as admin, as Omnichannel > Custom Fields does.

        ``livechat/custom-fields.save``; the previous definition is restored after the test.
        """
        existing = self._get(f"livechat/custom-fields/{field}")["customField"]
        self._saved_custom_fields.setdefault(field, existing)
        data = {
            "field": field,
            "label": label or field,
            "scope": scope,
            "visibility": visibility,
            "regexp": regexp,
            "required": required,
            "defaultValue": default_value,
            "options": options,
            "public": public,
        }
        return self._save_custom_field(data, exists=existing is not None)

    def _save_custom_field(self, data: dict[str, Any], *, exists: bool) -> dict[str, Any]:
        """Rocket.Chat updates ``customFieldId`` (which must exist) or creates when it is null."""
        body = {"customFieldId": data["field"] if exists else None, "customFieldData": data}
        saved: dict[str, Any] = self._post("livechat/custom-fields.save", body)["customField"]
        return saved

    def _restore_custom_fields(self) -> None:
        for name, previous in self._saved_custom_fields.items():
            if previous is None:
                self._post("livechat/custom-fields.delete", {"customFieldId": name})
            else:
                data = {k: previous[k] for k in _CUSTOM_FIELD_KEYS if k in previous}
                self._save_custom_field({"field": name, **data}, exists=True)
        self._saved_custom_fields.clear()

    # agents and departments -------------------------------------------------------------------

    def create_agent(
        self,
        username: str | None = None,
        *,
        available: bool = True,
        department: str | None = None,
    ) -> Agent:
        """Create a user, make it an agent, log it in and (by default) bring it online.

        Presence comes from ``users.setStatus`` (the embedded server counts it like a DDP
        session). ``department`` is a department ``_id`` to join.
        """
        username = username or f"agent-{next(_counter)}-{secrets.token_hex(3)}"
        password = secrets.token_urlsafe(10)
        self._post(
            "users.create",
            {
                "username": username,
                "password": password,
                "email": f"{username}@example.com",
                "name": username.title(),
                "roles": ["user"],
            },
        )
        self._post("livechat/users/agent", {"username": username})
        login = _ok(self.http.post("/api/v1/login", json={"user": username, "password": password}))
        agent = Agent(login["data"]["userId"], username, login["data"]["authToken"], password)
        self.set_available(agent, available)
        if department is not None:
            self.add_to_department(department, agent)
        return agent

    def set_available(self, agent: Agent, available: bool = True) -> None:
        """Bring the agent online and available for routing, or make it not-available."""
        if available:
            self._post("users.setStatus", {"status": "online"}, agent.headers)
            self._post("livechat/agent.status", {"status": "available"}, agent.headers)
        else:
            self._post("livechat/agent.status", {"status": "not-available"}, agent.headers)

    def create_department(
        self, name: str, agents: list[Agent] | tuple[Agent, ...] = ()
    ) -> dict[str, Any]:
        """Create an enabled department (shown on registration) with these agents."""
        body = {
            "department": {
                "enabled": True,
                "name": name,
                "email": f"{secrets.token_hex(4)}@example.com",
                "showOnRegistration": True,
                "showOnOfflineForm": True,
            },
            "agents": [{"agentId": a.user_id} for a in agents],
        }
        department: dict[str, Any] = self._post("livechat/department", body)["department"]
        return department

    def add_to_department(self, department_id: str, agent: Agent) -> None:
        """Add an agent to an existing department (``POST livechat/department/:_id/agents``)."""
        body = {"upsert": [{"agentId": agent.user_id, "username": agent.username}], "remove": []}
        self._post(f"livechat/department/{department_id}/agents", body)

    # chatting as an agent -----------------------------------------------------------------------

    def agent_send(self, agent: Agent, rid: str, msg: str) -> dict[str, Any]:
        """Send a message as the agent (``chat.sendMessage``); returns the message."""
        body = self._post("chat.sendMessage", {"message": {"rid": rid, "msg": msg}}, agent.headers)
        message: dict[str, Any] = body["message"]
        return message

    def close_room(self, agent: Agent, rid: str, comment: str | None = None) -> None:
        """Close the room as the agent (``livechat/room.closeByUser``).

        Rocket.Chat requires a comment by default, so ``None`` sends ``"Closed by agent"``.
        """
        self._post(
            "livechat/room.closeByUser",
            {"rid": rid, "comment": comment or "Closed by agent"},
            agent.headers,
        )

    def take(self, agent: Agent, rid: str) -> None:
        """Take the queued inquiry of room ``rid`` (Manual_Selection)."""
        inquiry = self._get("livechat/inquiries.getOne", agent.headers, roomId=rid)["inquiry"]
        if inquiry is None:
            raise LivechatServerError(f"no inquiry for room {rid}")
        self._post("livechat/inquiries.take", {"inquiryId": inquiry["_id"]}, agent.headers)

    # teardown -----------------------------------------------------------------------------------

    def reset(self) -> None:
        """Restore changed settings and custom fields; take every agent offline, not-available.

        All agents, not only this test's: agents brought online by other means (a DDP
        login, ``users.setStatus``) must not catch the next test's rooms.
        """
        for setting_id, value in self._saved_settings.items():
            self.set_setting(setting_id, value)
        self._saved_settings.clear()
        self._restore_custom_fields()
        offset = 0
        while True:
            found = self._get("livechat/users/agent", count=100, offset=offset)
            for user in found["users"]:
                self._take_offline(user)
            offset += len(found["users"])
            if not found["users"] or offset >= found["total"]:
                break

    def _take_offline(self, user: dict[str, Any]) -> None:
        if user.get("status", "offline") != "offline":
            self._post("users.setStatus", {"userId": user["_id"], "status": "offline"})
        if user.get("statusLivechat") == "available":
            self._post("livechat/agent.status", {"agentId": user["_id"], "status": "not-available"})


@pytest.fixture(scope="session")
def livechat_embedded_server(pytestconfig: pytest.Config) -> Iterator[EmbeddedServer]:
    """One embedded server (rate limiter off) for the whole test session, emulating the line
    of ``--rc-version`` (default: the newest)."""
    from rocketchat_livechat.server import EmbeddedServer
    from rocketchat_livechat.server.versions import DEFAULT_LINE

    line = pytestconfig.getoption(RC_VERSION_OPTION) or DEFAULT_LINE
    with EmbeddedServer(rate_limit=False, rc_version=line) as server:
        yield server


@pytest.fixture(scope="session")
def _livechat_admin_http(
    livechat_embedded_server: EmbeddedServer,
) -> Iterator[tuple[httpx2.Client, dict[str, str]]]:
    import httpx2

    server = livechat_embedded_server
    with httpx2.Client(base_url=server.url, timeout=30) as http:
        login = _ok(
            http.post(
                "/api/v1/login",
                json={"user": server.admin_username, "password": server.admin_password},
            )
        )
        headers = {"X-User-Id": login["data"]["userId"], "X-Auth-Token": login["data"]["authToken"]}
        yield http, headers


@pytest.fixture
def livechat_server(
    request: pytest.FixtureRequest,
    livechat_embedded_server: EmbeddedServer,
    _livechat_admin_http: tuple[httpx2.Client, dict[str, str]],
) -> Iterator[LivechatTestServer]:
    """The shared embedded server with helpers; changes are undone after the test.

    With ``@pytest.mark.rc_version(line)`` the server emulates that line during the test.
    """
    http, headers = _livechat_admin_http
    view = LivechatTestServer(livechat_embedded_server, http, headers)
    marker = request.node.get_closest_marker(RC_VERSION_MARKER)
    if marker is None:
        yield view
    else:
        with _emulating(livechat_embedded_server, str(marker.args[0])):
            yield view
    view.reset()


@pytest.fixture
def rc_line(
    request: pytest.FixtureRequest, livechat_server: LivechatTestServer
) -> Iterator[ServerLine]:
    """The line this run of the test is for; the shared server emulates it meanwhile."""
    with _emulating(livechat_server.server, str(request.param)) as line:
        yield line


@pytest.fixture
def livechat_client(livechat_server: LivechatTestServer) -> Iterator[LivechatClient]:
    """A ``rocketchat_livechat.LivechatClient`` for the embedded server."""
    from rocketchat_livechat import LivechatClient

    with LivechatClient(livechat_server.url) as client:
        yield client


@_async_fixture
async def async_livechat_client(
    livechat_server: LivechatTestServer,
) -> AsyncIterator[AsyncLivechatClient]:
    """A ``rocketchat_livechat.AsyncLivechatClient`` (needs pytest-asyncio)."""
    from rocketchat_livechat import AsyncLivechatClient

    async with AsyncLivechatClient(livechat_server.url) as client:
        yield client
