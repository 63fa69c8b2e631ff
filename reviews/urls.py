"""Language-prefixed review pages (/vi/danh-gia/…, /en/danh-gia/…)."""

from django.urls import path

from reviews import views

app_name = "reviews"

urlpatterns = [
    path("danh-gia/don-hang/<str:token>/", views.order_reviews_view, name="order"),
    path("danh-gia/cua-toi/", views.my_reviews_view, name="mine"),
]
