#!/usr/bin/env python3
"""Write the methods reference from the endpoint declarations.

    python scripts/method_table.py          # rewrite docs/reference/methods.md
    python scripts/method_table.py --check  # exit 1 if it is stale (CI)

``docs/reference/methods.md`` is generated whole: two tables, ``visitor`` (endpoints without
user auth) and ``agent`` (user auth, and the client's own methods), then every resource method
with its typed signature, endpoint and docstring.
"""

from __future__ import annotations

import argparse
import inspect
import re
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
METHODS_PAGE = REPO / "docs" / "reference" / "methods.md"
sys.path.insert(0, str(REPO / "src"))

from rocketchat_livechat import AsyncLivechatClient, LivechatClient  # noqa: E402
from rocketchat_livechat._async.resources._base import AsyncEndpointMethod  # noqa: E402
from rocketchat_livechat._core.endpoint import Endpoint  # noqa: E402
from rocketchat_livechat._core.endpoints import auth  # noqa: E402

HEADER = "| method | endpoint | returns |\n|---|---|---|\n"
CLIENT_METHODS = (auth.login, auth.logout, auth.server_version)


def signature(name: str, function: Callable[..., Any]) -> str:
    """``name(a, *, b=None)``, without annotations, ``self`` or ``**options``."""
    parameters = [
        p.replace(annotation=inspect.Parameter.empty)
        for p in inspect.signature(function).parameters.values()
        if p.name not in {"self", "options"}
    ]
    rendered = inspect.Signature(parameters)
    return f"{name}{rendered}"


def endpoint_cell(declared: Endpoint[Any, Any]) -> str:
    def show(route: str) -> str:
        return re.sub(r"\{(\w+)\}", r":\1", route)

    prefix = "/" + declared.api_prefix if declared.api_prefix != "api/v1/" else ""
    cell = f"`{declared.method} {prefix}{show(declared.route)}`"
    for since, moved in declared.since:
        version = ".".join(map(str, since))
        cell = f"{cell} (< {version}) or `{show(moved)}` ({version}+)"
    return cell


def returns_cell(returns: str) -> str:
    return "`" + returns.replace("|", "\\|") + "`"


def row(name: str, function: Callable[..., Any], endpoint: str, returns: str) -> str:
    return f"| `{signature(name, function)}` | {endpoint} | {returns} |"


#: hand-written methods that chain declared endpoints: (table, endpoint cell, returns cell)
COMPOSITES: dict[str, tuple[str, str, str]] = {
    "messages.upload_agent_file": (
        "agent",
        "`POST rooms.media/:rid` + `POST rooms.mediaConfirm/:rid/:file_id` "
        "(before 7.0: `POST rooms.upload/:rid`)",
        "`Message`",
    ),
}


def resource_rows() -> Iterator[tuple[str, str]]:
    """(table, row) for every public resource method, pagers after what they page."""
    client = AsyncLivechatClient("http://localhost")
    for attribute, resource in vars(client).items():
        if attribute.startswith("_"):
            continue
        members = vars(type(resource))
        pagers = {n: f for n, f in members.items() if n.startswith("iter_")}
        for name, member in members.items():
            composite = COMPOSITES.get(f"{attribute}.{name}")
            if composite is not None:
                table, cell, returns = composite
                yield table, row(f"{attribute}.{name}", member, cell, returns)
                continue
            if not isinstance(member, AsyncEndpointMethod):
                continue
            declared = member.endpoint
            table = "agent" if declared.auth == "user" else "visitor"
            parser = declared.parse
            cell = endpoint_cell(declared)
            yield (
                table,
                row(f"{attribute}.{name}", declared.parts, cell, returns_cell(parser.returns)),
            )
            for pager_name, pager in pagers.items():
                if pager_name.removeprefix("iter_") in {
                    name.removeprefix("list_"),
                    name.removeprefix("get_"),
                }:
                    item = parser.returns.removeprefix("Page[").removeprefix("list[").rstrip("]")
                    cell = "pages the above"
                    yield (
                        table,
                        row(f"{attribute}.{pager_name}", pager, cell, f"iterator of `{item}`"),
                    )


def tables() -> dict[str, str]:
    rows: dict[str, list[str]] = {"visitor": [], "agent": []}
    for declared in CLIENT_METHODS:
        rows["agent"].append(
            row(
                declared.name,
                declared.parts,
                endpoint_cell(declared),
                returns_cell(declared.parse.returns),
            )
        )
    for table, line in resource_rows():
        rows[table].append(line)
    return {name: HEADER + "\n".join(lines) + "\n" for name, lines in rows.items()}


