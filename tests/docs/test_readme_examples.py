"""The README (a landing page): its code blocks run as written, its links lead somewhere.

The quickstart runs twice: on ``rocketchat-livechat serve`` (a subprocess, started as the docs
say) and on the pytest plugin's server. Every other example lives in ``docs/`` and runs in
``test_docs_examples.py``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from _support.served import served
from rocketchat_livechat import LivechatClient
from rocketchat_livechat.testing.plugin import LivechatTestServer

REPO = Path(__file__).resolve().parents[2]
README = REPO / "README.md"
PLACEHOLDER = '"https://chat.example.com"'


def python_blocks(text: str) -> list[str]:
    return re.findall(r"^```python\n(.*?)^```", text, re.S | re.M)


def readme_block(heading: str, index: int = 0) -> str:
    """The ``index``-th python code block under ``## heading``."""
    section = README.read_text().split(f"## {heading}\n", 1)[1].split("\n## ", 1)[0]
    return python_blocks(section)[index]


@pytest.fixture
def serve() -> Iterator[LivechatTestServer]:
    """``rocketchat-livechat serve`` in a subprocess, with the plugin's admin helpers."""
    with served() as server:
        yield server


def test_every_readme_block_is_run_here() -> None:
    """Three python blocks, each run below: a new one needs a test (or a move to docs/)."""
    assert len(python_blocks(README.read_text())) == 3


def test_the_two_commands_are_there() -> None:
    text = README.read_text()
    assert ".venv/bin/rocketchat-livechat demo" in text
    assert "\nbash scripts/test.sh\n" in text


def test_readme_links_lead_to_files() -> None:
    links = re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", README.read_text())
    local = [link for link in links if "://" not in link]
    assert len(local) >= 20
    missing = [link for link in local if not (REPO / link).exists()]
    assert not missing


@pytest.mark.e2e
@pytest.mark.parametrize("where", ["serve", "plugin"])
def test_quickstart_runs(
    request: pytest.FixtureRequest, where: str, capsys: pytest.CaptureFixture[str]
) -> None:
    server: LivechatTestServer = (
        request.getfixturevalue("livechat_server")
        if where == "plugin"
        else request.getfixturevalue("serve")
    )
    server.create_agent()
    code = readme_block("Quickstart").replace(PLACEHOLDER, repr(server.url))
    exec(code, {})
    assert "Hello!" in capsys.readouterr().out


@pytest.mark.e2e
def test_async_quickstart_runs(
    livechat_server: LivechatTestServer, capsys: pytest.CaptureFixture[str]
) -> None:
    livechat_server.create_agent()
    exec(readme_block("Quickstart", 1).replace(PLACEHOLDER, repr(livechat_server.url)), {})
    assert capsys.readouterr().out == "agents online: True\n"


@pytest.mark.e2e
def test_plugin_example_passes(
    livechat_server: LivechatTestServer, livechat_client: LivechatClient
) -> None:
    namespace: dict[str, Any] = {}
    exec(readme_block("Quickstart", 2), namespace)
    namespace["test_an_agent_answers"](livechat_server, livechat_client)
