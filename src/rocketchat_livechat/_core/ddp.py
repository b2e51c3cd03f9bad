"""DDP, Meteor's websocket protocol, as Rocket.Chat speaks it (``packages/ddp-client/src/``).

Pure code shared by the SDK's realtime client and the embedded server: EJSON encoding of dates,
frame builders for both directions, frame parsing and the Meteor error shape.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Final

__all__ = [
    "DDP_VERSION",
    "SUPPORTED_VERSIONS",
    "DDPErrorInfo",
    "DDPProtocolError",
    "Frame",
    "IdSequence",
    "changed",
    "connect",
    "connected",
    "dumps",
    "ejson_decode",
    "ejson_encode",
    "failed",
    "loads",
    "meteor_error",
    "method",
    "nosub",
    "parse_error",
    "parse_stream_params",
    "ping",
    "pong",
    "ready",
    "result",
    "stream_params",
    "sub",
    "unsub",
    "updated",
]

Frame = dict[str, Any]

DDP_VERSION: Final = "1"
SUPPORTED_VERSIONS: Final = ("1", "pre2", "pre1")

_EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)
_MILLISECOND: Final = timedelta(milliseconds=1)
_VOID: Final = object()


class DDPProtocolError(ValueError):
    """A frame that is not a JSON object with a ``msg`` (or the legacy ``server_id`` greeting)."""


# --- EJSON ----------------------------------------------------------------------------------------


def _to_millis(value: datetime) -> int:
    aware = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    return (aware - _EPOCH) // _MILLISECOND


def ejson_encode(value: Any) -> Any:
    """Copy of ``value`` with every ``datetime`` replaced by ``{"$date": <epoch ms>}``.

    Naive datetimes are taken as UTC; sub-millisecond digits are truncated, as Mongo does.
    """
    if isinstance(value, datetime):
        return {"$date": _to_millis(value)}
    if isinstance(value, Mapping):
        return {key: ejson_encode(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [ejson_encode(item) for item in value]
    return value


def ejson_decode(value: Any) -> Any:
    """Inverse of :func:`ejson_encode`: ``{"$date": ms}`` becomes an aware UTC ``datetime``."""
    if isinstance(value, dict):
        date = value.get("$date")
        if len(value) == 1 and isinstance(date, int | float) and not isinstance(date, bool):
            return _EPOCH + timedelta(milliseconds=date)
        return {key: ejson_decode(item) for key, item in value.items()}
    if isinstance(value, list):
        return [ejson_decode(item) for item in value]
    return value


def dumps(frame: Mapping[str, Any]) -> str:
    """Serialise a frame (dates as EJSON) to compact JSON text."""
    return json.dumps(ejson_encode(frame), separators=(",", ":"), ensure_ascii=False)


def loads(data: str | bytes) -> Frame:
    """Parse one frame; EJSON dates become datetimes.

    Raises :class:`DDPProtocolError` for invalid JSON or anything but an object carrying a
    string ``msg`` (the legacy ``{"server_id": "0"}`` greeting is accepted as is).
    """
    try:
        frame = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DDPProtocolError(f"frame is not JSON: {exc}") from exc
    if not isinstance(frame, dict):
        raise DDPProtocolError("frame is not a JSON object")
    if not isinstance(frame.get("msg"), str) and "server_id" not in frame:
        raise DDPProtocolError("frame has no 'msg'")
    decoded: Frame = ejson_decode(frame)
    return decoded


# --- identifiers ----------------------------------------------------------------------------------


class IdSequence:
    """Method and subscription ids for one client: ``"1"``, ``"2"``, ... (as Meteor does)."""

    def __init__(self) -> None:
        self._counter = itertools.count(1)

    def next(self) -> str:
        """The next unused id."""
        return str(next(self._counter))


# --- client -> server -----------------------------------------------------------------------------


def connect() -> Frame:
    """The opening handshake."""
    return {"msg": "connect", "version": DDP_VERSION, "support": list(SUPPORTED_VERSIONS)}


#: the first Rocket.Chat version without ``livechat:setUpConnection`` (8.0, #37397)
SETUP_CONNECTION_REMOVED = (8, 0)


def visitor_login(
    method_id: str, token: str, server_version: tuple[int, ...] | None
) -> Frame | None:
    """The visitor's realtime login for a server of ``server_version``.

    ``livechat:setUpConnection`` before 8.0 (an unknown version counts as older: a newer
    server merely refuses the method); nothing from 8.0, where visitors only subscribe with
    their token and report presence over REST (``livechat/visitor.status``), as the 8.x
    ``LivechatClientImpl`` does.
    """
    if server_version is not None and server_version >= SETUP_CONNECTION_REMOVED:
        return None
    return method(method_id, "livechat:setUpConnection", [{"token": token}])


def ping(frame_id: str | None = None) -> Frame:
    """A heartbeat request (either side may send one)."""
    return {"msg": "ping"} if frame_id is None else {"msg": "ping", "id": frame_id}


def pong(frame_id: str | None = None) -> Frame:
    """The answer to :func:`ping`, echoing its ``id`` when there was one."""
    return {"msg": "pong"} if frame_id is None else {"msg": "pong", "id": frame_id}


def method(frame_id: str, name: str, params: Sequence[Any]) -> Frame:
    """A method call."""
    return {"msg": "method", "id": frame_id, "method": name, "params": list(params)}


def sub(frame_id: str, name: str, params: Sequence[Any]) -> Frame:
    """A subscription request."""
    return {"msg": "sub", "id": frame_id, "name": name, "params": list(params)}


def unsub(frame_id: str) -> Frame:
    """Cancel the subscription ``frame_id``."""
    return {"msg": "unsub", "id": frame_id}


def stream_params(event_name: str, args: Sequence[Any] = ()) -> list[Any]:
    """Subscription params of a Rocket.Chat stream: ``[eventName, {useCollection, args}]``."""
    return [event_name, {"useCollection": False, "args": list(args)}]


def parse_stream_params(params: Any) -> tuple[str, list[Any]]:
    """``(event_name, args)`` from stream subscription params (server side).

    The second param may be the ``{"useCollection": false, "args": [...]}`` object, a bare
    boolean, or absent. A missing or non-string event name gives ``""``.
    """
    if not isinstance(params, list) or not params:
        return "", []
    event_name = params[0] if isinstance(params[0], str) else ""
    options = params[1] if len(params) > 1 else None
    args = options.get("args") if isinstance(options, dict) else None
    return event_name, args if isinstance(args, list) else []


# --- server -> client -----------------------------------------------------------------------------


def connected(session: str) -> Frame:
    """Successful handshake."""
    return {"msg": "connected", "session": session}


def failed(version: str = DDP_VERSION) -> Frame:
    """Refused handshake, proposing ``version``."""
    return {"msg": "failed", "version": version}


def meteor_error(
    code: str | int,
    reason: str | None = None,
    details: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The ``error`` object of a refused method or subscription (``Meteor.Error``)."""
    error: dict[str, Any] = {"isClientSafe": True, "error": code}
    if reason is not None:
        error["reason"] = reason
    error["message"] = f"{reason} [{code}]" if reason is not None else f"[{code}]"
    error["errorType"] = "Meteor.Error"
    if details is not None:
        error["details"] = dict(details)
    return error


