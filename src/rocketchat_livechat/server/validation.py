"""Request validation with Rocket.Chat's exact error texts.

Two validators, as in Rocket.Chat:

* :func:`validate` — AJV (``validateParams``) over a JSON-schema dict, with AJV's
  ``coerceTypes: true`` (query strings become numbers/booleans, numbers become strings) and
  ``allErrors: false`` (first error only). Raises :class:`~.errors.InvalidParams`
  (``must have required property 'token' [invalid-params]``). Keywords: ``type`` (name or
  list), ``nullable``, ``properties``, ``required``, ``additionalProperties`` (bool),
  ``items``, ``minItems``, ``minLength``, ``enum``, ``anyOf``.
* :func:`check` — Meteor's ``check(value, pattern)``. Patterns: ``str``, ``float``
  (Number), ``bool``, ``dict`` (any object), ``ANY``, ``{...}`` (exact object),
  :class:`ObjectIncluding`, ``[pattern]`` (array), :class:`Optional`, :class:`Maybe`.
  Raises :class:`~.errors.MatchError` (``Match error: Missing key 'token' in field visitor``).
"""

from __future__ import annotations

import copy
import functools
import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
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


_JS_NUMBER = re.compile(
    r"\s*(?:[+-]?(?:\d+\.?\d*(?:e[+-]?\d+)?|\.\d+(?:e[+-]?\d+)?|Infinity)"
    r"|0x[0-9a-f]+|0o[0-7]+|0b[01]+)\s*",
    re.IGNORECASE,
)


def _to_number(value: Any) -> float | int | None:
    """AJV's number coercion: ``boolean``, ``null`` or a string ``s`` with ``s && s == +s``."""
    if isinstance(value, bool) or value is None:
        return int(bool(value))
    if isinstance(value, str) and value and _JS_NUMBER.fullmatch(value):
        text = value.strip().lower()
        if text.startswith(("0x", "0o", "0b")):
            return int(text, 0)
        number = float(text.replace("infinity", "inf"))
        if math.isfinite(number) and number.is_integer() and "e" not in text and "." not in text:
            return int(number)
        return number
    return None


def _coerce(value: Any, target: str, mode: bool | str) -> Any:
    """AJV ``coerceTypes`` (``True`` or ``"array"``) for one value; ``_NO`` when impossible."""
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
    elif target == "array" and mode == "array" and not isinstance(value, dict | list):
        return [value]
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


def _check_type(value: Any, schema: Schema, mode: bool | str) -> Any:
    """AJV's type check with coercion (``coerceData`` in ``ajv/lib/compile/validate/dataType``).

    The message names the declared types only (``nullable`` adds no ``null``). With
    ``coerceTypes: 'array'`` a one-item array is unwrapped first; AJV 8 takes the item as it is
    only for a single non-nullable type (its generated check for several types can never pass),
    else it goes on coercing the item: ``["x"]`` for a nullable string is refused, ``["5"]`` for
    a number is 5.
    """
    declared = schema.get("type")
    if declared is None:
        return value
    named = [declared] if isinstance(declared, str) else list(declared)
    types = [*named, "null"] if schema.get("nullable") and "null" not in named else named
    if any(_type_matches(value, t) for t in types):
        return value
    if mode is False:
        raise _AjvError(f"must be {','.join(named)}")
    if mode == "array" and isinstance(value, list) and len(value) == 1:
        value = value[0]
        if len(types) == 1 and _type_matches(value, types[0]):
            return value
    for t in types:
        coerced = _coerce(value, t, mode)
        if coerced is not _NO:
            return coerced
    raise _AjvError(f"must be {','.join(named)}")


def _validate_object(value: dict[str, Any], schema: Schema, mode: bool | str) -> None:
    for name in schema.get("required", ()):
        if name not in value:
            raise _AjvError(f"must have required property '{name}'")
    props: Mapping[str, Schema] = schema.get("properties", {})
    patterns: Mapping[str, Schema] = schema.get("patternProperties", {})
    additional = schema.get("additionalProperties", True)
    if additional is not True:
        for key in value:
            if key in props or any(re.search(p, key) for p in patterns):
                continue
            if additional is False:
                raise _AjvError("must NOT have additional properties")
            value[key] = _validate(value[key], additional, mode)
    for name, sub in props.items():
        if name in value:
            value[name] = _validate(value[name], sub, mode)
    for pattern, sub in patterns.items():
        for name in value:
            if re.search(pattern, name):
                value[name] = _validate(value[name], sub, mode)


def _validate_array(value: list[Any], schema: Schema, mode: bool | str) -> None:
    if "maxItems" in schema and len(value) > schema["maxItems"]:
        raise _AjvError(f"must NOT have more than {schema['maxItems']} items")
    if "minItems" in schema and len(value) < schema["minItems"]:
        raise _AjvError(f"must NOT have fewer than {schema['minItems']} items")
    if "items" in schema:
        for i, item in enumerate(value):
            value[i] = _validate(item, schema["items"], mode)
    if schema.get("uniqueItems"):
        for j in range(len(value) - 1, 0, -1):
            for i in range(j - 1, -1, -1):
                if value[i] == value[j] and type(value[i]) is type(value[j]):
                    raise _AjvError(
                        f"must NOT have duplicate items (items ## {i} and {j} are identical)"
                    )


