"""One write path: every non-GET request is one transaction, in the group commit.

The requests go straight to the REST dispatcher, in one event loop, so that their order is
known: a request whose body is already there runs without suspending until its write waits
for the group commit, which comes in the next loop round.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.types import Message

from rocketchat_livechat.server.api import ApiRouter, Context, RouteGroup, dispatch
from rocketchat_livechat.server.errors import PlainError
from rocketchat_livechat.server.state import ServerState

routes = RouteGroup()
STREAM = "test-write-path"


@routes.post("test.write")
async def write_docs(ctx: Context) -> dict[str, Any]:
    """Insert the ``ids``, publish an event, then fail midway when asked to."""
    for n, doc_id in enumerate(ctx.params["ids"]):
        ctx.store.custom_fields.insert({"_id": doc_id, "label": doc_id})
        ctx.state.broadcaster.publish(STREAM, "wrote", [doc_id])
        if ctx.params.get("fail") == n:
            raise PlainError("failed-midway")
        if ctx.params.get("crash") == n:
            raise RuntimeError("crashed midway")
    return {"written": ctx.params["ids"]}


@routes.post("test.nested")
async def nested_write(ctx: Context) -> dict[str, Any]:
    """A handler awaiting ``state.write`` itself (like ``livechat/message``) joins the request."""
    await ctx.state.write(lambda: ctx.store.custom_fields.insert({"_id": "inner"}))
    ctx.store.custom_fields.insert({"_id": "outer"})
    raise PlainError("failed-after-the-inner-write")


@routes.get("test.read")
async def read_docs(ctx: Context) -> dict[str, Any]:
    found = ctx.store.custom_fields.find()
    # True when this read ran while a group commit was still pending
    pending = ctx.store._batch is not None
    return {"ids": [d["_id"] for d in found], "commitPending": pending}


@pytest.fixture
def state(tmp_path: Path) -> Iterator[ServerState]:
    state = ServerState.open(tmp_path, rate_limit=False)
    yield state
    state.close()


class Api:
    def __init__(self, state: ServerState) -> None:
        self.app = Starlette()
        self.app.state.livechat = state
        self.router = ApiRouter([routes])

    async def call(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        raw = b"" if body is None else json.dumps(body).encode()
        scope = {
            "type": "http",
            "method": method,
            "path": f"/api/v1/{path}",
            "raw_path": f"/api/v1/{path}".encode(),
            "query_string": b"",
            "headers": [(b"content-type", b"application/json")],
            "client": ("127.0.0.1", 1),
            "app": self.app,
        }

        async def receive() -> Message:  # the whole body at once: no suspension
            return {"type": "http.request", "body": raw, "more_body": False}

        response = await dispatch(Request(scope, receive), self.router)
        return response.status_code, json.loads(bytes(response.body))


def run(coro: Any) -> Any:
    return asyncio.run(coro)


def test_a_write_is_invisible_to_other_requests_until_committed(state: ServerState) -> None:
    api = Api(state)

    async def scenario() -> tuple[Any, Any, Any]:
        wrote, read = await asyncio.gather(
            api.call("POST", "test.write", {"ids": ["a", "b"]}),
            api.call("GET", "test.read"),  # runs after the write's work, before its commit
        )
        return wrote, read, await api.call("GET", "test.read")

    wrote, read_during, read_after = run(scenario())
    assert wrote == (200, {"written": ["a", "b"], "success": True})
    assert read_during == (200, {"ids": [], "commitPending": True, "success": True})
    assert read_after == (200, {"ids": ["a", "b"], "commitPending": False, "success": True})


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ({"ids": ["a", "b", "c"], "fail": 1}, "failed-midway"),
        ({"ids": ["a", "b", "c"], "crash": 1}, "crashed midway"),
    ],
)
def test_a_request_failing_midway_leaves_nothing_behind(
    state: ServerState, body: dict[str, Any], error: str
) -> None:
    api = Api(state)
    delivered: list[Any] = []
    state.broadcaster.add_listener(lambda stream, name, args: delivered.append(args))

    async def scenario() -> tuple[Any, Any, Any]:
        failed, ok = await asyncio.gather(
            api.call("POST", "test.write", body),
            api.call("POST", "test.write", {"ids": ["z"]}),  # same group commit
        )
        return failed, ok, await api.call("GET", "test.read")

    failed, ok, read = run(scenario())
    assert failed == (400, {"success": False, "error": error})
    assert ok == (200, {"written": ["z"], "success": True})
    assert read[1]["ids"] == ["z"]  # the other request of the batch is kept
    assert state.store.custom_fields.get("a") is None
    assert delivered == [["z"]]  # the failed request's events are dropped


def test_a_nested_write_is_part_of_the_request(state: ServerState) -> None:
    api = Api(state)
    status, body = run(api.call("POST", "test.nested", {}))
    assert (status, body) == (400, {"success": False, "error": "failed-after-the-inner-write"})
    assert state.store.custom_fields.find() == []


def test_reads_outside_a_transaction_see_committed_data_only(state: ServerState) -> None:
    store = state.store

    async def scenario() -> tuple[Any, Any]:
        task = asyncio.ensure_future(state.write(lambda: store.users.insert({"_id": "w"})))
        await asyncio.sleep(0)  # the write has run; its commit is the next callback
        assert store._batch is not None
        before = store.users.get("w")
        await task
        return before, store.users.get("w")

    before, after = run(scenario())
    assert before is None
    assert after == {"_id": "w"}
