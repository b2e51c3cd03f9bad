"""Turning Rocket.Chat error responses into exceptions (``apps/meteor/app/api/server/api.ts``
and the livechat routes in ``apps/meteor/app/livechat/server/api/v1/``).

Rocket.Chat spells the same logical error several ways depending on the endpoint and version
(``"invalid-token"``, ``"[invalid-token]"`` + ``errorType``, ``"Token cannot be empty
[error-invalid-token]"``, a 5.x ``message`` field, an upload ``reason``). :func:`error_code`
normalises them; :data:`CODE_CLASSES` maps every spelling of one error to one class.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from .. import errors as e

if TYPE_CHECKING:
    import httpx2

_BRACKETED = re.compile(r"\[([^\[\]]+)\]\s*$")
_WAIT_SECONDS = re.compile(r"wait (\d+) seconds")
# validateCustomFields' English texts (error-invalid-custom-field-value, -custom-field-not-allowed)
_CUSTOM_FIELD_TEXT = re.compile(r"^(Invalid value for .+ field|Custom field .+ is not allowed)$")
# class names, not codes: 5.x serialised whole Meteor errors, DDP errors carry them too
_GENERIC_ERROR_TYPES = frozenset({"Meteor.Error", "Error"})

CODE_CLASSES: dict[str, type[e.APIStatusError]] = {
    "invalid-params": e.InvalidParamsError,
    "error-invalid-params": e.InvalidParamsError,
    "invalid-token": e.InvalidTokenError,
    "error-invalid-token": e.InvalidTokenError,
    "error-invalid-visitor": e.InvalidTokenError,
    "invalid-visitor": e.InvalidTokenError,
    "invalid-room": e.InvalidRoomError,
    "error-invalid-room": e.InvalidRoomError,
    "room-not-found": e.InvalidRoomError,
    "room-closed": e.RoomClosedError,
    "error-room-already-closed": e.RoomClosedError,
    "This_conversation_is_already_closed": e.RoomClosedError,
    "error-room-closed": e.RoomClosedError,
    "invalid-message": e.InvalidMessageError,
    # chat.update / chat.delete (apps/meteor/app/api/server/v1/chat.ts): plain failure texts
    "The room id provided does not match where the message is from.": e.InvalidMessageError,
    "error-message-editing-blocked": e.MessageEditingBlockedError,
    (
        'Unauthorized. You must have the permission "force-delete-message" to delete other\'s '
        "message as them."
    ): e.ActionNotAllowedError,
    "error-action-not-allowed": e.ActionNotAllowedError,
    "error-not-allowed": e.ActionNotAllowedError,
    "error-not-allowed-to-close-conversation": e.ActionNotAllowedError,
    "no-agent-online": e.NoAgentOnlineError,
    "error-no-agents-online-in-department": e.NoAgentOnlineError,
    "error-user-is-offline": e.AgentOfflineError,
    "error-forwarding-chat": e.ForwardingError,
    "error-forwarding-chat-same-department": e.ForwardingError,
    "error-selected-agent-room-agent-are-same": e.ForwardingError,
    "error-user-not-belong-to-department": e.ForwardingError,
    "error-transferring-inquiry": e.ForwardingError,
    "error-transferring-inquiry-no-department": e.ForwardingError,
    "error-invalid-inquiry": e.ForwardingError,
    "error-user-already-in-room": e.UserAlreadyInRoomError,
    "agent-not-found": e.AgentNotFoundError,
    "invalid-agent": e.AgentNotFoundError,
    "error-invalid-department": e.InvalidDepartmentError,
    "error-department-not-found": e.DepartmentNotFoundError,
    "department-not-found": e.DepartmentNotFoundError,
    "error-department-removal-disabled": e.DepartmentRemovalDisabledError,
    "error-validating-department-chat-closing-tags": e.DepartmentSaveError,
    "error-fallback-department-circular": e.DepartmentSaveError,
    "error-fallback-department-not-found": e.DepartmentSaveError,
    "error-archived-department-cant-be-enabled": e.DepartmentSaveError,
    "error-max-departments-number-reached": e.DepartmentSaveError,
    "error-invalid-email": e.InvalidEmailError,
    "invalid email": e.InvalidEmailError,
    "message-length-exceeds-character-limit": e.MessageTooLongError,
    "error-message-size-exceeded": e.MessageTooLongError,
    "error-omnichannel-is-disabled": e.OmnichannelDisabledError,
    "visitor-has-open-rooms": e.VisitorHasOpenRoomsError,
    "visitor-not-found": e.VisitorNotFoundError,
    "error-inquiry-taken": e.InquiryTakenError,
    "error-user-is-not-agent": e.NotAnAgentError,
    "error-room-is-not-closed": e.RoomNotClosedError,
    "error-this-is-not-a-livechat-room": e.RoomNotClosedError,
    "Invalid room": e.InvalidRoomError,
    "error-room-not-found": e.InvalidRoomError,
    "error-returning-inquiry": e.ForwardingError,
    "error-transcript-already-requested": e.TranscriptRequestError,
    "error-transcript-not-requested": e.TranscriptRequestError,
    "error-file-upload-disabled": e.FileUploadDisabledError,
    "error-type-not-allowed": e.FileTypeNotAllowedError,
    "error-size-not-allowed": e.FileTooLargeError,
    "error-file-too-large": e.FileTooLargeError,
    "error-invalid-file-type": e.FileTypeNotAllowedError,  # rooms.media (FileUpload.ts)
    "invalid-file": e.InvalidFileError,  # rooms.mediaConfirm: unknown file id
    "error-invalid-file": e.InvalidFileError,
    "invalid-field": e.InvalidFileError,  # rooms.media / rooms.upload: no ``file`` part
    "error-contact-not-found": e.ContactNotFoundError,
    "error-contact-manager-not-found": e.ContactManagerNotFoundError,
    "error-contact-has-no-conflicts": e.ContactHasNoConflictsError,
    "error-invalid-contact": e.InvalidContactError,
    "error-invalid-contact-manager": e.ContactManagerNotFoundError,  # not a livechat agent
    "error-invalid-contact-data": e.InvalidTokenError,  # omnichannel/contact: empty token
    # custom-fields.save / .delete (omnichannel/customField.ts): plain failure texts
    "Custom Field Not found": e.CustomFieldNotFoundError,
    "Custom field not found": e.CustomFieldNotFoundError,
    "custom-field-not-found": e.CustomFieldNotFoundError,
    "Custom Field already exists": e.CustomFieldExistsError,
    "Webhook_URL_not_set": e.WebhookTestError,
    "error-invalid-webhook-response": e.WebhookTestError,
    "Invalid service": e.SmsRefusedError,
    "Invalid request": e.SmsRefusedError,
    "error-sms-service-disabled": e.SmsRefusedError,
    "error-sms-service-not-configured": e.SmsRefusedError,
    "Invalid data": e.InvalidParamsError,
    "invalid-chart-name": e.InvalidParamsError,
    "error-too-many-requests": e.RateLimitError,
    "too-many-requests": e.RateLimitError,
}

# failure texts that embed a value: (prefix, class)
PREFIX_CLASSES: tuple[tuple[str, type[e.APIStatusError]], ...] = (
    ("No message found with the id of ", e.InvalidMessageError),  # chat.update / chat.delete
)

STATUS_CLASSES: dict[int, type[e.APIStatusError]] = {
    400: e.BadRequestError,
    401: e.AuthenticationError,
    403: e.PermissionDeniedError,
    404: e.NotFoundError,
    429: e.RateLimitError,
}


def error_code(body: Any) -> str | None:
    """Rocket.Chat's error code from an error body, whatever its spelling."""
    if not isinstance(body, dict):
        return None
    error_type = body.get("errorType")
    if isinstance(error_type, str) and error_type and error_type not in _GENERIC_ERROR_TYPES:
        return error_type
    for key in ("error", "message", "reason"):
        value = body.get(key)
        if isinstance(value, str) and value:
            match = _BRACKETED.search(value)
            return match.group(1) if match else value
    return None


