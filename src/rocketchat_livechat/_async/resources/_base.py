"""Resources (endpoint groups) and the binder that turns a declaration into a method."""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, Generic, ParamSpec, Self, TypeVar, overload

from ..._core.endpoint import OPTION_NAMES, Endpoint

if TYPE_CHECKING:
    from ..client import AsyncLivechatClient

P = ParamSpec("P")
T = TypeVar("T")


class AsyncResource:
    """An endpoint group bound to a client."""

    def __init__(self, client: AsyncLivechatClient) -> None:
        self._client = client


class AsyncEndpointMethod(Generic[P, T]):
    """A resource method made from an endpoint declaration.

    In a resource's class body: ``get_config = AsyncEndpointMethod(config.get_config)``.

    The method has the declaration's exact signature (``ParamSpec``), so mypy, pyright and IDEs
    check every call, and its docstring; the per-call options (``timeout=``) are taken out and
    given to the client, the rest goes to the builder by keyword or position as the caller
    passed it. Bound methods are cached on the resource instance.
    """

    def __init__(self, declared: Endpoint[P, T]) -> None:
        self.endpoint = declared
        self.__doc__ = declared.doc

    def __set_name__(self, owner: type, name: str) -> None:
        if name != self.endpoint.name:
            raise TypeError(f"{owner.__name__}.{name} is bound to {self.endpoint.qualname}")

    @overload
    def __get__(self, resource: None, owner: type) -> Self: ...
    @overload
    def __get__(self, resource: AsyncResource, owner: type) -> Callable[P, Awaitable[T]]: ...
    def __get__(self, resource: AsyncResource | None, owner: type) -> Any:
        if resource is None:
            return self
        method = _bind(resource._client, self.endpoint)
        resource.__dict__[self.endpoint.name] = method
        return method


def _bind(client: AsyncLivechatClient, declared: Endpoint[P, T]) -> Callable[P, Awaitable[T]]:
    async def method(*args: P.args, **kwargs: P.kwargs) -> T:
        if not kwargs or OPTION_NAMES.isdisjoint(kwargs):  # the common case, kept cheap
            return await client._call_endpoint(declared, args, kwargs)
        options: dict[str, Any] = {name: kwargs.pop(name) for name in OPTION_NAMES & kwargs.keys()}
        return await client._call_endpoint(declared, args, kwargs, **options)

    method.__name__ = method.__qualname__ = declared.name
    method.__doc__ = declared.doc
    method.__signature__ = inspect.signature(declared.parts)  # type: ignore[attr-defined]
    return method
