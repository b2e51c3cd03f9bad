"""Contract: the SDK's requests, checked by Rocket.Chat's own request validators.

Rocket.Chat publishes the AJV validators its REST routes run (``validateParams``) in npm
``@rocket.chat/rest-typings``; ``node/`` bundles them (``npm install`` there) and
``node/validate.mjs`` answers one JSON line per payload. Every SDK endpoint builder in
``_core/endpoints`` is either checked against the validator of its route, over representative
arguments (none of the optional ones / all of them), or listed in ``NO_VALIDATOR`` with the reason.
The embedded server is held to the same validators: payloads they reject must get a 400, payloads
they accept must not get a validation error.
"""

from __future__ import annotations

import inspect
import json
import shutil
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx2
import pytest

from rocketchat_livechat._core.endpoints import (
    agents,
    auth,
    config,
    departments,
    inquiries,
    messages,
    room,
    users,
    visitor,
)
from rocketchat_livechat._core.request import Call, Request
from rocketchat_livechat.server import EmbeddedServer

pytestmark = pytest.mark.interop

NODE_DIR = Path(__file__).parent / "node"
BUNDLE = NODE_DIR / "build" / "validators.mjs"
ENDPOINT_MODULES: tuple[ModuleType, ...] = (
    agents,
    auth,
    config,
    departments,
    inquiries,
    messages,
    room,
    users,
    visitor,
)

# Builders whose request has nothing a rest-typings validator covers, and why.
NO_VALIDATOR: dict[str, str] = {
    "agents.get_agent_info": "rid and token travel in the path; the route has no schema",
    "config.get_appearance": "the route validates only POST bodies; GET sends nothing",
    "auth.login": "not an omnichannel route",
    "auth.logout": "not an omnichannel route",
    "auth.server_info": "not an omnichannel route",
    "visitor.register_visitor": "rest-typings 8.8.1 exports no validator for POST livechat/visitor",
    "visitor.get_visitor": "the token travels in the path; no query or body",
    "visitor.delete_visitor": "the token travels in the path; no query or body",
    "room.upload_file": "multipart upload; the route has no schema",
    "users.get_user": "type and id travel in the path; no query or body",
    "users.delete_user": "type and id travel in the path; no query or body",
}

TOKEN = "visitor-token-1"
RID = "room-id-1"
PAGE = {"title": "Pricing", "location": {"href": "https://example.com/pricing"}}


@dataclass(frozen=True)
class Case:
    """One request built by an SDK builder, and the validator its Rocket.Chat route runs."""

    builder: str
    label: str
    validator: str
    build: Callable[[], Call[Any]]

    @property
    def id(self) -> str:
        return f"{self.builder}[{self.label}]"