def error_text(body: Any) -> str | None:
    """The most readable error text the body offers."""
    if isinstance(body, dict):
        for key in ("error", "message", "reason"):
            value = body.get(key)
            if isinstance(value, str) and value:
                return value
    return None


def exception_class(status: int, code: str | None) -> type[e.APIStatusError]:
    """The class for an error response: by Rocket.Chat code first, then by HTTP status."""
    if status == 429:
        return e.RateLimitError
    if code is not None:
        by_code = CODE_CLASSES.get(code)
        if by_code is not None:
            return by_code
        if code.startswith("Match error"):
            return e.InvalidParamsError
        for prefix, cls in PREFIX_CLASSES:
            if code.startswith(prefix):
                return cls
        if _CUSTOM_FIELD_TEXT.match(code):
            return e.InvalidCustomFieldError
    if status >= 500:
        return e.ServerError
    return STATUS_CLASSES.get(status, e.APIStatusError)


def wait_seconds_from_text(text: str | None) -> float | None:
    """The ``You must wait N seconds`` hint of a rate-limit message."""
    match = _WAIT_SECONDS.search(text or "")
    return float(match.group(1)) if match else None


def build_error(
    status: int,
    body: Any,
    *,
    route: str,
    method: str,
    retry_after: float | None = None,
    empty_failure: str | None = None,
    response: httpx2.Response | None = None,
) -> e.APIStatusError:
    """The exception for an error response of ``method route``.

    The message names the route *template* (``livechat/visitor/{token}``), never the actual path,
    so that visitor tokens placed in paths cannot leak into exception text. ``empty_failure`` is
    the text of an HTTP 400 JSON body without one (``{"success": false}``).
    """
    code = error_code(body)
    text = error_text(body) or _empty_failure_text(status, body, empty_failure) or f"HTTP {status}"
    cls = exception_class(status, code)
    message = f"{method} {route} failed with HTTP {status}: {text}"
    if cls is e.RateLimitError:
        wait = retry_after if retry_after is not None else wait_seconds_from_text(text)
        return e.RateLimitError(
            message, retry_after=wait, code=status, error=code, details=body, response=response
        )
    return cls(message, code=status, error=code, details=body, response=response)


def _empty_failure_text(status: int, body: Any, text: str | None) -> str | None:
    """``text`` when the answer is Rocket.Chat's bare failure: HTTP 400, a JSON object, no error."""
    return text if status == 400 and isinstance(body, dict) else None
