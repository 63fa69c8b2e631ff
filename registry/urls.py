"""Language-prefixed URLs of the registry and the statistics (/vi/ocop/, /en/thong-ke/ …)."""

from django.urls import path

from registry import views

app_name = "registry"

urlpatterns = [
    path("ocop/", views.registry_page, name="registry"),
    path("ocop/danh-sach.csv", views.registry_csv, name="registry_csv"),
    path("ocop/danh-sach.xlsx", views.registry_xlsx, name="registry_xlsx"),
    path("thong-ke/", views.statistics_page, name="statistics"),
    path("thong-ke/<slug:figure>.csv", views.statistics_csv, name="statistics_csv"),
]
