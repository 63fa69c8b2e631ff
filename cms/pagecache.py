"""Whole-page cache for anonymous visitors, invalidated exactly by tags after commit.

Why: a television report sends thousands of shoppers to one product, and a market full of
phones scans the same lot; rendering each of those pages costs 10–25 queries. Pages that are
the same for every anonymous visitor are rendered once and kept in the shared cache
(`CACHES["default"]`: Redis or files, so every worker sees them).

How it stays exact:
- While a page renders, the code that reads something records a *tag* for it on the request
  (`tag(request, page_tag(key), producer_tag(id), …)`); a view opts in with `cacheable()`.
- A change records, after commit, the time at which each of its tags changed (`invalidate()`).
- A stored page is served only if every one of its tags last changed *before* the page began to
  render. A change that commits while a page renders therefore voids that page too; a tag whose
  time is missing from the cache (evicted) voids it as well. Nothing is ever listed or scanned.
- Entries also end at the next local midnight: certificates stop being in force with the date.

Never shared: requests carrying a session or messages cookie (signed-in editors, shoppers with a
cart, flash messages), other methods than GET/HEAD, unknown query parameters, responses that set
cookies or say private/no-store/no-cache.

CSRF tokens: a form that can do without one in the HTML asks `renders_for_everyone(request)` and
then renders none (the product page's add-to-cart form: static/js/csrf-cookie.js sends the
visitor's cookie token at submit, and a post without one gets a confirmation page,
security/csrf.py). Such a page is one body for everyone: compressed once, `public` for CDNs, and
it sets no cookie. Other forms' tokens are stored as a placeholder and each visitor gets their
own token on the way out (written into the body on every hit, compressed per hit); those pages
are `private` for CDNs and browsers.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import http_date
from django.utils.text import compress_string

from cms.compression import accepts, compress_brotli

logger = logging.getLogger(__name__)

SITE = "site"  # everything (site settings, slugs and moves, code deploys)
LISTING = "listing"  # which products and producers are listed, and in what order

TAG_PREFIX = "pagecache:tag:"
ENTRY_PREFIX = "pagecache:page:"
ALLOWED_PARAMS = frozenset({"page", "linkType"})
SKIPPED_PREFIXES = ("/admin/", "/static/", "/media/", "/documents/", "/stripe/", "/i18n/")
STORED_STATUSES = frozenset({200, 301, 302, 307, 308})
LINKSET_TYPE = "application/linkset+json"
CSRF_INPUT = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')
CSRF_PLACEHOLDER = b"\x00pagecache-csrf\x00"
ACCEPTS_GZIP = re.compile(r"\bgzip\b")
# Public pages may be kept this long by a CDN (it is not purged; our own cache is).
PUBLIC_CACHE_CONTROL = {
    "public": True,
    "max_age": 60,
    "s_maxage": 300,
    "stale_while_revalidate": 600,
}


# --- Tags -------------------------------------------------------------------------------------


def page_tag(translation_key: Any) -> str:
    """A Wagtail page in every locale, and what belongs to it (variants, certificates, images)."""
    return f"page:{translation_key}"


def producer_tag(producer_id: Any) -> str:
    return f"producer:{producer_id}"


def batch_tag(batch_id: Any) -> str:
    return f"batch:{batch_id}"


def area_tag(area_id: Any) -> str:
    return f"area:{area_id}"


def cacheable(request: HttpRequest | None, *tags: str) -> None:
    """Let this request's response be shared, depending on `tags` (plus SITE)."""
    if request is None:
        return
    request._page_cache_ok = True  # type: ignore[attr-defined]
    tag(request, SITE, *tags)


def tag(request: HttpRequest | None, *tags: str) -> None:
    """Record what the page being rendered depends on (no-op outside a request)."""
    if request is None or not hasattr(request, "META"):
        return
    found = getattr(request, "_page_cache_tags", None)
    if found is None:
        found = request._page_cache_tags = set()  # type: ignore[attr-defined]
    found.update(t for t in tags if t)


# Set only inside `invalidation_batched()`: the tags voided so far, touched once at its end.
_BATCHED: ContextVar[set[str] | None] = ContextVar("pagecache_batched", default=None)


def invalidate(*tags: str) -> None:
    """Void every stored page that depends on one of `tags`, once the transaction commits."""
    wanted = sorted({t for t in tags if t})
    batched = _BATCHED.get()
    if batched is not None:
        batched.update(wanted)
    elif wanted:
        transaction.on_commit(lambda: _touch(wanted))


@contextmanager
def invalidation_batched() -> Iterator[None]:
    """Collect the invalidations of a bulk load (demo data, imports) and, if there were any,
    void every page once at the end (one cache write: SITE) instead of one write per saved row.
    Use it outside any transaction."""
    token = _BATCHED.set(set())
    try:
        yield
    finally:
        tags = _BATCHED.get()
        _BATCHED.reset(token)
        if tags:
            invalidate_all()


def invalidate_all() -> None:
    invalidate(SITE)


def _touch(tags: list[str]) -> None:
    try:
        now = time.time()
        _cache().set_many({TAG_PREFIX + t: now for t in tags}, timeout=None)
    except Exception:  # the cache being down must not fail a commit that already happened
        logger.exception("Could not invalidate cached pages for %s", tags)


def _cache():
    return caches[getattr(settings, "PAGE_CACHE_ALIAS", "default")]


def enabled() -> bool:
    return getattr(settings, "PAGE_CACHE_ENABLED", True)


# --- Lookup and store -------------------------------------------------------------------------


def renders_for_everyone(request: HttpRequest | None) -> bool:
    """Whether the page being rendered may be stored and sent to every anonymous visitor (then
    it must hold nothing of this visitor's: no CSRF token, no cookie)."""
    return getattr(request, "_page_cache_shared_render", False)


