from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StorefrontConfig(AppConfig):
    name = "storefront"
    verbose_name = _("Storefront")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from storefront.cart import attach_cart_on_login

        # Django's own login signal is the entry point: the guest cart follows the shopper.
        user_logged_in.connect(attach_cart_on_login, dispatch_uid="storefront_cart_on_login")
