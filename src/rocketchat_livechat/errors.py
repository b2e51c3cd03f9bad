"""The public exception hierarchy.

Everything the SDK raises derives from :class:`APIError`, so ``except APIError`` catches it all
(as in the Node.js livechat SDK). Each error carries:

* ``code`` — the HTTP status, or ``0`` for errors raised before/without a response;
* ``message`` — human-readable text (never contains a visitor token or auth secret);
* ``error`` — Rocket.Chat's normalised error code (``"invalid-token"``, ``"room-closed"`` ...);
* ``error_type`` — ``"API"`` when the server (or the network) produced it, ``"SDK"`` for the
  SDK's own argument checks;
* ``details`` — the parsed response body, when there was one.

Which class a server error becomes is decided in ``_core/error_map.py`` from Rocket.Chat's error
code first, then from the HTTP status.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import httpx2

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIStatusError",
    "APITimeoutError",
    "ActionNotAllowedError",
    "AgentNotFoundError",
    "AgentOfflineError",
    "AuthenticationError",
    "BadRequestError",
    "ContactHasNoConflictsError",
    "ContactManagerNotFoundError",
    "ContactNotFoundError",
    "CustomFieldExistsError",
    "CustomFieldNotFoundError",
    "DepartmentNotFoundError",
    "DepartmentRemovalDisabledError",
    "DepartmentSaveError",
    "FileTooLargeError",
    "FileTypeNotAllowedError",
    "FileUploadDisabledError",
    "ForwardingError",
    "InquiryTakenError",
    "InvalidArgumentError",
    "InvalidContactError",
    "InvalidCustomFieldError",
    "InvalidDepartmentError",
    "InvalidEmailError",
    "InvalidFileError",
    "InvalidMessageError",
    "InvalidParamsError",
    "InvalidRoomError",
    "InvalidTokenError",
    "InvalidWebhookError",
    "MessageEditingBlockedError",
    "MessageTooLongError",
    "NoAgentOnlineError",
    "NotAnAgentError",
    "NotFoundError",
    "OmnichannelDisabledError",
    "PermissionDeniedError",
    "RateLimitError",
    "RealtimeError",
    "RealtimeInvalidRoomError",
    "RealtimeInvalidTokenError",
    "RoomClosedError",
    "RoomNotClosedError",
    "ServerError",
    "SmsRefusedError",
    "TranscriptRequestError",
    "UnexpectedResponseError",
    "UserAlreadyInRoomError",
    "VisitorHasOpenRoomsError",
    "VisitorNotFoundError",
    "WebhookAuthenticationError",
    "WebhookError",
    "WebhookPayloadTooLargeError",
    "WebhookTestError",
]


class APIError(Exception):
    """Base class of every error the SDK raises."""

    def __init__(
        self,
        message: str,
        *,
        code: int = 0,
        error: str | None = None,
        error_type: str = "API",
        details: Any = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.error = error
        self.error_type = error_type
        self.details = details

    def __repr__(self) -> str:
        name = type(self).__name__
        return f"{name}(code={self.code}, error={self.error!r}, message={self.message!r})"


# --- raised by the SDK itself ------------------------------------------------------------------


class InvalidArgumentError(APIError, ValueError):
    """An argument failed the SDK's own checks; nothing was sent. ``argument`` names it."""

    def __init__(self, argument: str, reason: str) -> None:
        super().__init__(
            f"invalid argument {argument!r}: {reason}",
            error="invalid-argument",
            error_type="SDK",
        )
        self.argument = argument


# --- received webhooks (rocketchat_livechat.webhooks) -------------------------------------------


class WebhookError(APIError):
    """A received request is not an acceptable Rocket.Chat webhook.

    ``code`` is the HTTP status a receiver should answer with (a 4xx, so Rocket.Chat, which
    retries only 5xx, 429 and network errors, does not retry). The message never contains the
    configured secret nor the received token.
    """

    def __init__(self, message: str, *, code: int, error: str) -> None:
        super().__init__(message, code=code, error=error, error_type="SDK")


