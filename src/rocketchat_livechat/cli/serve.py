"""``serve``: the embedded Rocket.Chat-compatible server in the foreground."""

from __future__ import annotations

from pathlib import Path

import click

from ._app import Command


@click.command("serve", cls=Command)
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option(
    "--port", type=click.IntRange(0, 65535), default=3000, show_default=True, help="0 = any."
)
@click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Keep the data here (default: a temporary database, removed on exit).",
)
@click.option("--admin-username", default="admin", show_default=True)
@click.option(
    "--admin-password",
    envvar="ROCKETCHAT_ADMIN_PASSWORD",
    help="Admin password (env ROCKETCHAT_ADMIN_PASSWORD; default: generated and shown).",
)
@click.option("--no-rate-limit", is_flag=True, help="Disable the REST rate limiter.")
def serve(
    host: str,
    port: int,
    data_dir: Path | None,
    admin_username: str,
    admin_password: str | None,
    no_rate_limit: bool,
) -> None:
    """Run the embedded Rocket.Chat-compatible livechat server (REST + realtime) until Ctrl-C."""
    from ..server._main import serve as run_server

    argv = ["--host", host, "--port", str(port), "--admin-username", admin_username]
    if data_dir is not None:
        argv += ["--data-dir", str(data_dir)]
    if admin_password:
        argv += ["--admin-password", admin_password]
    if no_rate_limit:
        argv.append("--no-rate-limit")
    click.get_current_context().exit(run_server(argv))


COMMANDS = [serve]
