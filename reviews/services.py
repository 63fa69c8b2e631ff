"""Review rules: who may review what, moderation moves, producers' answers, the rating shown."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Avg, Count
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.models import ProductPage
from reviews.models import BODY_MAX, NAME_MAX, REPLY_MAX, Review, ReviewEvent, ReviewStatus
from storefront.models import Order, OrderLine, OrderStatus

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractUser

# Only an order the carrier handed over may be reviewed; cancelled, refunded or not yet
# delivered orders may not (tests/reviews enumerate every status).
REVIEWABLE_ORDER_STATUSES = frozenset({OrderStatus.DELIVERED})

# Moderation moves an officer may make (the status field of the admin form).
MODERATION = {
    ReviewStatus.PENDING: frozenset({ReviewStatus.APPROVED, ReviewStatus.HIDDEN}),
    ReviewStatus.APPROVED: frozenset({ReviewStatus.HIDDEN}),
    ReviewStatus.HIDDEN: frozenset({ReviewStatus.APPROVED}),
}


class ReviewError(Exception):
    """A review cannot be written or changed; `message` is for the person who tried."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


def order_is_reviewable(order: Order) -> bool:
    return order.status in REVIEWABLE_ORDER_STATUSES


def orders_of(user: AbstractUser) -> Any:
    """Delivered orders placed while signed in to this account, newest first."""
    if not user.is_authenticated:
        return Order.objects.none()
    return Order.objects.filter(user=user, status__in=REVIEWABLE_ORDER_STATUSES)


def _product_of(line: OrderLine) -> ProductPage | None:
    """The source product page the line's variant belongs to (None if it was removed)."""
    if line.variant_id is not None:
        return ProductPage.objects.filter(variants__pk=line.variant_id).first()
    if line.product_id_snapshot:
        return ProductPage.objects.filter(pk=line.product_id_snapshot).first()
    return None


@dataclass
class ReviewableLine:
    line: OrderLine
    product: ProductPage | None
    review: Review | None = None
    errors: dict[str, list[str]] = field(default_factory=dict)


def reviewable_lines(order: Order) -> list[ReviewableLine]:
    lines = list(order.lines.all())
    reviews = {r.order_line_id: r for r in Review.objects.filter(order=order)}
    return [ReviewableLine(line, _product_of(line), reviews.get(line.pk)) for line in lines]


def _clean_text(value: str, limit: int, label: str) -> str:
    text = (value or "").replace("\r\n", "\n").strip()
    if "\x00" in text:
        raise ReviewError(_("The text contains a character that cannot be saved."))
    if len(text) > limit:
        raise ReviewError(
            _("%(field)s: at most %(limit)d characters (you wrote %(count)d).")
            % {"field": label, "limit": limit, "count": len(text)}
        )
    return text


@transaction.atomic
def submit_review(
    line: OrderLine, *, rating: Any, body: str, author_name: str, language: str = "vi"
) -> Review:
    """Write (or rewrite) the review of one line of a delivered order; it awaits moderation.

    Steps: lock the order; refuse unless it is delivered and the product still exists; check
    rating and lengths; create the line's review or replace its text (back to pending).
    """
    order = Order.objects.select_for_update().get(pk=line.order_id)
    if not order_is_reviewable(order):
        raise ReviewError(_("Only a delivered order can be reviewed."))
    product = _product_of(line)
    if product is None:
        raise ReviewError(_("This product is no longer sold and cannot be reviewed."))
    try:
        stars = int(rating)
    except (TypeError, ValueError):
        stars = 0
    if not 1 <= stars <= 5:
        raise ReviewError(_("Choose a rating from 1 to 5 stars."))
    text = _clean_text(body, BODY_MAX, _("Review"))
    name = _clean_text(author_name, NAME_MAX, _("Name shown")) or _("A shopper")
    now = timezone.now()
    review = Review.objects.select_for_update().filter(order_line=line).first()
    kind = "edited" if review is not None else "written"
    before = review.status if review is not None else ""
    if review is None:
        review = Review(order_line=line, order=order, created_at=now)
    review.product = product
    review.producer_id = product.producer_id
    review.rating, review.body, review.author_name = stars, text, name
    review.language = language[:8]
    review.status = ReviewStatus.PENDING
    review.updated_at = now
    review.save()
    ReviewEvent.objects.create(
        review=review, kind=kind, from_status=before, to_status=review.status, note=f"{stars}★"
    )
    return review


@transaction.atomic
def moderate_review(
    review: Review, status: str, *, user: AbstractUser | None, reason: str = ""
) -> Review:
    """Show or hide a review; hiding needs a reason (kept in the review's history)."""
    review = Review.objects.select_for_update().get(pk=review.pk)
    if status == review.status:
        if reason and reason != review.moderation_reason:
            review.moderation_reason = reason[:255]
            review.save(update_fields=["moderation_reason"])
        return review
    if status not in MODERATION.get(review.status, frozenset()):
        raise ReviewError(
            _("A review that is “%(current)s” cannot become “%(wanted)s”.")
            % {
                "current": ReviewStatus(review.status).label,
                "wanted": ReviewStatus(status).label if status in ReviewStatus.values else status,
            }
        )
    reason = (reason or "").strip()
    if status == ReviewStatus.HIDDEN and not reason:
        raise ReviewError(_("Say why the review is hidden."))
    before = review.status
    review.status = status
    review.moderation_reason = reason[:255]
    review.moderated_at = timezone.now()
    review.save(update_fields=["status", "moderation_reason", "moderated_at"])
    ReviewEvent.objects.create(
        review=review,
        kind=status,
        from_status=before,
        to_status=status,
        note=reason[:255],
        user=user,
    )
    return review


@transaction.atomic
def answer_review(review: Review, text: str, *, user: AbstractUser | None) -> Review:
    """The producer's public answer (empty removes it)."""
    review = Review.objects.select_for_update().get(pk=review.pk)
    answer = _clean_text(text, REPLY_MAX, _("Answer"))
    if answer == review.reply:
        return review
    review.reply = answer
    review.replied_at = timezone.now() if answer else None
    review.save(update_fields=["reply", "replied_at"])
    ReviewEvent.objects.create(
        review=review,
        kind="answered" if answer else "answer_removed",
        from_status=review.status,
        to_status=review.status,
        user=user,
    )
    return review


@dataclass
class RatingSummary:
    count: int
    average: Decimal | None
    reviews: list[Review]

    @property
    def rounded_stars(self) -> int:
        return int(self.average.quantize(Decimal(1), ROUND_HALF_UP)) if self.average else 0


def rating_summary(product: ProductPage, limit: int = 20) -> RatingSummary:
    """Visible reviews of a product (any locale's page), their count and average rating.

    One query while a product has at most `limit` visible reviews, two beyond.
    """
    source_id = product.alias_of_id or product.source.pk
    visible = Review.objects.visible().filter(product_id=source_id)
    shown = list(visible[: limit + 1])
    if not shown:
        return RatingSummary(0, None, [])
    if len(shown) <= limit:
        count, mean = len(shown), Decimal(sum(r.rating for r in shown)) / len(shown)
    else:
        totals = visible.aggregate(count=Count("pk"), average=Avg("rating"))
        count, mean = totals["count"], Decimal(str(totals["average"]))
    average = mean.quantize(Decimal("0.1"), ROUND_HALF_UP)
    return RatingSummary(count, average, shown[:limit])