# docs/reference/methods.md ------------------------------------------------------------------

PAGE_INTRO = """\
# Methods

<!-- Generated by scripts/method_table.py from the endpoint declarations: do not edit by hand.
     python scripts/method_table.py rewrites it; scripts/test.sh checks it (--check). -->

Every method of `LivechatClient`, by resource (`client.visitor`, `client.room`, ...).
`AsyncLivechatClient` has the same methods, awaitable (its `iter_*` pagers are async
iterators). Required parameters are positional, in the Node.js livechat SDK's order (so its
examples translate line by line), optional ones keyword-only, and every method also takes
`timeout=` (seconds, an `httpx2.Timeout`, or `None` to wait forever) for that one call;
`client.with_options(timeout=..., max_retries=..., max_rate_limit_wait=...)` gives a client
with other defaults that shares the connection pool and the login. An endpoint written
`A (< 8.0) or B (8.0+)` is chosen from the server's version (`GET /api/info`, fetched once per
client).

These are the community Omnichannel operations of Rocket.Chat's REST reference (every one of
them, see the [coverage table](coverage.md)). Enterprise-only operations (units, monitors,
tags, priorities, SLA policies, canned responses, business hours, on-hold, the
`conversations-by-*` and per-agent/per-department reports) are not in the SDK.
"""


def typed_signature(name: str, function: Callable[..., Any]) -> str:
    """``name(a: str, *, b: int | None = None) -> T`` without ``self`` or ``**options``."""
    signature_ = inspect.signature(function)
    parameters = [p for p in signature_.parameters.values() if p.name not in {"self", "options"}]
    rendered = str(signature_.replace(parameters=parameters, return_annotation=inspect._empty))
    return name + rendered.replace("'", "")


def markdown_doc(doc: str | None) -> str:
    """A reST-flavoured docstring as Markdown: double backquotes and roles become single ones."""
    text = inspect.cleandoc(doc or "").strip()
    text = re.sub(r":(?:class|meth|func|data|attr|exc|mod):`~?([^`]+)`", r"`\1`", text)
    text = re.sub(r"``([^`]+)``", r"`\1`", text)
    text = re.sub(r"::\n", ":\n", text)
    return text or "(no docstring)"


def method_section(
    title: str, function: Callable[..., Any], doc: str | None, endpoint: str, returns: str
) -> str:
    return (
        f"### `{title}`\n\n"
        "<!-- no-run: a signature, not code to run -->\n"
        f"```python\n{typed_signature(title.rsplit('.', 1)[-1], function)}\n```\n\n"
        f"{endpoint} → {returns}\n\n{markdown_doc(doc)}\n"
    )


def details() -> Iterator[str]:
    """A section per client method and per resource method, in declaration order."""
    yield "## The client's own methods\n"
    for declared in CLIENT_METHODS:
        yield method_section(
            declared.name,
            declared.parts,
            declared.doc,
            endpoint_cell(declared),
            returns_cell(declared.parse.returns),
        )
    sync_client = LivechatClient("http://localhost")
    for attribute, resource in vars(AsyncLivechatClient("http://localhost")).items():
        if attribute.startswith("_"):
            continue
        sync_type = type(getattr(sync_client, attribute))
        yield f"## `client.{attribute}`\n"
        for name, member in vars(type(resource)).items():
            if name.startswith("_"):
                continue
            title = f"{attribute}.{name}"
            if isinstance(member, AsyncEndpointMethod):
                declared = member.endpoint
                yield method_section(
                    title,
                    declared.parts,
                    declared.doc,
                    endpoint_cell(declared),
                    returns_cell(declared.parse.returns),
                )
            elif callable(member):
                function = vars(sync_type)[name]
                returns = inspect.signature(function).return_annotation
                yield method_section(
                    title, function, function.__doc__, "no declaration", returns_cell(str(returns))
                )


def methods_page() -> str:
    parts = [PAGE_INTRO]
    found = tables()
    parts.append("## Visitor side (token auth)\n\n" + found["visitor"])
    parts.append("## Agent and manager side (user auth)\n\n" + found["agent"])
    parts.extend(details())
    return "\n".join(parts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if a generated file is stale")
    args = parser.parse_args(argv)
    wanted = methods_page()
    stale = not METHODS_PAGE.exists() or METHODS_PAGE.read_text() != wanted
    if args.check:
        if stale:
            print(f"{METHODS_PAGE.relative_to(REPO)} is stale: run python scripts/method_table.py")
        return 1 if stale else 0
    if stale:
        METHODS_PAGE.write_text(wanted)
    return 0


if __name__ == "__main__":
    sys.exit(main())
