"""Printing results: JSON for scripts (or ``--json``), readable tables for terminals.

Secrets in results (visitor tokens of messages and rooms...) are printed as ``***``; only
``visitor register`` shows the token, which the user needs afterwards. rich is imported only
when something is printed for a terminal.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import click

from ._app import settings

if TYPE_CHECKING:
    from rich.console import Console

    from .._core.uploads import Progress

Column = Callable[[Any], object]


def jsonable(value: Any) -> Any:
    """Models dumped as the server's JSON (``by_alias=True, mode="json"``), recursively."""
    if hasattr(value, "model_dump"):
        return value.model_dump(by_alias=True, mode="json")
    if isinstance(value, list | tuple):
        return [jsonable(item) for item in value]
    if isinstance(value, Mapping):
        return {key: jsonable(item) for key, item in value.items()}
    return value


def shown(value: Any, reveal: Collection[str] = ()) -> Any:
    """:func:`jsonable` with secrets (``token``, ``authToken``...) redacted, except the
    top-level ``reveal`` keys."""
    from .._core.redact import redact

    data = jsonable(value)
    if not isinstance(data, dict):
        return redact(data)
    return {**redact(data), **{key: data[key] for key in reveal if key in data}}


def emit_json(value: Any, *, reveal: Collection[str] = ()) -> None:
    click.echo(json.dumps(shown(value, reveal), indent=2, ensure_ascii=False))


def emit_record(value: Any, *, reveal: Collection[str] = ()) -> None:
    """One object: JSON, or a key/value table (secrets redacted except ``reveal`` keys)."""
    if settings().as_json:
        emit_json(value, reveal=reveal)
        return
    table = _table(None, "field", "value")
    for key, item in shown(value, reveal).items():
        if item not in (None, [], {}):
            table.add_row(key, _cell(item))
    console().print(table)


def emit_table(
    rows: Sequence[Any],
    columns: Mapping[str, Column],
    *,
    title: str | None = None,
    json_value: Any = None,
) -> None:
    """Rows as a table (``columns``: header → getter); JSON gives ``json_value`` or the rows."""
    if settings().as_json:
        emit_json(rows if json_value is None else json_value)
        return
    table = _table(title, *columns)
    for row in rows:
        table.add_row(*(_cell(get(row)) for get in columns.values()))
    console().print(table)


def emit_message(text: str, json_value: Any) -> None:
    """A one-line outcome: ``text`` on a terminal, ``json_value`` as JSON otherwise."""
    if settings().as_json:
        emit_json(json_value)
    else:
        click.echo(text)


def console(stderr: bool = False) -> Console:
    from rich.console import Console

    return Console(file=sys.stderr if stderr else sys.stdout, highlight=False)


@contextmanager
def upload_progress(filename: str, total: int | None) -> Iterator[Progress | None]:
    """A rich progress bar on stderr when it is a terminal; ``None`` (no callback) otherwise."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.progress import BarColumn, DownloadColumn, Progress, TransferSpeedColumn

    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        console=console(stderr=True),
        transient=False,
    ) as bar:
        task = bar.add_task(f"uploading {filename}", total=total)

        def advance(sent: int, size: int | None) -> None:
            bar.update(task, completed=sent, total=size)

        yield advance


def _table(title: str | None, *headers: str) -> Any:
    from rich.table import Table

    table = Table(title=title, show_header=True, header_style="bold")
    for header in headers[:-1]:
        table.add_column(header, no_wrap=True)
    table.add_column(headers[-1], overflow="fold")  # the last column takes what is left
    return table


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    if hasattr(value, "isoformat"):
        return f"{value:%Y-%m-%d %H:%M:%S}"
    return str(value)
