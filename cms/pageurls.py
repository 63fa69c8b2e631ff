"""A page's URL worked out once per request, however many links to it the page shows.

Wagtail works each `pageurl`/`fullpageurl`/`get_full_url` out from scratch (the site root
paths, then `reverse()` under the page's language); a product page links to itself five times
(canonical, hreflang, JSON-LD, share tags) and to its producer twice. The answer depends only
on the page's tree position, the active language and the request's site, so it is kept on the
request (never beyond it). A leaf module: it imports nothing of the project.
"""

from __future__ import annotations

from django.utils import translation


class UrlPartsPerRequestMixin:
    """For page models: `get_url_parts()` answered once per request for each page and language."""

    def get_url_parts(self, request=None):
        if request is None:
            return super().get_url_parts(request)
        memo = request.__dict__.setdefault("_page_url_parts", {})
        key = (self.pk, self.url_path, translation.get_language())
        if key not in memo:
            memo[key] = super().get_url_parts(request)
        return memo[key]
