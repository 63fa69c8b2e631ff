"""Rate limits: one counter per (scope, client) in the shared cache.

The counters live in Django's default cache, which every worker shares: a file-based cache
under `var/cache` by default, Redis when `REDIS_URL` is set (docs/operations.md). A window is
fixed: the first hit creates the counter with the window as its timeout, later hits increment
it. Redis increments atomically. Django's file cache reads and rewrites a file, so two workers
would both read the same value and lose hits (measured: 47 % lost with two processes on one key,
docs/security.md); here each hit on the file cache holds an exclusive `flock` on a lock file in
the cache directory, which makes the count exact across the workers of one machine.

Limits are per client address (`security.client.client_ip`; an IPv6 client counts as its /64),
tunable with `RATE_LIMITS`.
"""

from __future__ import annotations

import fcntl
import functools
import hashlib
import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import DEFAULT_CACHE_ALIAS, cache, caches
from django.core.cache.backends.filebased import FileBasedCache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from security.client import address_bucket, client_bucket


@dataclass(frozen=True)
class Rate:
    limit: int
    window: int  # seconds


# scope: (hits, per seconds) per client address. Generous: behind mobile carrier-grade NAT many
# phones share one IPv4 address, and a limit is there to stop floods, not shoppers.
DEFAULT_RATES: dict[str, tuple[int, int]] = {
    "report": (10, 3600),  # report-a-problem submissions
    "review": (20, 3600),  # review form posts (writing or rewriting a review)
    "checkout": (20, 600),  # checkout form posts (both steps) and card-payment retries
    "cart": (120, 600),  # add to cart, change a quantity
    "search": (300, 60),  # search page, JSON search and suggestions
    "scan": (100, 3600),  # counted scans of per-unit codes, all codes together
    "scan-code": (5, 600),  # counted scans of one code
    "password-reset": (5, 3600),  # admin password-reset requests (each may send an e-mail)
    "sign-in": (30, 600),  # shoppers' phone sign-ins and sign-in links opened
    "sign-up": (10, 3600),  # shoppers' phone sign-ups
    "sign-in-link": (10, 3600),  # shoppers' sign-in / verification e-mails asked for
    "sign-in-link-email": (3, 3600),  # … to one e-mail address (ident: the address)
    "registration": (20, 3600),  # producer registration posts (each may send two e-mails)
    "api": (600, 60),  # open data API (opendata/), every request
}


def rate(scope: str) -> Rate:
    configured = {**DEFAULT_RATES, **getattr(settings, "RATE_LIMITS", {})}
    limit, window = configured[scope]
    return Rate(int(limit), int(window))


def _key(scope: str, ident: str) -> str:
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{ident}".encode()).hexdigest()[:24]
    return f"throttle:{scope}:{digest}"


@contextmanager
def _exclusive() -> Iterator[None]:
    """Serialise counter updates on the file cache across processes; a no-op elsewhere."""
    backend = caches[DEFAULT_CACHE_ALIAS]
    if not isinstance(backend, FileBasedCache):
        yield
        return
    os.makedirs(backend._dir, exist_ok=True)
    with open(os.path.join(backend._dir, "throttle.lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def hit(scope: str, ident: str) -> bool:
    """Count one hit of `ident` (an address, or an address and a code) in `scope`.

    Returns True while within the limit, False once over it (the hit is still counted).
    """
    current = rate(scope)
    key = _key(scope, ident)
    with _exclusive():
        if cache.add(key, 1, current.window):
            return current.limit >= 1
        try:
            seen = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, current.window)
            seen = 1
    return seen <= current.limit


def hit_address(scope: str, ip: str, suffix: str = "") -> bool:
    """`hit()` for a client address (an IPv6 one counts as its /64), optionally per `suffix`."""
    return hit(scope, f"{address_bucket(ip)}|{suffix}" if suffix else address_bucket(ip))


def hit_request(request: HttpRequest, scope: str) -> bool:
    return hit(scope, client_bucket(request))


def too_many_requests(request: HttpRequest, scope: str, *, json: bool = False) -> HttpResponse:
    """HTTP 429 with a translated message; nothing of the request was done."""
    message = _("Too many requests from your address. Please wait a few minutes and try again.")
    if json:
        response: HttpResponse = JsonResponse({"error": message}, status=429)
    else:
        response = render(request, "security/throttled.html", {"message": message}, status=429)
    response["Retry-After"] = str(rate(scope).window)  # at the latest
    response["Cache-Control"] = "no-store"
    return response


def rate_limited(scope: str, *, methods: Iterable[str] = ("POST",), json: bool = False) -> Callable:
    """View decorator: count each request of `methods`, answer 429 past the limit.

    The check runs before the view, so a refused request writes nothing.
    """
    counted = {m.upper() for m in methods}

    def decorator(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if request.method in counted and not hit_request(request, scope):
                return too_many_requests(request, scope, json=json)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
