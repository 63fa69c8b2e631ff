"""Non-prefixed URLs: the GS1 Digital Link resolver, short codes, the resolver description."""

from django.urls import path, re_path

from traceability import views

app_name = "traceability"

urlpatterns = [
    re_path(r"^01/(?P<rest>.*)$", views.resolve_digital_link, name="digital_link"),
    path("q/<str:code>", views.resolve_short_code, name="short"),
    path("q/<str:code>/<str:serial>", views.resolve_short_code, name="short_serial"),
    path("epcis/<str:code>.jsonld", views.epcis_document, name="epcis"),
    path(".well-known/gs1resolver", views.resolver_description, name="resolver_description"),
]
