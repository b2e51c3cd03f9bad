"""``python -m rocketchat_livechat.server``: run the embedded server in the foreground."""

from __future__ import annotations

import argparse
import asyncio
import gc
import logging
import os
import re
import signal
import sys
from types import FrameType

import uvicorn

from .runner import (
    bind_socket,
    ensure_admin,
    generate_password,
    seed,
    server_url,
    uvicorn_config,
)
from .state import ServerState
from .versions import DEFAULT_LINE, LINES
from .widget import (
    WIDGET_PACKAGE,
    WIDGET_RC_LINE,
    WIDGET_VERSION,
    WidgetBuild,
    WidgetError,
    serving_line,
)

PASSWORD_ENV = "ROCKETCHAT_ADMIN_PASSWORD"


def _port(text: str) -> int:
    """A TCP port number (0-65535), for argparse: anything else is a usage error."""
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{port} is not a port (0-65535)")
    return port


def custom_field_name(name: str) -> str:
    """A name Rocket.Chat accepts for a custom field (letters, digits, ``-`` and ``_``)."""
    if not re.fullmatch(r"[0-9a-zA-Z_-]+", name):
        raise argparse.ArgumentTypeError(f"invalid custom field name: {name!r}")
    return name


def build_parser() -> argparse.ArgumentParser:
    """The command line options."""
    parser = argparse.ArgumentParser(
        prog="python -m rocketchat_livechat.server",
        description="Rocket.Chat-compatible Omnichannel (livechat) server: REST + DDP + SQLite.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="interface (default 127.0.0.1)")
    parser.add_argument("--port", type=_port, default=3000, help="port (default 3000; 0 = free)")
    parser.add_argument("--data-dir", help="persist data here (default: temporary, removed)")
    parser.add_argument("--admin-username", default="admin", help="admin user (default admin)")
    parser.add_argument(
        "--admin-password", help=f"admin password (default: ${PASSWORD_ENV}, else generated)"
    )
    parser.add_argument(
        "--no-rate-limit", action="store_true", help="disable the REST and DDP rate limiters"
    )
    parser.add_argument(
        "--rc-version",
        choices=LINES,
        help=f"Rocket.Chat line (default {DEFAULT_LINE}, {WIDGET_RC_LINE} with --widget)",
    )
    parser.add_argument(
        "--custom-field",
        action="append",
        default=[],
        type=custom_field_name,
        help="define this visitor custom field (repeatable)",
    )
    parser.add_argument(
        "--widget",
        metavar="DIR",
        help="serve the official Livechat widget build (npm @rocket.chat/livechat's build/)",
    )
    return parser


def _admin_password(args: argparse.Namespace) -> tuple[str | None, str]:
    if args.admin_password:
        return args.admin_password, "from --admin-password"
    env = os.environ.get(PASSWORD_ENV)
    if env:
        return env, f"from ${PASSWORD_ENV}"
    return None, "generated"


class _Terminated(Exception):
    """SIGTERM arrived (uvicorn re-raises it after its graceful shutdown)."""


def _on_sigterm(signum: int, frame: FrameType | None) -> None:
    raise _Terminated


def serve(argv: list[str] | None = None) -> int:
    """Run until Ctrl-C / SIGTERM; returns the process exit code."""
    args = build_parser().parse_args(argv)
    try:
        widget = None if args.widget is None else WidgetBuild.load(args.widget)
        line = serving_line(args.rc_version, widget=widget is not None)
    except WidgetError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        sock = bind_socket(args.host, args.port)
    except OSError as exc:
        print(f"error: cannot listen on {args.host}:{args.port}: {exc}", file=sys.stderr)
        return 1
    url = server_url(sock)
    state = ServerState.open(args.data_dir, rate_limit=not args.no_rate_limit, rc_version=line)
    try:
        state.settings.set("Site_Url", url)
        seed(state, args.custom_field)
        password, source = _admin_password(args)
        created_password = password
        if (
            password is None
            and state.store.users.find_one({"username": args.admin_username}) is None
        ):
            created_password = generate_password()
        outcome = ensure_admin(state, args.admin_username, created_password)
        print(
            f"Rocket.Chat {state.line.full_version}-compatible Omnichannel server "
            f"listening on {url}",
            flush=True,
        )
        kept = "" if args.data_dir else " (temporary, removed on exit)"
        print(f"Data: {state.data_dir}{kept}", flush=True)
        if outcome == "kept":
            print(f"Admin: {args.admin_username} (existing account, password unchanged)")
        elif source == "generated":
            print(f"Admin: {args.admin_username} / {created_password} (generated; shown once)")
        else:
            print(f"Admin: {args.admin_username} (password {source})")
        if widget is not None:
            print(
                f"Widget: {url}/livechat (npm {WIDGET_PACKAGE} {WIDGET_VERSION}, a client for "
                f"Rocket.Chat up to {WIDGET_RC_LINE}); try it on {url}/livechat/demo"
            )
        sys.stdout.flush()
        config = uvicorn_config(state, widget)
        config.load()  # imports the protocol modules: long-lived too
        # Everything alive now lives as long as the process: keep it out of the collector's
        # full passes, which otherwise took ~10 ms (a latency spike) every second under load.
        gc.freeze()
        server = uvicorn.Server(config)
        previous = signal.signal(signal.SIGTERM, _on_sigterm)
        try:
            asyncio.run(server.serve(sockets=[sock]))
        finally:
            signal.signal(signal.SIGTERM, previous)
    except (KeyboardInterrupt, _Terminated):
        pass
    finally:
        state.close()
    return 0