CASES: tuple[Case, ...] = (
    # -- visitor side
    Case("config.get_config", "none", "isGETLivechatConfigParams", config.get_config),
    Case(
        "config.get_config",
        "all",
        "isGETLivechatConfigParams",
        lambda: config.get_config(token=TOKEN, department="dep-1"),
    ),
    # -- manager side (the values are the defaults: the shared server stays as it was)
    Case(
        "config.set_appearance",
        "mapping",
        "isPOSTLivechatAppearanceParams",
        lambda: config.set_appearance({"Livechat_title": "Rocket.Chat"}),
    ),
    Case(
        "config.set_appearance",
        "list of every value type",
        "isPOSTLivechatAppearanceParams",
        lambda: config.set_appearance(
            [
                {"_id": "Livechat_registration_form", "value": True},
                {"_id": "Livechat_message_character_limit", "value": 0},
                {"_id": "Livechat_hide_system_messages", "value": ["uj", "ul", "livechat-close"]},
            ]
        ),
    ),
    Case(
        "agents.get_next_agent", "none", "isGETAgentNextToken", lambda: agents.get_next_agent(TOKEN)
    ),
    Case(
        "agents.get_next_agent",
        "all",
        "isGETAgentNextToken",
        lambda: agents.get_next_agent(TOKEN, department="dep-1"),
    ),
    Case(
        "visitor.set_visitor_status",
        "required",
        "isLivechatVisitorStatusProps",
        lambda: visitor.set_visitor_status(TOKEN, "away"),
    ),
    Case(
        "visitor.set_custom_field",
        "default",
        "isPOSTLivechatCustomFieldParams",
        lambda: visitor.set_custom_field(TOKEN, "plan", "gold"),
    ),
    Case(
        "visitor.set_custom_field",
        "all",
        "isPOSTLivechatCustomFieldParams",
        lambda: visitor.set_custom_field(TOKEN, "plan", "gold", overwrite=False),
    ),
    Case(
        "visitor.set_custom_fields",
        "mapping",
        "isPOSTLivechatCustomFieldsParams",
        lambda: visitor.set_custom_fields(TOKEN, {"plan": "gold", "city": "Porto"}),
    ),
    Case(
        "visitor.set_custom_fields",
        "list",
        "isPOSTLivechatCustomFieldsParams",
        lambda: visitor.set_custom_fields(
            TOKEN, [{"key": "plan", "value": "gold", "overwrite": False}]
        ),
    ),
    Case(
        "visitor.send_page_visited",
        "none",
        "isPOSTLivechatPageVisitedParams",
        lambda: visitor.send_page_visited(TOKEN, None, PAGE),
    ),
    Case(
        "visitor.send_page_visited",
        "all",
        "isPOSTLivechatPageVisitedParams",
        lambda: visitor.send_page_visited(TOKEN, RID, {**PAGE, "change": "url"}),
    ),
    Case("room.get_room", "none", "isGETLivechatRoomParams", lambda: room.get_room(TOKEN)),
    Case(
        "room.get_room",
        "all",
        "isGETLivechatRoomParams",
        lambda: room.get_room(TOKEN, rid=RID, agent_id="agent-1"),
    ),
    Case(
        "room.close_room",
        "required",
        "isPOSTLivechatRoomCloseParams",
        lambda: room.close_room(RID, TOKEN),
    ),
    Case(
        "room.submit_survey",
        "mapping",
        "isPOSTLivechatRoomSurveyParams",
        lambda: room.submit_survey(RID, TOKEN, {"satisfaction": "5", "additionalFeedback": "ok"}),
    ),
    Case(
        "room.submit_survey",
        "list with int",
        "isPOSTLivechatRoomSurveyParams",
        lambda: room.submit_survey(RID, TOKEN, [{"name": "agentKnowledge", "value": 4}]),
    ),
    Case(
        "room.transfer_room",
        "8.x route",
        "isPOSTLivechatVisitorDepartmentTransferParams",
        lambda: room.transfer_room(RID, TOKEN, "dep-1")((8, 8, 1)),
    ),
    Case(  # livechat/room.transfer (< 8.0) takes the same body; 8.8.1 has no validator for it
        "room.transfer_room",
        "7.x route",
        "isPOSTLivechatVisitorDepartmentTransferParams",
        lambda: room.transfer_room(RID, TOKEN, "dep-1")((7, 10, 0)),
    ),
    Case(
        "room.request_transcript",
        "required",
        "isPOSTLivechatTranscriptParams",
        lambda: room.request_transcript(RID, TOKEN, "alice@example.com"),
    ),
    Case(
        "messages.send_message",
        "none",
        "isPOSTLivechatMessageParams",
        lambda: messages.send_message(TOKEN, RID, "Hello"),
    ),
    Case(
        "messages.send_message",
        "all",
        "isPOSTLivechatMessageParams",
        lambda: messages.send_message(
            TOKEN, RID, "Hello", "msg-id-1", {"agentId": "agent-1", "username": "agent.one"}
        ),
    ),
    Case(
        "messages.get_message",
        "required",
        "isGETLivechatMessageIdParams",
        lambda: messages.get_message("msg-id-1", TOKEN, RID),
    ),
    Case(
        "messages.update_message",
        "required",
        "isPUTLivechatMessageIdParams",
        lambda: messages.update_message("msg-id-1", TOKEN, RID, "Hello again"),
    ),
    Case(
        "messages.delete_message",
        "required",
        "isDELETELivechatMessageIdParams",
        lambda: messages.delete_message("msg-id-1", TOKEN, RID),
    ),
    Case(
        "messages.get_message_history",
        "none",
        "isGETLivechatMessagesHistoryRidParams",
        lambda: messages.get_message_history(RID, TOKEN),
    ),
    Case(
        "messages.get_message_history",
        "all",
        "isGETLivechatMessagesHistoryRidParams",
        lambda: messages.get_message_history(
            RID,
            TOKEN,
            ls="2024-10-15T02:52:42.123Z",
            end="2024-10-16T00:00:00.000Z",
            limit=20,
            offset=40,
        ),
    ),
    Case(
        "messages.send_offline_message",
        "none",
        "isPOSTLivechatOfflineMessageParams",
        lambda: messages.send_offline_message("Alice", "alice@example.com", "Call me"),
    ),
    Case(
        "messages.send_offline_message",
        "all",
        "isPOSTLivechatOfflineMessageParams",
        lambda: messages.send_offline_message(
            "Alice", "alice@example.com", "Call me", department="dep-1", host="example.com"
        ),
    ),
    # -- agent side
    Case(
        "messages.send_agent_message",
        "none",
        "isChatSendMessageProps",
        lambda: messages.send_agent_message(RID, "Hi, how can I help?"),
    ),
    Case(
        "messages.send_agent_message",
        "recovery lookup",
        "isChatGetMessageProps",
        lambda: _recover(messages.send_agent_message(RID, "Hi", "msg-id-2")),
    ),
    Case(
        "room.list_rooms",
        "none",
        "isGETLivechatRoomsParams",
        room.list_rooms,
    ),
    Case(
        "room.list_rooms",
        "all",
        "isGETLivechatRoomsParams",
        lambda: room.list_rooms(
            agents=["agent-1", "agent-2"],
            department_id="dep-1",
            open=True,
            created_at={"start": "2024-01-01T00:00:00.000Z", "end": "2024-12-31T00:00:00.000Z"},
            closed_at={"start": "2024-01-01T00:00:00.000Z"},
            tags=["vip"],
            custom_fields={"plan": "gold"},
            offset=0,
            count=25,
            sort={"ts": -1},
        ),
    ),
    Case(
        "room.list_rooms",
        "one agent",
        "isGETLivechatRoomsParams",
        lambda: room.list_rooms(agents=["agent-1"], open=False),
    ),
    Case(
        "room.close_room_by_user",
        "none",
        "isPOSTLivechatRoomCloseByUserParams",
        lambda: room.close_room_by_user(RID),
    ),
    Case(
        "room.close_room_by_user",
        "all",
        "isPOSTLivechatRoomCloseByUserParams",
        lambda: room.close_room_by_user(RID, comment="Solved", tags=["billing", "vip"]),
    ),
    Case(
        "inquiries.list_inquiries",
        "none",
        "isGETLivechatInquiriesListParams",
        inquiries.list_inquiries,
    ),
    Case(
        "inquiries.list_inquiries",
        "all",
        "isGETLivechatInquiriesListParams",
        lambda: inquiries.list_inquiries(department="dep-1", offset=0, count=10, sort={"ts": 1}),
    ),
    Case(
        "inquiries.take_inquiry",
        "none",
        "isPOSTLivechatInquiriesTakeParams",
        lambda: inquiries.take_inquiry("inquiry-1"),
    ),
    Case(
        "inquiries.take_inquiry",
        "all",
        "isPOSTLivechatInquiriesTakeParams",
        lambda: inquiries.take_inquiry("inquiry-1", user_id="agent-1"),
    ),
    Case(
        "inquiries.get_inquiry",
        "required",
        "isGETLivechatInquiriesGetOneParams",
        lambda: inquiries.get_inquiry(RID),
    ),
    Case(
        "users.list_users",
        "none",
        "isLivechatUsersManagerGETProps",
        lambda: users.list_users("agent"),
    ),
    Case(
        "users.list_users",
        "all",
        "isLivechatUsersManagerGETProps",
        lambda: users.list_users("manager", offset=10, count=5),
    ),
    Case(
        "users.create_user",
        "required",
        "isPOSTLivechatUsersTypeProps",
        lambda: users.create_user("agent", "agent.one"),
    ),
    Case(
        "users.set_agent_status",
        "none",
        "isPOSTLivechatAgentStatusProps",
        lambda: users.set_agent_status("available"),
    ),
    Case(
        "users.set_agent_status",
        "all",
        "isPOSTLivechatAgentStatusProps",
        lambda: users.set_agent_status("not-available", agent_id="agent-1"),
    ),
    Case(
        "departments.list_departments",
        "none",
        "isGETLivechatDepartmentProps",
        departments.list_departments,
    ),
    Case(
        "departments.list_departments",
        "all",
        "isGETLivechatDepartmentProps",
        lambda: departments.list_departments(
            text="sales", enabled=True, only_my_departments=False, offset=0, count=10
        ),
    ),
    Case(
        "departments.get_department",
        "required",
        "isLivechatDepartmentIdProps",
        lambda: departments.get_department("dep-1"),
    ),
)


