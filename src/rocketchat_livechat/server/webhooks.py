"""Delivery of the Omnichannel CRM webhooks: an in-memory HTTP queue on the server's loop.

Rocket.Chat 8.x ``apps/meteor/app/livechat/server/lib/webhooks.ts`` (``sendRequest``) and
``api/v1/webhooks.ts`` (``livechat/webhook.test``); reference §1.5–1.8:

* ``POST Livechat_webhookUrl`` with the JSON payload (dates as ISO strings), header
  ``X-RocketChat-Livechat-Token`` only when ``Livechat_secret_token`` is set; URL, token and
  ``Livechat_http_timeout`` (ms, one attempt) are read at each attempt;
* only ``200`` is a success: then the raw response text is stored as the room's ``crmData``
  (every success overwrites it). ``>= 500`` and ``429``, network errors and timeouts are
  retried, 5 attempts in all, ``4 × timeout`` apart (no backoff); any other status is dropped
  (on the 6.14 and 7.10 lines every non-200 is retried, 10 attempts: ``state.line``);
* fire-and-forget: payloads published by :mod:`.services.webhooks` reach this queue once the
  request's transaction committed (the broadcaster's held events), and the response never
  waits for them. The offline message is the exception: its request awaits the first attempt
  (:meth:`WebhookDelivery.send_now`), as ``hooks/offlineMessage.ts`` awaits ``sendRequest``.

Bounded: at most :attr:`WebhookDelivery.max_pending` payloads wait (more are dropped and
logged) and :attr:`WebhookDelivery.concurrency` posts run at once, so a hanging receiver holds
one worker for one timeout per attempt. Retries are lost when the server stops, as in
Rocket.Chat. ``retry_delay`` (seconds) overrides ``4 × timeout`` for tests
(``EmbeddedServer(webhook_retry_delay=...)``).
"""

from __future__ import annotations

import asyncio
import logging
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import httpx2

from .errors import Failure, PlainError
from .responses import dumps
from .services.webhooks import WEBHOOK_STREAM

if TYPE_CHECKING:
    from .state import ServerState
    from .store import Doc

log = logging.getLogger("rocketchat_livechat.server.webhooks")

#: attempts in all, by the line's ``webhook-retry-policy`` (:mod:`.versions`)
ATTEMPTS = {"5xx-429": 5, "any-non-200": 10}
TOKEN_HEADER = "X-RocketChat-Livechat-Token"
Outcome = Literal["success", "retry", "dropped"]


def is_retryable(status: int, policy: str = "5xx-429") -> bool:
    """``isRetryable`` (7.11+): server errors and 429; before it (``any-non-200``) every
    non-200 answer was retried."""
    return policy == "any-non-200" or status >= 500 or status == 429


@dataclass
class Job:
    """One payload to post; ``rid`` receives the ``crmData`` on success."""

    payload: Doc
    rid: str | None
    attempts_left: int = ATTEMPTS["5xx-429"]
    generation: int = 0


