"""Language-prefixed URLs: /vi/dang-ky-co-so/ (and /en/dang-ky-co-so/)."""

from django.urls import path

from registration import views

app_name = "registration"

urlpatterns = [
    path("dang-ky-co-so/", views.apply_view, name="apply"),
    path("dang-ky-co-so/<str:token>/", views.status_view, name="status"),
]
