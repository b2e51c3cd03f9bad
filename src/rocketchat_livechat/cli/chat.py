"""``chat``: an interactive visitor chat in the terminal."""

from __future__ import annotations

import click

from ._app import Command, settings
from ._options import token_option


@click.command("chat", cls=Command)
@click.option("--name", help="Your name (registered with the visitor).")
@click.option("--email", help="Your e-mail address.")
@click.option("--department", help="Department id or name.")
@token_option(required=False, help="Resume this visitor (default: the token stored for --server).")
@click.option(
    "--replay",
    type=click.IntRange(min=0),
    default=10,
    show_default=True,
    help="Recent messages shown when resuming.",
)
def chat(
    name: str | None, email: str | None, department: str | None, token: str | None, replay: int
) -> None:
    """Chat with an agent as a visitor: live messages and typing, uploads, transcript.

    The visitor token is kept per server in $XDG_CONFIG_HOME/rocketchat-livechat/state.json
    (mode 0600), so running chat again resumes the conversation.
    """
    from ._chat import Visitor, run_chat

    run_chat(settings(), Visitor(token, name, email, department), replay)


COMMANDS = [chat]
