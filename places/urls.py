"""Language-prefixed URLs: sales points by province (Vietnamese slugs in both languages)."""

from django.urls import path

from places import views

app_name = "places"

urlpatterns = [
    path("diem-ban/", views.index, name="index"),
    path("diem-ban/<slug:slug>/", views.province, name="province"),
]