class WebhookAuthenticationError(WebhookError):
    """The ``X-RocketChat-Livechat-Token`` header is missing (``code`` 401) or wrong (403)."""


class InvalidWebhookError(WebhookError, ValueError):
    """The body is not a webhook: not JSON, not an object, no string ``type`` (``code`` 400)."""


class WebhookPayloadTooLargeError(InvalidWebhookError):
    """The body is larger than the receiver's ``max_body_size`` (``code`` 413)."""


# --- transport ---------------------------------------------------------------------------------


class APIConnectionError(APIError):
    """The server could not be reached, or the connection broke before a response arrived."""


class APITimeoutError(APIConnectionError):
    """A connect, read, write or pool timeout expired."""


class RealtimeError(APIError):
    """The realtime (DDP) connection was refused or failed for good."""

    @classmethod
    def refusal(cls, error: APIStatusError) -> RealtimeError:
        """``error``, a REST refusal met by a realtime stream, as a ``RealtimeError``.

        Its class derives from ``RealtimeError`` *and* from ``type(error)`` (e.g.
        :class:`RealtimeInvalidRoomError`), so that ``except RealtimeError`` catches every refusal
        of a stream while ``except InvalidRoomError`` still catches it as it catches the REST
        call's. ``code``, ``message``, ``error``, ``error_type`` and ``details`` are kept; an
        ``error`` that already is a ``RealtimeError`` is returned as is.
        """
        if isinstance(error, RealtimeError):
            return error
        return _realtime_variant(type(error))(
            error.message,
            code=error.code,
            error=error.error,
            error_type=error.error_type,
            details=error.details,
        )


class UnexpectedResponseError(APIError):
    """The server answered with something that is not a Rocket.Chat JSON response."""


# --- by HTTP status ----------------------------------------------------------------------------


class APIStatusError(APIError):
    """The server answered with an error status.

    ``status_code`` is the HTTP status (``code`` too, for the Node.js SDK's contract) and
    ``response`` the ``httpx2.Response``, as openai-python has them. The response's ``request``
    is a redacted copy: its URL has the visitor token replaced by ``***``, its credential
    headers too, and it carries no body.
    """

    def __init__(
        self, message: str, *, response: httpx2.Response | None = None, **kwargs: Any
    ) -> None:
        super().__init__(message, **kwargs)
        self.response = response

    @property
    def status_code(self) -> int:
        """The HTTP status of the answer."""
        return self.code


class BadRequestError(APIStatusError):
    """HTTP 400 — Rocket.Chat's answer for almost every business error."""


class AuthenticationError(APIStatusError):
    """HTTP 401 — missing or invalid user credentials."""


class PermissionDeniedError(APIStatusError):
    """HTTP 403 — the caller lacks the permission, or the visitor token does not own the room."""


class NotFoundError(APIStatusError):
    """HTTP 404."""