def _js_length(text: str) -> int:
    """AJV's ``ucs2length``: code points, a surrogate pair counting once."""
    return len(text)


_FORMATS: dict[str, re.Pattern[str]] = {
    "email": re.compile(
        r"^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@"
        r"(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$",
        re.IGNORECASE,
    ),
    "basic_email": re.compile(r"^[^@]+@[^@]+$"),
}


def _validate_string(value: str, schema: Schema) -> None:
    if "maxLength" in schema and _js_length(value) > schema["maxLength"]:
        raise _AjvError(f"must NOT have more than {schema['maxLength']} characters")
    if "minLength" in schema and _js_length(value) < schema["minLength"]:
        raise _AjvError(f"must NOT have fewer than {schema['minLength']} characters")
    if "pattern" in schema and not re.search(schema["pattern"], value):
        raise _AjvError(f'must match pattern "{schema["pattern"]}"')
    fmt = schema.get("format")
    if fmt in _FORMATS and not _FORMATS[fmt].search(value):
        raise _AjvError(f'must match format "{fmt}"')
    if schema.get("isNotEmpty") and not value.strip():
        raise _AjvError('must pass "isNotEmpty" keyword validation')


def _validate(value: Any, schema: Schema, mode: bool | str = True) -> Any:
    value = _check_type(value, schema, mode)
    if isinstance(value, int | float) and not isinstance(value, bool):
        if "maximum" in schema and value > schema["maximum"]:
            raise _AjvError(f"must be <= {schema['maximum']}")
        if "minimum" in schema and value < schema["minimum"]:
            raise _AjvError(f"must be >= {schema['minimum']}")
    elif isinstance(value, str):
        _validate_string(value, schema)
    elif isinstance(value, list):
        _validate_array(value, schema, mode)
    elif isinstance(value, dict):
        _validate_object(value, schema, mode)
    if "enum" in schema and value not in schema["enum"]:
        raise _AjvError("must be equal to one of the allowed values")
    if "const" in schema and value != schema["const"]:
        raise _AjvError("must be equal to constant")
    if "anyOf" in schema:
        messages: list[str] = []
        for option in schema["anyOf"]:
            try:
                return _validate(value, option, mode)
            except _AjvError as exc:
                messages.append(str(exc))
        raise _AjvError("\n ".join([*messages, "must match a schema in anyOf"]))
    if "oneOf" in schema:
        passing: list[int] = []
        failures: list[str] = []
        result = value
        for index, option in enumerate(schema["oneOf"]):
            try:
                result = _validate(value, option, mode)
                passing.append(index)
            except _AjvError as exc:
                failures.append(str(exc))
        if len(passing) != 1:
            lead = failures if not passing else []
            raise _AjvError("\n ".join([*lead, "must match exactly one schema in oneOf"]))
        return result
    return value


def validate(value: Any, schema: Schema, *, coerce: bool | str | None = None) -> Any:
    """Validate (and coerce, in place where possible) ``value``; returns the coerced value.

    ``coerce`` is AJV's ``coerceTypes``: ``True`` (Rocket.Chat's ``ajv``), ``"array"`` (its
    ``ajvQuery``: ``"x"`` for an array becomes ``["x"]``, ``["x"]`` for a scalar ``"x"``) or
    ``False``; by default the schema's own ``x-coerce`` (set by :func:`rest_typings`), else True.
    """
    mode: bool | str = schema.get("x-coerce", True) if coerce is None else coerce
    try:
        return _validate(value, schema, mode)
    except _AjvError as exc:
        raise InvalidParams([str(exc)]) from None


@functools.cache
def _rest_typings() -> dict[str, Any]:
    path = Path(__file__).with_name("rest_typings.json")
    loaded: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return loaded


#: the rest-typings release whose validators :func:`rest_typings` answers
REST_TYPINGS_VERSION = "8.8.1"


def rest_typings(name: str) -> dict[str, Any]:
    """The schema of Rocket.Chat's validator ``name`` (npm ``@rocket.chat/rest-typings``).

    Exported from the release the contract tests bundle (``scripts/export_rest_typings.mjs``),
    marked with its coercion mode (``x-coerce``) and its name (``x-validator``, which the
    differential contract test reads). A fresh copy: callers may adapt it.
    """
    entry = _rest_typings()["validators"][name]
    schema: dict[str, Any] = copy.deepcopy(entry["schema"])
    schema["x-coerce"] = entry["coerce"]
    schema["x-validator"] = name
    return schema


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
#: count/offset/sort/query/fields as in Rocket.Chat's ``PaginatedRequest`` (all nullable)
PAGINATION: dict[str, Schema] = {
    "count": {"type": "number", "nullable": True},
    "offset": {"type": "number", "nullable": True},
    "sort": {"type": "string", "nullable": True},
    "query": {"type": "string", "nullable": True},
    "fields": {"type": "string", "nullable": True},
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
