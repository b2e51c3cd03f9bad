"""The Rocket.Chat lines the embedded server emulates, and the one table of how they differ.

Every difference between the lines 6.14, 7.10, 8.8 and 9.0 that the server (or the SDK) acts on
is one :class:`Change` in :data:`CHANGES`: the version it appeared in, a feature key, what
changed and the source that shows it. The server holds a :class:`ServerLine` (``state.line``;
``ctx.line`` in a route) and asks it, never the version number::

    if ctx.line.has("visitors-info-token"): ...
    policy = ctx.line.variant("webhook-retry-policy")

Feature keys: ``route:<METHOD> <path>`` (a REST route: the router answers 404 where the line
lacks it), ``rate:<METHOD> <path>`` (the route's own rate limit; the default one where the line
lacks it), ``ddp:<method>`` (a DDP method: "Method '…' not found" where the line lacks it),
``http:<path>`` (a path outside ``/api``) and plain names for behaviours. A boolean feature is
*present* from a ``Change`` whose ``value`` is ``True`` and *absent* from one whose ``value`` is
``False``; before its first change it is the opposite. A variant feature's value is the newest
``value`` at or below the line (its first change is at or below 6.14).

The livechat DDP methods 8.0 removed are a *set of names* (:data:`DDP_REMOVED_IN_8_0`): a DDP
method added to the server is gated by adding its name there.

Sources: ``rc-api`` is ``shared/rocketchat-api.md``, ``rc-8x`` is
``shared/rocketchat-webhooks-bridges-8x.md``; PR numbers are RocketChat/Rocket.Chat's.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

__all__ = [
    "CHANGES",
    "DDP_REMOVED_IN_7_0",
    "DDP_REMOVED_IN_8_0",
    "DEFAULT_LINE",
    "LINES",
    "NOT_APPLIED",
    "Change",
    "ServerLine",
    "parse_line",
]

Version = tuple[int, int]

#: the emulated lines, oldest first; ``/api/info`` reports ``<line>.0``
LINES: tuple[str, ...] = ("6.14", "7.10", "8.8", "9.0")
#: the newest line, the default everywhere
DEFAULT_LINE = LINES[-1]


def parse_line(text: str) -> Version:
    """``"8.8"`` (or ``"8.8.1"``) → ``(8, 8)``; ``ValueError`` for anything else."""
    parts = text.strip().split(".")
    if not 2 <= len(parts) <= 3 or not all(p.isdigit() for p in parts):
        raise ValueError(f"not a Rocket.Chat version: {text!r}")
    return int(parts[0]), int(parts[1])


@dataclass(frozen=True)
class Change:
    """One difference: from ``version`` on, ``feature`` is ``value`` (see the module doc)."""

    version: str
    feature: str
    what: str
    source: str
    value: bool | str = False

    @property
    def since(self) -> Version:
        return parse_line(self.version)


#: livechat DDP methods removed in 7.0 (deprecated in 6.x; rc-api §6.4)
DDP_REMOVED_IN_7_0 = frozenset(
    {
        "livechat:registerGuest",
        "livechat:loginByToken",
        "livechat:pageVisited",
        "livechat:sendOfflineMessage",
        "livechat:setCustomField",
        "livechat:setDepartmentForVisitor",
        "livechat:saveSurveyFeedback",
        "livechat:getAgentData",
        "livechat:getNextAgent",
        "livechat:loadHistory",
        "livechat:saveInfo",
        "livechat:requestTranscript",
        "livechat:discardTranscript",
    }
)

#: livechat DDP methods removed in 8.0 (rc-8x §3.2, "Major Changes"; ``sendMessageLivechat``
#: and ``stream-notify-room`` typing stay)
DDP_REMOVED_IN_8_0 = frozenset(
    {
        "livechat:setUpConnection",  # #37397
        "sendFileLivechatMessage",  # #37463
        "livechat:transfer",  # #36871
        "livechat:closeRoom",  # #36824
        "livechat:takeInquiry",  # #37464
        "livechat:returnAsInquiry",  # #37392
        "livechat:removeRoom",  # #37391
        "livechat:removeAllClosedRooms",  # #36931
        "livechat:saveAgentInfo",  # #37393
        "livechat:changeLivechatStatus",  # #36809
        "livechat:getRoutingConfig",  # #36924
        "livechat:getAnalyticsChartData",  # #36925
        "livechat:sendTranscript",  # #37396
        "livechat:resumeOnHold",  # #36908
        "livechat:saveDepartment",
        "livechat:saveCustomField",
        "livechat:saveTag",
        "livechat:removeTag",
        "livechat:saveUnit",
        "livechat:removeUnit",
        "livechat:getTagsList",
        "livechat:getUnitsFromUser",
        "livechat:getFirstRoomMessage",
        "livechat:getDepartmentForwardRestrictions",
        "livechat:addMonitor",
        "livechat:removeMonitor",
        "livechat:saveBusinessHour",
        "livechat:removeBusinessHour",
    }
)


def _ddp_removed(version: str, names: Iterable[str], source: str) -> list[Change]:
    return [
        Change(version, f"ddp:{name}", f"DDP method `{name}` removed", source)
        for name in sorted(names)
    ]


CHANGES: tuple[Change, ...] = (
    # --- 6.14 → 7.x ------------------------------------------------------------------------
    Change(
        "7.0",
        "route:GET livechat/inquiries.queued",
        "`GET livechat/inquiries.queued` removed (use `livechat/inquiries.queuedForUser`)",
        "rc-api §8 [7.0]; rc-8x §3.2 (developer docs 'Deprecated Endpoints')",
    ),
    Change(
        "7.0",
        "rest-401-body",
        "401 bodies gain `success: false` and `error` (new http-router); 6.14 sends only "
        "`status` and `message`",
        "rc-api §1.4, §8 [7.x] (`@rocket.chat/http-router`)",
        value="7.x",
    ),
    Change(
        "6.14",
        "rest-401-body",
        "401 body `{status: 'error', message}` (Restivus)",
        "rc-api §1.4 [6.14]",
        value="6.14",
    ),
    Change(
        "7.0",
        "rate:POST livechat/offline.message",
        "`POST livechat/offline.message` gets its own limit, 1 call per 5 s; 6.14 applied the "
        "default (10 per 60 s)",
        "rc-api §1.6, §7 [7.x]",
        value=True,
    ),
    Change(
        "7.0",
        "login-success-key",
        "`POST login` success gains `success: true`",
        "rc-api §4.1 [7.x]",
        value=True,
    ),
    Change(
        "7.0",
        "rest-upload-no-file-reason",
        "`livechat/upload/:rid` without a file answers `{reason: 'error-no-file-uploaded'}`; "
        "6.14 answered `[No file uploaded]` (errorType `No file uploaded`)",
        "rc-api §3.12 [7.x/8.0-dev]",
        value=True,
    ),
    *_ddp_removed("7.0", DDP_REMOVED_IN_7_0, "rc-api §6.4 (removed in 7.0)"),
    # --- 7.10 → 8.x ------------------------------------------------------------------------
    Change(
        "7.11",
        "webhook-retry-policy",
        "CRM webhook: 5 attempts, retried only on 5xx, 429 and network errors, other non-200 "
        "dropped; fire-and-forget (the saving request does not wait)",
        "rc-8x §1.6 (#36793 `isRetryable`; first tag not verified, inferred 7.11)",
        value="5xx-429",
    ),
    Change(
        "6.5",
        "webhook-retry-policy",
        "CRM webhook: 10 attempts, any non-200 retried, 4 × timeout apart; `await sendRequest`",
        "rc-8x §1.6 (#30687)",
        value="any-non-200",
    ),
    Change(
        "7.12",
        "route:POST livechat/rooms.delete",
        "`POST livechat/rooms.delete` added (replaces DDP `livechat:removeRoom`)",
        "rc-8x §3.1 (7.12.0, #36958), §3.2",
        value=True,
    ),
    Change(
        "8.0",
        "route:POST livechat/room.transfer",
        "`POST livechat/room.transfer` removed",
        "rc-8x §3.2 (#36871); rc-api §3.10",
    ),
    Change(
        "8.0",
        "route:POST livechat/visitor/department.transfer",
        "`POST livechat/visitor/department.transfer` replaces `livechat/room.transfer` "
        "(answers `{success: true}`)",
        "rc-8x §3.2 (#36871; 8.x `api/v1/room.ts`)",
        value=True,
    ),
    Change(
        "8.0",
        "route:PUT livechat/room.visitor",
        "`PUT livechat/room.visitor` (deprecated in 7.x) removed",
        "#36836 (8.0 removed the deprecated livechat endpoints); 8.8.1 rest-typings has no "
        "validator for it",
    ),
    Change(
        "8.0",
        "route:POST rooms.upload/:rid",
        "`POST rooms.upload/:rid` removed (use `rooms.media/:rid` + `rooms.mediaConfirm`)",
        "rc-8x §3.2 (#36857)",
    ),
    Change(
        "8.0",
        "route:POST livechat/rooms.removeAllClosedRooms",
        "`POST livechat/rooms.removeAllClosedRooms` added",
        "rc-8x §3.2 (#36931)",
        value=True,
    ),
    *_ddp_removed("8.0", DDP_REMOVED_IN_8_0, "rc-8x §3.2 (8.0.0 'Major Changes')"),
    Change(
        "8.3",
        "one-open-room-per-token",
        "one open livechat room per visitor token (unique partial index on `v.token`)",
        "rc-8x §3.3 (#39087)",
        value=True,
    ),
    Change(
        "8.5",
        "visitors-info-token",
        "`GET livechat/visitors.info` no longer returns the visitor's `token`",
        "rc-8x §3.3, §6.3 (#40501, backported as #40581 to 8.0.6)",
    ),
    # --- 8.x → 9.0 -------------------------------------------------------------------------
    Change(
        "9.0",
        "http:/ufs",
        "the legacy `/ufs/<store>/<id>/<name>` download path is gone; files only under "
        "`/file-upload/<id>/<name>`",
        "rc-8x §4.5, §6.1 (#41054, 9.0.0 release notes)",
    ),
    Change(
        "9.0",
        "query-fields-params",
        "the deprecated `query` and `fields` parameters are refused (`400 "
        "error-invalid-params`) on the validated livechat list endpoints",
        "rc-8x §6.2 item 1 (9.0 changeset; docs 'Deprecated and phasing out features')",
    ),
)


#: differences the references report that the sources read here do not bear out, so the server
#: does not apply them: ``(claim, source of the claim, why not applied)``
NOT_APPLIED: tuple[tuple[str, str, str], ...] = (
    (
        '8.3 stopped type-coercing JSON bodies (`"count": "10"` → 400)',
        "rc-8x §3.3 (#39559)",
        "the 8.8.1 `@rocket.chat/rest-typings` bundle still compiles every body validator with "
        "`coerceTypes: true` (`dist/v1/Ajv.js`, the `ajv` instance; queries use `ajvQuery`, "
        "`coerceTypes: 'array'`), so 8.8 and 9.0 coerce bodies as 6.14 and 7.10 do",
    ),
    (
        "9.0 answers 401 only for a missing session, 403 for `error-not-authorized` (#41662)",
        "rc-8x §6.2 item 3",
        "the PR was still open in the stored snapshot; not known to have shipped in 9.0.0",
    ),
)


class ServerLine:
    """One emulated line: what it has, which variant it uses. Build with ``ServerLine("8.8")``."""

    def __init__(self, line: str = DEFAULT_LINE, changes: Iterable[Change] = CHANGES) -> None:
        version = parse_line(line)
        name = f"{version[0]}.{version[1]}"
        if name not in LINES:
            raise ValueError(f"unsupported Rocket.Chat line {line!r} (one of {', '.join(LINES)})")
        self.name = name
        self.version: Version = version
        self._changes = tuple(changes)
        self._values: dict[str, bool | str] = {}

    def __repr__(self) -> str:
        return f"ServerLine({self.name!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ServerLine) and other.name == self.name

    def __hash__(self) -> int:
        return hash(self.name)

    @property
    def full_version(self) -> str:
        """What ``GET /api/info`` reports, e.g. ``"9.0.0"``."""
        return f"{self.name}.0"

    @cached_property
    def _by_feature(self) -> dict[str, list[Change]]:
        table: dict[str, list[Change]] = {}
        for change in sorted(self._changes, key=lambda c: c.since):
            table.setdefault(change.feature, []).append(change)
        return table

    def _value(self, feature: str) -> bool | str:
        """The feature's state on this line (computed once: routes ask on every request)."""
        known = self._values.get(feature)
        if known is None:
            known = self._values[feature] = self._compute(feature)
        return known

    def _compute(self, feature: str) -> bool | str:
        changes = self._by_feature.get(feature)
        if changes is None:
            raise KeyError(f"no change recorded for feature {feature!r}")
        current = [c for c in changes if c.since <= self.version]
        if current:
            return current[-1].value
        first = changes[0].value
        if isinstance(first, str):
            raise KeyError(f"variant feature {feature!r} has no value at {self.name}")
        return not first

    def has(self, feature: str) -> bool:
        """Whether this line has ``feature`` (``KeyError`` for a feature not in the table)."""
        value = self._value(feature)
        if not isinstance(value, bool):
            raise KeyError(f"{feature!r} is a variant feature: use variant()")
        return value

    def variant(self, feature: str) -> str:
        """The variant of ``feature`` this line uses (e.g. ``"5xx-429"``)."""
        value = self._value(feature)
        if isinstance(value, bool):
            raise KeyError(f"{feature!r} is a boolean feature: use has()")
        return value

    def _gated(self, key: str) -> bool:
        return key not in self._by_feature or self.has(key)

    def serves_route(self, method: str, path: str) -> bool:
        """Whether the REST route ``method path`` (``/api/v1`` pattern) exists on this line."""
        return self._gated(f"route:{method} {path}")

    def serves_ddp_method(self, name: str) -> bool:
        """Whether the DDP method ``name`` exists on this line."""
        return self._gated(f"ddp:{name}")

    def own_rate_limit(self, method: str, path: str) -> bool:
        """Whether the route's own rate limit applies (else the default: ``rate:`` keys)."""
        return self._gated(f"rate:{method} {path}")

    def serves_path(self, prefix: str) -> bool:
        """Whether the HTTP path ``prefix`` (outside ``/api``, e.g. ``/ufs``) exists."""
        return self._gated(f"http:{prefix}")
