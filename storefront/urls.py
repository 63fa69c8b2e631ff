"""Language-prefixed shop URLs (/vi/gio-hang/, /en/gio-hang/ …)."""

from django.urls import path

from storefront import views

app_name = "storefront"

urlpatterns = [
    path("gio-hang/", views.cart_view, name="cart"),
    path("gio-hang/them/", views.add_to_cart_view, name="add"),
    path("gio-hang/ma-bao-ve/", views.csrf_cookie_view, name="csrf"),
    path("gio-hang/cap-nhat/", views.update_cart_view, name="update"),
    path("thanh-toan/", views.checkout_view, name="checkout"),
    path("don-hang/<str:token>/", views.order_view, name="order"),
    path("don-hang/<str:token>/tra-bang-the/", views.order_pay_view, name="order_pay"),
]
