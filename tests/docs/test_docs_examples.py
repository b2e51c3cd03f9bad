"""Every ```python block of docs/**/*.md, run against the embedded server.

A page's blocks run in order in one namespace (a later block may use what an earlier one made),
with the names the docs promise (see docs/index.md, "Running the examples"):

* ``url``: the server's address;
* ``username`` / ``password``: an agent account, online and available, so visitors get routed;
* the visitor custom field ``plan`` is defined.

Blocks may use top-level ``await`` (they then run in their own event loop). A function named
``test_*`` that a block defines is called afterwards, like pytest would, with the plugin's
fixtures (``livechat_server``, ``livechat_client``, ``async_livechat_client``).

A block that cannot run here (it needs a real outside channel, or runs until stopped) has
``<!-- no-run: reason -->`` on the line before it; the reason is required.
"""

from __future__ import annotations

import ast
import asyncio
import inspect
import logging
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from rocketchat_livechat import AsyncLivechatClient, LivechatClient
from rocketchat_livechat.testing.plugin import LivechatTestServer

DOCS = Path(__file__).resolve().parents[2] / "docs"
BLOCK = re.compile(
    r"^(?:<!--\s*no-run:(?P<reason>[^\n]*?)-->\n)?```python\n(?P<code>.*?)^```", re.S | re.M
)
MARKER = re.compile(r"<!--\s*no-run\b")

pytestmark = pytest.mark.e2e


@dataclass(frozen=True)
class Block:
    page: Path
    line: int
    code: str
    reason: str | None  # None: runs; else why it does not

    @property
    def where(self) -> str:
        return f"{self.page.relative_to(DOCS.parent)}:{self.line}"


def page_blocks(page: Path) -> list[Block]:
    text = page.read_text()
    return [
        Block(page, text.count("\n", 0, m.start("code")) + 1, m["code"], m["reason"])
        for m in BLOCK.finditer(text)
    ]


PAGES = sorted(DOCS.rglob("*.md"))
RUNNABLE = [page for page in PAGES if any(b.reason is None for b in page_blocks(page))]


def test_the_docs_have_runnable_examples() -> None:
    assert len(RUNNABLE) >= 8, [str(p) for p in RUNNABLE]


def test_every_skipped_block_says_why() -> None:
    for page in PAGES:
        blocks = page_blocks(page)
        skipped = [b for b in blocks if b.reason is not None]
        for block in skipped:
            assert block.reason and block.reason.strip(), f"{block.where}: no-run without a reason"
        markers = len(MARKER.findall(page.read_text()))
        assert markers == len(skipped), f"{page}: a no-run marker not right before a python block"


def test_the_extractor_reads_markers() -> None:
    page = DOCS / "guides" / "bots.md"
    blocks = page_blocks(page)
    assert any(b.reason for b in blocks) and any(b.reason is None for b in blocks)


def run_block(block: Block, namespace: dict[str, Any]) -> None:
    code = compile(block.code, block.where, "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
    result = eval(code, namespace)
    if inspect.CO_COROUTINE & code.co_flags:
        asyncio.run(result)


def call_test(function: Callable[..., Any], fixtures: dict[str, Any]) -> None:
    names = list(inspect.signature(function).parameters)
    if not inspect.iscoroutinefunction(function):
        function(**{name: fixtures[name] for name in names})
        return

    async def run() -> None:
        async with AsyncLivechatClient(fixtures["livechat_server"].url) as client:
            available = {**fixtures, "async_livechat_client": client}
            await function(**{name: available[name] for name in names})

    asyncio.run(run())


@pytest.fixture
def logging_restored() -> Iterator[None]:
    """A page may configure logging (the errors guide turns DEBUG on): undone afterwards."""
    loggers = [logging.getLogger(), logging.getLogger("rocketchat_livechat")]
    saved = [(lg.level, list(lg.handlers), lg.propagate) for lg in loggers]
    yield
    for lg, (level, handlers, propagate) in zip(loggers, saved, strict=True):
        lg.setLevel(level)
        lg.handlers[:] = handlers
        lg.propagate = propagate


@pytest.mark.usefixtures("logging_restored")
@pytest.mark.parametrize("page", RUNNABLE, ids=lambda p: str(p.relative_to(DOCS)))
def test_page_examples_run(
    page: Path,
    livechat_server: LivechatTestServer,
    livechat_client: LivechatClient,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)  # examples that write files write them here
    agent = livechat_server.create_agent()
    livechat_server.define_custom_field("plan")
    namespace: dict[str, Any] = {
        "__name__": "docs_example",
        "url": livechat_server.url,
        "username": agent.username,
        "password": agent.password,
    }
    for block in page_blocks(page):
        if block.reason is None:
            run_block(block, namespace)
    fixtures = {"livechat_server": livechat_server, "livechat_client": livechat_client}
    for name, value in list(namespace.items()):
        if name.startswith("test_") and callable(value):
            livechat_server.reset()  # each starts as a test of its own would (no agent online)
            call_test(value, fixtures)
