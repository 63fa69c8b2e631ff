"""Optional shopper accounts: a profile beside Django's user, one-use e-mail links, addresses.

A shopper is a plain `auth.User` with a `ShopperProfile`: never staff, never in a group, no
permission, so the Wagtail admin stays closed to them. Orders and carts point at the user
through the foreign keys storefront already has (`Order.user`, `Cart.user`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalog.addresses import AdministrativeAddressMixin


class ShopperProfile(models.Model):
    """What a shopper signs in with: a verified e-mail, a phone number (with a password)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="shopper"
    )
    # Set only once the shopper opened a link sent there: guest orders join on it.
    email = models.EmailField(_("e-mail"), unique=True, null=True, blank=True)
    # E.164 (+84…). Never verified (no SMS gateway): it signs in, it never joins orders.
    phone = models.CharField(_("phone"), max_length=20, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("shopper")
        verbose_name_plural = _("shoppers")

    def __str__(self) -> str:
        return self.email or self.phone or str(self.user_id)


class LinkPurpose(models.TextChoices):
    SIGN_IN = "sign_in", _("Sign in")
    VERIFY = "verify", _("Verify an e-mail address")


class EmailLink(models.Model):
    """One e-mailed link. The URL carries a signed (id, nonce); this row makes it one-use."""

    email = models.EmailField()
    purpose = models.CharField(max_length=10, choices=LinkPurpose.choices)
    # VERIFY: the account adding this address. SIGN_IN: none (the address finds the account).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE
    )
    nonce_hash = models.CharField(max_length=64)
    language = models.CharField(max_length=8, default="vi")
    created_at = models.DateTimeField(default=timezone.now)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.purpose} {self.email}"


class SavedAddress(AdministrativeAddressMixin, models.Model):
    """A delivery address in the 2025 units (province → commune/ward), offered at checkout."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_addresses"
    )
    name = models.CharField(_("name"), max_length=120)
    phone = models.CharField(_("phone"), max_length=20)
    province_code = models.PositiveSmallIntegerField(_("province"))
    ward_code = models.PositiveIntegerField(_("commune / ward"))
    street_address = models.CharField(_("street address"), max_length=255)
    is_default = models.BooleanField(_("default"), default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("saved address")
        verbose_name_plural = _("saved addresses")
        ordering = ["-is_default", "-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name}, {self.address}"
