"""Agent/manager commands: ``rooms list`` and ``inquiries list|take``."""

from __future__ import annotations

from typing import Any

import click

from ._app import Group
from ._options import AgentLogin, agent_client, agent_options
from ._output import emit_message, emit_table

page_options = [
    click.option("--count", type=click.IntRange(min=1), help="Page size (server default 50)."),
    click.option("--offset", type=click.IntRange(min=0), help="Items to skip."),
]


def _with_page_options(function: Any) -> Any:
    for option in reversed(page_options):
        function = option(function)
    return function


@click.group("rooms", cls=Group)
def rooms() -> None:
    """Livechat rooms (agent or manager credentials)."""


@rooms.command("list")
@agent_options
@click.option("--open/--closed", "is_open", default=None, help="Only open or only closed rooms.")
@click.option("--agent", "agents", multiple=True, metavar="USER_ID", help="Served by (repeatable).")
@click.option("--mine", is_flag=True, help="Only rooms served by the logged-in agent.")
@click.option("--department", help="Department id.")
@_with_page_options
def list_rooms(
    agent: AgentLogin,
    is_open: bool | None,
    agents: tuple[str, ...],
    mine: bool,
    department: str | None,
    count: int | None,
    offset: int | None,
) -> None:
    """List livechat rooms, newest first."""
    with agent_client(agent) as client:
        served_by = [*agents, *([client.user_id] if mine and client.user_id else [])]
        page = client.room.list_rooms(
            agents=served_by or None,
            department_id=department,
            open=is_open,
            offset=offset,
            count=count,
        )
    columns = {
        "room": lambda r: r.id,
        "visitor": lambda r: r.fname or (r.v.username if r.v else None),
        "agent": lambda r: r.served_by.username if r.served_by else None,
        "open": lambda r: "yes" if r.open else "no",
        "created": lambda r: r.ts,
        "last message": lambda r: r.lm,
    }
    emit_table(page.items, columns, title=_page_title("rooms", page), json_value=page)


@click.group("inquiries", cls=Group)
def inquiries() -> None:
    """The queue of chats waiting for an agent (manager credentials to list)."""


@inquiries.command("list")
@agent_options
@click.option("--department", help="Department id or name.")
@_with_page_options
def list_inquiries(
    agent: AgentLogin, department: str | None, count: int | None, offset: int | None
) -> None:
    """List queued inquiries."""
    with agent_client(agent) as client:
        page = client.inquiries.list_inquiries(department=department, offset=offset, count=count)
    columns = {
        "inquiry": lambda i: i.id,
        "room": lambda i: i.rid,
        "visitor": lambda i: i.name,
        "status": lambda i: i.status,
        "department": lambda i: i.department,
        "since": lambda i: i.ts,
    }
    emit_table(page.items, columns, title=_page_title("inquiries", page), json_value=page)


@inquiries.command("take")
@agent_options
@click.argument("inquiry_id")
@click.option("--for-user", metavar="USER_ID", help="Take it on behalf of this agent.")
def take(agent: AgentLogin, inquiry_id: str, for_user: str | None) -> None:
    """Take a queued chat (it is assigned to you, or to --for-user)."""
    with agent_client(agent) as client:
        client.inquiries.take_inquiry(inquiry_id, user_id=for_user)
    emit_message(f"inquiry {inquiry_id} taken", {"inquiryId": inquiry_id, "taken": True})


def _page_title(what: str, page: Any) -> str:
    if not page.count:
        return f"no {what}" if not page.offset else f"no {what} after {page.offset}"
    return f"{what} {page.offset + 1}-{page.offset + page.count} of {page.total}"


COMMANDS = [rooms, inquiries]
