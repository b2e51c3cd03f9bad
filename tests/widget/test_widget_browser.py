"""The official Livechat widget (npm ``@rocket.chat/livechat`` 1.13.3) in headless Chromium.

A website page embeds the widget with Rocket.Chat's installation snippet; a visitor opens it,
sees the title from ``livechat/config``, fills the registration form and writes; a bot
(:class:`rocketchat_livechat.bot.LivechatBot`, routed the chat by Auto_Selection) shows
"typing" (``user-activity``, which the 7.x widget receives as ``<rid>/typing``) and answers;
the reply and the avatars show; the visitor uploads an image, which shows, and the bot
acknowledges it; the visitor finishes the chat and the server has it closed. Once with
everything served by the embedded server, once with the page and the widget on another origin
(every REST call cross-origin, allowed by ``API_Enable_CORS`` / ``API_CORS_Origin``, and
refused without). Also: the visitor's typing reaching the agent's realtime stream, a chat the
agent closes, the offline form when no agent is online, and a trigger's message.
No request the widget makes fails or answers >= 400, and no DDP frame carries an error.

Every wait is on a condition (Playwright's auto-waiting locators); a screenshot of each
conversation is kept under ``bench/out/widget/``.
"""

from __future__ import annotations

import asyncio
import json
import secrets
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from _widget_helpers import SCREENSHOTS, TITLE, png
from playwright.sync_api import FrameLocator, Page, Response, WebSocket, expect

from rocketchat_livechat import LivechatClient
from rocketchat_livechat.bot import Chat, LivechatBot
from rocketchat_livechat.models import Message
from rocketchat_livechat.realtime import TypingEvent
from rocketchat_livechat.server import EmbeddedServer
from rocketchat_livechat.testing.plugin import Agent, LivechatTestServer

pytestmark = pytest.mark.e2e

WAIT_MS = 15_000


@dataclass
class Bot:
    """A bot on its own thread and loop: holds its typing until :attr:`release` is set."""

    agent: Agent
    release: threading.Event = field(default_factory=threading.Event)
    files: list[str] = field(default_factory=list)


@contextmanager
def support_bot(url: str, agent: Agent) -> Iterator[Bot]:
    bot = Bot(agent)
    ready, stop = threading.Event(), threading.Event()
    failure: list[BaseException] = []

    async def main() -> None:
        livechat_bot = LivechatBot(url, username=agent.username, password=agent.password)

        @livechat_bot.on_message
        async def answer(chat: Chat, message: Message) -> None:
            async with chat.typing():
                await asyncio.to_thread(bot.release.wait, WAIT_MS / 1000)
            await chat.reply(f"Bot here: you said {message.msg}")

        @livechat_bot.on_file
        async def acknowledge(chat: Chat, message: Message) -> None:
            name = message.file.name if message.file else "?"
            bot.files.append(name)
            await chat.reply(f"Got your file {name}")

        async with livechat_bot:
            ready.set()
            await asyncio.to_thread(stop.wait)

    def run() -> None:
        try:
            asyncio.run(main())
        except BaseException as exc:  # reported by the test
            failure.append(exc)
            ready.set()

    thread = threading.Thread(target=run, name="widget-test-bot")
    thread.start()
    try:
        assert ready.wait(20) and not failure, failure
        yield bot
    finally:
        bot.release.set()
        stop.set()
        thread.join(20)
    assert not failure, failure


class Failures:
    """Requests to the given origins that failed or answered >= 400, and DDP errors."""

    def __init__(self, page: Page, origins: set[str]) -> None:
        self.seen: list[str] = []
        self.origins = origins
        page.on("response", self._response)
        page.on("requestfailed", lambda request: self._add(request.url, "failed"))
        page.on("websocket", self._websocket)

    def _websocket(self, socket: WebSocket) -> None:
        def received(payload: str | bytes) -> None:
            frame = json.loads(payload)
            if isinstance(frame, dict) and "error" in frame:
                self.seen.append(f"DDP {frame}")

        socket.on("framereceived", received)

    def _response(self, response: Response) -> None:
        if response.status >= 400:
            self._add(response.url, str(response.status))

    def _add(self, url: str, what: str) -> None:
        parts = urlsplit(url)
        if f"{parts.scheme}://{parts.netloc}" in self.origins:
            self.seen.append(f"{what} {url}")


def loaded_images(frame: FrameLocator, selector: str) -> list[str]:
    """``src`` of the matching images that finished loading with pixels."""
    images = frame.locator(selector)
    expect(images.first).to_be_attached(timeout=WAIT_MS)
    found: list[str] = images.evaluate_all(
        "els => els.filter(e => e.complete && e.naturalWidth > 0).map(e => e.src)"
    )
    return found


def open_room(livechat: LivechatTestServer, name: str) -> dict[str, object]:
    rooms = livechat._get("livechat/rooms", open="true")["rooms"]
    (room,) = [r for r in rooms if r.get("fname") == name]
    return room