def eligible(request: HttpRequest) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES or "messages" in request.COOKIES:
        return False
    if request.path.startswith(SKIPPED_PREFIXES):
        return False
    for name, values in request.GET.lists():
        if name not in ALLOWED_PARAMS or len(values) != 1 or len(values[0]) > 20:
            return False
    return True


def cache_key(request: HttpRequest) -> str:
    parts = [
        request.get_host(),
        request.path,
        "&".join(f"{k}={v}" for k, v in sorted(request.GET.items())),
        translation.get_language() or "",
        "linkset" if LINKSET_TYPE in request.headers.get("Accept", "") else "",
    ]
    return ENTRY_PREFIX + hashlib.sha256("\n".join(parts).encode()).hexdigest()


def lookup(key: str) -> dict | None:
    """The stored page under `key` if none of its tags changed since it began to render."""
    cache = _cache()
    entry = cache.get(key)
    if not entry:
        return None
    times = cache.get_many([TAG_PREFIX + t for t in entry["tags"]])
    if len(times) < len(entry["tags"]):
        return None
    skew = getattr(settings, "PAGE_CACHE_CLOCK_SKEW", 1.0)
    if times and max(times.values()) >= entry["started"] - skew:
        return None
    return entry


def _seconds_to_midnight() -> int:
    now = timezone.localtime()
    midnight = dt.datetime.combine(
        now.date() + dt.timedelta(days=1), dt.time.min, tzinfo=now.tzinfo
    )
    return max(1, int((midnight - now).total_seconds()))


def _shareable(request: HttpRequest, response: HttpResponse) -> bool:
    if not getattr(request, "_page_cache_ok", False) or response.streaming:
        return False
    if response.status_code not in STORED_STATUSES or response.cookies:
        return False
    control = response.get("Cache-Control", "").lower()
    if any(word in control for word in ("private", "no-store", "no-cache")):
        return False
    session = getattr(request, "session", None)
    return not (session is not None and getattr(session, "modified", False))


def store(request: HttpRequest, response: HttpResponse, key: str, started: float) -> bool:
    """Keep `response` for the next anonymous visitor; return whether it was stored."""
    if not _shareable(request, response):
        return False
    body = response.content
    body, tokens = CSRF_INPUT.subn(rb"\1" + CSRF_PLACEHOLDER + rb"\2", body)
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE") and not tokens:
        return False  # a token was used somewhere we cannot recognise: never share it
    _decorate(response, body, tokens > 0, started)
    cache = _cache()
    tags = sorted(getattr(request, "_page_cache_tags", {SITE}))
    # A tag never touched yet gets a time before this render, so the page counts as fresh.
    for name in tags:
        cache.add(TAG_PREFIX + name, started - 3600, timeout=None)
    entry = {
        "started": started,
        "tags": tags,
        "status": response.status_code,
        "headers": [(k, v) for k, v in response.items() if k.lower() != "set-cookie"],
        "body": body,
        "csrf": tokens > 0,
        # Compressed once here rather than by GZipMiddleware on every hit (no secret inside).
        "gzip": compress_string(body) if tokens == 0 and len(body) > 200 else None,
        "br": compress_brotli(body) if tokens == 0 and len(body) > 200 else None,
    }
    timeout = min(getattr(settings, "PAGE_CACHE_TIMEOUT", 3600), _seconds_to_midnight())
    cache.set(key, entry, timeout)
    return True


def _decorate(response: HttpResponse, body: bytes, csrf: bool, started: float) -> None:
    """Validators and freshness for browsers and CDNs, the same on a miss as on a hit."""
    response["ETag"] = f'"{hashlib.md5(body, usedforsecurity=False).hexdigest()}"'
    response["Last-Modified"] = http_date(int(started))
    if csrf:  # the page carries this visitor's token: only their browser may keep it
        patch_cache_control(response, private=True, no_cache=True)
    elif "Cache-Control" not in response:
        patch_cache_control(response, **PUBLIC_CACHE_CONTROL)


def respond(request: HttpRequest, entry: dict) -> HttpResponse:
    body = entry["body"]
    if entry["csrf"]:
        body = body.replace(CSRF_PLACEHOLDER, get_token(request).encode())
    coding = None
    if entry.get("br") and accepts(request, "br"):
        coding = "br"
    elif entry.get("gzip") and ACCEPTS_GZIP.search(request.headers.get("Accept-Encoding", "")):
        coding = "gzip"
    response = HttpResponse(entry[coding] if coding else body, status=entry["status"])
    for name, value in entry["headers"]:
        response[name] = value
    if coding:
        response["Content-Encoding"] = coding
        response["ETag"] = "W/" + response["ETag"].removeprefix("W/")
        patch_vary_headers(response, ("Accept-Encoding",))
    response["X-Page-Cache"] = "hit"
    return response


# --- Middleware -------------------------------------------------------------------------------


class PageCacheMiddleware:
    """Serve and keep whole pages; sits after CsrfViewMiddleware (which sets the CSRF cookie
    of a visitor whose token a placeholder hit used) and before AuthenticationMiddleware (hits
    need no user)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not enabled() or not eligible(request):
            return self.get_response(request)
        key = cache_key(request)
        started = time.time()
        try:
            entry = lookup(key)
        except Exception:
            logger.exception("Page cache lookup failed")
            return self.get_response(request)
        if entry is not None:
            return respond(request, entry)
        request._page_cache_shared_render = True  # type: ignore[attr-defined]
        response = self.get_response(request)
        try:
            if store(request, response, key, started):
                response["X-Page-Cache"] = "miss"
        except Exception:
            logger.exception("Page cache store failed")
        return response
