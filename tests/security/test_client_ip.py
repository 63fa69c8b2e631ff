"""One function tells the client's address; X-Forwarded-For is believed only from our proxies."""

from __future__ import annotations

import pytest
from django.core.checks import run_checks
from django.test import RequestFactory

from security.client import address_bucket, client_ip

PROXY = "10.0.0.2"


def request(remote_addr: str, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": remote_addr}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


@pytest.mark.parametrize(
    ("trusted", "remote_addr", "forwarded", "expected"),
    [
        # No trusted proxy: the peer is the client, whatever the header says.
        ([], "203.0.113.7", None, "203.0.113.7"),
        ([], "203.0.113.7", "198.51.100.1", "203.0.113.7"),
        # The peer is not one of our proxies: a forged header changes nothing.
        ([PROXY], "203.0.113.7", "198.51.100.1", "203.0.113.7"),
        # Our proxy: the address it saw is the client.
        ([PROXY], PROXY, "198.51.100.1", "198.51.100.1"),
        # The client sent a forged address first; our proxy appended the real one.
        ([PROXY], PROXY, "1.2.3.4, 198.51.100.1", "198.51.100.1"),
        # Two proxies of ours (a network): skip both, stop at the first outside address.
        (["10.0.0.0/8"], PROXY, "1.2.3.4, 198.51.100.1, 10.0.0.9", "198.51.100.1"),
        # Our proxy without a header (a health check): the proxy itself.
        ([PROXY], PROXY, None, PROXY),
        # Garbage in the header: stop at the last address a trusted proxy vouched for.
        ([PROXY], PROXY, "198.51.100.1, not-an-ip", PROXY),
        (["10.0.0.0/8"], PROXY, "198.51.100.1, garbage, 10.0.0.9", "10.0.0.9"),
        # Ports and IPv6 forms.
        ([PROXY], PROXY, "198.51.100.1:5123", "198.51.100.1"),
        ([PROXY], PROXY, "[2001:db8::1]:443", "2001:db8::1"),
        (["::1"], "::1", "2001:db8::7", "2001:db8::7"),
        ([], "::ffff:203.0.113.7", None, "203.0.113.7"),
        # A peer that is not an address at all.
        ([], "", None, ""),
        ([], "unix-socket", "198.51.100.1", ""),
    ],
)
def test_client_ip(settings, trusted, remote_addr, forwarded, expected):
    settings.TRUSTED_PROXIES = trusted
    assert client_ip(request(remote_addr, forwarded)) == expected


def test_a_wrong_trusted_proxy_entry_stops_the_checks(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8", "proxy.example.vn"]
    errors = [e for e in run_checks() if e.id == "security.E001"]
    assert len(errors) == 1
    assert "proxy.example.vn" in errors[0].msg


@pytest.mark.parametrize(
    ("ip", "bucket"),
    [
        ("203.0.113.7", "203.0.113.7"),
        ("2001:db8:1:2::1", "2001:db8:1:2::"),
        ("2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2::"),
        ("2001:db8:1:3::1", "2001:db8:1:3::"),
        ("", ""),
    ],
)
def test_an_ipv6_client_counts_as_its_64_network(ip, bucket):
    assert address_bucket(ip) == bucket
