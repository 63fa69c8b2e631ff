"""The one definition of a certificate's registry status (in force, expiring, expired, revoked).

Everything that shows or counts a status (registry page, statistics, exports, API) annotates its
queryset with `status_expression()`; nothing computes a status another way. The boundaries follow
`catalog.models.CertificateQuerySet.in_force`: a certificate is in force through its expiry date.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Case, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalog.models import MIN_CERTIFIED_STARS

EXPIRING_WITHIN_DAYS = 90


class RegistryStatus(models.TextChoices):
    IN_FORCE = "in-force", _("In force")
    EXPIRING = "expiring", _("Expiring within 90 days")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")


IN_FORCE_STATUSES = (RegistryStatus.IN_FORCE.value, RegistryStatus.EXPIRING.value)


def status_expression(on: dt.date | None = None) -> Case:
    """SQL computing the status on `on` (today by default) for a Certificate queryset."""
    on = on or timezone.localdate()
    return Case(
        When(revoked_at__isnull=False, then=Value(RegistryStatus.REVOKED.value)),
        When(expires_on__lt=on, then=Value(RegistryStatus.EXPIRED.value)),
        When(
            expires_on__lte=on + dt.timedelta(days=EXPIRING_WITHIN_DAYS),
            then=Value(RegistryStatus.EXPIRING.value),
        ),
        default=Value(RegistryStatus.IN_FORCE.value),
        output_field=models.CharField(),
    )


def with_status(queryset: models.QuerySet, on: dt.date | None = None) -> models.QuerySet:
    """`queryset` with `registry_status` on every row."""
    return queryset.annotate(registry_status=status_expression(on))


def status_label(status: str) -> str:
    return str(RegistryStatus(status).label)


def shows_badge(status: str, stars: int) -> bool:
    """The OCOP mark only while recognition is in force, and only for 3★ and above."""
    return status in IN_FORCE_STATUSES and stars >= MIN_CERTIFIED_STARS
