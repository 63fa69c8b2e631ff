"""The client's address, told apart from the reverse proxies in front of the site.

`REMOTE_ADDR` is the direct peer. Behind a reverse proxy (nginx, a load balancer) that is the
proxy, and the client is in `X-Forwarded-For`, a header anyone can also send. So the header is
believed only when the direct peer is one of `settings.TRUSTED_PROXIES`, and then only up to the
first address, read from the right, that is not a trusted proxy: everything left of it was
written by the client and may be forged. Scan counting, rate limits and the sign-in lockout all
use this one function.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def invalid_proxies(entries) -> list[str]:
    """Entries of `TRUSTED_PROXIES` that are not an address or a network."""
    wrong = []
    for entry in entries:
        try:
            ipaddress.ip_network(entry, strict=False)
        except ValueError:
            wrong.append(entry)
    return wrong


def _address(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    value = value.strip()
    if value.startswith("[") and "]" in value:  # "[2001:db8::1]:443"
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # "203.0.113.7:5123"
        value = value.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def _trusted(address, networks: tuple[Network, ...]) -> bool:
    return any(address in network for network in networks)


def client_ip(request: HttpRequest) -> str:
    """The client's IP address as a string ("" if the peer's address is not an address)."""
    peer = _address(request.META.get("REMOTE_ADDR", ""))
    if peer is None:
        return ""
    networks = _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ())))
    if not networks or not _trusted(peer, networks):
        return str(peer)
    client = peer
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for hop in reversed(forwarded.split(",")):
        address = _address(hop)
        if address is None:  # garbage: stop at the last address a trusted proxy vouched for
            break
        client = address
        if not _trusted(address, networks):
            break
    return str(client)


def address_bucket(ip: str) -> str:
    """What limits and lockouts count by: the IPv4 address, or the /64 network of an IPv6 one
    (its base address). One IPv6 subscriber is handed a whole /64, so counting each address
    would let a single client reset its counters at will."""
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return ip
    if isinstance(address, ipaddress.IPv6Address):
        return str(ipaddress.ip_network(f"{address}/64", strict=False).network_address)
    return str(address)


def client_bucket(request: HttpRequest) -> str:
    """`address_bucket` of the client: the sign-in lockout's address (`AXES_CLIENT_IP_CALLABLE`)."""
    return address_bucket(client_ip(request))