# Payloads Rocket.Chat's validators reject, sent to the embedded server: (method, path, validator,
# query for GET / JSON body otherwise).
INVALID_REQUESTS: tuple[tuple[str, str, str, dict[str, Any]], ...] = (
    ("POST", "livechat/message", "isPOSTLivechatMessageParams", {"token": TOKEN, "rid": RID}),
    (
        "POST",
        "livechat/message",
        "isPOSTLivechatMessageParams",
        {"token": TOKEN, "rid": RID, "msg": "x", "extra": 1},
    ),
    (
        "POST",
        "livechat/message",
        "isPOSTLivechatMessageParams",
        {"token": TOKEN, "rid": RID, "msg": "x", "agent": {"agentId": "agent-1"}},
    ),
    ("POST", "livechat/room.close", "isPOSTLivechatRoomCloseParams", {"token": TOKEN}),
    (
        "POST",
        "livechat/room.survey",
        "isPOSTLivechatRoomSurveyParams",
        {"token": TOKEN, "rid": RID, "data": []},
    ),
    (
        "POST",
        "livechat/room.survey",
        "isPOSTLivechatRoomSurveyParams",
        {"token": TOKEN, "rid": RID, "data": [{"name": "satisfaction"}]},
    ),
    (
        "POST",
        "livechat/custom.field",
        "isPOSTLivechatCustomFieldParams",
        {"token": TOKEN, "key": "plan", "value": "gold"},
    ),
    (
        "POST",
        "livechat/custom.fields",
        "isPOSTLivechatCustomFieldsParams",
        {"token": TOKEN, "customFields": [{"key": "plan", "value": "gold"}]},
    ),
    (
        "POST",
        "livechat/offline.message",
        "isPOSTLivechatOfflineMessageParams",
        {"name": "Alice", "email": "alice@example.com"},
    ),
    (
        "POST",
        "livechat/page.visited",
        "isPOSTLivechatPageVisitedParams",
        {"token": TOKEN, "pageInfo": {"title": "Pricing", "change": "url"}},
    ),
    ("POST", "livechat/transcript", "isPOSTLivechatTranscriptParams", {"token": TOKEN, "rid": RID}),
    (
        "POST",
        "livechat/visitor/department.transfer",
        "isPOSTLivechatVisitorDepartmentTransferParams",
        {"token": TOKEN, "rid": RID},
    ),
    ("POST", "livechat/visitor.status", "isLivechatVisitorStatusProps", {"token": TOKEN}),
    (
        "PUT",
        "livechat/message/msg-id-1",
        "isPUTLivechatMessageIdParams",
        {"token": TOKEN, "rid": RID},
    ),
    ("DELETE", "livechat/message/msg-id-1", "isDELETELivechatMessageIdParams", {"token": TOKEN}),
    ("GET", "livechat/config", "isGETLivechatConfigParams", {"token": TOKEN, "cacheBuster": "1"}),
    ("GET", "livechat/room", "isGETLivechatRoomParams", {"rid": RID}),
    ("GET", "livechat/message/msg-id-1", "isGETLivechatMessageIdParams", {"token": TOKEN}),
    ("GET", f"livechat/messages.history/{RID}", "isGETLivechatMessagesHistoryRidParams", {}),
    ("GET", f"livechat/agent.next/{TOKEN}", "isGETAgentNextToken", {"departmentId": "dep-1"}),
)

