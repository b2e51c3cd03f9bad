"""``demo``: a complete livechat conversation, on an embedded server or a real Rocket.Chat."""

from __future__ import annotations

import click

from ._app import Command, settings
from ._options import AgentLogin, agent_options


@click.command("demo", cls=Command)
@agent_options
@click.option(
    "--step-timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=10.0,
    show_default=True,
    help="Seconds to wait for each live event.",
)
def demo(agent: AgentLogin, step_timeout: float) -> None:
    """Play a whole visitor conversation with an agent bot, printing a transcript.

    Without --server it starts an embedded server with a temporary database. With --server it
    runs against that Rocket.Chat, answering as the agent given by --user/--password or
    --user-id/--auth-token (the agent should be the only one available).
    """
    from ._demo import run_demo

    run_demo(settings(), agent, step_timeout)


COMMANDS = [demo]
