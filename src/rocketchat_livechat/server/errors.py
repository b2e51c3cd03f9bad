"""Exceptions rendering Rocket.Chat's exact REST error envelopes.

As ``API.v1.failure`` / ``unauthorized`` build them in ``apps/meteor/app/api/server/api.ts``.

Raise one of these anywhere below a route; the API dispatcher turns it into the response:

======================  ======  ============================================================
exception               status  body
======================  ======  ============================================================
``PlainError(m)``       400     ``{"success": false, "error": m}``
``MeteorError(c)``      400     ``{"success": false, "error": "[c]", "errorType": c}``
``MeteorError(c, r)``   400     ``{"success": false, "error": "r [c]", "errorType": c}``
                                (+ ``"details"`` when given)
``MatchError(m)``       400     ``{"success": false, "error": "Match error: m"}``
``InvalidParams(ms)``   400     ``{"success": false, "error": "<ms> [invalid-params]",
                                "errorType": "invalid-params"}``
``Failure(obj)``        400     ``{"success": false}`` / ``{"success": false, "error": s}`` /
                                ``{**obj, "success": false}``
``NotFound(m)``         404     ``{"success": false, "error": m or "Resource not found"}``
``Unauthorized()``      401     7.x shape (``success``, ``error``, ``status``, ``message``)
                                (6.14: ``status`` and ``message`` only)
``Forbidden()``         403     ``{"success": false, "error": "unauthorized"}``
``PermissionDenied()``  403     ``... [error-unauthorized]``
``TooManyRequests(s)``  429     ``Error, too many requests. ... [error-too-many-requests]``
======================  ======  ============================================================

The DDP layer can reuse :class:`MeteorError` (``code``, ``reason``, ``details``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

LOGIN_REQUIRED = "You must be logged in to do this."


class ApiError(Exception):
    """Base: an HTTP status and a JSON body (``success: false`` included)."""

    status = 400

    def __init__(self, body: Mapping[str, Any], *, status: int | None = None) -> None:
        self.body: dict[str, Any] = dict(body)
        if status is not None:
            self.status = status
        super().__init__(self.body.get("error", self.body))


class PlainError(ApiError):
    """A plain JavaScript ``Error(message)``: no ``errorType``."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__({"success": False, "error": message})


class MeteorError(ApiError):
    """``Meteor.Error(code[, reason[, details]])``."""

    def __init__(
        self, code: str, reason: str | None = None, details: Mapping[str, Any] | None = None
    ) -> None:
        self.code = code
        self.reason = reason
        self.details = dict(details) if details is not None else None
        text = f"{reason} [{code}]" if reason else f"[{code}]"
        body: dict[str, Any] = {"success": False, "error": text, "errorType": code}
        if details is not None:
            body["details"] = dict(details)
        super().__init__(body)


class MatchError(ApiError):
    """A Meteor ``check()`` failure; ``message`` is without the ``Match error:`` prefix."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__({"success": False, "error": f"Match error: {message}"})


class InvalidParams(ApiError):
    """An AJV ``validateParams`` failure (messages joined like Rocket.Chat does)."""

    def __init__(self, messages: list[str]) -> None:
        self.messages = messages
        text = "\n ".join(messages)
        super().__init__(
            {"success": False, "error": f"{text} [invalid-params]", "errorType": "invalid-params"}
        )


class TypedInvalidParams(ApiError):
    """A validator failure on a typed route (``API.v1.post(path, {body: validator}, action)``).

    Rocket.Chat's ``Router`` answers ``{success: false, errorType: 'error-invalid-params',
    error: <AJV messages joined by '\\n '>}`` without a suffix (``apps/meteor/app/api/server/
    router.ts``).
    """

    def __init__(self, messages: list[str]) -> None:
        self.messages = messages
        super().__init__(
            {"success": False, "errorType": "error-invalid-params", "error": "\n ".join(messages)}
        )


class Failure(ApiError):
    """``API.v1.failure()``, ``failure("text")`` or ``failure({...})``."""

    def __init__(self, result: str | Mapping[str, Any] | None = None) -> None:
        if result is None:
            body: dict[str, Any] = {"success": False}
        elif isinstance(result, str):
            body = {"success": False, "error": result}
        else:
            body = {**result, "success": False}
        super().__init__(body)


class NotFound(ApiError):
    """``API.v1.notFound(msg)``: HTTP 404."""

    status = 404

    def __init__(self, message: str | None = None) -> None:
        super().__init__({"success": False, "error": message or "Resource not found"})


class Unauthorized(ApiError):
    """Missing or invalid user credentials: HTTP 401, in the 7.x shape, or with ``shape="6.14"``
    Restivus' ``{"status": "error", "message": ...}`` (the line's ``rest-401-body``)."""

    status = 401

    def __init__(self, shape: str = "7.x") -> None:
        body: dict[str, Any] = {"status": "error", "message": LOGIN_REQUIRED}
        if shape != "6.14":
            body = {"success": False, "error": LOGIN_REQUIRED, **body}
        super().__init__(body)


class Forbidden(ApiError):
    """``API.v1.forbidden()`` (7.x) / 6.14 ``unauthorized()``: HTTP 403 ``unauthorized``."""

    status = 403

    def __init__(self) -> None:
        super().__init__({"success": False, "error": "unauthorized"})


class PermissionDenied(ApiError):
    """``permissionsRequired`` not met: HTTP 403."""

    status = 403

    def __init__(self) -> None:
        super().__init__(
            {
                "success": False,
                "error": "User does not have the permissions required for this action "
                "[error-unauthorized]",
            }
        )


class TooManyRequests(ApiError):
    """The REST rate limiter refused the call: HTTP 429."""

    status = 429

    def __init__(self, seconds: int) -> None:
        self.seconds = seconds
        super().__init__(
            {
                "success": False,
                "error": "Error, too many requests. Please slow down. You must wait "
                f"{seconds} seconds before trying this endpoint again. [error-too-many-requests]",
            }
        )


class LoginFailed(ApiError):
    """``POST login`` refused (7.x shape): HTTP 401."""

    status = 401

    def __init__(self, error: str | int, message: str) -> None:
        super().__init__({"status": "error", "error": error, "message": message, "success": False})
