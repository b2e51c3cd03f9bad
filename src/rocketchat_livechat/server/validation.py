"""Request validation with Rocket.Chat's exact error texts.

Two validators, as in Rocket.Chat:

* :func:`validate` — AJV (``validateParams``) over a JSON-schema dict, with AJV's
  ``coerceTypes: true`` (query strings become numbers/booleans, numbers become strings) and
  ``allErrors: false`` (first error only). Raises :class:`~.errors.InvalidParams`
  (``must have required property 'token' [invalid-params]``). Keywords: ``type`` (name or
  list), ``nullable``, ``properties``, ``required``, ``additionalProperties`` (bool),
  ``items``, ``minItems``, ``minLength``, ``enum``, ``anyOf``, ``oneOf``.
* :func:`check` — Meteor's ``check(value, pattern)``. Patterns: ``str``, ``float``
  (Number), ``bool``, ``dict`` (any object), ``ANY``, ``{...}`` (exact object),
  :class:`ObjectIncluding`, ``[pattern]`` (array), :class:`Optional`, :class:`Maybe`.
  Raises :class:`~.errors.MatchError` (``Match error: Missing key 'token' in field visitor``).
"""

from __future__ import annotations

import copy
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .errors import InvalidParams, MatchError

Schema = Mapping[str, Any]

# ---------------------------------------------------------------------------------------------
# AJV


class _AjvError(Exception):
    pass


def _js_number_text(value: float) -> str:
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e21:
        return str(int(value))
    return str(value)


def _to_number(value: Any) -> float | int | None:
    if isinstance(value, bool) or value is None:
        return int(bool(value))
    if isinstance(value, str) and value.strip() != "":
        try:
            number = float(value)
        except ValueError:
            return None
        if math.isfinite(number):
            return int(number) if number.is_integer() else number
    return None


def _coerce(value: Any, target: str) -> Any:
    """AJV ``coerceTypes: true`` for one value; returns ``_NO`` when impossible."""
    if target == "string":
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, int | float):
            return _js_number_text(value)
        if value is None:
            return ""
    elif target in ("number", "integer"):
        number = _to_number(value)
        if number is not None and (target == "number" or float(number).is_integer()):
            return int(number) if target == "integer" else number
    elif target == "boolean":
        if value == "true" or (value == 1 and not isinstance(value, bool)):
            return True
        if value is None or value == "false" or (value == 0 and not isinstance(value, bool)):
            return False
    elif target == "null" and (value == "" or value is False or (value == 0 and value is not True)):
        return None
    return _NO


_NO = object()


def _type_matches(value: Any, name: str) -> bool:
    if name == "string":
        return isinstance(value, str)
    if name == "number":
        return isinstance(value, int | float) and not isinstance(value, bool)
    if name == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if name == "boolean":
        return isinstance(value, bool)
    if name == "object":
        return isinstance(value, dict)
    if name == "array":
        return isinstance(value, list)
    return value is None  # "null"


def _check_type(value: Any, schema: Schema) -> Any:
    declared = schema.get("type")
    if declared is None:
        return value
    types = [declared] if isinstance(declared, str) else list(declared)
    if schema.get("nullable") and "null" not in types:
        types.append("null")
    if any(_type_matches(value, t) for t in types):
        return value
    for t in types:
        coerced = _coerce(value, t)
        if coerced is not _NO:
            return coerced
    raise _AjvError(f"must be {','.join(types)}")


def _validate_object(value: dict[str, Any], schema: Schema) -> None:
    for name in schema.get("required", ()):
        if name not in value:
            raise _AjvError(f"must have required property '{name}'")
    props: Mapping[str, Schema] = schema.get("properties", {})
    if schema.get("additionalProperties") is False and any(k not in props for k in value):
        raise _AjvError("must NOT have additional properties")
    for name, sub in props.items():
        if name in value:
            value[name] = _validate(value[name], sub)
    for pattern, sub in schema.get("patternProperties", {}).items():
        for name in value:
            if re.search(pattern, name):
                value[name] = _validate(value[name], sub)


