"""The suite runs with the network blocked, in this process and in every child it starts."""

from __future__ import annotations

import socket
import subprocess
import sys

import alliance_netguard
import pytest


def test_guard_is_installed_here() -> None:
    assert alliance_netguard.installed()


@pytest.mark.parametrize("host", ["203.0.113.7", "2001:db8::1", "example.org", "10.0.0.1"])
def test_non_loopback_is_refused_before_any_packet(host: str) -> None:
    assert not alliance_netguard.is_loopback(host)
    with pytest.raises(alliance_netguard.NetworkBlocked):
        alliance_netguard._check((host, 443))  # the check that runs before the real connect
    if not host[0].isdigit():
        with pytest.raises(socket.gaierror):
            socket.getaddrinfo(host, 443)


@pytest.mark.parametrize("host", ["127.0.0.1", "127.5.5.5", "::1", "localhost"])
def test_loopback_is_allowed(host: str) -> None:
    assert alliance_netguard.is_loopback(host)


def test_child_processes_run_guarded() -> None:
    code = "import socket, alliance_netguard; print(alliance_netguard.installed())"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "True"
