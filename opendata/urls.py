"""Unprefixed machine URLs of the open data API.

The API (django-ninja, pydantic) is imported by the first request under /api/v1/ and never by a
worker that only shows pages: `LazyAPIURLs` hands Django its URL patterns on demand. Django
reads a namespaced resolver's patterns only to resolve a path under it or to reverse one of its
names (`opendata:…`), so loading the URLconf or reversing any other name leaves it alone.
"""

from django.urls import path, re_path

from opendata import views


class LazyAPIURLs:
    """The URL patterns of `opendata.api.api`, built when Django first asks for them."""

    @property
    def urlpatterns(self):
        from opendata.api import api

        patterns, _app_name, _namespace = api.urls
        return patterns


urlpatterns = [
    # (patterns, app name, namespace), as `api.urls` gives them (app "ninja", urls_namespace).
    path("api/v1/", (LazyAPIURLs(), "ninja", "opendata")),
    path("api/openapi.json", views.openapi_document, name="opendata_openapi"),
    path("api/docs/", views.docs_page, name="opendata_docs"),
    # Anything else under /api/ (even a path with a line break in it): a JSON 404, not a page.
    re_path(r"^api/[\s\S]*\Z", views.not_found),  # [\s\S]: Django cannot reverse (?s)
]
