"""``config`` and ``visitor register|get|delete``."""

from __future__ import annotations

import click

from ._app import Command, Group, settings
from ._options import token_option
from ._output import emit_message, emit_record


@click.command("config", cls=Command)
@token_option(required=False, help="Include this visitor, its open room and agent.")
@click.option("--department", help="Department id or name.")
def config(token: str | None, department: str | None) -> None:
    """Show the livechat widget configuration (online status, settings, departments)."""
    with settings().client() as client:
        emit_record(client.config.get_config(token=token, department=department))


@click.group("visitor", cls=Group)
def visitor() -> None:
    """Register, show or delete a visitor."""


def _custom_field(
    ctx: click.Context, param: click.Parameter, values: tuple[str, ...]
) -> dict[str, str]:
    fields: dict[str, str] = {}
    for item in values:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise click.BadParameter(f"expected KEY=VALUE, got {item!r}", ctx, param)
        fields[key] = value
    return fields


@visitor.command("register")
@token_option(required=False, help="Token to register (default: a new random token).")
@click.option("--name", help="Visitor name.")
@click.option("--email", help="Visitor e-mail address.")
@click.option("--department", help="Department id or name.")
@click.option("--phone", help="Visitor phone number.")
@click.option("--username", help="Visitor username.")
@click.option(
    "--field",
    "custom_fields",
    multiple=True,
    metavar="KEY=VALUE",
    callback=_custom_field,
    help="Custom field (repeatable).",
)
def register(
    token: str | None,
    name: str | None,
    email: str | None,
    department: str | None,
    phone: str | None,
    username: str | None,
    custom_fields: dict[str, str],
) -> None:
    """Create or update a visitor; prints it with its token (use that token afterwards: the
    server may keep an existing visitor's token)."""
    from .._core.tokens import new_visitor_token

    token = settings().secret(token or new_visitor_token())
    assert token is not None
    with settings().client() as client:
        registered = client.visitor.register_visitor(
            token,
            name=name,
            email=email,
            department=department,
            phone=phone,
            username=username,
            custom_fields=custom_fields or None,
        )
    settings().secret(registered.token)
    emit_record(registered, reveal=("token",))


@visitor.command("get")
@token_option()
def get(token: str) -> None:
    """Show a visitor."""
    with settings().client() as client:
        emit_record(client.visitor.get_visitor(token))


@visitor.command("delete")
@token_option()
def delete(token: str) -> None:
    """Delete a visitor with its rooms and messages (refused while a room is open)."""
    with settings().client() as client:
        deleted = client.visitor.delete_visitor(token)
    emit_message(f"visitor {deleted.id} deleted", deleted)


COMMANDS = [config, visitor]
