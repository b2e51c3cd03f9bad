"""``POST livechat/sms-incoming/:service``: an inbound SMS becomes a visitor message.

Source: ``apps/meteor/app/livechat/imports/server/rest/sms.ts``, the provider
``apps/meteor/server/services/omnichannel-integrations/providers/twilio.ts`` and
``OmnichannelIntegrationService`` (``service.ts``). Only the ``twilio`` provider is served;
``voxtelesys`` and ``mobex`` answer ``error-sms-service-not-configured`` here.

Differences from Rocket.Chat, on purpose:

* the signature (``X-Twilio-Signature``) is checked with Twilio's documented algorithm over
  ``Site_Url`` + the request path and query + the sorted body fields (form-encoded or JSON);
  Rocket.Chat 7.x/8.x reads the fields with ``request.json()``, so a form-encoded Twilio post
  is checked as if it had none. Rocket.Chat's CI skips the check (``TEST_MODE``); here a test
  signs its request (:func:`twilio_signature`).
* media (``NumMedia`` > 0) is not downloaded: the message carries the attachment Rocket.Chat
  adds when the download fails.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
from collections.abc import Mapping
from typing import Any

from ..errors import ApiError, Failure, MeteorError, PlainError
from ..ids import random_id
from ..state import ServerState
from ..store import Doc
from . import messages, routing, visitors

PROVIDERS = ("twilio", "voxtelesys", "mobex")  # registerSmsProviders
EMPTY_TWIML = "<Response></Response>"
_UPLOAD_FAILED = "An attachment was received, but upload to server failed"


def twilio_signature(auth_token: str, url: str, params: Mapping[str, Any]) -> str:
    """Twilio's ``X-Twilio-Signature``: base64 HMAC-SHA1 of the URL + sorted ``key+value``."""
    data = url + "".join(f"{k}{params[k]}" for k in sorted(params))
    digest = hmac.new(auth_token.encode(), data.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def check_service(state: ServerState, service: str) -> None:
    """``isConfiguredSmsService`` then ``getSmsService`` (both before any parsing)."""
    settings = state.settings
    if service.lower() != settings["SMS_Service"]:
        raise Failure("Invalid service")
    if not settings["SMS_Enabled"]:
        raise PlainError("error-sms-service-disabled")
    if service.lower() != "twilio":
        raise PlainError("error-sms-service-not-configured")


def valid_request(state: ServerState, url_path: str, signature: str, body: Any) -> bool:
    """``Twilio.validateRequest``: a signature made with ``SMS_Twilio_authToken``."""
    token = str(state.settings["SMS_Twilio_authToken"])
    site = str(state.settings["Site_Url"]).rstrip("/")
    if not token or not site or not signature:
        return False
    params = body if isinstance(body, Mapping) else {}
    expected = twilio_signature(token, site + url_path, params)
    return hmac.compare_digest(expected, signature)


def parse(body: Any) -> Doc:
    """``Twilio.parse``: ``From``, ``To``, ``Body`` must be strings (else ``Invalid data``)."""
    if not isinstance(body, Mapping) or not all(
        isinstance(body.get(k), str) for k in ("From", "To", "Body")
    ):
        raise PlainError("Invalid data")
    sms: Doc = {
        "from": body["From"],
        "to": body["To"],
        "body": body["Body"],
        "extra": {
            "fromCountry": body.get("FromCountry"),
            "fromState": body.get("FromState"),
            "fromCity": body.get("FromCity"),
            "fromZip": body.get("FromZip"),
            "fromLatitude": body.get("Latitude"),
            "fromLongitude": body.get("Longitude"),
        },
    }
    try:
        count = int(str(body.get("NumMedia") or 0), 10)
    except ValueError:
        return sms  # "Error parsing NumMedia": no media list at all
    sms["media"] = [
        {"url": body.get(f"MediaUrl{i}"), "contentType": body.get(f"MediaContentType{i}")}
        for i in range(count)
    ]
    return sms


def _department(state: ServerState, id_or_name: str | None) -> str | None:
    if not id_or_name:
        return None
    found = routing.find_department(state, id_or_name)
    return found["_id"] if found else None


def _visitor(state: ServerState, number: str, department: str | None) -> Doc:
    """``defineVisitor``: the visitor with this phone number, else a new one named by its
    digits; registered again (with the department) either way."""
    known = next(
        (
            v
            for v in state.store.visitors.find()
            if any(p.get("phoneNumber") == number for p in v.get("phone") or [])
        ),
        None,
    )
    data: Doc = {"token": known["token"] if known else random_id()}
    if known is None:
        data["username"] = "".join(c for c in number if c.isdigit())
        data["phone"] = number
    if department:
        data["department"] = department
    return visitors.register(state, data)


def _location(sms: Doc) -> Doc | None:
    lat, lon = sms["extra"].get("fromLatitude"), sms["extra"].get("fromLongitude")
    if not lat or not lon:
        return None
    try:
        return {"type": "Point", "coordinates": [float(lon), float(lat)]}
    except ValueError:
        return None


def receive(state: ServerState, service: str, sms: Doc, department: str | None) -> str:
    """Store the SMS as a message of the visitor's open SMS room (created when there is none);
    returns the TwiML answer (``<Response></Response>``, or with the error's reason)."""
    target = _department(state, department or state.settings["SMS_Default_Omnichannel_Department"])
    if target is None:
        target = _department(state, state.settings["SMS_Default_Omnichannel_Department"])
    visitor = _visitor(state, sms["from"], target)
    flt: Doc = {"t": "l", "v.token": visitor["token"], "open": True, "source.type": "sms"}
    if target:
        flt["departmentId"] = target
    room = state.store.rooms.find_one(flt, sort=[("ts", 1)])
    if room is None:
        source = {"type": "sms", "alias": service, "destination": sms["to"]}
        extra = {"sms": {"from": sms["to"]}}
        room = routing.create_room(state, visitor, source=source, extra=extra)
    fields: Doc = {}
    location = _location(sms)
    if location is not None:
        fields["location"] = location
    if sms.get("media"):
        fields["attachments"] = [
            {
                "title": "Attachment upload failed",
                "type": "file",
                "description": _UPLOAD_FAILED,
                "fields": [{"title": "User upload failed", "value": _UPLOAD_FAILED, "short": True}],
                "color": "yellow",
            }
        ]
    try:
        room = state.store.rooms.get(room["_id"]) or room
        messages.send_visitor_message(state, visitor, room, sms["body"], random_id(), **fields)
    except ApiError as exc:
        reason = exc.reason if isinstance(exc, MeteorError) else None
        return f"<Response><Message>{reason}</Message></Response>" if reason else EMPTY_TWIML
    for key in ("Country", "State", "City", "Zip"):  # setImmediate: failures are only logged
        value = sms["extra"].get(f"from{key}")
        if value:
            with contextlib.suppress(ApiError):
                visitors.set_custom_field(state, visitor, key.lower(), value, True)
    return EMPTY_TWIML