def chat_through_the_widget(
    page: Page,
    page_url: str,
    livechat: LivechatTestServer,
    server: EmbeddedServer,
    tmp_path: Path,
    screenshot: str,
) -> None:
    """The whole visitor conversation on ``page_url``, asserted step by step."""
    name = f"Alice {secrets.token_hex(3)}"
    agent = livechat.create_agent()
    site = urlsplit(page_url)
    failures = Failures(page, {server.url, f"{site.scheme}://{site.netloc}"})
    with support_bot(server.url, agent) as bot:
        page.goto(page_url)
        widget = page.frame_locator("#rocketchat-iframe")
        expect(widget.get_by_text(TITLE)).to_be_attached(timeout=WAIT_MS)  # livechat/config

        widget.locator("button[class*=screen__chat-button]").click()
        expect(widget.get_by_text(TITLE)).to_be_visible()
        widget.locator("input[name=name]").fill(name)
        widget.locator("input[name=email]").fill("alice@example.com")
        widget.get_by_role("button", name="Start chat").click()

        composer = widget.locator("[contenteditable=true][class*=composer__input]")
        composer.fill("Where is my order?")
        composer.press("Enter")
        expect(widget.get_by_text("Where is my order?")).to_be_visible(timeout=WAIT_MS)
        room = open_room(livechat, name)
        assert room["servedBy"]["username"] == agent.username  # type: ignore[index]

        typing = widget.locator("[class*=typing-dots]").first
        expect(typing).to_be_attached(timeout=WAIT_MS)  # the bot's user-activity
        bot.release.set()
        expect(widget.get_by_text("Bot here: you said Where is my order?")).to_be_visible(
            timeout=WAIT_MS
        )
        avatars = loaded_images(widget, "img[src*='/avatar/']")
        assert any(f"/avatar/{agent.username}" in src for src in avatars), avatars

        image = tmp_path / "receipt.png"
        image.write_bytes(png(120, 80, (0x1D, 0x74, 0xF5)))
        with page.expect_file_chooser() as chooser:
            widget.locator("footer button[class*=composer__action]").last.click()
        chooser.value.set_files(image)
        expect(widget.get_by_text("Got your file receipt.png")).to_be_visible(timeout=WAIT_MS)
        uploads = loaded_images(widget, "img[src*='/file-upload/']")
        assert any(src.endswith("/receipt.png") for src in uploads), uploads
        assert bot.files == ["receipt.png"]

        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SCREENSHOTS / screenshot)

        widget.get_by_text("Options").click()
        widget.get_by_text("Finish this chat").click()
        widget.get_by_role("button", name="Yes").click()
        expect(widget.get_by_text("Chat Finished")).to_be_visible(timeout=WAIT_MS)
    closed = livechat._get("livechat/rooms", open="false")["rooms"]
    assert [r["_id"] for r in closed if r["_id"] == room["_id"]] == [room["_id"]]
    assert failures.seen == []


def test_widget_served_by_the_embedded_server(
    page: Page,
    widget_server: EmbeddedServer,
    livechat: LivechatTestServer,
    tmp_path: Path,
) -> None:
    """Same origin: the demo page, the widget and the API all from the embedded server."""
    chat_through_the_widget(
        page,
        f"{widget_server.url}/livechat/demo",
        livechat,
        widget_server,
        tmp_path,
        "same-origin.png",
    )


def test_widget_on_another_origin_with_cors(
    page: Page,
    widget_server: EmbeddedServer,
    livechat: LivechatTestServer,
    website: str,
    tmp_path: Path,
) -> None:
    """Cross-origin: the page and the widget elsewhere, the API allowed by CORS."""
    livechat.set_setting("API_Enable_CORS", True)
    livechat.set_setting("API_CORS_Origin", website)
    chat_through_the_widget(page, f"{website}/", livechat, widget_server, tmp_path, "cors.png")


def test_widget_on_another_origin_needs_cors(
    page: Page, widget_server: EmbeddedServer, website: str
) -> None:
    """``API_Enable_CORS`` off (the default): the browser refuses the widget's first API call."""
    with page.expect_event(
        "requestfailed", lambda request: "/api/v1/livechat/config" in request.url
    ) as failed:
        page.goto(f"{website}/")
    assert failed.value.failure == "net::ERR_FAILED"
    widget = page.frame_locator("#rocketchat-iframe")
    expect(widget.locator("input[name=name]")).not_to_be_attached()


@dataclass
class Typing:
    """Typing events seen in one room; :attr:`started` is set at the first ``typing=True``."""

    rid: str
    seen: list[TypingEvent] = field(default_factory=list)
    started: threading.Event = field(default_factory=threading.Event)

    def __call__(self, event: TypingEvent) -> None:
        if event.rid == self.rid:
            self.seen.append(event)
            if event.typing:
                self.started.set()


