"""Language-prefixed URLs: the scan page of a batch or of one per-unit serial."""

from django.urls import path

from traceability import report_views, views

app_name = "traceability_pages"

urlpatterns = [
    path("truy-xuat/<str:code>/", views.scan_page, name="scan"),
    path("truy-xuat/<str:code>/bao-loi/", views.report, name="report"),
    path("truy-xuat/<str:code>/s/<str:serial>/", views.serial_page, name="serial"),
    path("phan-anh/<str:token>/", report_views.report_status, name="report_status"),
    path(
        "truy-xuat/<str:code>/s/<str:serial>/vi-tri/",
        views.share_location,
        name="share_location",
    ),
]
