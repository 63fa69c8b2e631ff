"""Rows every public request reads and officers almost never change, kept in each worker.

Wagtail looks up the request's `Site` with one query per request (a CASE-ranked query over
hostname, port and the default flag, plus its root page), and the public rule for scan pages
asks which pages sit behind a view restriction; Wagtail then fetches the site's home page to
route from it. Sites and restrictions change only when an officer edits a site, a restriction,
a slug or moves a page: the changes that void every cached page (`SITE`, cms/invalidation.py);
the home page changes when it is published (its page tag). So each worker keeps its own copy
and checks, once per request, the times at which those tags last changed in the shared cache
(`cms.pagecache`, the same check that keeps cached pages exact); a newer time, or none,
reloads the copy. A leaf module: it imports nothing
of the project above `cms.pagecache`.
"""

from __future__ import annotations

import logging
import pickle
import threading
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.http.request import split_domain_port
from wagtail.models import PageViewRestriction, Site

from cms import pagecache

logger = logging.getLogger(__name__)
_lock = threading.Lock()
_request = threading.local()  # the copy checked once for the request this thread serves
SITE_KEY = pagecache.TAG_PREFIX + pagecache.SITE
LISTING_KEY = pagecache.TAG_PREFIX + pagecache.LISTING
_listed: dict[str, tuple[tuple, Any]] = {}  # name → (the SITE and LISTING times, value)
_memo: dict[str, Any] = {"keys": [SITE_KEY], "version": None, "sites": b"", "restricted": ()}


def _load() -> tuple[list[Site], tuple[str, ...]]:
    sites = list(Site.objects.select_related("root_page").order_by("pk"))
    for site in sites:  # the home page as Wagtail will route from it: no query per request
        site.root_page = site.root_page.specific
        site.root_page.locale  # noqa: B018 (kept with it: HomePage.localized_draft reads it)
    restricted = tuple(PageViewRestriction.objects.values_list("page__path", flat=True).distinct())
    return sites, restricted


def _reload(cache) -> None:
    """Read the change times first, then the rows: a change committed in between leaves a
    newer time behind it, so the next request reloads again."""
    sites, _restricted = _load()
    keys = [SITE_KEY] + [
        pagecache.TAG_PREFIX + pagecache.page_tag(site.root_page.translation_key) for site in sites
    ]
    for key in [*keys, LISTING_KEY]:  # as pagecache.store does for a tag never touched
        cache.add(key, time.time() - 3600, timeout=None)
    times = cache.get_many(keys)
    sites, restricted = _load()
    _memo.update(
        keys=keys,
        version=tuple(times.get(key) for key in keys),
        sites=pickle.dumps(sites),
        restricted=restricted,
    )


def _current() -> dict[str, Any]:
    """The copy: the one `SiteMiddleware` checked for this request, else checked now."""
    return getattr(_request, "memo", None) or _read()


def _read() -> dict[str, Any]:
    try:
        return _checked()
    except Exception:  # the shared cache being down must not take pages down: read the rows
        logger.exception("Shared cache unreadable: Sites and view restrictions read again")
        sites, restricted = _load()
        return {"sites": pickle.dumps(sites), "restricted": restricted}


def _checked() -> dict[str, Any]:
    """The copy, checked against the times at which `SITE` and each site's home page last
    changed (one read of the shared cache)."""
    cache = pagecache._cache()
    keys = _memo["keys"]
    times = cache.get_many([*keys, LISTING_KEY])
    version = tuple(times.get(key) for key in keys)
    if None in version or version != _memo["version"]:
        with _lock:
            _reload(cache)
    # What `listed()` values are checked against; read in the same cache read. Another
    # thread may set a newer pair before this request reads it: values are then loaded after
    # that newer check, so they are never older than the pair they are stored with.
    _memo["listed"] = (times.get(SITE_KEY), times.get(LISTING_KEY))
    return _memo


def listed(name: str, load: Callable[[], Any]) -> Any:
    """A value worked out from what the catalogue lists (the OCOP groups, the provinces with
    producers), kept in this worker until a listed or site-wide change is recorded (`LISTING`,
    `SITE`: cms/invalidation.py, catalog/invalidation.py); else `load()` again. The browse links
    and facet labels of every listing and of the home page, without their queries. The value
    is shared by every request of the worker: treat it as read-only."""
    version = _current().get("listed")
    if version is None or None in version:  # the shared cache could not say: read the rows
        return load()
    found = _listed.get(name)
    if found is not None and found[0] == version:
        return found[1]
    value = load()
    _listed[name] = (version, value)
    return value


def find_site(hostname: str, port: Any) -> Site | None:
    """What `wagtail.models.sites.get_site_for_hostname` answers, without a query.

    A fresh copy each call: Wagtail caches things on the Site and its root page (`.specific`,
    `.localized`) that must not outlive the request."""
    sites: list[Site] = pickle.loads(_current()["sites"])
    try:
        port = int(port)
    except (TypeError, ValueError):
        port = None

    def rank(site: Site) -> int:
        if site.hostname == hostname and site.port == port:
            return 0
        if site.hostname == hostname and site.is_default_site:
            return 1
        return 2 if site.is_default_site else 3

    ranked = sorted((s for s in sites if s.hostname == hostname or s.is_default_site), key=rank)
    if not ranked:
        return None
    if len(ranked) == 1 or rank(ranked[0]) in (0, 1):
        return ranked[0]
    if rank(ranked[0]) == 2:
        return ranked[len(ranked) == 2]
    return None


def site_for_request(request: HttpRequest) -> Site | None:
    hostname = split_domain_port(request._get_raw_host())[0]  # as Wagtail: no ALLOWED_HOSTS
    return find_site(hostname, request.get_port())


def is_restricted(path: str) -> bool:
    """Whether the page at this tree `path` (or an ancestor) has a view restriction."""
    return any(path.startswith(restricted) for restricted in _current()["restricted"])


class KnownViewRestrictionsMixin:
    """For page models: Wagtail checks a page's view restrictions on every view with two
    queries (the ancestors, then the restrictions); while the site has none, the answer is
    known without them. With any restriction anywhere, Wagtail's own look-up runs."""

    def get_view_restrictions(self):
        if not _current()["restricted"]:
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()


class SiteMiddleware:
    """Hands Wagtail the request's Site (`Site.find_for_request` reads `request._wagtail_site`)
    on the public, language-prefixed pages; other paths (admin, robots.txt, the resolver) look
    it up as Wagtail does, if they need it at all."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response
        self.prefixes = tuple(f"/{code}/" for code, _name in settings.LANGUAGES)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path_info.startswith(self.prefixes):
            return self.get_response(request)
        # One check of the shared cache for the whole request: the Site, the view
        # restrictions of the page served and the scan page's public rule all read this copy.
        _request.memo = _read()
        try:
            request._wagtail_site = site_for_request(request)  # type: ignore[attr-defined]
            return self.get_response(request)
        finally:
            _request.memo = None
