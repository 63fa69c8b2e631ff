"""Language-prefixed account URLs (/vi/tai-khoan/, /en/tai-khoan/ …)."""

from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("tai-khoan/", views.account_view, name="account"),
    path("tai-khoan/dang-nhap/", views.sign_in_view, name="sign_in"),
    path("tai-khoan/dang-ky/", views.sign_up_view, name="sign_up"),
    path("tai-khoan/dang-xuat/", views.sign_out_view, name="sign_out"),
    path("tai-khoan/lien-ket/<str:token>/", views.link_view, name="link"),
    path("tai-khoan/email/", views.add_email_view, name="add_email"),
    path("tai-khoan/don-hang/<str:reference>/dat-lai/", views.reorder_view, name="reorder"),
    path("tai-khoan/dia-chi/", views.addresses_view, name="addresses"),
    path("tai-khoan/dia-chi/<int:pk>/xoa/", views.address_delete_view, name="address_delete"),
    path(
        "tai-khoan/dia-chi/<int:pk>/mac-dinh/", views.address_default_view, name="address_default"
    ),
]
