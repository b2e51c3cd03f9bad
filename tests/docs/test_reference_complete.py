"""The API reference leaves nothing public out.

``docs/reference/*.md`` renders objects with mkdocstrings (``::: path`` lines): a module renders
its ``__all__`` (or, without one, the public names it defines), a class its own public members
and fields (``inherited_members`` is off). So every public name of every public module must be
reached by a directive (under any of its public paths), every public member of a documented
class must be defined in a documented class (itself or a documented base), and every resource
method of the clients must have its section on the generated methods page.
"""

from __future__ import annotations

import importlib
import inspect
import re
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from rocketchat_livechat import AsyncLivechatClient, LivechatClient, errors

REFERENCE = Path(__file__).resolve().parents[2] / "docs" / "reference"
PUBLIC_MODULES = [
    "rocketchat_livechat",
    "rocketchat_livechat.errors",
    "rocketchat_livechat.models",
    "rocketchat_livechat.realtime",
    "rocketchat_livechat.bot",
    "rocketchat_livechat.bridge",
    "rocketchat_livechat.webhooks",
    "rocketchat_livechat.server",
    "rocketchat_livechat.testing.plugin",
    "rocketchat_livechat.compat",
]
#: public names that are not ours to document, with the reason
NOT_OURS = {
    "rocketchat_livechat.Timeout": "httpx2.Timeout, re-exported for convenience",
    "rocketchat_livechat.__version__": "a string; the changelog documents versions",
}


def directives() -> set[str]:
    found: set[str] = set()
    for page in REFERENCE.glob("*.md"):
        found |= set(re.findall(r"^::: ([\w.]+)\s*$", page.read_text(), re.M))
    return found


def resolve(path: str) -> Any:
    """The object at a dotted path (a module, or an attribute of one)."""
    parts = path.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            value: Any = importlib.import_module(".".join(parts[:cut]))
        except ModuleNotFoundError:
            continue
        for name in parts[cut:]:
            value = getattr(value, name)
        return value
    raise LookupError(path)


def exported(module: ModuleType) -> list[str]:
    """What mkdocstrings renders of a module: ``__all__``, else the public names it defines."""
    names = getattr(module, "__all__", None)
    if names is not None:
        return list(names)
    return [
        name
        for name, value in vars(module).items()
        if not name.startswith("_") and getattr(value, "__module__", None) == module.__name__
    ]


def documented_objects() -> list[Any]:
    """Every object a directive renders (a module directive renders what it exports)."""
    objects: list[Any] = []
    for path in directives():
        value = resolve(path)
        objects.append(value)
        if inspect.ismodule(value):
            objects.extend(getattr(value, name) for name in exported(value))
    return objects


def public_names() -> Iterator[tuple[str, Any]]:
    for module_name in PUBLIC_MODULES:
        module = importlib.import_module(module_name)
        for name in exported(module):
            path = f"{module_name}.{name}"
            if path not in NOT_OURS:
                yield path, getattr(module, name)


def test_the_directives_resolve() -> None:
    found = directives()
    assert len(found) >= 20
    for path in found:
        resolve(path)  # raises for a directive naming nothing


def test_every_public_name_is_in_the_reference() -> None:
    documented = {id(value) for value in documented_objects()}
    missing = [path for path, value in public_names() if id(value) not in documented]
    assert not missing, f"add these to docs/reference/: {missing}"


def own_members(cls: type) -> Iterator[tuple[str, type]]:
    """(name, the class defining it) for each public member and field of an SDK class."""
    annotated = {
        name
        for klass in cls.__mro__
        for name in vars(klass).get("__annotations__", {})
        if not name.startswith("_")
    }
    for name in sorted({n for n in dir(cls) if not n.startswith("_")} | annotated):
        for klass in cls.__mro__:
            if name in vars(klass) or name in vars(klass).get("__annotations__", {}):
                if klass.__module__.startswith("rocketchat_livechat"):
                    yield name, klass
                break


def test_every_public_member_of_a_documented_class_is_rendered() -> None:
    objects = documented_objects()
    documented = {id(value) for value in objects}
    classes = [value for value in objects if inspect.isclass(value)]
    assert len(classes) > 100
    missing = sorted(
        f"{cls.__module__}.{cls.__qualname__}.{name} (from {owner.__qualname__})"
        for cls in classes
        for name, owner in own_members(cls)
        if id(owner) not in documented
    )
    assert not missing, f"members no directive renders: {missing}"


@pytest.mark.parametrize("client_type", [LivechatClient, AsyncLivechatClient])
def test_every_resource_method_has_its_section(client_type: type) -> None:
    page = (REFERENCE / "methods.md").read_text()
    client = client_type("http://localhost")
    sections = 0
    for attribute, resource in vars(client).items():
        if attribute.startswith("_"):
            continue
        for name in (n for n in vars(type(resource)) if not n.startswith("_")):
            assert f"### `{attribute}.{name}`\n" in page, f"{attribute}.{name}"
            sections += 1
    assert sections > 100


def test_the_errors_guide_draws_every_error_class() -> None:
    guide = REFERENCE.parent / "guides" / "errors-and-retries.md"
    tree = guide.read_text().split("```\nAPIError\n", 1)[1].split("```", 1)[0]
    drawn = set(re.findall(r"\b(\w+Error)\b", tree))
    classes = {n for n in errors.__all__ if isinstance(getattr(errors, n), type)} - {"APIError"}
    assert classes <= drawn, sorted(classes - drawn)