def _validate_array(value: list[Any], schema: Schema) -> None:
    if "minItems" in schema and len(value) < schema["minItems"]:
        raise _AjvError(f"must NOT have fewer than {schema['minItems']} items")
    if "items" in schema:
        for i, item in enumerate(value):
            value[i] = _validate(item, schema["items"])


def _validate(value: Any, schema: Schema) -> Any:
    value = _check_type(value, schema)
    if "anyOf" in schema:
        messages: list[str] = []
        for option in schema["anyOf"]:
            try:
                return _validate(value, option)
            except _AjvError as exc:
                messages.append(str(exc))
        raise _AjvError("\n ".join([*messages, "must match a schema in anyOf"]))
    if "oneOf" in schema:
        value = _one_of(value, schema["oneOf"])
    if "enum" in schema and value not in schema["enum"]:
        raise _AjvError("must be equal to one of the allowed values")
    if isinstance(value, str) and len(value) < schema.get("minLength", 0):
        raise _AjvError(f"must NOT have fewer than {schema['minLength']} characters")
    if isinstance(value, dict):
        _validate_object(value, schema)
    elif isinstance(value, list):
        _validate_array(value, schema)
    return value


def _one_of(value: Any, options: list[Schema]) -> Any:
    """AJV ``oneOf``: exactly one option must pass (each tried on a copy: coercion mutates)."""
    passed: list[Any] = []
    messages: list[str] = []
    for option in options:
        try:
            passed.append(_validate(copy.deepcopy(value), option))
        except _AjvError as exc:
            messages.append(str(exc))
    if len(passed) == 1:
        return passed[0]
    if passed:
        raise _AjvError("must match exactly one schema in oneOf")
    raise _AjvError("\n ".join([*messages, "must match exactly one schema in oneOf"]))


def validate(value: Any, schema: Schema) -> Any:
    """Validate (and coerce, in place where possible) ``value``; returns the coerced value."""
    try:
        return _validate(value, schema)
    except _AjvError as exc:
        raise InvalidParams([str(exc)]) from None


def obj(
    properties: Mapping[str, Schema],
    required: tuple[str, ...] = (),
    *,
    additional: bool = False,
) -> dict[str, Any]:
    """Shorthand for an object schema (exact unless ``additional``)."""
    return {
        "type": "object",
        "properties": dict(properties),
        "required": list(required),
        "additionalProperties": additional,
    }


STRING: Schema = {"type": "string"}
NUMBER: Schema = {"type": "number"}
BOOLEAN: Schema = {"type": "boolean"}
STRINGS: Schema = {"type": "array", "items": STRING}
#: count/offset/sort/query/fields as in Rocket.Chat's ``PaginatedRequest``
PAGINATION: dict[str, Schema] = {
    "count": NUMBER,
    "offset": NUMBER,
    "sort": STRING,
    "query": STRING,
    "fields": STRING,
}

# ---------------------------------------------------------------------------------------------
# Meteor check


class _Any:
    def __repr__(self) -> str:
        return "ANY"


ANY = _Any()


class _Integer:
    def __repr__(self) -> str:
        return "Integer"


#: ``Match.Integer``: a number without a fractional part
Integer = _Integer()


class _ArrayConstructor:
    def __repr__(self) -> str:
        return "ARRAY"


#: the ``Array`` constructor as a pattern (``instanceof Array``)
ARRAY = _ArrayConstructor()


@dataclass(frozen=True)
class Optional:
    """``Match.Optional(pattern)``: undefined or pattern."""

    pattern: Any


@dataclass(frozen=True)
class Maybe:
    """``Match.Maybe(pattern)``: undefined, null or pattern."""

    pattern: Any


@dataclass(frozen=True)
class ObjectIncluding:
    """``Match.ObjectIncluding({...})``: these keys, others allowed."""

    fields: Mapping[str, Any]


