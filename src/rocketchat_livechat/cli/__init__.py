"""The ``rocketchat-livechat`` command line (extra ``[cli]``).

Commands import the SDK (and the embedded server) only when they run, so ``--help`` is fast.
"""

from __future__ import annotations

import click

from .._version import __version__
from . import agent, chat, demo, messages, room, serve, visitor
from ._app import Group

__all__ = ["cli", "main"]


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="rocketchat-livechat")
def cli() -> None:
    """Rocket.Chat Omnichannel Livechat from the command line.

    Start with `rocketchat-livechat demo`. Exit codes: 0 ok, 1 API error, 2 usage,
    3 connection or timeout, 4 authentication.
    """


for _module in (demo, serve, chat, visitor, room, messages, agent):
    for _command in _module.COMMANDS:
        cli.add_command(_command)


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="rocketchat-livechat")
