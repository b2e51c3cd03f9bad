"""``send``, ``history`` and ``offline-message``."""

from __future__ import annotations

import click

from ._app import Command, settings
from ._options import token_option
from ._output import emit_message, emit_table
from .room import rid_option, room_id


@click.command("send", cls=Command)
@token_option()
@rid_option
@click.argument("text")
def send(token: str, rid: str | None, text: str) -> None:
    """Send TEXT as the visitor (opens the visitor's room if needed)."""
    with settings().client() as client:
        message = client.messages.send_message(
            token, room_id(client, token, rid, create=True), text
        )
    emit_message(f"sent message {message.id} to room {message.rid}", message)


@click.command("history", cls=Command)
@token_option()
@rid_option
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True)
@click.option("--all", "everything", is_flag=True, help="Every message (pages through).")
def history(token: str, rid: str | None, limit: int, everything: bool) -> None:
    """The room's messages, oldest first (the newest LIMIT, or --all)."""
    from . import _transcript

    with settings().client() as client:
        target = room_id(client, token, rid)
        if everything:
            messages = list(client.messages.iter_message_history(target, token))
        else:
            messages = client.messages.get_message_history(target, token, limit=limit)
    messages.reverse()
    columns = {"time": _transcript.stamp, "from": _transcript.author, "message": _transcript.text}
    emit_table(messages, columns, title=f"room {target}")


@click.command("offline-message", cls=Command)
@click.option("--name", required=True, help="Your name.")
@click.option("--email", required=True, help="Where the answer should go.")
@click.option("--message", "text", required=True, help="The message.")
@click.option("--department", help="Department id or name.")
def offline_message(name: str, email: str, text: str, department: str | None) -> None:
    """Leave a message for when no agent is online (the server e-mails it)."""
    with settings().client() as client:
        answer = client.messages.send_offline_message(name, email, text, department=department)
    emit_message(answer, {"message": answer})


COMMANDS = [send, history, offline_message]
