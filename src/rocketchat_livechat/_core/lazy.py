"""Models named in endpoint declarations, loaded on first use (importing the client stays cheap).

An endpoint module writes::

    if TYPE_CHECKING:
        from ...models import Message
    else:
        Message = lazy_model("Message")

so type checkers see the class, and at run time the parsers hold a :class:`LazyModel` that
imports ``rocketchat_livechat.models`` (and pydantic) the first time a call is parsed.
"""

from __future__ import annotations

import importlib
from typing import Any, TypeVar

T = TypeVar("T")


class LazyModel:
    """Stands for ``rocketchat_livechat.models.<name>`` until :meth:`resolve` is called."""

    __slots__ = ("__name__", "_model")

    def __init__(self, name: str) -> None:
        self.__name__ = name
        self._model: Any = None

    def resolve(self) -> Any:
        model = self._model
        if model is None:
            from .. import models

            model = self._model = getattr(models, self.__name__)
        return model

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.resolve()(*args, **kwargs)

    def __repr__(self) -> str:
        return f"<lazy model {self.__name__}>"


def lazy_model(name: str) -> Any:
    """A stand-in for the model ``name`` (typed ``Any``: declare the real import for checkers)."""
    return LazyModel(name)


def resolve(model: T) -> T:
    """The model class itself, whether given directly or as a :class:`LazyModel` (type checkers
    see the class in both cases: the endpoint modules import it under ``TYPE_CHECKING``)."""
    return model.resolve() if isinstance(model, LazyModel) else model


class LazyModule:
    """Stands for the module ``name``, imported on the first attribute read (``httpx2``: the
    client modules import it so, and ``from rocketchat_livechat import LivechatClient`` stays
    cheap until a client is made)."""

    __slots__ = ("_name",)

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attribute: str) -> Any:
        return getattr(importlib.import_module(self._name), attribute)

    def __repr__(self) -> str:
        return f"<lazy module {self._name}>"
