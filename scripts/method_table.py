#!/usr/bin/env python3
"""Write the README's method tables from the endpoint declarations.

    python scripts/method_table.py          # rewrite the tables in README.md
    python scripts/method_table.py --check  # exit 1 if README.md's tables are stale (CI)

Each table sits between ``<!-- methods:NAME -->`` and ``<!-- /methods:NAME -->``: ``visitor``
(endpoints without user auth) and ``agent`` (user auth, and the client's own methods).
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
README = REPO / "README.md"
sys.path.insert(0, str(REPO / "src"))

from rocketchat_livechat import AsyncLivechatClient  # noqa: E402
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


def render(text: str) -> str:
    for name, table in tables().items():
        pattern = re.compile(rf"(<!-- methods:{name} -->\n).*?(<!-- /methods:{name} -->)", re.S)
        if not pattern.search(text):
            raise SystemExit(f"README.md has no <!-- methods:{name} --> block")
        text = pattern.sub(lambda m, t=table: m.group(1) + t + m.group(2), text)
    return text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if README.md is stale")
    args = parser.parse_args(argv)
    current = README.read_text()
    wanted = render(current)
    if args.check:
        if wanted != current:
            print("README.md's method tables are stale: run python scripts/method_table.py")
            return 1
        return 0
    README.write_text(wanted)
    return 0


if __name__ == "__main__":
    sys.exit(main())