class RateLimitError(APIStatusError):
    """HTTP 429 — Rocket.Chat's rate limiter. ``retry_after`` is in seconds (or ``None``)."""

    def __init__(self, message: str, *, retry_after: float | None = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


class ServerError(APIStatusError):
    """HTTP 5xx."""


# --- by Rocket.Chat error code (all arrive as HTTP 400 unless noted) ----------------------------


class InvalidParamsError(BadRequestError):
    """The server's schema validation refused the request (``invalid-params``, ``Match error``)."""


class InvalidTokenError(BadRequestError):
    """Unknown or empty visitor token (``invalid-token``, ``error-invalid-token``, ...)."""


class InvalidRoomError(BadRequestError):
    """No such room for this visitor (``invalid-room``, ``error-invalid-room``)."""


class RoomClosedError(BadRequestError):
    """The room is closed (``room-closed``, ``error-room-already-closed``, ...)."""


class InvalidMessageError(BadRequestError):
    """No such message in this room (``invalid-message``)."""


class ActionNotAllowedError(BadRequestError):
    """Editing/deleting is off or the caller is not the author (``error-action-not-allowed``)."""


class MessageEditingBlockedError(ActionNotAllowedError):
    """The message is older than ``Message_AllowEditing_BlockEditInMinutes`` allows to edit
    (``error-message-editing-blocked``, ``chat.update``)."""


class NoAgentOnlineError(BadRequestError):
    """No agent can take the chat (``no-agent-online``)."""


class AgentNotFoundError(BadRequestError):
    """No agent is available or assigned (``agent-not-found``, ``invalid-agent``)."""


class AgentOfflineError(AgentNotFoundError):
    """The agent a chat is forwarded to is not an online, available agent
    (``error-user-is-offline``)."""


class ForwardingError(BadRequestError):
    """``livechat/room.forward`` refused the hand-off: no target (``error-forwarding-chat``),
    the same department (``error-forwarding-chat-same-department``) or agent
    (``error-selected-agent-room-agent-are-same``), an agent outside the target department
    (``error-user-not-belong-to-department``), no inquiry (``error-transferring-inquiry``,
    ``error-invalid-inquiry``)."""


class UserAlreadyInRoomError(BadRequestError):
    """``livechat/room.join``: the caller is in the room (``error-user-already-in-room``)."""


class InvalidDepartmentError(BadRequestError):
    """Unknown department (``error-invalid-department``)."""


class DepartmentNotFoundError(InvalidDepartmentError):
    """The department to save, delete or change agents of does not exist
    (``error-department-not-found``, ``department-not-found``)."""


class DepartmentSaveError(BadRequestError):
    """Rocket.Chat refused the department's data: closing tags required but none given
    (``error-validating-department-chat-closing-tags``), fallback department circular or unknown
    (``error-fallback-department-circular``, ``error-fallback-department-not-found``), an archived
    department enabled (``error-archived-department-cant-be-enabled``) or CE's one-department
    limit (``error-max-departments-number-reached``)."""


class DepartmentRemovalDisabledError(BadRequestError):
    """Departments cannot be deleted while ``Omnichannel_enable_department_removal`` is off
    (``error-department-removal-disabled``)."""


class SmsRefusedError(BadRequestError):
    """``livechat/sms-incoming/:service`` refused the inbound SMS before reading it: not the
    configured ``SMS_Service`` (``Invalid service``), SMS off (``error-sms-service-disabled``),
    an unknown provider (``error-sms-service-not-configured``) or a bad provider signature
    (``Invalid request``)."""


class InvalidEmailError(BadRequestError):
    """Malformed e-mail address (``error-invalid-email``, ``invalid email``)."""


class MessageTooLongError(BadRequestError):
    """The message exceeds the livechat character limit."""


class OmnichannelDisabledError(BadRequestError):
    """Livechat is disabled on the server (``error-omnichannel-is-disabled``)."""


class VisitorHasOpenRoomsError(BadRequestError):
    """The visitor cannot be removed while it has open rooms (``visitor-has-open-rooms``)."""


class VisitorNotFoundError(BadRequestError):
    """No (enabled) visitor has this ``_id`` (``visitor-not-found``, ``livechat/visitors.info``)."""


class ContactNotFoundError(NotFoundError):
    """No omnichannel contact has this ``_id`` (``error-contact-not-found``: HTTP 400 from
    ``contacts.update``/``.conflicts``/``.history``, 404 from ``contacts.delete``). ``contacts.get``
    answers a bare HTTP 404 ``Resource not found``: a plain :class:`NotFoundError` (the parent
    class, so ``except NotFoundError`` catches both)."""


class ContactManagerNotFoundError(BadRequestError):
    """The ``contact_manager`` is not a livechat agent (``error-contact-manager-not-found``;
    the legacy ``omnichannel/contact`` also ``error-invalid-contact-manager``: the user exists
    but has no ``livechat-agent`` role)."""


class ContactHasNoConflictsError(BadRequestError):
    """``contacts.conflicts`` on a contact without conflicting fields
    (``error-contact-has-no-conflicts``)."""


class InvalidContactError(BadRequestError):
    """``contacts.delete`` could not disable the contact (``error-invalid-contact``)."""


class InvalidCustomFieldError(BadRequestError):
    """A custom-field value Rocket.Chat refused: ``Invalid value for <label> field`` (missing
    required value or regexp mismatch) or ``Custom field <id> is not allowed`` (no such
    visitor-scope field). Rocket.Chat sends only these texts, no code: ``error`` is the text."""


class CustomFieldNotFoundError(NotFoundError):
    """No custom field definition has this id: ``custom-fields.save`` of an unknown one
    (``Custom Field Not found``) or ``custom-fields.delete`` (``Custom field not found``), both
    HTTP 400 plain texts."""


class CustomFieldExistsError(BadRequestError):
    """``custom-fields.save`` creating a field whose id is taken (``Custom Field already
    exists``)."""


class InquiryTakenError(BadRequestError):
    """The inquiry was already taken (``error-inquiry-taken``)."""


class NotAnAgentError(BadRequestError):
    """The user does not have the ``livechat-agent`` role (``error-user-is-not-agent``)."""


class RoomNotClosedError(BadRequestError):
    """Only closed livechat rooms can be deleted (``error-room-is-not-closed``,
    ``error-this-is-not-a-livechat-room``; Rocket.Chat's ``rooms.delete`` answers these with a
    bare ``{"success": false}``, which arrives as a plain :class:`BadRequestError`)."""


class TranscriptRequestError(BadRequestError):
    """An agent's transcript request was refused (``error-transcript-already-requested``,
    ``error-transcript-not-requested``)."""


class FileUploadDisabledError(BadRequestError):
    """File uploads are disabled (``error-file-upload-disabled``)."""


class FileTypeNotAllowedError(BadRequestError):
    """The media type is refused by the server's white/black list (``error-type-not-allowed``)."""


class InvalidFileError(BadRequestError):
    """No such uploaded file (``invalid-file``, ``rooms.mediaConfirm``) or no file part in an
    upload (``invalid-field``)."""


class FileTooLargeError(BadRequestError):
    """The file exceeds the server's size limit (``error-size-not-allowed``/``-file-too-large``)."""


class WebhookTestError(BadRequestError):
    """``livechat/webhook.test`` failed: no webhook URL (``Webhook_URL_not_set``) or the
    receiver did not answer 200 (``error-invalid-webhook-response``)."""


# --- realtime refusals: a RealtimeError that is also the REST error (see RealtimeError.refusal) --


class RealtimeInvalidTokenError(RealtimeError, InvalidTokenError):
    """A realtime stream's visitor token was refused."""


class RealtimeInvalidRoomError(RealtimeError, InvalidRoomError):
    """A realtime stream was refused a room (none, or not the visitor's)."""


_REALTIME_VARIANTS: dict[type[APIStatusError], type[RealtimeError]] = {
    InvalidTokenError: RealtimeInvalidTokenError,
    InvalidRoomError: RealtimeInvalidRoomError,
}


def _realtime_variant(rest: type[APIStatusError]) -> type[RealtimeError]:
    """The subclass of both ``RealtimeError`` and ``rest`` (built once for the other errors)."""
    variant = _REALTIME_VARIANTS.get(rest)
    if variant is None:
        name = f"Realtime{rest.__name__}"
        doc = f"A realtime stream was refused with {rest.__name__}."
        built = type(name, (RealtimeError, rest), {"__doc__": doc, "__module__": __name__})
        variant = _REALTIME_VARIANTS.setdefault(rest, built)
    return variant
