"""Parsers that turn a successful JSON body into the models a call returns."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ValidationError

from ..errors import UnexpectedResponseError
from ..models import Page

M = TypeVar("M", bound=BaseModel)
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Parser(Generic[T]):
    """Turns a successful JSON body into what a call returns; ``returns`` names it for docs.

    A ``raw`` parser is given the response's text instead (answers that are not JSON).
    """

    parse: Callable[[Any], T]
    returns: str
    raw: bool = False

    def __call__(self, body: Any) -> T:
        return self.parse(body)


def _unexpected(what: str, body: Any) -> UnexpectedResponseError:
    return UnexpectedResponseError(f"unexpected response: {what}", code=200, details=body)


def _invalid(what: str, exc: ValidationError, body: Any) -> UnexpectedResponseError:
    """The error for a body that failed validation. Pydantic's own text quotes the input (which
    may hold tokens), so only the failing locations are named, and the cause is not chained."""
    where = "; ".join(
        f"{'.'.join(map(str, error['loc']))}: {error['msg']}"
        for error in exc.errors(include_input=False, include_url=False)[:5]
    )
    return _unexpected(f"{what} did not validate ({where})", body)


def _validate(model: type[M], data: Any, body: Any) -> M:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise _invalid(model.__name__, exc, body) from None


def _get(body: Any, key: str) -> Any:
    if not isinstance(body, dict) or key not in body:
        raise _unexpected(f"missing key {key!r}", body)
    return body[key]


def whole(model: type[M]) -> Parser[M]:
    """The body itself is the model (less the envelope's ``success`` flag)."""

    def parse(body: Any) -> M:
        data = {k: v for k, v in body.items() if k != "success"} if isinstance(body, dict) else body
        return _validate(model, data, body)

    return Parser(parse, model.__name__)


def under(model: type[M], key: str) -> Parser[M]:
    """The model is ``body[key]``."""
    return Parser(lambda body: _validate(model, _get(body, key), body), model.__name__)


def optional_under(model: type[M], key: str) -> Parser[M | None]:
    """``body[key]`` as the model, or ``None`` when the key is absent or null."""

    def parse(body: Any) -> M | None:
        data = body.get(key) if isinstance(body, dict) else None
        return None if data is None else _validate(model, data, body)

    return Parser(parse, f"{model.__name__} | None")


def list_under(model: type[M], key: str) -> Parser[list[M]]:
    """A list of models at ``body[key]``."""

    def parse(body: Any) -> list[M]:
        items = _get(body, key)
        if not isinstance(items, list):
            raise _unexpected(f"{key!r} is not a list", body)
        return [_validate(model, item, body) for item in items]

    return Parser(parse, f"list[{model.__name__}]")


def page_under(model: type[M], key: str) -> Parser[Page[M]]:
    """A page (``{key: [...], count, offset, total}``) of models."""

    def parse(body: Any) -> Page[M]:
        _get(body, key)
        try:
            return Page.from_response(body, key, model)
        except ValidationError as exc:
            raise _invalid(f"page of {model.__name__}", exc, body) from None

    return Parser(parse, f"Page[{model.__name__}]")


def text_under(key: str) -> Parser[str]:
    """A string at ``body[key]`` (a confirmation text)."""

    def parse(body: Any) -> str:
        value = _get(body, key)
        if not isinstance(value, str):
            raise _unexpected(f"{key!r} is not a string", body)
        return value

    return Parser(parse, "str")


def bool_under(key: str) -> Parser[bool]:
    """A boolean at ``body[key]``."""

    def parse(body: Any) -> bool:
        value = _get(body, key)
        if not isinstance(value, bool):
            raise _unexpected(f"{key!r} is not a boolean", body)
        return value

    return Parser(parse, "bool")


def int_under(key: str) -> Parser[int]:
    """An integer at ``body[key]`` (a count)."""

    def parse(body: Any) -> int:
        value = _get(body, key)
        if isinstance(value, bool) or not isinstance(value, int | float) or value != int(value):
            raise _unexpected(f"{key!r} is not an integer", body)
        return int(value)

    return Parser(parse, "int")


# For endpoints whose answer is not JSON (``livechat/sms-incoming``: the provider's TwiML).
raw_text: Parser[str] = Parser(str, "str", raw=True)

# For endpoints that answer only ``{"success": true}`` (failures arrive as error statuses).
nothing: Parser[None] = Parser(lambda body: None, "None")
