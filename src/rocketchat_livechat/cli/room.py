"""``room open|close`` and ``upload``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from ._app import EXIT_USAGE, Command, Group, fail, settings
from ._options import token_option
from ._output import emit_message, emit_record, upload_progress

if TYPE_CHECKING:
    from .._sync.client import LivechatClient

rid_option = click.option("--rid", help="Room id (default: the visitor's open room).")


def room_id(client: LivechatClient, token: str, rid: str | None, *, create: bool = False) -> str:
    """``rid``, or the visitor's open room (with ``create``: opened and routed if none)."""
    if rid:
        return rid
    if create:
        return client.room.get_room(token).room.id
    current = client.config.get_config(token=token).room
    if current is None:
        fail("the visitor has no open room: pass --rid", EXIT_USAGE)
    return current.id


@click.group("room", cls=Group)
def room() -> None:
    """Open or close the visitor's room."""


@room.command("open")
@token_option()
@click.option("--agent-id", help="Ask for this agent.")
def open_room(token: str, agent_id: str | None) -> None:
    """Get the visitor's open room, creating it (and routing it to an agent) if needed."""
    with settings().client() as client:
        emit_record(client.room.get_room(token, agent_id=agent_id))


@room.command("close")
@token_option()
@rid_option
def close_room(token: str, rid: str | None) -> None:
    """Close the visitor's room."""
    with settings().client() as client:
        closed = client.room.close_room(room_id(client, token, rid), token)
    emit_message(f"room {closed.rid} closed ({closed.comment or 'no comment'})", closed)


@click.command("upload", cls=Command)
@token_option()
@rid_option
@click.option("--description", help="Text shown with the file.")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def upload(token: str, rid: str | None, description: str | None, path: Path) -> None:
    """Upload a file into the visitor's room (progress bar on a terminal)."""
    with settings().client() as client:
        target = room_id(client, token, rid, create=True)
        with upload_progress(path.name, path.stat().st_size) as progress:
            message = client.room.upload_file(
                target, path, token, description=description, progress=progress
            )
    emit_record(message)


COMMANDS = [room, upload]
