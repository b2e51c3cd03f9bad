"""Options shared by several commands: the visitor token and agent credentials."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import click

from .. import errors as e
from ._app import EXIT_USAGE, Settings, fail, settings

if TYPE_CHECKING:
    from .._sync.client import LivechatClient

F = Callable[..., Any]


def _remember_secret(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    return ctx.ensure_object(Settings).secret(value)


def token_option(*, required: bool = True, help: str = "Visitor token.") -> Callable[[F], F]:
    """``--token`` (env ROCKETCHAT_VISITOR_TOKEN), kept out of the debug log."""
    return click.option(
        "--token",
        envvar="ROCKETCHAT_VISITOR_TOKEN",
        required=required,
        callback=_remember_secret,
        help=f"{help} (env ROCKETCHAT_VISITOR_TOKEN)",
    )


@dataclass(frozen=True)
class AgentLogin:
    """Agent credentials: a username and password, or a user id and (personal) auth token."""

    user: str | None = None
    password: str | None = None
    user_id: str | None = None
    auth_token: str | None = None

    @property
    def uses_token(self) -> bool:
        """Whether a user id and auth token were given (they win over a password)."""
        return bool(self.user_id and self.auth_token)

    @property
    def given(self) -> bool:
        return self.uses_token or bool(self.user and self.password)

    def require(self) -> AgentLogin:
        if not self.given:
            fail(
                "agent credentials needed: --user/--password or --user-id/--auth-token "
                "(env ROCKETCHAT_USER, ROCKETCHAT_PASSWORD, ROCKETCHAT_USER_ID, "
                "ROCKETCHAT_AUTH_TOKEN)",
                EXIT_USAGE,
            )
        return self


@contextmanager
def agent_client(login: AgentLogin) -> Iterator[LivechatClient]:
    """A sync client logged in as the agent; a password login is logged out at the end."""
    login.require()
    if login.uses_token:
        with settings().client(user_id=login.user_id, auth_token=login.auth_token) as client:
            yield client
        return
    assert login.user is not None and login.password is not None
    with settings().client() as client:
        client.login(login.user, login.password)
        settings().secret(client.auth_token)
        try:
            yield client
        finally:
            with suppress(e.APIError):
                client.logout()


def agent_options(function: F) -> F:
    """Adds ``--user/--password/--user-id/--auth-token`` and passes them as ``agent``."""

    @functools.wraps(function)
    def wrapper(
        *args: Any,
        user: str | None,
        password: str | None,
        user_id: str | None,
        auth_token: str | None,
        **kwargs: Any,
    ) -> Any:
        return function(*args, agent=AgentLogin(user, password, user_id, auth_token), **kwargs)

    options = [
        click.option(
            "--user", envvar="ROCKETCHAT_USER", help="Agent username (env ROCKETCHAT_USER)."
        ),
        click.option(
            "--password",
            envvar="ROCKETCHAT_PASSWORD",
            callback=_remember_secret,
            help="Agent password (env ROCKETCHAT_PASSWORD).",
        ),
        click.option(
            "--user-id", envvar="ROCKETCHAT_USER_ID", help="Agent user id (env ROCKETCHAT_USER_ID)."
        ),
        click.option(
            "--auth-token",
            envvar="ROCKETCHAT_AUTH_TOKEN",
            callback=_remember_secret,
            help="Agent personal access token (env ROCKETCHAT_AUTH_TOKEN).",
        ),
    ]
    decorated: F = wrapper
    for option in reversed(options):
        decorated = option(decorated)
    return decorated
