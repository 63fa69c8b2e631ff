"""A URLconf without i18n patterns, set on error responses of the non-prefixed resolver so
LocaleMiddleware leaves their 404 alone (see `traceability.views.error_page`)."""

from django.urls import include, path

urlpatterns = [path("", include("traceability.urls"))]
