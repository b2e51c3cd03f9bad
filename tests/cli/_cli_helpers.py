"""Helpers for the CLI tests."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import IO, Any

from click.testing import CliRunner, Result

from rocketchat_livechat.cli import cli

Run = Callable[..., Result]


def invoke(
    *args: str, input: str | IO[Any] | None = None, env: dict[str, str] | None = None
) -> Result:
    """Run the CLI in-process (stdout is not a terminal: JSON output by default)."""
    return CliRunner().invoke(cli, list(args), input=input, env=env, catch_exceptions=False)


def output(result: Result) -> Any:
    """The JSON a command printed, after checking that it succeeded."""
    assert result.exit_code == 0, (result.exit_code, result.output)
    return json.loads(result.stdout)
