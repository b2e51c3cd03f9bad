"""``serve``: the embedded Rocket.Chat-compatible server in the foreground."""

from __future__ import annotations

from pathlib import Path

import click

from ._app import Command


def _custom_field_names(
    ctx: click.Context, param: click.Parameter, value: tuple[str, ...]
) -> tuple[str, ...]:
    """Names Rocket.Chat accepts, checked here so the error names this command's option."""
    from argparse import ArgumentTypeError

    from ..server._main import custom_field_name

    try:
        return tuple(custom_field_name(name) for name in value)
    except ArgumentTypeError as exc:
        raise click.BadParameter(str(exc)) from None


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
@click.option(
    "--custom-field",
    "custom_fields",
    multiple=True,
    metavar="NAME",
    callback=_custom_field_names,
    help="Define this visitor custom field, as Omnichannel > Custom Fields does (repeatable).",
)
@click.option(
    "--widget",
    "widget",
    is_flag=False,
    flag_value="",
    default=None,
    metavar="[DIR]",
    help="Serve the official Livechat widget at /livechat (demo page: /livechat/demo): DIR is "
    "the build/ folder of npm @rocket.chat/livechat; without DIR, the one --install-widget put "
    "in the cache.",
)
@click.option(
    "--install-widget",
    is_flag=True,
    help="With --widget and no DIR: install the widget into the cache with npm if it is not there.",
)
def serve(
    host: str,
    port: int,
    data_dir: Path | None,
    admin_username: str,
    admin_password: str | None,
    no_rate_limit: bool,
    custom_fields: tuple[str, ...],
    widget: str | None,
    install_widget: bool,
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
    for name in custom_fields:
        argv += ["--custom-field", name]
    if widget is not None:
        from ._widget import widget_dir

        argv += ["--widget", str(widget_dir(Path(widget) if widget else None, install_widget))]
    elif install_widget:
        raise click.UsageError("--install-widget goes with --widget")
    click.get_current_context().exit(run_server(argv))


COMMANDS = [serve]
