"""Language-prefixed URLs of the apps (search page, cart, checkout, scan pages).

Each app adds one include line here.
"""

from django.urls import include, path

urlpatterns: list = [
    path("", include("storefront.urls")),
    path("", include("catalog.search.urls")),
    path("", include("traceability.i18n_urls")),
    path("", include("accounts.urls")),
    path("", include("places.urls")),
    path("", include("registry.urls")),
    path("", include("registration.urls")),
    path("", include("reviews.urls")),
]
