"""Fixtures for driving the official Livechat widget in headless Chromium.

The widget is npm ``@rocket.chat/livechat`` (``node/package.json``; ``scripts/test.sh`` runs
``npm install`` there), the browser Debian's ``chromium`` driven by Python ``playwright`` with
``executable_path`` (Playwright never downloads a browser here). Shared names are in
``_widget_helpers``.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx2
import pytest
import uvicorn
from _widget_helpers import BUILD_DIR, NODE_DIR, TITLE
from playwright.sync_api import Browser, Page, Playwright, sync_playwright
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from rocketchat_livechat.server import EmbeddedServer
from rocketchat_livechat.server.runner import bind_socket, server_url
from rocketchat_livechat.server.widget import WidgetBuild, demo_page
from rocketchat_livechat.testing.plugin import LivechatTestServer, _ok


def _chromium() -> str | None:
    return (
        os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    )


@pytest.fixture(scope="session")
def widget_dir() -> Path:
    """The official build, installed by ``npm install`` in ``tests/widget/node``."""
    if not (BUILD_DIR / "index.html").is_file():
        if shutil.which("npm") is None:
            pytest.skip("npm is not installed: the widget tests need npm @rocket.chat/livechat")
        pytest.fail(f"no widget build in {BUILD_DIR}: run `npm install` in {NODE_DIR}")
    return BUILD_DIR


@pytest.fixture(scope="module")
def playwright() -> Iterator[Playwright]:
    """Module-scoped: while it runs, its event loop is the running loop of the main thread."""
    with sync_playwright() as running:
        yield running


@pytest.fixture(scope="module")
def browser(playwright: Playwright) -> Iterator[Browser]:
    """Headless system Chromium (``CHROMIUM`` overrides the executable)."""
    executable = _chromium()
    if executable is None:
        pytest.skip("Chromium is not installed (Debian: apt-get install chromium, as test.sh does)")
    args = ["--no-sandbox", "--disable-dev-shm-usage"]  # root in CI; small /dev/shm in containers
    launched = playwright.chromium.launch(executable_path=executable, args=args)
    yield launched
    launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh tab, closed after the test."""
    opened = browser.new_page()
    yield opened
    opened.close()


@pytest.fixture(scope="module")
def widget_server(widget_dir: Path) -> Iterator[EmbeddedServer]:
    """An embedded server serving the official widget, titled :data:`TITLE`."""
    settings = {"Livechat_title": TITLE}
    with EmbeddedServer(rate_limit=False, widget_dir=widget_dir, settings=settings) as server:
        yield server


@pytest.fixture
def livechat(widget_server: EmbeddedServer) -> Iterator[LivechatTestServer]:
    """Admin-side helpers on :func:`widget_server` (agents, settings; undone after the test)."""
    with httpx2.Client(base_url=widget_server.url, timeout=30) as http:
        body = {"user": widget_server.admin_username, "password": widget_server.admin_password}
        login = _ok(http.post("/api/v1/login", json=body))["data"]
        headers = {"X-User-Id": login["userId"], "X-Auth-Token": login["authToken"]}
        view = LivechatTestServer(widget_server, http, headers)
        yield view
        view.reset()


@pytest.fixture
def website(widget_dir: Path, widget_server: EmbeddedServer) -> Iterator[str]:
    """Another origin hosting a page and the widget build, pointed at :func:`widget_server`.

    Its ``/livechat`` is the widget with ``SERVER_URL`` = the embedded server, so every REST
    call the widget makes is cross-origin (CORS), as with a widget served from a CDN or a
    development server.
    """
    build = WidgetBuild.load(widget_dir)
    sock = bind_socket("127.0.0.1", 0)
    url = server_url(sock)

    async def page(request: Request) -> HTMLResponse:
        return HTMLResponse(demo_page(url))

    async def widget(request: Request) -> HTMLResponse:
        return HTMLResponse(build.index_for(widget_server.url))

    app = Starlette(
        routes=[
            Route("/", page),
            Route("/livechat", widget),
            Mount("/livechat", StaticFiles(directory=build.directory)),
        ]
    )
    server = uvicorn.Server(uvicorn.Config(app, log_config=None, lifespan="off"))
    thread = threading.Thread(target=lambda: asyncio.run(server.serve(sockets=[sock])))
    thread.start()
    try:
        while not server.started:
            if not thread.is_alive():
                raise RuntimeError("the website server did not start")
            thread.join(0.01)
        yield url
    finally:
        server.should_exit = True
        thread.join(10)
