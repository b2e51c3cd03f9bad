"""Soak: many visitors send messages through a proxy that breaks 5% of all requests.

Afterwards the server is read directly (no proxy) and every outcome is reconciled:

* every message the caller was told succeeded is stored exactly once, with the returned id;
* every failed call raised a typed :class:`APIError` subclass (nothing else escaped);
* no text is stored twice (a retry never duplicated a message), nothing unknown is stored.

A failed call whose message did reach the server ("delivered, reported failed") is allowed —
the caller was told it failed with a typed error and nothing was duplicated — and counted.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from _reliability_env import Deployment

from _support.faultproxy import HTTP_FAULTS, Fault, FaultPlan, FaultProxy
from rocketchat_livechat import APIError, AsyncLivechatClient, new_visitor_token

FAULT_RATE = 0.05
SEED = 20240917
CLIENT_TIMEOUT = 2.0


@dataclass(frozen=True)
class Size:
    calls: int
    visitors: int
    budget_seconds: float


@dataclass
class Outcomes:
    succeeded: dict[str, str] = field(default_factory=dict)  # text -> returned id
    failed: dict[str, APIError] = field(default_factory=dict)  # text -> typed error
    untyped: dict[str, BaseException] = field(default_factory=dict)


@pytest.fixture
def proxy(deployment: Deployment) -> Iterator[FaultProxy]:
    plan = FaultPlan(rate=FAULT_RATE, seed=SEED)
    with FaultProxy(deployment.url, plan=plan, stall_seconds=1.5 * CLIENT_TIMEOUT) as proxy:
        yield proxy


async def _open_chats(client: AsyncLivechatClient, visitors: int) -> list[tuple[str, str]]:
    async def one(i: int) -> tuple[str, str]:
        token = new_visitor_token()
        await client.visitor.register_visitor(token, name=f"Soak {i}")
        return token, (await client.room.get_room(token)).room.id

    return list(await asyncio.gather(*(one(i) for i in range(visitors))))


async def _send_all(
    client: AsyncLivechatClient, token: str, rid: str, texts: list[str], out: Outcomes
) -> None:
    for text in texts:
        try:
            message = await client.messages.send_message(token, rid, text)
        except APIError as exc:
            out.failed[text] = exc
        except Exception as exc:
            out.untyped[text] = exc
        else:
            assert (message.msg, message.rid) == (text, rid)
            out.succeeded[text] = message.id


async def _stored(
    client: AsyncLivechatClient, chats: list[tuple[str, str]]
) -> list[tuple[str, str]]:
    """(text, id) of every visitor message stored in the chats' rooms."""
    stored: list[tuple[str, str]] = []
    for token, rid in chats:
        async for message in client.messages.iter_message_history(rid, token, page_size=500):
            if message.t is None and message.token == token:
                stored.append((message.msg or "", message.id))
    return stored


SIZES = [
    pytest.param(Size(calls=1_000, visitors=20, budget_seconds=60), id="1k-calls-20-visitors"),
    pytest.param(
        Size(calls=10_000, visitors=100, budget_seconds=600),
        id="10k-calls-100-visitors",
        marks=pytest.mark.slow,
    ),
]


@pytest.mark.timeout(900)
@pytest.mark.parametrize("size", SIZES)
async def test_soak_send_message_loses_and_duplicates_nothing(
    size: Size, deployment: Deployment, proxy: FaultProxy
) -> None:
    async with AsyncLivechatClient(deployment.url) as direct:
        chats = await _open_chats(direct, size.visitors)
        per_visitor = size.calls // size.visitors
        texts = {
            token: [f"soak {v}/{i}" for i in range(per_visitor)]
            for v, (token, _) in enumerate(chats)
        }
        out = Outcomes()
        started = time.perf_counter()
        async with AsyncLivechatClient(proxy.url, timeout=CLIENT_TIMEOUT) as client:
            await asyncio.gather(
                *(_send_all(client, token, rid, texts[token], out) for token, rid in chats)
            )
        elapsed = time.perf_counter() - started
        stored = await _stored(direct, chats)

    counts = proxy.counts()
    stored_texts = Counter(text for text, _ in stored)
    stored_ids = dict(stored)
    sent = {text for batch in texts.values() for text in batch}
    delivered_failed = [text for text in out.failed if text in stored_texts]
    first_choice = [r for r in proxy.records if not r.burst]
    chosen = Counter(r.fault.value for r in first_choice if r.fault is not Fault.PASS)
    report = (
        f"{size.calls} calls / {size.visitors} visitors in {elapsed:.1f} s; "
        f"requests {len(proxy.records)}, faults chosen {sum(chosen.values())} "
        f"{dict(sorted(chosen.items()))} + burst 429s {len(proxy.records) - len(first_choice)}; "
        f"succeeded {len(out.succeeded)}, failed {len(out.failed)} "
        f"{dict(Counter(type(e).__name__ for e in out.failed.values()))}, "
        f"delivered-but-reported-failed {len(delivered_failed)}"
    )
    print(report)

    assert not out.untyped, f"untyped errors escaped: {out.untyped}"
    assert len(out.succeeded) + len(out.failed) == len(sent) == size.calls
    assert all(type(error) is not APIError for error in out.failed.values())
    duplicated = [text for text, n in stored_texts.items() if n > 1]
    assert not duplicated, f"stored more than once: {duplicated[:10]}"
    assert set(stored_texts) <= sent, "the server holds messages nobody sent"
    lost = [text for text in out.succeeded if stored_ids.get(text) != out.succeeded[text]]
    assert not lost, f"acknowledged but not stored (or under another id): {lost[:10]}"
    # the run really exercised the faults: every kind injected, about 5% of requests
    assert set(HTTP_FAULTS) <= set(counts)
    fault_share = sum(r.fault is not Fault.PASS for r in first_choice) / len(first_choice)
    assert 0.03 < fault_share < 0.07, report
    assert elapsed < size.budget_seconds, report
