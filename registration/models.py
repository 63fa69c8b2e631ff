"""A producer's application to join the site, made on the public site without an account."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from catalog.addresses import AdministrativeAddressMixin, province_choices
from catalog.models import ProducerType


def new_token() -> str:
    return secrets.token_urlsafe(32)


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for verification")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class ProducerRequest(AdministrativeAddressMixin, models.Model):
    """Officers only (no `producer_scope_field`): it belongs to no producer until approved.

    The status moves only through `registration.services` (TRANSITIONS); each move is in the
    audit log (cms.audit)."""

    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    name = models.CharField(_("legal name"), max_length=255)
    kind = models.CharField(_("type"), max_length=3, choices=ProducerType.choices)
    tax_code = models.CharField(_("tax code"), max_length=14)
    province_code = models.PositiveSmallIntegerField(_("province"), choices=province_choices)
    ward_code = models.PositiveIntegerField(_("commune / ward"))
    street_address = models.CharField(_("street address"), max_length=255, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=120)
    phone = models.CharField(_("phone"), max_length=20)
    email = models.EmailField(_("e-mail"))
    language = models.CharField(_("language"), max_length=8, default="vi")
    status = models.CharField(
        _("status"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.PENDING
    )
    reason = models.TextField(_("reason for rejection"), blank=True)
    producer = models.ForeignKey(
        "catalog.Producer",
        verbose_name=_("producer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("received"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("producer registration")
        verbose_name_plural = _("producer registrations")
        ordering = ["-created_at"]
        constraints = [
            # One pending application per tax code (stored in one spelling, catalog.tax_codes).
            models.UniqueConstraint(
                fields=["tax_code"],
                condition=Q(status="pending"),
                name="registration_one_pending_per_tax_code",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.tax_code})"

    def get_absolute_url(self) -> str:
        with translation.override(self.language):
            return reverse("registration:status", args=[self.token])