@contextmanager
def agent_typing_seen(url: str, agent: Agent, rid: str) -> Iterator[Typing]:
    """The agent's realtime stream (the SDK's), collecting the typing events of room ``rid``."""
    seen = Typing(rid)
    client = LivechatClient(url, user_id=agent.user_id, auth_token=agent.auth_token)
    stream = client.realtime.connect_agent(served_rooms=True)
    stream.on(TypingEvent, seen)
    stream.open()
    thread = threading.Thread(target=stream.run, name="widget-test-agent-stream")
    thread.start()
    try:
        yield seen
    finally:
        stream.close()
        thread.join(10)
        client.close()


def test_visitor_typing_reaches_the_agent_and_the_agent_closes(
    page: Page, widget_server: EmbeddedServer, livechat: LivechatTestServer
) -> None:
    """The widget types on ``<rid>/typing``, the agent's stream sees ``user-activity``; a chat
    the agent closes (``livechat/room.closeByUser``) ends in the widget too."""
    name = f"Bob {secrets.token_hex(3)}"
    agent = livechat.create_agent()
    page.goto(f"{widget_server.url}/livechat/demo")
    widget = page.frame_locator("#rocketchat-iframe")
    widget.locator("button[class*=screen__chat-button]").click()
    widget.locator("input[name=name]").fill(name)
    widget.locator("input[name=email]").fill("bob@example.com")
    widget.get_by_role("button", name="Start chat").click()
    composer = widget.locator("[contenteditable=true][class*=composer__input]")
    composer.fill("Just checking")
    composer.press("Enter")
    expect(widget.get_by_text("Just checking")).to_be_visible(timeout=WAIT_MS)
    rid = str(open_room(livechat, name)["_id"])

    with agent_typing_seen(widget_server.url, agent, rid) as seen:
        composer.press_sequentially("And ")
        assert seen.started.wait(WAIT_MS / 1000)
    assert {(e.username, e.activities) for e in seen.seen if e.typing} == {
        (seen.seen[0].username, ("user-typing",))
    }
    assert seen.seen[0].username.startswith("guest-")

    livechat.agent_send(agent, rid, "All good, closing now")
    expect(widget.get_by_text("All good, closing now")).to_be_visible(timeout=WAIT_MS)
    livechat.close_room(agent, rid, "Solved")
    expect(widget.get_by_text("Chat Finished")).to_be_visible(timeout=WAIT_MS)


def test_offline_form_when_no_agent_is_online(
    page: Page, widget_server: EmbeddedServer, livechat: LivechatTestServer
) -> None:
    """No agent online: the widget shows the offline form and sends ``livechat/offline.message``."""
    page.goto(f"{widget_server.url}/livechat/demo")
    widget = page.frame_locator("#rocketchat-iframe")
    widget.locator("button[class*=screen__chat-button]").click()
    expect(widget.get_by_text("Leave a message").first).to_be_visible(timeout=WAIT_MS)
    widget.locator("input[name=name]").fill("Carol")
    widget.locator("input[name=email]").fill("carol@example.com")
    widget.locator("textarea[name=message]").fill("Please call me back")
    with page.expect_response(lambda r: r.url.endswith("/livechat/offline.message")) as sent:
        widget.get_by_role("button", name="Send").click()
    assert sent.value.status == 200
    assert sent.value.json() == {"message": "Livechat offline message sent", "success": True}
    expect(widget.get_by_text("Livechat offline message sent")).to_be_visible()


@contextmanager
def trigger(livechat: LivechatTestServer, **trigger: object) -> Iterator[None]:
    """A livechat trigger (Omnichannel > Livechat Triggers), removed afterwards."""
    livechat._post("livechat/triggers", trigger)
    (saved,) = [
        t for t in livechat._get("livechat/triggers")["triggers"] if t["name"] == trigger["name"]
    ]
    try:
        yield
    finally:
        livechat.http.delete(
            f"/api/v1/livechat/triggers/{saved['_id']}", headers=livechat.admin_headers
        )


def test_trigger_message_shows(
    page: Page, widget_server: EmbeddedServer, livechat: LivechatTestServer
) -> None:
    """A ``time-on-site`` trigger from ``livechat/config`` opens the widget with its message."""
    livechat.create_agent()
    action = {
        "name": "send-message",
        "params": {"sender": "custom", "msg": "Need help?", "name": "Tina"},
    }
    with trigger(
        livechat,
        name=f"welcome-{secrets.token_hex(3)}",
        description="greets visitors",
        enabled=True,
        runOnce=False,
        conditions=[{"name": "time-on-site", "value": "1"}],
        actions=[action],
    ):
        page.goto(f"{widget_server.url}/livechat/demo")
        widget = page.frame_locator("#rocketchat-iframe")
        expect(widget.get_by_text("Need help?").first).to_be_visible(timeout=WAIT_MS)
