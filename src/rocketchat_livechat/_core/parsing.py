"""Parsers that turn a successful JSON body into the models a call returns.

Most parsers also have a fast path (:meth:`Parser.parse_json`): the response's bytes are
validated straight into the models by pydantic's Rust core (one cached ``TypeAdapter`` per
parser, built on first use), with no ``json.loads`` and no per-item Python loop. The fast path
only ever returns a result the dict path would return too: on any validation failure, or an
envelope saying ``"success": false``, it answers :data:`NOT_PARSED` and the driver takes the
dict path, which produces the errors (and their texts) callers know.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final, Generic, TypeVar

from ..errors import UnexpectedResponseError
from .lazy import resolve

if TYPE_CHECKING:
    from pydantic import BaseModel, TypeAdapter, ValidationError

    from ..models import Page

M = TypeVar("M", bound="BaseModel")
T = TypeVar("T")


class _NotParsed:
    def __repr__(self) -> str:
        return "NOT_PARSED"


NOT_PARSED: Final[Any] = _NotParsed()
"""What :meth:`Parser.parse_json` answers when the dict path must decide."""


class _JsonPath:
    """Validates a whole body with one ``TypeAdapter`` (built on first use), then ``finish``."""

    __slots__ = ("_adapter", "_envelope", "_finish")

    def __init__(self, envelope: Callable[[], Any], finish: Callable[[dict[str, Any]], Any]):
        self._envelope = envelope
        self._finish = finish
        self._adapter: TypeAdapter[dict[str, Any]] | None = None

    def __call__(self, content: bytes) -> Any:
        from pydantic import ValidationError

        adapter = self._adapter
        if adapter is None:
            from pydantic import TypeAdapter

            adapter = self._adapter = TypeAdapter(self._envelope())
        try:
            envelope = adapter.validate_json(content)
        except ValidationError:
            return NOT_PARSED
        if envelope.get("success") is False:
            return NOT_PARSED
        return self._finish(envelope)


def _envelope(key: str, value: Any, *, required: bool = True, **others: Any) -> Any:
    """A TypedDict for ``{key: value, success?: Any, **others?}`` (other keys are ignored)."""
    from typing import NotRequired

    from typing_extensions import TypedDict

    fields = {key: value if required else NotRequired[value], "success": NotRequired[Any]}
    fields.update({name: NotRequired[kind] for name, kind in others.items()})
    return TypedDict("Envelope", fields)  # type: ignore[operator]


def _list_of(model: type[BaseModel]) -> Any:
    return list[resolve(model)]  # type: ignore[misc]


@dataclass(frozen=True, slots=True)
class Parser(Generic[T]):
    """Turns a successful JSON body into what a call returns; ``returns`` names it for docs.

    A ``raw`` parser is given the response's text instead (answers that are not JSON).
    ``json_path`` (optional) parses the raw bytes of a successful response in one go; it
    answers :data:`NOT_PARSED` when it cannot, and the caller then decodes the body and calls
    the parser.
    """

    parse: Callable[[Any], T]
    returns: str
    json_path: Callable[[bytes], Any] | None = field(default=None, compare=False)
    raw: bool = False

    def __call__(self, body: Any) -> T:
        return self.parse(body)

    def parse_json(self, content: bytes) -> T:
        """``content`` parsed, or :data:`NOT_PARSED` (then decode it and call the parser)."""
        if self.json_path is None:
            return NOT_PARSED  # type: ignore[no-any-return]
        return self.json_path(content)  # type: ignore[no-any-return]


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
    from pydantic import ValidationError

    try:
        return resolve(model).model_validate(data)
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
    return Parser(
        lambda body: _validate(model, _get(body, key), body),
        model.__name__,
        _JsonPath(lambda: _envelope(key, resolve(model)), lambda envelope: envelope[key]),
    )


def optional_under(model: type[M], key: str) -> Parser[M | None]:
    """``body[key]`` as the model, or ``None`` when the key is absent or null."""

    def parse(body: Any) -> M | None:
        data = body.get(key) if isinstance(body, dict) else None
        return None if data is None else _validate(model, data, body)

    return Parser(
        parse,
        f"{model.__name__} | None",
        _JsonPath(
            lambda: _envelope(key, resolve(model) | None, required=False),
            lambda envelope: envelope.get(key),
        ),
    )


def list_under(model: type[M], key: str) -> Parser[list[M]]:
    """A list of models at ``body[key]``."""

    def parse(body: Any) -> list[M]:
        items = _get(body, key)
        if not isinstance(items, list):
            raise _unexpected(f"{key!r} is not a list", body)
        return [_validate(model, item, body) for item in items]

    return Parser(
        parse,
        f"list[{model.__name__}]",
        _JsonPath(lambda: _envelope(key, _list_of(model)), lambda envelope: envelope[key]),
    )


def page_under(model: type[M], key: str) -> Parser[Page[M]]:
    """A page (``{key: [...], count, offset, total}``) of models."""

    def parse(body: Any) -> Page[M]:
        from pydantic import ValidationError

        from ..models import Page

        _get(body, key)
        try:
            return Page.from_response(body, key, resolve(model))
        except ValidationError as exc:
            raise _invalid(f"page of {model.__name__}", exc, body) from None

    def finish(envelope: dict[str, Any]) -> Any:
        # the items are models already: the page checks only its counters (as the dict path)
        from pydantic import ValidationError

        from ..models import Page

        try:
            return Page.from_response(envelope, key, resolve(model))
        except ValidationError:
            return NOT_PARSED

    counters: dict[str, Any] = {"count": Any, "offset": Any, "total": Any}
    return Parser(
        parse,
        f"Page[{model.__name__}]",
        _JsonPath(lambda: _envelope(key, _list_of(model), **counters), finish),
    )


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
