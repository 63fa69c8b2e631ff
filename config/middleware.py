"""Middleware of the project."""

from __future__ import annotations

from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.utils import translation
from django.utils.cache import patch_vary_headers


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Django's LocaleMiddleware, except for 404s of URLs outside `i18n_patterns`.

    Django redirects any 404 of an unprefixed path to its `/vi/…` form when that form would
    resolve, and Wagtail's catch-all resolves every path: a 404 from the admin, the GS1
    resolver or a webhook would become a redirect to a page that 404s again. When the path
    matched a view (`request.resolver_match`), that view's 404 is the answer and stays one;
    unknown paths (old links without a language) are still redirected.
    """

    def process_response(self, request, response):
        matched = getattr(request, "resolver_match", None) is not None
        if response.status_code != 404 or not matched:
            return super().process_response(request, response)
        # What Django does for a response it does not redirect: unprefixed, so it varies.
        patch_vary_headers(response, ("Accept-Language",))
        response.headers.setdefault("Content-Language", translation.get_language())
        return response
