from django.urls import path

from catalog.search import views

app_name = "search"

urlpatterns = [
    path("tim-kiem/", views.search_page, name="results"),
    path("tim-kiem/api/", views.search_json, name="api"),
    path("tim-kiem/goi-y/", views.suggest_json, name="suggest"),
]
