"""Refuse every non-loopback connection and name lookup (the suite must never need the network).

Installed in the test process by ``tests/conftest.py`` and, through ``sitecustomize.py`` beside
this file on ``PYTHONPATH``, in every Python child process the tests start (kernels, the CLI).
"""

from __future__ import annotations

import ipaddress
import socket
from typing import Any

_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex
_real_getaddrinfo = socket.getaddrinfo


class NetworkBlocked(ConnectionRefusedError):
    """A test tried to reach a non-loopback address."""


def is_loopback(host: Any) -> bool:
    """True for loopback hosts (127.0.0.0/8, ::1, localhost) and for non-IP families."""
    if host is None or host in ("localhost", "localhost.localdomain", ""):
        return True
    if not isinstance(host, str):
        return False
    try:
        return ipaddress.ip_address(host.split("%", 1)[0]).is_loopback
    except ValueError:
        return False


def _check(address: Any) -> None:
    if isinstance(address, tuple) and not is_loopback(address[0]):
        raise NetworkBlocked(f"network access blocked in tests: {address!r}")


def _connect(self: socket.socket, address: Any) -> None:
    _check(address)
    return _real_connect(self, address)


def _connect_ex(self: socket.socket, address: Any) -> int:
    _check(address)
    return _real_connect_ex(self, address)


def _getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
    if not is_loopback(host if not isinstance(host, bytes) else host.decode()):
        raise socket.gaierror(socket.EAI_NONAME, f"name lookup blocked in tests: {host!r}")
    return _real_getaddrinfo(host, *args, **kwargs)


def install() -> None:
    """Patch the socket module of this process."""
    socket.socket.connect = _connect  # type: ignore[method-assign]
    socket.socket.connect_ex = _connect_ex  # type: ignore[method-assign]
    socket.getaddrinfo = _getaddrinfo


def installed() -> bool:
    """Whether this process runs with the guard."""
    return socket.socket.connect is _connect and socket.getaddrinfo is _getaddrinfo
