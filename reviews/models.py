"""Verified-purchase reviews: one per line of a delivered order, moderated before it is shown.

Proof of purchase is the order itself (its unguessable link, or the signed-in account that
placed it): a review points at the order line it reviews, so there is no review without an
order and never two for one line. Moderation rule: pre-moderation. A new or edited review is
`pending` and shown to nobody but its author until an officer approves it; officers may hide it
again (with a reason). The producer's editors may answer reviews of their own products.
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cms.status_events import StatusEvent

BODY_MAX = 2000
REPLY_MAX = 2000
NAME_MAX = 60


class ReviewStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting moderation")
    APPROVED = "approved", _("Shown")
    HIDDEN = "hidden", _("Hidden")


class ReviewQuerySet(models.QuerySet):
    def visible(self) -> ReviewQuerySet:
        return self.filter(status=ReviewStatus.APPROVED)


class Review(models.Model):
    producer_scope_field = "producer"

    order_line = models.OneToOneField(
        "storefront.OrderLine",
        verbose_name=_("order line"),
        on_delete=models.CASCADE,
        related_name="review",
        editable=False,
    )
    order = models.ForeignKey(
        "storefront.Order",
        verbose_name=_("order"),
        on_delete=models.CASCADE,
        related_name="reviews",
        editable=False,
    )
    # The source (Vietnamese) product page: its English alias shows the same reviews.
    product = models.ForeignKey(
        "catalog.ProductPage",
        verbose_name=_("product"),
        on_delete=models.CASCADE,
        related_name="reviews",
        editable=False,
    )
    producer = models.ForeignKey(
        "catalog.Producer",
        verbose_name=_("producer"),
        on_delete=models.PROTECT,
        related_name="reviews",
        editable=False,
    )
    rating = models.PositiveSmallIntegerField(
        _("rating"),
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        editable=False,
    )
    body = models.TextField(_("review"), max_length=BODY_MAX, blank=True, editable=False)
    author_name = models.CharField(_("name shown"), max_length=NAME_MAX, editable=False)
    language = models.CharField(_("language"), max_length=8, default="vi", editable=False)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ReviewStatus.choices,
        default=ReviewStatus.PENDING,
    )
    moderation_reason = models.CharField(_("reason"), max_length=255, blank=True)
    moderated_at = models.DateTimeField(_("moderated at"), null=True, blank=True, editable=False)
    reply = models.TextField(_("producer's answer"), max_length=REPLY_MAX, blank=True)
    replied_at = models.DateTimeField(_("answered at"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("written at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("changed at"), default=timezone.now, editable=False)

    objects = ReviewQuerySet.as_manager()

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["product", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rating__gte=1, rating__lte=5), name="review_rating_1_to_5"
            )
        ]

    def __str__(self) -> str:
        return f"{self.rating}★ {self.author_name}"

    @property
    def is_visible(self) -> bool:
        return self.status == ReviewStatus.APPROVED


class ReviewEvent(StatusEvent):
    """Append-only history of a review: written, edited, approved, hidden, answered (the
    moderation status before and after each, like an order's or a problem report's)."""

    producer_scope_field = "review__producer"

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="events")

    def __str__(self) -> str:
        return f"{self.kind} {self.created_at:%Y-%m-%d}"
