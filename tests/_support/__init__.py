"""Helpers shared by several test directories (``from _support.<module> import ...``).

``tests/`` is on ``sys.path`` because pytest imports ``tests/conftest.py`` in its default
``prepend`` import mode, which puts that file's directory first on the path.

* :mod:`_support.faultproxy`: a fault-injecting HTTP/1.1 + websocket proxy.
* :mod:`_support.servers`: the embedded server (or ``rocketchat-livechat serve``) as a child
  process, started and stopped one way.
"""