# POST livechat/appearance bodies Rocket.Chat's validator rejects; the route needs a manager, so
# they are sent with the admin's headers (the table above goes without any)
INVALID_APPEARANCE_BODIES: tuple[Any, ...] = (
    {},
    [],
    [{"_id": "Livechat_title"}],
    [{"value": "Support"}],
    [{"_id": "Livechat_title", "value": {"text": "Support"}}],
    [{"_id": "Livechat_title", "value": "Support", "extra": 1}],
)


def _recover(call: Call[Any]) -> Call[Any]:
    assert call.recover is not None
    return call.recover()


def qs_object(params: list[tuple[str, str]]) -> dict[str, Any]:
    """Query pairs as Rocket.Chat's ``qs`` parses them: ``a[]=x`` and repeated keys → lists."""
    parsed: dict[str, Any] = {}
    for key, value in params:
        name = key.removesuffix("[]")
        assert "[" not in name and "]" not in name, f"qs would nest {key!r}; not modelled here"
        if name in parsed or key.endswith("[]"):
            previous = parsed.get(name, [])
            parsed[name] = [*previous, value] if isinstance(previous, list) else [previous, value]
        else:
            parsed[name] = value
    return parsed


def payload(request: Request) -> Any:
    """What the route's validator sees: the parsed query for GET, the JSON body otherwise."""
    if request.method == "GET":
        return qs_object(request.params)
    assert not request.params, "Rocket.Chat validates the body of POST/PUT/DELETE, not the query"
    return {} if request.json is None else request.json