class _Missing:
    pass


_UNDEFINED = _Missing()
_JS_TYPES = ((str, "string"), (float, "number"), (bool, "boolean"))


def js_typeof(value: Any) -> str:
    """JavaScript ``typeof`` of a JSON value (``null`` reported as ``"null"``)."""
    if value is _UNDEFINED:
        return "undefined"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "object"


@dataclass
class _Failure:
    message: str
    path: str = ""


_IDENT = re.compile(r"^[a-z_$][0-9a-z_$.[\]]*$", re.IGNORECASE)


def _prepend_path(key: str | int, base: str) -> str:
    if isinstance(key, int) or key.isdigit():
        text = f"[{key}]"
    elif not _IDENT.match(key):
        text = f'["{key}"]'
    else:
        text = key
    if base and not base.startswith("["):
        return f"{text}.{base}"
    return text + base


def _test_primitive(value: Any, pattern: type) -> _Failure | None:
    for py_type, name in _JS_TYPES:
        if pattern is py_type:
            if js_typeof(value) == name:
                return None
            return _Failure(f"Expected {name}, got {js_typeof(value)}")
    raise TypeError(f"bad pattern {pattern!r}")


def _test_object(value: Any, fields: Mapping[str, Any], *, including: bool) -> _Failure | None:
    if not isinstance(value, dict):
        return _Failure(f"Expected object, got {js_typeof(value)}")
    required = {k: p for k, p in fields.items() if not isinstance(p, Optional | Maybe)}
    for key, sub in value.items():
        if key in fields:
            failure = _test(sub, fields[key])
            required.pop(key, None)
        elif including:
            continue
        else:
            failure = _Failure("Unknown key")
        if failure is not None:
            failure.path = _prepend_path(key, failure.path)
            return failure
    if required:
        return _Failure(f"Missing key '{next(iter(required))}'")
    return None


def _test(value: Any, pattern: Any) -> _Failure | None:
    if pattern is ANY:
        return None
    if isinstance(pattern, Optional | Maybe):
        allowed_null = isinstance(pattern, Maybe)
        if value is _UNDEFINED or (allowed_null and value is None):
            return None
        if _test(value, pattern.pattern) is None:
            return None
        return _Failure("Failed Match.OneOf, Match.Maybe or Match.Optional validation")
    if pattern is Integer:
        if isinstance(value, int | float) and not isinstance(value, bool) and value == int(value):
            return None
        kind = js_typeof(value)
        shown = kind if kind in ("null", "undefined", "object") else _js_literal(value)
        return _Failure(f"Expected Integer, got {shown}")
    if pattern is ARRAY:
        return None if isinstance(value, list) else _Failure("Expected Array")
    if pattern in (str, float, bool):
        return _test_primitive(value, pattern)
    if pattern is dict:
        return _test_object(value, {}, including=True)
    if isinstance(pattern, list):
        if not isinstance(value, list):
            shown = "null" if value is None else _js_literal(value)
            return _Failure(f"Expected array, got {shown}")
        for i, item in enumerate(value):
            failure = _test(item, pattern[0])
            if failure is not None:
                failure.path = _prepend_path(i, failure.path)
                return failure
        return None
    if isinstance(pattern, ObjectIncluding):
        return _test_object(value, pattern.fields, including=True)
    if isinstance(pattern, Mapping):
        return _test_object(value, pattern, including=False)
    raise TypeError(f"bad pattern {pattern!r}")


def _js_literal(value: Any) -> str:
    import json

    return json.dumps(value, separators=(",", ":"))


def check(value: Any, pattern: Any) -> None:
    """Meteor ``check(value, pattern)``; raises :class:`MatchError`."""
    failure = _test(value, pattern)
    if failure is not None:
        suffix = f" in field {failure.path}" if failure.path else ""
        raise MatchError(failure.message + suffix)
