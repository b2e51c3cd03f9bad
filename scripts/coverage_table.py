#!/usr/bin/env python3
"""The coverage table: every operation of Rocket.Chat's REST reference → SDK method → server.

    python scripts/coverage_table.py           # rewrite docs/reference/coverage.md
    python scripts/coverage_table.py --check   # exit 1 if it is stale, or a community operation
                                               # lacks an SDK method or a server route (CI)
    python scripts/coverage_table.py --extract omnichannel.yaml   # refresh the operation list

The reference is ``omnichannel.yaml`` of ``RocketChat/Rocket.Chat-Open-API`` (documents up to
8.7). Its operations are kept in ``docs/reference/omnichannel-operations.json`` (CI has no
access to GitHub); ``--extract`` writes that file from a copy of the YAML (needs PyYAML).
Enterprise-only operations (the reference's own tags and descriptions say so) are listed but
not required. ``KNOWN_GAPS`` names, with the reason, community operations deliberately absent;
``REFERENCE_MISTAKES`` maps an operation the reference spells wrongly to the route Rocket.Chat's
source serves (the row is covered through that route, with a note); ``COMMUNITY_IN_SOURCE``
names operations the reference marks Enterprise that community Rocket.Chat serves.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
OPERATIONS = REPO / "docs" / "reference" / "omnichannel-operations.json"
PAGE = REPO / "docs" / "reference" / "coverage.md"
sys.path.insert(0, str(REPO / "src"))

from rocketchat_livechat._core.endpoints import declared  # noqa: E402
from rocketchat_livechat.server.routes import ROUTE_GROUPS  # noqa: E402

#: tags of the reference whose operations are Enterprise Edition only
ENTERPRISE_TAGS = {
    "Omnichannel Units",
    "Omnichannel Priorities",
    "SLA Policies",
    "Canned Responses",
    "Omnichannel Monitors",
    "Omnichannel Tags",
    "Omnichannel Business Hours",
    "Reports",
    "Omnichannel Agent Stats",
}
_ENTERPRISE_TEXT = re.compile(r"enterprise|premium", re.IGNORECASE)

#: community operations of the reference deliberately not implemented: ``METHOD path`` → why
KNOWN_GAPS: dict[str, str] = {
    "GET /api/v1/livechat/messages/{rid}": (
        "not a route of Rocket.Chat 7.x/8.x (message.ts serves livechat/messages.history/:rid)"
    ),
}


#: reference operations whose path is misspelt: ``METHOD path`` → (the source's route, where)
REFERENCE_MISTAKES: dict[str, tuple[str, str]] = {
    "POST /api/v1/livechat/department/archive/{_id}": (
        "livechat/department/:_id/archive",
        "apps/meteor/server/api/v1/omnichannel/departments.ts",
    ),
    "POST /api/v1/livechat/department/unarchive/{_id}": (
        "livechat/department/:_id/unarchive",
        "apps/meteor/server/api/v1/omnichannel/departments.ts",
    ),
    "GET /api/v1/livechat/livechat/analytics/dashboards/charts-data": (
        "livechat/analytics/dashboards/charts-data",
        "apps/meteor/server/api/v1/omnichannel/dashboards.ts",
    ),
    "POST /api/v1/livechat/visitors.status": (
        "livechat/visitor.status",
        "apps/meteor/server/api/v1/omnichannel/visitor.ts",
    ),
}


#: operations the reference marks Enterprise that community Rocket.Chat serves: ``METHOD path`` →
#: the source file (they are required like the other community operations)
COMMUNITY_IN_SOURCE: dict[str, str] = {
    "GET /api/v1/livechat/agents/{agentId}/departments": (
        "apps/meteor/server/api/v1/omnichannel/agentDepartments.ts"
    ),
    "GET /api/v1/livechat/department/isDepartmentCreationAvailable": (
        "apps/meteor/server/api/v1/omnichannel/departments.ts"
    ),
}


def _enterprise(op: dict[str, Any]) -> bool:
    return bool(op["enterprise"]) and f"{op['method']} {op['path']}" not in COMMUNITY_IN_SOURCE


def _shape(path: str) -> str:
    """A route with every parameter as ``{}`` and without ``/api/v1/``."""
    path = path.removeprefix("/api/v1/").removeprefix("/")
    return re.sub(r"\{[^}]*\}|:[A-Za-z_]\w*", "{}", path)


def extract(yaml_file: Path) -> list[dict[str, Any]]:
    import yaml

    document = yaml.safe_load(yaml_file.read_text())
    operations = []
    for path, item in document["paths"].items():
        for method, op in item.items():
            if method not in ("get", "post", "put", "delete", "patch"):
                continue
            tags = op.get("tags") or []
            enterprise = bool(set(tags) & ENTERPRISE_TAGS) or bool(
                _ENTERPRISE_TEXT.search(op.get("description") or "")
            )
            operations.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": op.get("summary") or "",
                    "tags": tags,
                    "enterprise": enterprise,
                }
            )
    return operations


def sdk_methods() -> dict[tuple[str, str], str]:
    found: dict[tuple[str, str], str] = {}
    for endpoint in declared():
        routes = [endpoint.route, *(moved for _, moved in endpoint.since)]
        for route in routes:
            found.setdefault((endpoint.method, _shape(route)), endpoint.qualname)
    return found


def server_routes() -> set[tuple[str, str]]:
    return {(e.method, _shape(e.path)) for group in ROUTE_GROUPS for e in group.endpoints}


def _row(
    op: dict[str, Any], sdk: dict[tuple[str, str], str], server: set[tuple[str, str]]
) -> tuple[str, str]:
    """The operation's status (``yes ...``, ``Enterprise only``, ``not implemented: ...`` or
    ``**missing**``) and its table row."""
    name = f"{op['method']} {op['path']}"
    real, source = REFERENCE_MISTAKES.get(name, (op["path"], ""))
    key = (op["method"], _shape(real))
    method, served = sdk.get(key), key in server
    if _enterprise(op):
        state = "Enterprise only"
    elif name in KNOWN_GAPS:
        state = f"not implemented: {KNOWN_GAPS[name]}"
    elif method and served:
        state = "yes"
        if source:
            state += f" (the reference's path is wrong: `{real}` in `{source}`)"
        if name in COMMUNITY_IN_SOURCE:
            where = COMMUNITY_IN_SOURCE[name]
            state += f" (the reference says Enterprise; community `{where}`)"
    else:
        state = "**missing**"
    sdk_cell = f"`{method}`" if method else "—"
    return state, (
        f"| `{name.replace('/api/v1/', '')}` | {op['summary']} | {sdk_cell} | "
        f"{'yes' if served else '—'} | {state} |"
    )


def page(operations: list[dict[str, Any]]) -> tuple[str, list[str]]:
    """The page's text, and the community operations missing without a documented reason."""
    sdk, server = sdk_methods(), server_routes()
    ordered = sorted(operations, key=lambda o: (_enterprise(o), o["path"], o["method"]))
    rows, missing, covered = [], [], 0
    for op in ordered:
        state, row = _row(op, sdk, server)
        rows.append(row)
        covered += state.startswith("yes")
        if state == "**missing**":
            missing.append(f"{op['method']} {op['path']}")
    gaps = sum(1 for o in operations if f"{o['method']} {o['path']}" in KNOWN_GAPS)
    community = sum(1 for o in operations if not _enterprise(o)) - gaps
    head = (
        "# Coverage of Rocket.Chat's Omnichannel REST reference\n\n"
        "Generated by `python scripts/coverage_table.py` from the declarations, the embedded "
        "server's routes and the operations of `omnichannel.yaml` "
        "([RocketChat/Rocket.Chat-Open-API](https://github.com/RocketChat/Rocket.Chat-Open-API), "
        "up to 8.7). Enterprise-only operations (the reference's Enterprise tags: units, "
        "monitors, tags, priorities, SLA policies, canned responses, business hours, reports, "
        "agent stats, on-hold, conversations-by-*) are listed but stay out of the SDK and the "
        "embedded server (which answers them 404, as an unknown route). Where the reference "
        "spells a path wrongly, the row names the route Rocket.Chat's source serves.\n\n"
        f"Community operations covered by both the SDK and the server: **{covered} of "
        f"{community}**{f'; {gaps} more deliberately absent, with the reason' if gaps else ''}"
        ".\n\n"
        "| operation | summary | SDK method | server | status |\n|---|---|---|---|---|\n"
    )
    return head + "\n".join(rows) + "\n", missing


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true")
    parser.add_argument("--extract", type=Path, metavar="OMNICHANNEL_YAML")
    args = parser.parse_args(argv)
    if args.extract:
        OPERATIONS.write_text(json.dumps(extract(args.extract), indent=1) + "\n")
    text, missing = page(json.loads(OPERATIONS.read_text()))
    if args.check:
        stale = not PAGE.exists() or PAGE.read_text() != text
        if stale:
            print(f"stale: {PAGE.relative_to(REPO)}; run: python scripts/coverage_table.py")
        for name in missing:
            print(f"missing in the SDK or the server: {name}")
        return 1 if stale or missing else 0
    PAGE.write_text(text)
    for name in missing:
        print(f"missing in the SDK or the server: {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
