#!/usr/bin/env python3
"""Extract the documented success-response schemas of the operations the server serves.

    python scripts/extract_response_schemas.py OMNICHANNEL_YAML COMMIT

Reads ``omnichannel.yaml`` of ``RocketChat/Rocket.Chat-Open-API`` (at ``COMMIT``), keeps the
2xx ``application/json`` schema of every operation the embedded server has a route for, with
``$ref`` resolved and descriptions/examples dropped (an operation documented under a wrong path,
:data:`PATH_MISTAKES`, under its real one), and writes them to
``tests/contract/openapi_responses.json`` for ``tests/contract/test_response_schemas.py``
(CI has no access to GitHub; needs PyYAML).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from coverage_table import REPO, _shape, server_routes

OUT = REPO / "tests" / "contract" / "openapi_responses.json"
#: operations the reference documents under a wrong path: its path → (the route, the source)
PATH_MISTAKES: dict[str, tuple[str, str]] = {
    "/api/v1/livechat/visitors.status": (
        "/api/v1/livechat/visitor.status",
        "apps/meteor/app/livechat/server/api/v1/visitor.ts declares livechat/visitor.status",
    ),
}
#: keywords of a schema object that are documentation only
_DOC_ONLY = {"description", "example", "examples", "title"}


def _resolve(document: dict[str, Any], node: Any) -> Any:
    """``node`` with every ``$ref`` replaced by its target, without documentation keywords."""
    if isinstance(node, list):
        return [_resolve(document, item) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        target: Any = document
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        return _resolve(document, target)
    out = {}
    for key, value in node.items():
        if key == "properties":  # property names are data, even "description"
            out[key] = {name: _resolve(document, sub) for name, sub in value.items()}
        elif key not in _DOC_ONLY:
            out[key] = _resolve(document, value)
    return out


def extract(yaml_file: Path) -> dict[str, Any]:
    import yaml

    document = yaml.safe_load(yaml_file.read_text())
    served = server_routes()
    found: dict[str, Any] = {}
    for documented, item in document["paths"].items():
        path, source = PATH_MISTAKES.get(documented, (documented, ""))
        for method, op in item.items():
            if (method.upper(), _shape(path)) not in served:
                continue
            for status, response in (op.get("responses") or {}).items():
                content = _resolve(document, response).get("content") or {}
                schema = (content.get("application/json") or {}).get("schema")
                if str(status).startswith("2") and schema is not None:
                    entry = {"status": int(status), "schema": schema}
                    if source:
                        entry["documented_as"] = f"{documented} (wrong: {source})"
                    found[f"{method.upper()} {path}"] = entry
    return found


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__)
        return 2
    operations = extract(Path(argv[0]))
    source = {
        "repository": "https://github.com/RocketChat/Rocket.Chat-Open-API",
        "file": "omnichannel.yaml",
        "commit": argv[1],
        "license": "the repository carries no license file; only the response schemas "
        "(interface facts) are kept, for interoperability tests",
    }
    text = json.dumps({"source": source, "operations": operations}, indent=1, sort_keys=True)
    OUT.write_text(text + "\n")
    print(f"{len(operations)} operations -> {OUT.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
