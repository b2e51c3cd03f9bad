"""Secrets stay secret end to end: a whole visitor + agent session, with failures, recorded.

One module-scoped run drives the async client against a real server (a child process logging
at DEBUG) partly through the fault proxy: two visitors, an admin and an agent log in, chat,
upload, follow realtime streams across a forced drop, and fail in every way a user meets
(unknown token, foreign room, wrong password, bad auth token, no login, timeouts, resets,
502s, 429s, connection refused, a refused subscription). Every logger of the client process
is at DEBUG. Then each place a secret could leak is searched for every secret: log records
(with tracebacks), stdout/stderr and warnings, exception texts and tracebacks, reprs of the
clients and streams, reprs of the returned models, the server's own log, and CLI output.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import logging
import secrets
import traceback
import warnings
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from _reliability_env import rest_agent, start_server_process
from click.testing import CliRunner

from _support.faultproxy import Fault, FaultPlan, FaultProxy, TunnelDrop
from _support.servers import ServerProcess
from rocketchat_livechat import APIError, AsyncLivechatClient
from rocketchat_livechat.realtime import ConnectionEvent, MessageEvent

# random, so that any 10-character fragment of one found in a text is a leak
ADMIN_PASSWORD = secrets.token_hex(12)
AGENT_PASSWORD = secrets.token_hex(12)
WRONG_PASSWORD = secrets.token_hex(12)
TOKEN_A = secrets.token_hex(16)
TOKEN_B = secrets.token_hex(16)
UNKNOWN_TOKEN = secrets.token_hex(16)
BOGUS_AUTH_TOKEN = secrets.token_hex(16)
FRAGMENT = 10


@dataclass
class Recording:
    """Everything the session left behind, by where it could leak."""

    secrets: list[str] = field(default_factory=list)
    logs: list[tuple[str, str]] = field(default_factory=list)  # (logger, text)
    loggers: set[str] = field(default_factory=set)
    console: list[str] = field(default_factory=list)
    errors: list[APIError] = field(default_factory=list)
    sdk_reprs: list[str] = field(default_factory=list)
    results: list[Any] = field(default_factory=list)
    server_log: list[str] = field(default_factory=list)


class _Capture(logging.Handler):
    def __init__(self, recording: Recording) -> None:
        super().__init__(logging.DEBUG)
        self.recording = recording
        self.setFormatter(logging.Formatter("%(levelname)s %(name)s %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        self.recording.loggers.add(record.name)
        self.recording.logs.append((record.name, self.format(record)))
        self.recording.logs.append((record.name, repr(record.args)))


@contextlib.contextmanager
def debug_everywhere(recording: Recording) -> Iterator[None]:
    """Every logger at DEBUG into ``recording``; levels restored afterwards."""
    manager = logging.root.manager
    loggers = [logging.root] + [
        logger for logger in manager.loggerDict.values() if isinstance(logger, logging.Logger)
    ]
    saved = [(logger, logger.level, logger.disabled) for logger in loggers]
    handler = _Capture(recording)
    for logger in loggers:
        logger.setLevel(logging.DEBUG)
        logger.disabled = False
    logging.root.addHandler(handler)
    try:
        yield
    finally:
        logging.root.removeHandler(handler)
        for logger, level, disabled in saved:
            logger.setLevel(level)
            logger.disabled = disabled


class Session:
    """The scripted session; every outcome lands in the recording."""

    def __init__(self, recording: Recording, url: str, proxy: FaultProxy) -> None:
        self.rec = recording
        self.url = url
        self.proxy = proxy

    async def call(self, action: Callable[[], Awaitable[Any]]) -> Any:
        try:
            result = await action()
        except APIError as exc:
            self.rec.errors.append(exc)
            return None
        self.rec.results.append(result)
        return result

    async def run(self, agent_username: str) -> None:
        url, proxied = self.url, self.proxy.url
        async with (
            AsyncLivechatClient(url) as admin,
            # both HTTP backends: the default (aiohttp) and httpx2's own, whose httpcore2 logs
            # every request at debug level
            AsyncLivechatClient(url, http_backend="httpx2") as agent,
            AsyncLivechatClient(url, http_backend="httpx2") as visitor,
            AsyncLivechatClient(proxied, timeout=0.5, max_rate_limit_wait=0.2) as flaky,
        ):
            self.rec.sdk_reprs += [repr(c) for c in (admin, agent, visitor, flaky)]
            await self.call(lambda: admin.login("admin", ADMIN_PASSWORD))
            await self.call(lambda: agent.login(agent_username, AGENT_PASSWORD))
            self.rec.secrets += [t for t in (admin.auth_token, agent.auth_token) if t]
            rid_a = await self.visitor_flow(visitor, TOKEN_A)
            rid_b = await self.visitor_flow(visitor, TOKEN_B)
            await self.agent_flow(agent, rid_a)
            await self.realtime(agent, rid_a)
            await self.failures(visitor, flaky, agent_username, rid_a, rid_b)
            await self.call(lambda: visitor.room.close_room(rid_a, TOKEN_A))
            await self.call(lambda: visitor.messages.send_message(TOKEN_A, rid_a, "closed"))
            self.rec.sdk_reprs += [repr(c) for c in (admin, agent, visitor, flaky)]
            await self.call(agent.logout)
            await self.call(admin.logout)

    async def visitor_flow(self, client: AsyncLivechatClient, token: str) -> str:
        email = f"{token[:6]}@example.com"  # one address per visitor: RC merges by e-mail
        await self.call(lambda: client.visitor.register_visitor(token, name="V", email=email))
        await self.call(lambda: client.config.get_config(token=token))
        await self.call(lambda: client.visitor.get_visitor(token))
        rid: str = (await client.room.get_room(token)).room.id
        await self.call(lambda: client.agents.get_agent_info(rid, token))
        await self.call(lambda: client.agents.get_next_agent(token))
        message = await self.call(lambda: client.messages.send_message(token, rid, "hello"))
        await self.call(lambda: client.messages.get_message(message.id, token, rid))
        await self.call(lambda: client.messages.update_message(message.id, token, rid, "hi"))
        await self.call(lambda: client.messages.get_message_history(rid, token))
        await self.call(lambda: client.room.upload_file(rid, b"report", token, filename="r.txt"))
        await self.call(lambda: client.visitor.set_visitor_status(token, "away"))
        page = {"title": "Pricing", "location": {"href": "https://x.io/pricing"}}
        await self.call(lambda: client.visitor.send_page_visited(token, rid, page))
        return rid

    async def agent_flow(self, agent: AsyncLivechatClient, rid: str) -> None:
        await self.call(lambda: agent.messages.send_agent_message(rid, "how can I help?"))
        await self.call(lambda: agent.room.list_rooms(agents=[agent.user_id or ""]))
        await self.call(lambda: agent.inquiries.get_inquiry(rid))

    async def realtime(self, agent: AsyncLivechatClient, rid: str) -> None:
        """The visitor's stream through the proxy across a forced drop; the agent's stream."""
        async with AsyncLivechatClient(self.proxy.url) as client:
            stream = client.realtime.connect(TOKEN_A, rooms=[rid], ping_interval=0.5)
            self.rec.sdk_reprs.append(repr(stream))
            async with stream:
                await agent.messages.send_agent_message(rid, "before the drop")
                await self.until(stream, "before the drop")
                await asyncio.to_thread(self.proxy.drop_tunnels, TunnelDrop.RESET)
                await agent.messages.send_agent_message(rid, "after the drop")
                await self.until(stream, "after the drop")
                await stream.send_typing(rid, True)
        agent_stream = agent.realtime.connect_agent()
        self.rec.sdk_reprs.append(repr(agent_stream))
        async with agent_stream:
            await agent.messages.send_agent_message(rid, "agent stream")
            await self.until(agent_stream, "agent stream")
        async with AsyncLivechatClient(self.url) as client:
            refused = client.realtime.connect(UNKNOWN_TOKEN, rooms=[rid])
            with pytest.raises(APIError) as caught:
                await refused.open()
            self.rec.errors.append(caught.value)
            self.rec.sdk_reprs.append(repr(refused))
            await refused.close()

    async def until(self, stream: Any, text: str) -> None:
        async def wait() -> None:
            async for event in stream:
                self.rec.results.append(event)
                if isinstance(event, MessageEvent) and event.message.msg == text:
                    return
                if isinstance(event, ConnectionEvent) and event.error is not None:
                    self.rec.sdk_reprs.append(repr(event))

        await asyncio.wait_for(wait(), timeout=20)

    async def failures(
        self,
        visitor: AsyncLivechatClient,
        flaky: AsyncLivechatClient,
        agent_username: str,
        rid_a: str,
        rid_b: str,
    ) -> None:
        await self.call(lambda: visitor.visitor.get_visitor(UNKNOWN_TOKEN))
        await self.call(lambda: visitor.messages.send_message(TOKEN_A, rid_b, "not yours"))
        await self.call(lambda: visitor.room.upload_file(rid_b, b"x", TOKEN_A, filename="x.txt"))
        await self.call(lambda: visitor.messages.get_message_history(rid_b, TOKEN_A))
        await self.call(lambda: visitor.login(agent_username, WRONG_PASSWORD))
        await self.call(lambda: visitor.room.list_rooms())
        async with AsyncLivechatClient(
            self.url, user_id="someone", auth_token=BOGUS_AUTH_TOKEN
        ) as bogus:
            self.rec.sdk_reprs.append(repr(bogus))
            await self.call(lambda: bogus.room.list_rooms())
        scripts = [
            [Fault.STALL] * 3,
            [Fault.RESET_BEFORE] * 3,
            [Fault.HTML_502] * 3,
            [Fault.SHORT_BODY] * 3,
            [Fault.TRUNCATE] * 3,
            [Fault.RATE_LIMIT],  # last: the burst outlasts the remaining calls
        ]
        for script in scripts:
            self.proxy.plan = FaultPlan(script=script)
            await self.call(lambda: flaky.visitor.get_visitor(TOKEN_A))
            self.proxy.plan = FaultPlan(script=script)
            await self.call(lambda: flaky.room.get_room(TOKEN_A, rid=rid_a))
        self.proxy.plan = FaultPlan()
        async with AsyncLivechatClient("http://127.0.0.1:9", max_retries=1) as closed_port:
            await self.call(lambda: closed_port.visitor.get_visitor(TOKEN_A))
            await self.call(lambda: closed_port.login("admin", ADMIN_PASSWORD))


@pytest.fixture(scope="module")
def recording(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Recording]:
    rec = Recording(
        secrets=[
            ADMIN_PASSWORD,
            AGENT_PASSWORD,
            WRONG_PASSWORD,
            TOKEN_A,
            TOKEN_B,
            UNKNOWN_TOKEN,
            BOGUS_AUTH_TOKEN,
        ]
    )
    data_dir = tmp_path_factory.mktemp("secrets") / "data"
    server = start_server_process(data_dir, admin_password=ADMIN_PASSWORD, debug_logging=True)
    try:
        agent = rest_agent(server.url, ADMIN_PASSWORD, "secret-agent", AGENT_PASSWORD)
        rec.secrets.append(agent.auth_token)
        out, err = io.StringIO(), io.StringIO()
        with (
            FaultProxy(server.url, stall_seconds=1.0) as proxy,
            debug_everywhere(rec),
            warnings.catch_warnings(record=True) as caught_warnings,
            contextlib.redirect_stdout(out),
            contextlib.redirect_stderr(err),
        ):
            warnings.simplefilter("always")
            asyncio.run(Session(rec, server.url, proxy).run(agent.username))
        rec.console = [out.getvalue(), err.getvalue(), *(str(w.message) for w in caught_warnings)]
    finally:
        server.stop()
    rec.server_log = list(server.output)
    yield rec


def fragments(secret: str) -> set[str]:
    """Every ``FRAGMENT``-long piece of ``secret`` (a truncated log line still leaks)."""
    size = min(FRAGMENT, len(secret))
    return {secret[i : i + size] for i in range(len(secret) - size + 1)}


def leaks(recording: Recording, texts: list[str]) -> dict[str, list[str]]:
    """Secret (shortened) -> the texts holding it or a fragment of it."""
    found: dict[str, list[str]] = {}
    for secret in recording.secrets:
        pieces = fragments(secret)
        holders = [text[:300] for text in texts if any(p in text for p in pieces)]
        if holders:
            found[secret[:6] + "…"] = holders[:3]
    return found


def test_the_session_really_happened(recording: Recording) -> None:
    names = {type(error).__name__ for error in recording.errors}
    assert {
        "InvalidTokenError",
        "InvalidRoomError",
        "PermissionDeniedError",
        "AuthenticationError",
        "APITimeoutError",
        "APIConnectionError",
        "ServerError",
        "RateLimitError",
        "UnexpectedResponseError",
        "RoomClosedError",
    } <= names, names
    assert {"rocketchat_livechat", "httpx2", "httpcore2"} <= {
        name.split(".")[0] for name in recording.loggers
    }
    assert any(name == "rocketchat_livechat.websocket" for name in recording.loggers)
    assert any("realtime" in name for name in recording.loggers)


def test_no_secret_in_sdk_and_http_log_records(recording: Recording) -> None:
    """``rocketchat_livechat.*``, ``httpx2``, ``httpcore2``, asyncio... — all but the frames."""
    records = [r for name, r in recording.logs if name != "rocketchat_livechat.websocket"]
    assert leaks(recording, records) == {}


def test_no_secret_in_websocket_frame_log_records(recording: Recording) -> None:
    records = [r for name, r in recording.logs if name == "rocketchat_livechat.websocket"]
    assert records  # frames were logged
    assert leaks(recording, records) == {}


def test_no_secret_on_stdout_stderr_or_in_warnings(recording: Recording) -> None:
    assert leaks(recording, recording.console) == {}


def test_no_secret_in_exception_texts_or_tracebacks(recording: Recording) -> None:
    texts = []
    for error in recording.errors:
        texts += [str(error), repr(error), error.message]
        texts.append("".join(traceback.format_exception(error)))
    assert leaks(recording, texts) == {}


def test_no_secret_in_client_and_stream_reprs(recording: Recording) -> None:
    assert leaks(recording, recording.sdk_reprs) == {}


def test_no_secret_in_result_model_reprs(recording: Recording) -> None:
    assert leaks(recording, [repr(result) for result in recording.results]) == {}


def test_no_secret_in_the_server_log(recording: Recording) -> None:
    assert any(line.startswith("DEBUG") for line in recording.server_log)  # logging was on
    assert leaks(recording, recording.server_log) == {}


# --- CLI ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def cli_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    server = start_server_process(
        tmp_path_factory.mktemp("cli") / "data", admin_password=ADMIN_PASSWORD
    )
    rest_agent(server.url, ADMIN_PASSWORD, "cli-agent", AGENT_PASSWORD)
    yield server
    server.stop()


def run_cli(url: str, *args: str, json_output: bool = False) -> tuple[int, str]:
    from rocketchat_livechat.cli import cli

    mode = "--json" if json_output else "--no-json"
    result = CliRunner().invoke(cli, ["--server", url, mode, "-v", *args])
    return result.exit_code, result.output


def cli_leaks(output: str) -> list[str]:
    secrets_ = (TOKEN_A, UNKNOWN_TOKEN, AGENT_PASSWORD, WRONG_PASSWORD, BOGUS_AUTH_TOKEN)
    return [s[:6] for s in secrets_ if any(p in output for p in fragments(s))]


@pytest.fixture(scope="module")
def cli_visitor(cli_server: ServerProcess, tmp_path_factory: pytest.TempPathFactory) -> Path:
    code, _ = run_cli(cli_server.url, "visitor", "register", "--token", TOKEN_A, "--name", "C")
    assert code == 0
    upload = tmp_path_factory.mktemp("upload") / "notes.txt"
    upload.write_text("notes")
    return upload


CLI_CASES: list[tuple[str, tuple[str, ...], int | None]] = [
    ("visitor-get", ("visitor", "get", "--token", TOKEN_A), 0),
    ("room-open", ("room", "open", "--token", TOKEN_A), 0),
    ("send", ("send", "--token", TOKEN_A, "hello from the CLI"), 0),
    ("history", ("history", "--token", TOKEN_A), 0),
    ("upload", ("upload", "--token", TOKEN_A, "{upload}"), 0),
    ("get-unknown", ("visitor", "get", "--token", UNKNOWN_TOKEN), 1),
    ("send-unknown", ("send", "--token", UNKNOWN_TOKEN, "x"), 1),
    (
        "rooms-password",
        ("rooms", "list", "--mine", "--user", "cli-agent", "--password", AGENT_PASSWORD),
        0,
    ),
    ("rooms-wrong", ("rooms", "list", "--user", "cli-agent", "--password", WRONG_PASSWORD), 4),
    ("rooms-bogus", ("rooms", "list", "--user-id", "x", "--auth-token", BOGUS_AUTH_TOKEN), 4),
    ("room-close", ("room", "close", "--token", TOKEN_A), None),  # the 2nd run finds it closed
]


def _cli_params() -> list[Any]:
    return [
        pytest.param(args, code, json_output, id=f"{name}-{'json' if json_output else 'human'}")
        for name, args, code in CLI_CASES
        for json_output in (False, True)
    ]


@pytest.mark.parametrize(("args", "exit_code", "json_output"), _cli_params())
def test_cli_output_holds_no_secret(
    cli_server: ServerProcess,
    cli_visitor: Path,
    args: tuple[str, ...],
    exit_code: int | None,
    json_output: bool,
) -> None:
    argv = [a.replace("{upload}", str(cli_visitor)) for a in args]
    code, output = run_cli(cli_server.url, *argv, json_output=json_output)
    if exit_code is not None:
        assert code == exit_code, output
    assert cli_leaks(output) == [], output
