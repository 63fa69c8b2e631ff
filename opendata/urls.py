"""Unprefixed machine URLs of the open data API."""

from django.urls import path, re_path

from opendata import views
from opendata.api import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("api/openapi.json", views.openapi_document, name="opendata_openapi"),
    path("api/docs/", views.docs_page, name="opendata_docs"),
    # Anything else under /api/ (even a path with a line break in it): a JSON 404, not a page.
    re_path(r"^api/[\s\S]*\Z", views.not_found),  # [\s\S]: Django cannot reverse (?s)
]