class WebhookDelivery:
    """The queue; created by :class:`.ServerState`, listening on its broadcaster."""

    def __init__(self, state: ServerState) -> None:
        self._state = state
        #: seconds between attempts; ``None`` = ``4 × Livechat_http_timeout`` (Rocket.Chat)
        self.retry_delay: float | None = None
        self.max_pending = 1000
        self.concurrency = 4
        self._loop: asyncio.AbstractEventLoop | None = None
        self._queue: asyncio.Queue[Job] | None = None
        self._workers: list[asyncio.Task[None]] = []
        self._timers: set[asyncio.TimerHandle] = set()
        self._client: httpx2.AsyncClient | None = None
        self._lock = threading.Lock()
        #: attempts that succeeded / failed (Rocket.Chat's ``totalLivechatWebhooks*`` metrics)
        self.stats = {"success": 0, "failure": 0}
        self._generation = 0  # bumped by clear(): older jobs are dropped
        state.broadcaster.add_listener(self._on_event)

    # lifecycle ---------------------------------------------------------------------------

    def _start(self) -> None:
        """Bind to the running loop (the server's) and start the workers."""
        loop = asyncio.get_running_loop()
        self._loop = loop
        self._queue = asyncio.Queue()
        self._client = httpx2.AsyncClient(trust_env=False, follow_redirects=False)
        self._workers = [loop.create_task(self._work()) for _ in range(self.concurrency)]

    async def start(self) -> None:
        """Start on the current loop (the app's lifespan); idempotent."""
        with self._lock:
            if self._loop is None:
                self._start()

    async def stop(self) -> None:
        """Cancel the workers and pending retries, close the HTTP client."""
        with self._lock:
            workers, self._workers = self._workers, []
            for timer in self._timers:
                timer.cancel()
            self._timers.clear()
            client, self._client = self._client, None
            self._loop, self._queue = None, None
        for worker in workers:
            worker.cancel()
        await asyncio.gather(*workers, return_exceptions=True)
        if client is not None:
            await client.aclose()

    def clear(self) -> None:
        """Forget every queued payload and pending retry, and the retries of attempts in flight
        (tests; call it on the server's loop)."""
        with self._lock:
            self._generation += 1
            for timer in self._timers:
                timer.cancel()
            self._timers.clear()
            queue = self._queue
        while queue is not None and not queue.empty():
            queue.get_nowait()

    @property
    def pending(self) -> int:
        """Payloads waiting for a worker (retries waiting for their delay not included)."""
        return self._queue.qsize() if self._queue is not None else 0

    # queueing ----------------------------------------------------------------------------

    def _on_event(self, stream: str, event_name: str, args: list[Any]) -> None:
        if stream == WEBHOOK_STREAM:
            payload, rid = args
            self.enqueue(self._job(payload, rid))

    def enqueue(self, job: Job) -> None:
        """Queue ``job`` from any thread (dropped, and logged, when the queue is full)."""
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        with self._lock:
            if self._loop is None and running is not None:
                self._start()
            loop = self._loop
        if loop is None:
            log.warning("webhook %s dropped: the server is not running", job.payload["type"])
            return
        if running is loop:
            self._put(job)
        else:
            loop.call_soon_threadsafe(self._put, job)

    def _put(self, job: Job) -> None:
        queue = self._queue
        if queue is None or job.generation != self._generation:
            return
        if queue.qsize() >= self.max_pending:
            log.warning("webhook %s dropped: %d pending", job.payload["type"], queue.qsize())
            return
        queue.put_nowait(job)

    async def _work(self) -> None:
        queue = self._queue
        assert queue is not None
        while True:
            job = await queue.get()
            try:
                await self._run(job)
            except Exception:  # never let a worker die
                log.exception("webhook %s failed", job.payload["type"])

    async def _run(self, job: Job) -> None:
        outcome, text = await self.post(job.payload)
        if outcome == "success":
            if job.rid is not None:
                await self._save_crm_data(job.rid, text)
            return
        if outcome == "retry":
            self._retry(job)

    def _retry(self, job: Job) -> None:
        job.attempts_left -= 1
        if job.attempts_left <= 0:
            log.error("Omnichannel webhook call failed. Max attempts reached")
            return
        loop = self._loop
        if loop is None:
            return
        delay = self.retry_delay
        if delay is None:
            delay = 4 * self._timeout()
        timer: asyncio.TimerHandle

        def fire() -> None:
            self._timers.discard(timer)
            self._put(job)

        timer = loop.call_later(delay, fire)
        self._timers.add(timer)

    async def _save_crm_data(self, rid: str, text: str) -> None:
        """``LivechatRooms.saveCRMDataByRoomId``: the raw response text."""
        store = self._state.store
        await self._state.write(lambda: store.rooms.update(rid, {"$set": {"crmData": text}}))

    # HTTP --------------------------------------------------------------------------------

    def _policy(self) -> str:
        return self._state.line.variant("webhook-retry-policy")

    def _job(self, payload: Doc, rid: str | None) -> Job:
        return Job(payload, rid, ATTEMPTS[self._policy()], self._generation)

    def _timeout(self) -> float:
        return max(float(self._state.settings["Livechat_http_timeout"]), 0.0) / 1000

    def _client_or_new(self) -> httpx2.AsyncClient:
        if self._client is None:
            self._client = httpx2.AsyncClient(trust_env=False, follow_redirects=False)
        return self._client

    async def post(self, payload: Doc) -> tuple[Outcome, str]:
        """One attempt of ``sendRequest``: ``(outcome, response text)``."""
        settings = self._state.settings
        url = str(settings["Livechat_webhookUrl"])
        secret = str(settings["Livechat_secret_token"] or "")
        headers = {"Content-Type": "application/json"}
        if secret:
            headers[TOKEN_HEADER] = secret
        timeout = self._timeout() or None
        try:
            async with asyncio.timeout(timeout):
                response = await self._client_or_new().post(
                    url, content=dumps(payload), headers=headers, timeout=timeout
                )
        except (httpx2.HTTPError, TimeoutError, OSError, ValueError) as exc:
            log.debug("webhook %s: %s", payload["type"], type(exc).__name__)
            self.stats["failure"] += 1
            return "retry", ""
        if response.status_code == 200:
            self.stats["success"] += 1
            return "success", response.text
        self.stats["failure"] += 1
        if not is_retryable(response.status_code, self._policy()):
            log.error(
                "Non-retryable error response from webhook: %s status %d",
                payload["type"],
                response.status_code,
            )
            return "dropped", ""
        return "retry", ""

    async def send_now(self, payload: Doc) -> None:
        """The first attempt awaited, the retries queued (the offline message; never raises)."""
        job = self._job(payload, None)
        try:
            outcome, _ = await self.post(payload)
        except Exception:
            log.exception("webhook %s failed", payload["type"])
            return
        if outcome == "retry":
            if self._loop is None:
                await self.start()
            self._retry(job)

    async def test(self, payload: Doc) -> None:
        """``POST livechat/webhook.test``: 200 or ``error-invalid-webhook-response``.

        Sends the token header even when empty, plus ``Accept: application/json``; no timeout
        option is passed in Rocket.Chat (``Livechat_http_timeout`` bounds it here).
        """
        settings = self._state.settings
        url = str(settings["Livechat_webhookUrl"])
        if not url:
            raise Failure("Webhook_URL_not_set")
        headers = {
            TOKEN_HEADER: str(settings["Livechat_secret_token"] or ""),
            "Accept": "application/json",
            "Content-Type": "application/json",
        }
        timeout = self._timeout() or None
        try:
            async with asyncio.timeout(timeout):
                response = await self._client_or_new().post(
                    url, content=dumps(payload), headers=headers, timeout=timeout
                )
        except (httpx2.HTTPError, TimeoutError, OSError, ValueError):
            raise PlainError("error-invalid-webhook-response") from None
        if response.status_code != 200:
            raise PlainError("error-invalid-webhook-response")
