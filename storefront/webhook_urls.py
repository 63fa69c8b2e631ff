"""URLs without a language prefix: the Stripe webhook endpoint."""

from django.urls import path

from storefront import views

app_name = "storefront_webhooks"

urlpatterns = [
    path("stripe/webhook/", views.stripe_webhook_view, name="stripe"),
]