def result(frame_id: str, value: Any = _VOID) -> Frame:
    """A method's result; without ``value`` the method returned nothing (no ``result`` key)."""
    frame: Frame = {"msg": "result", "id": frame_id}
    if value is not _VOID:
        frame["result"] = value
    return frame


def result_error(frame_id: str, error: Mapping[str, Any]) -> Frame:
    """A method's failure; ``error`` is usually :func:`meteor_error`."""
    return {"msg": "result", "id": frame_id, "error": dict(error)}


def updated(method_ids: Sequence[str]) -> Frame:
    """The writes of these methods are visible."""
    return {"msg": "updated", "methods": list(method_ids)}


def ready(sub_ids: Sequence[str]) -> Frame:
    """These subscriptions are live."""
    return {"msg": "ready", "subs": list(sub_ids)}


def nosub(frame_id: str, error: Mapping[str, Any] | None = None) -> Frame:
    """The subscription ended (after ``unsub``) or was refused (with ``error``)."""
    frame: Frame = {"msg": "nosub", "id": frame_id}
    if error is not None:
        frame["error"] = dict(error)
    return frame


def changed(collection: str, event_name: str, args: Sequence[Any]) -> Frame:
    """A stream event; the document id is the literal string ``"id"`` as in Rocket.Chat."""
    return {
        "msg": "changed",
        "collection": collection,
        "id": "id",
        "fields": {"eventName": event_name, "args": list(args)},
    }


# --- errors ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DDPErrorInfo:
    """A normalised DDP error: ``code`` (``"not-allowed"``, ``"403"``...) and texts."""

    code: str
    reason: str | None
    message: str
    details: Any = None


def parse_error(error: Any) -> DDPErrorInfo:
    """Normalise the ``error`` of a ``result`` or ``nosub`` frame, whatever its shape."""
    if not isinstance(error, Mapping):
        return DDPErrorInfo(code=str(error), reason=None, message=str(error))
    code = str(error.get("error", "unknown-error"))
    reason = error.get("reason")
    reason = reason if isinstance(reason, str) else None
    message = error.get("message")
    if not isinstance(message, str):
        message = f"{reason} [{code}]" if reason else f"[{code}]"
    return DDPErrorInfo(code=code, reason=reason, message=message, details=error.get("details"))
