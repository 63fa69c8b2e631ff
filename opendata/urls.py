"""Unprefixed machine URLs of the open data API.

The API (django-ninja, pydantic) is imported by the first request under /api/v1/ and never by a
worker that only shows pages: `LazyAPIURLs` hands Django its URL patterns on demand. Django's
first reverse() of any name fills the root resolver's tables, and that visits every included
resolver, namespaced ones too (`URLResolver._populate`); `LazyAPIResolver` lets that visit
pass and fills its own tables only when a path under it is resolved or one of its names
(`opendata:…`) is reversed.
"""

from django.urls import URLResolver, path, re_path
from django.urls.resolvers import RoutePattern

from opendata import views


class LazyAPIURLs:
    """The URL patterns of `opendata.api.api`, built when Django first asks for them."""

    @property
    def urlpatterns(self):
        from opendata.api import api

        patterns, _app_name, _namespace = api.urls
        return patterns


class LazyAPIResolver(URLResolver):
    """A namespaced resolver that the root resolver's first reverse() leaves unread."""

    _wanted = False

    def _populate(self) -> None:
        if self._wanted:
            super()._populate()

    def _want(self) -> None:
        if not self._wanted:
            self._wanted = True
            super()._populate()

    @property
    def reverse_dict(self):
        self._want()
        return super().reverse_dict

    @property
    def namespace_dict(self):
        self._want()
        return super().namespace_dict

    @property
    def app_dict(self):
        self._want()
        return super().app_dict

    def _reverse_with_prefix(self, *args, **kwargs):
        self._want()
        return super()._reverse_with_prefix(*args, **kwargs)


urlpatterns = [
    # App "ninja" and namespace as `api.urls` gives them (urls_namespace "opendata").
    LazyAPIResolver(RoutePattern("api/v1/"), LazyAPIURLs(), app_name="ninja", namespace="opendata"),
    path("api/openapi.json", views.openapi_document, name="opendata_openapi"),
    path("api/docs/", views.docs_page, name="opendata_docs"),
    # Anything else under /api/ (even a path with a line break in it): a JSON 404, not a page.
    re_path(r"^api/[\s\S]*\Z", views.not_found),  # [\s\S]: Django cannot reverse (?s)
]
