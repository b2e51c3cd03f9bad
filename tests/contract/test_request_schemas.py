"""Contract: the SDK's requests, checked by Rocket.Chat's own request validators.

Rocket.Chat publishes the AJV validators its REST routes run (``validateParams``) in npm
``@rocket.chat/rest-typings``; ``node/`` bundles them (``npm install`` there) and
``node/validate.mjs`` answers one JSON line per payload. Every endpoint declared in
``_core/endpoints`` either names the validator of its route (``schema=``), and then each of its
samples is checked against it (on every route of a ``since`` endpoint), or is listed in
``NO_VALIDATOR`` with the reason. A few requests no sample builds are added by hand.
The embedded server is held to the same validators: payloads they reject must get a 400, payloads
they accept must not get a validation error.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx2
import pytest

from rocketchat_livechat._core.endpoint import Endpoint, Sample
from rocketchat_livechat._core.endpoints import (
    config,
    declared,
    departments,
    inquiries,
    messages,
    room,
)
from rocketchat_livechat._core.request import Call, Request
from rocketchat_livechat.server import EmbeddedServer

pytestmark = pytest.mark.interop

NODE_DIR = Path(__file__).parent / "node"
BUNDLE = NODE_DIR / "build" / "validators.mjs"
ENDPOINTS = declared()

# Declared endpoints without a ``schema``: their request has nothing a rest-typings validator
# covers, and why.
NO_VALIDATOR: dict[str, str] = {
    "agents.get_agent_info": "rid and token travel in the path; the route has no schema",
    "config.get_appearance": "the route validates only POST bodies; GET sends nothing",
    "config.test_webhook": "webhooks.ts declares no validator; the POST has no body",
    "config.get_integration_settings": "the route has no schema; GET sends nothing",
    "auth.login": "not an omnichannel route",
    "auth.logout": "not an omnichannel route",
    "auth.server_version": "not an omnichannel route",
    "visitor.register_visitor": "rest-typings 8.8.1 exports no validator for POST livechat/visitor",
    "visitor.get_visitor": "the token travels in the path; no query or body",
    "visitor.delete_visitor": "the token travels in the path; no query or body",
    "room.upload_file": "multipart upload; the route has no schema",
    "messages.upload_agent_media": "multipart upload; rooms.media/:rid has no schema",
    "messages.confirm_agent_media": "rooms.mediaConfirm/:rid/:fileId has no schema (rooms.ts)",
    "messages.upload_agent_file_legacy": "multipart upload; rooms.upload/:rid has no schema",
    "room.get_transfer_history": "transfer.ts declares no validator (rid in the path, paging)",
    "room.get_visitor_rooms": "the token travels in the path; the route has no schema",
    "users.get_user": "type and id travel in the path; no query or body",
    "users.delete_user": "type and id travel in the path; no query or body",
    "departments.update_department": "PUT livechat/department/:_id runs only Match checks",
    "departments.delete_department": "the id travels in the path; no query or body",
    "departments.get_department_agents": "GET livechat/department/:_id/agents has no schema",
    "messages.receive_sms": "sms.ts declares no validator (the provider's own fields)",
    "triggers.get_trigger": "the id travels in the path; livechat/triggers/:_id has no schema",
    "triggers.delete_trigger": "the id travels in the path; livechat/triggers/:_id has no schema",
    "contacts.register_legacy_contact": (
        "POST omnichannel/contact runs only a Match check (rest-typings' "
        "isPOSTOmnichannelContactProps, which requires username, is not applied to the route)"
    ),
    "custom_fields.get_custom_field": (
        "the id travels in the path; livechat/custom-fields/:_id has no schema"
    ),
    "departments.save_department_agents": (
        "POST livechat/department/:_id/agents runs only a Match check (rest-typings' "
        "isLivechatDepartmentDepartmentIdAgentsPOSTProps is not applied to the route)"
    ),
    "config.get_routing_config": "GET livechat/config/routing takes no parameters",
    "departments.archive_department": "the id travels in the path; no query or body",
    "departments.unarchive_department": "the id travels in the path; no query or body",
    "departments.list_departments_by_ids": (
        "GET livechat/department.listByIds checks `ids` by hand (required, an array)"
    ),
    "departments.autocomplete_departments": (
        "GET livechat/department.autocomplete checks `selector` by hand (rest-typings' "
        "isLivechatDepartmentAutocompleteProps is not applied to the route)"
    ),
    "departments.is_department_creation_available": "takes no parameters",
    "room.get_room_filters": "GET livechat/rooms/filters takes no parameters",
    "room.cancel_transcript_request": "the rid travels in the path; DELETE has no body",
}

# Declared endpoints whose route has a validator that their declaration does not name (a bug in
# the declaration: add ``schema=`` there, then remove the entry). Checked all the same.
SCHEMA_NOT_DECLARED: dict[str, str] = {}

TOKEN = "visitor-token-1"
RID = "room-id-1"


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


def just_below(version: tuple[int, ...]) -> tuple[int, ...]:
    """A version older than ``version`` (``(8, 0)`` → ``(7, 999, 999)``)."""
    last = max(i for i, part in enumerate(version) if part > 0)
    return (*version[:last], version[last] - 1, *(999,) * (len(version) - last))


def server_versions(endpoint: Endpoint[Any, Any]) -> list[tuple[int, ...] | None]:
    """``None`` (no lookup) for a plain endpoint; a version for each route of a ``since`` one."""
    if not endpoint.since:
        return [None]
    return [just_below(endpoint.since[0][0]), *(since for since, _ in endpoint.since)]


def sample_call(
    endpoint: Endpoint[Any, Any], sample: Sample, version: tuple[int, ...] | None
) -> Callable[[], Call[Any]]:
    def build() -> Call[Any]:
        return endpoint.assemble(endpoint.parts(*sample.args, **sample.kwargs), version)

    return build


def derived_cases() -> list[Case]:
    """Every sample of every endpoint with a validator, on every route it has."""
    cases = []
    for endpoint in ENDPOINTS:
        validator = endpoint.schema or SCHEMA_NOT_DECLARED.get(endpoint.qualname)
        if validator is None:
            continue
        for index, sample in enumerate(endpoint.samples):
            for version in server_versions(endpoint):
                label = f"sample {index}"
                if version is not None:
                    label += f" {endpoint.route_for(version)} @" + ".".join(map(str, version))
                cases.append(
                    Case(
                        endpoint.qualname, label, validator, sample_call(endpoint, sample, version)
                    )
                )
    return cases


def _recover(call: Call[Any]) -> Call[Any]:
    assert call.recover is not None
    return call.recover()


def _transfer(version: tuple[int, ...]) -> Call[Any]:
    return room.transfer_room.assemble(room.transfer_room.parts(RID, TOKEN, "dep-1"), version)


# Requests no sample builds: the lookups of retried sends, the transfer on real server versions,
# and arguments the samples do not pass.
SPECIAL_CASES: tuple[Case, ...] = (
    Case(
        "messages.send_agent_message",
        "recovery lookup",
        "isChatGetMessageProps",
        lambda: _recover(messages.send_agent_message(RID, "Hi", message_id="msg-id-2")),
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
        "messages.send_message",
        "recovery lookup",
        "isGETLivechatMessageIdParams",
        lambda: _recover(messages.send_message(TOKEN, RID, "Hi", message_id="msg-id-3")),
    ),
    Case(
        "room.transfer_room",
        "8.x route",
        "isPOSTLivechatVisitorDepartmentTransferParams",
        lambda: _transfer((8, 8, 1)),
    ),
    Case(  # livechat/room.transfer (< 8.0) takes the same body; 8.8.1 has no validator for it
        "room.transfer_room",
        "7.x route",
        "isPOSTLivechatVisitorDepartmentTransferParams",
        lambda: _transfer((7, 10, 0)),
    ),
    Case(
        "messages.get_message_history",
        "ls",
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
        "room.list_rooms",
        "two agents, both date bounds",
        "isGETLivechatRoomsParams",
        lambda: room.list_rooms(
            agents=["agent-1", "agent-2"],
            created_at={"start": "2024-01-01T00:00:00.000Z", "end": "2024-12-31T00:00:00.000Z"},
            closed_at={"start": "2024-01-01T00:00:00.000Z"},
            open=False,
        ),
    ),
    Case(
        "inquiries.list_inquiries",
        "offset",
        "isGETLivechatInquiriesListParams",
        lambda: inquiries.list_inquiries(department="dep-1", offset=0, count=10, sort={"ts": 1}),
    ),
    Case(
        "departments.list_departments",
        "only my departments",
        "isGETLivechatDepartmentProps",
        lambda: departments.list_departments(
            text="sales", enabled=True, only_my_departments=False, offset=0, count=10
        ),
    ),
)

CASES: tuple[Case, ...] = (*derived_cases(), *SPECIAL_CASES)


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

# omnichannel/contacts* requests Rocket.Chat's validators reject (sent with the admin's headers:
# the routes need a user): (method, path, validator, query for GET / JSON body otherwise)
_CONTACT = {"name": "Alice", "emails": ["a@example.com"], "phones": ["1"]}
INVALID_CONTACT_REQUESTS: tuple[tuple[str, str, str, dict[str, Any]], ...] = (
    ("POST", "omnichannel/contacts", "isPOSTOmnichannelContactsProps", {"name": "Alice"}),
    (
        "POST",
        "omnichannel/contacts",
        "isPOSTOmnichannelContactsProps",
        {**_CONTACT, "phones": ["1", "1"]},
    ),
    ("POST", "omnichannel/contacts", "isPOSTOmnichannelContactsProps", {**_CONTACT, "x": 1}),
    (
        "POST",
        "omnichannel/contacts.update",
        "isPOSTUpdateOmnichannelContactsProps",
        {"contactId": "c1", "unknown": True},
    ),
    (
        "POST",
        "omnichannel/contacts.conflicts",
        "isPOSTOmnichannelContactsConflictsProps",
        {"name": "Alice"},
    ),
    ("POST", "omnichannel/contacts.delete", "isPOSTOmnichannelContactDeleteProps", {}),
    ("GET", "omnichannel/contacts.get", "isGETOmnichannelContactsProps", {}),
    ("GET", "omnichannel/contacts.get", "isGETOmnichannelContactsProps", {"contactId": " "}),
    ("GET", "omnichannel/contacts.search", "isGETOmnichannelContactsSearchProps", {"x": "1"}),
    (
        "GET",
        "omnichannel/contacts.checkExistence",
        "isGETOmnichannelContactsCheckExistenceProps",
        {},
    ),
    (
        "GET",
        "omnichannel/contacts.checkExistence",
        "isGETOmnichannelContactsCheckExistenceProps",
        {"contactId": "c1", "phone": "1"},
    ),
    (
        "GET",
        "omnichannel/contacts.checkExistence",
        "isGETOmnichannelContactsCheckExistenceProps",
        {"email": "not-an-email"},
    ),
    ("GET", "omnichannel/contacts.history", "isGETOmnichannelContactHistoryProps", {}),
    ("GET", "omnichannel/contacts.channels", "isGETOmnichannelContactsChannelsProps", {}),
)


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
        admin = {"X-User-Id": login["userId"], "X-Auth-Token": login["authToken"]}
        # the samples really save appearance settings (a message length limit, for one): the
        # module puts them back so that the tests after it see the server's defaults
        saved = http.get("/api/v1/livechat/appearance", headers=admin).json()["appearance"]
        yield Server(http, admin)
        restore = [{"_id": s["_id"], "value": s["value"]} for s in saved]
        http.post("/api/v1/livechat/appearance", json=restore, headers=admin).raise_for_status()


@pytest.fixture(scope="module")
def validators() -> Iterator[Validators]:
    if shutil.which("node") is None:
        pytest.skip("node is not installed: Rocket.Chat's validators run in Node")
    if not BUNDLE.is_file():
        pytest.skip(f"{BUNDLE} is not built: run `npm install` in {NODE_DIR}")
    service = Validators()
    yield service
    service.close()


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=[e.qualname for e in ENDPOINTS])
def test_every_endpoint_is_checked_or_has_no_validator(endpoint: Endpoint[Any, Any]) -> None:
    name = endpoint.qualname
    if endpoint.schema is not None:
        assert name not in NO_VALIDATOR, f"{name} declares schema={endpoint.schema!r}"
        assert name not in SCHEMA_NOT_DECLARED, f"{name} declares its schema now: remove it here"
        assert any(case.builder == name for case in CASES)
        return
    assert (name in NO_VALIDATOR) != (name in SCHEMA_NOT_DECLARED), (
        f"{name} has no schema=: declare it, or give NO_VALIDATOR the reason"
    )
    if name in SCHEMA_NOT_DECLARED:
        pytest.xfail(f"{name} is checked against {SCHEMA_NOT_DECLARED[name]}; declare schema=")


def test_no_validator_lists_only_declared_endpoints() -> None:
    names = {e.qualname for e in ENDPOINTS}
    assert NO_VALIDATOR.keys() <= names
    assert SCHEMA_NOT_DECLARED.keys() <= names
    assert {case.builder for case in CASES} <= names
    assert not {case.builder for case in CASES} & NO_VALIDATOR.keys()
    assert len({case.id for case in CASES}) == len(CASES)


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


@pytest.mark.parametrize(
    ("method", "path", "validator", "data"),
    INVALID_CONTACT_REQUESTS,
    ids=[
        f"{method} {path} {json.dumps(data)}" for method, path, _, data in INVALID_CONTACT_REQUESTS
    ],
)
def test_server_rejects_contact_requests_the_validator_rejects(
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
        method,
        f"/api/v1/{path}",
        params=data if query else None,
        json=None if query else data,
        headers=server.admin,
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