class Validators:
    """One long-lived ``node validate.mjs`` process answering one JSON line per question."""

    def __init__(self) -> None:
        self._process = subprocess.Popen(
            ["node", "validate.mjs"],
            cwd=NODE_DIR,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def ask(self, question: dict[str, Any]) -> dict[str, Any]:
        stdin, stdout = self._process.stdin, self._process.stdout
        assert stdin is not None and stdout is not None
        stdin.write(json.dumps(question) + "\n")
        stdin.flush()
        line = stdout.readline()
        if not line:
            raise RuntimeError(f"validate.mjs exited: {self._stderr()}")
        answer: dict[str, Any] = json.loads(line)
        if "error" in answer:
            raise RuntimeError(f"validate.mjs: {answer['error']}")
        return answer

    def names(self) -> set[str]:
        return set(self.ask({"list": True})["validators"])

    def check(self, validator: str, data: Any) -> list[dict[str, Any]]:
        """The validator's errors for ``data`` (empty when it is valid)."""
        answer = self.ask({"validator": validator, "data": data})
        errors: list[dict[str, Any]] = answer["errors"]
        assert answer["valid"] is (not errors)
        return errors

    def close(self) -> None:
        if self._process.stdin is not None:
            self._process.stdin.close()
        try:
            self._process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        for stream in (self._process.stdout, self._process.stderr):
            if stream is not None:
                stream.close()

    def _stderr(self) -> str:
        self._process.wait(timeout=5)
        return self._process.stderr.read() if self._process.stderr is not None else ""


def is_validation_error(response: httpx2.Response) -> bool:
    """Rocket.Chat's validation errors: AJV's ``[invalid-params]`` or Meteor's ``Match error``."""
    if response.status_code != 400:
        return False
    body = response.json()
    return body.get("errorType") == "invalid-params" or str(body.get("error", "")).startswith(
        "Match error"
    )


@dataclass(frozen=True)
class Server:
    """The shared embedded server, with an admin's headers for the agent-side routes."""

    http: httpx2.Client
    admin: dict[str, str]

    def send(self, request: Request) -> httpx2.Response:
        headers = {**request.headers, **(self.admin if request.auth == "user" else {})}
        return self.http.request(
            request.method,
            f"/{request.api_prefix}{request.path}",
            params=tuple(request.params),
            json=request.json,
            headers=headers,
        )


@pytest.fixture(scope="module")
def server(livechat_embedded_server: EmbeddedServer) -> Iterator[Server]:
    embedded = livechat_embedded_server
    with httpx2.Client(base_url=embedded.url, timeout=30) as http:
        login = http.post(
            "/api/v1/login",
            json={"user": embedded.admin_username, "password": embedded.admin_password},
        ).json()["data"]
        yield Server(http, {"X-User-Id": login["userId"], "X-Auth-Token": login["authToken"]})


@pytest.fixture(scope="module")
def validators() -> Iterator[Validators]:
    if shutil.which("node") is None:
        pytest.skip("node is not installed: Rocket.Chat's validators run in Node")
    if not BUNDLE.is_file():
        pytest.skip(f"{BUNDLE} is not built: run `npm install` in {NODE_DIR}")
    service = Validators()
    yield service
    service.close()


def _builders() -> set[str]:
    """Every public ``_core/endpoints`` function that returns a ``Call`` (or makes one)."""
    found = set()
    for module in ENDPOINT_MODULES:
        short = module.__name__.rsplit(".", 1)[-1]
        for name, function in inspect.getmembers(module, inspect.isfunction):
            returns = str(function.__annotations__.get("return", ""))
            if function.__module__ == module.__name__ and "Call[" in returns:
                found.add(f"{short}.{name}")
    return found


def test_every_builder_is_checked_or_has_no_validator() -> None:
    checked = {case.builder for case in CASES}
    assert not checked & NO_VALIDATOR.keys()
    assert _builders() == checked | NO_VALIDATOR.keys()


def test_every_validator_used_exists_in_rest_typings(validators: Validators) -> None:
    missing = {case.validator for case in CASES} - validators.names()
    assert not missing, f"rest-typings no longer exports {sorted(missing)}"


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_sdk_request_passes_rocketchat_validator(validators: Validators, case: Case) -> None:
    request = case.build().request
    data = payload(request)
    errors = validators.check(case.validator, data)
    assert not errors, f"{request.method} {request.path} {json.dumps(data)} → {errors}"


@pytest.mark.parametrize(
    ("validator", "data"),
    [
        ("isPOSTLivechatMessageParams", {"token": TOKEN, "rid": RID}),
        ("isPOSTLivechatMessageParams", {"token": TOKEN, "rid": RID, "msg": "x", "extra": 1}),
        ("isPOSTLivechatRoomSurveyParams", {"token": TOKEN, "rid": RID, "data": []}),
        ("isGETLivechatConfigParams", {"token": TOKEN, "cacheBuster": "1"}),
    ],
)
def test_validators_reject_what_rocketchat_rejects(
    validators: Validators, validator: str, data: dict[str, Any]
) -> None:
    """Guards the harness itself: a validator that accepted everything would hide mismatches."""
    assert validators.check(validator, data)


@pytest.mark.parametrize("case", [pytest.param(case, id=case.id) for case in CASES])
def test_server_accepts_what_the_validator_accepts(
    validators: Validators, server: Server, case: Case
) -> None:
    """The SDK's (valid) requests reach the route's logic: no validation error, no unknown route.

    The ids are made up, so most answers are business errors such as ``invalid-token``.
    """
    request = case.build().request
    assert not validators.check(case.validator, payload(request))
    response = server.send(request)
    assert not is_validation_error(response), f"{request.method} {request.path}: {response.text}"
    assert response.status_code != 404 or "does not exist" not in response.text, response.text


@pytest.mark.parametrize(
    ("method", "path", "validator", "data"),
    INVALID_REQUESTS,
    ids=[f"{method} {path} {json.dumps(data)}" for method, path, _, data in INVALID_REQUESTS],
)
def test_server_rejects_what_the_validator_rejects(
    validators: Validators,
    server: Server,
    method: str,
    path: str,
    validator: str,
    data: dict[str, Any],
) -> None:
    assert validators.check(validator, data), "the validator accepts it: not an invalid case"
    query = method == "GET"
    response = server.http.request(
        method, f"/api/v1/{path}", params=data if query else None, json=None if query else data
    )
    assert response.status_code == 400, response.text
    assert is_validation_error(response), response.text


@pytest.mark.parametrize("body", INVALID_APPEARANCE_BODIES, ids=json.dumps)
def test_server_rejects_appearance_bodies_the_validator_rejects(
    validators: Validators, server: Server, body: Any
) -> None:
    assert validators.check("isPOSTLivechatAppearanceParams", body), "not an invalid case"
    response = server.http.post("/api/v1/livechat/appearance", json=body, headers=server.admin)
    assert is_validation_error(response), response.text
