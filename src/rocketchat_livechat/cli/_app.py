"""The root command group: global options, shared settings and error → exit-code handling.

Only click (and the light ``errors`` module) is imported here; commands import the SDK lazily.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NoReturn

import click
from click.core import ParameterSource

from .. import errors as e

if TYPE_CHECKING:
    from .._async.client import AsyncLivechatClient
    from .._sync.client import LivechatClient

EXIT_API = 1
EXIT_USAGE = 2
EXIT_CONNECTION = 3
EXIT_AUTH = 4

LOGGER = "rocketchat_livechat"


@dataclass
class Settings:
    """Options shared by every command (given before or after the command name)."""

    server: str | None = None
    timeout: float | None = None
    verbose: bool = False
    json: bool | None = None
    secrets: set[str] = field(default_factory=set)

    @property
    def as_json(self) -> bool:
        """JSON output: asked for with ``--json``, or stdout is not a terminal."""
        return self.json if self.json is not None else not sys.stdout.isatty()

    def require_server(self) -> str:
        if not self.server:
            fail("no server: pass --server URL or set ROCKETCHAT_URL", EXIT_USAGE)
        return self.server

    def secret(self, value: str | None) -> str | None:
        """Remember ``value`` so that the debug log never shows it; returns it unchanged."""
        if value:
            self.secrets.add(value)
        return value

    def client_options(self) -> dict[str, Any]:
        return {} if self.timeout is None else {"timeout": self.timeout}

    def client(self, user_id: str | None = None, auth_token: str | None = None) -> LivechatClient:
        """A sync client for ``--server`` (with ``user_id`` + ``auth_token`` for agent calls)."""
        from .._sync.client import LivechatClient

        return LivechatClient(
            self.require_server(),
            user_id=user_id,
            auth_token=auth_token,
            **self.client_options(),
        )

    def async_client(
        self, server: str | None = None, user_id: str | None = None, auth_token: str | None = None
    ) -> AsyncLivechatClient:
        """An async client for ``server`` (default: ``--server``)."""
        from .._async.client import AsyncLivechatClient

        return AsyncLivechatClient(
            server or self.require_server(),
            user_id=user_id,
            auth_token=auth_token,
            **self.client_options(),
        )


def settings() -> Settings:
    """The current command's :class:`Settings`."""
    return click.get_current_context().ensure_object(Settings)


# --- global options ---------------------------------------------------------------------------


def _store(
    name: str, unset: tuple[Any, ...] = (None,)
) -> Callable[[click.Context, click.Parameter, Any], None]:
    def callback(ctx: click.Context, param: click.Parameter, value: Any) -> None:
        current = ctx.ensure_object(Settings)
        from_env = ctx.get_parameter_source(name) is ParameterSource.ENVIRONMENT
        if value in unset or (from_env and getattr(current, name) is not None):
            return  # an explicit option given before the command wins over the environment
        setattr(current, name, value)
        if name == "verbose":
            _enable_debug_log(ctx)

    return callback


def _global_params() -> list[click.Parameter]:
    return [
        click.Option(
            ["--server"],
            envvar="ROCKETCHAT_URL",
            metavar="URL",
            expose_value=False,
            callback=_store("server"),
            help="Rocket.Chat base URL (env ROCKETCHAT_URL).",
        ),
        click.Option(
            ["--timeout"],
            type=click.FloatRange(min=0, min_open=True),
            metavar="SECONDS",
            expose_value=False,
            callback=_store("timeout"),
            help="Request timeout (default: connect 5 s, read 30 s).",
        ),
        click.Option(
            ["--json/--no-json"],
            default=None,
            expose_value=False,
            callback=_store("json"),
            help="JSON output (default when stdout is not a terminal).",
        ),
        click.Option(
            ["-v", "--verbose"],
            is_flag=True,
            expose_value=False,
            callback=_store("verbose", unset=(None, False)),
            help="Debug log on stderr (secrets redacted).",
        ),
    ]


class _GlobalOptions(click.Command):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.params.extend(_global_params())


class Command(_GlobalOptions):
    """A command that also accepts the global options after its name."""


class Group(_GlobalOptions, click.Group):
    """A group whose commands and subgroups accept the global options; maps SDK errors."""

    command_class = Command
    group_class = type  # subgroups are Groups too

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except e.APIError as exc:
            raise Failure.from_error(exc) from exc


# --- errors -----------------------------------------------------------------------------------


class Failure(click.ClickException):
    """One line on stderr and an exit code (1 API, 2 usage, 3 connection, 4 authentication)."""

    def __init__(self, message: str, exit_code: int = EXIT_API) -> None:
        super().__init__(message)
        self.exit_code = exit_code  # type: ignore[misc]  # click reads it per instance

    @classmethod
    def from_error(cls, exc: e.APIError) -> Failure:
        return cls(describe_error(exc), exit_code_for(exc))

    def show(self, file: Any = None) -> None:
        click.echo(f"error: {self.message}", err=True)


def describe_error(exc: BaseException) -> str:
    """``InvalidTokenError [invalid-token] (HTTP 400): message`` for SDK errors."""
    if not isinstance(exc, e.APIError):
        return f"{type(exc).__name__}: {exc}"
    parts = [type(exc).__name__]
    if exc.error:
        parts.append(f"[{exc.error}]")
    if exc.code and f"HTTP {exc.code}" not in exc.message:
        parts.append(f"(HTTP {exc.code})")
    return f"{' '.join(parts)}: {exc.message}"


def exit_code_for(exc: BaseException) -> int:
    """2 for bad arguments, 3 for connection problems and timeouts, 4 for refused
    credentials, 1 for every other error."""
    if isinstance(exc, e.InvalidArgumentError):
        return EXIT_USAGE
    if isinstance(exc, e.APIConnectionError | e.RealtimeError | TimeoutError | ConnectionError):
        return EXIT_CONNECTION
    if isinstance(exc, e.AuthenticationError | e.PermissionDeniedError):
        return EXIT_AUTH
    return EXIT_API


def fail(message: str, exit_code: int = EXIT_API) -> NoReturn:
    """Stop the command: ``error: message`` on stderr, then exit with ``exit_code``."""
    raise Failure(message, exit_code)


# --- debug log --------------------------------------------------------------------------------


class _Redactor(logging.Filter):
    """Replaces every secret the CLI knows (tokens, passwords) in log records."""

    def __init__(self, secrets: set[str]) -> None:
        super().__init__()
        self._secrets = secrets

    def filter(self, record: logging.LogRecord) -> bool:
        text = record.getMessage()
        for secret in self._secrets:
            text = text.replace(secret, "***")
        record.msg, record.args = text, None
        return True


def _enable_debug_log(ctx: click.Context) -> None:
    logger = logging.getLogger(LOGGER)
    if any(isinstance(h, _DebugHandler) for h in logger.handlers):
        return
    handler = _DebugHandler(sys.stderr)
    handler.addFilter(_Redactor(ctx.ensure_object(Settings).secrets))
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
    previous = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)

    def restore() -> None:
        logger.removeHandler(handler)
        logger.setLevel(previous)

    ctx.find_root().call_on_close(restore)


class _DebugHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """The ``-v`` handler (a distinct type, so that it is installed once)."""
