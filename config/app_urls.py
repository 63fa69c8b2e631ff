"""URLs without a language prefix (GS1 Digital Link resolver, webhooks, JSON APIs).

Each app adds one include line here.
"""

from django.urls import include, path

urlpatterns: list = [
    path("", include("storefront.webhook_urls")),
    path("", include("traceability.urls")),
    path("", include("opendata.urls")),
]
