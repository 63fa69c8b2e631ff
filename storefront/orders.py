"""Order status, stock release, payments recorded, fulfilment, cancellation and refunds.

Every status change goes through `set_status()` and its transitions table; an illegal move
raises `IllegalStatusTransition`. Each change appends an `OrderEvent` (who, when, why).
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.models import ProductVariant
from catalog.money import format_vnd
from cms import audit
from storefront.emails import send_fulfilment_notices_later, send_order_email_later
from storefront.events import record_event
from storefront.models import (
    Fulfilment,
    FulfilmentStatus,
    Order,
    OrderEvent,
    OrderStatus,
    Payment,
    PaymentMethodCode,
    PaymentStatus,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractUser

logger = logging.getLogger(__name__)

S = OrderStatus
REFUNDABLE = {S.PAID, S.PROCESSING, S.SHIPPED, S.DELIVERED, S.PARTIALLY_REFUNDED, S.CANCELLED}

# from → the statuses it may move to. Cash-on-delivery orders go from awaiting payment
# straight to processing (the cash is collected at the door); a cancelled order that had been
# paid (a late card payment, a paid order cancelled by an officer) can still be refunded.
TRANSITIONS: dict[str, frozenset[str]] = {
    S.PENDING_PAYMENT: frozenset({S.PAID, S.PROCESSING, S.CANCELLED}),
    S.PAID: frozenset({S.PROCESSING, S.SHIPPED, S.CANCELLED, S.PARTIALLY_REFUNDED, S.REFUNDED}),
    S.PROCESSING: frozenset({S.SHIPPED, S.CANCELLED, S.PARTIALLY_REFUNDED, S.REFUNDED}),
    S.SHIPPED: frozenset({S.DELIVERED, S.PARTIALLY_REFUNDED, S.REFUNDED}),
    S.DELIVERED: frozenset({S.PARTIALLY_REFUNDED, S.REFUNDED}),
    S.PARTIALLY_REFUNDED: frozenset({S.PARTIALLY_REFUNDED, S.REFUNDED}),
    S.CANCELLED: frozenset({S.PARTIALLY_REFUNDED, S.REFUNDED}),
    S.REFUNDED: frozenset(),
}

FULFILMENT_TRANSITIONS: dict[str, frozenset[str]] = {
    FulfilmentStatus.PENDING: frozenset({FulfilmentStatus.PACKED, FulfilmentStatus.SHIPPED}),
    FulfilmentStatus.PACKED: frozenset({FulfilmentStatus.SHIPPED}),
    FulfilmentStatus.SHIPPED: frozenset({FulfilmentStatus.DELIVERED}),
    FulfilmentStatus.DELIVERED: frozenset(),
    FulfilmentStatus.CANCELLED: frozenset(),
}


class IllegalStatusTransition(Exception):
    """An order (or fulfilment) was asked to move to a status its current one cannot reach."""

    def __init__(self, current: str, wanted: str):
        self.current, self.wanted = current, wanted
        super().__init__(f"{current} → {wanted}")

    @property
    def message(self) -> str:
        return _("An order that is “%(current)s” cannot become “%(wanted)s”.") % {
            "current": OrderStatus(self.current).label
            if self.current in OrderStatus.values
            else self.current,
            "wanted": OrderStatus(self.wanted).label
            if self.wanted in OrderStatus.values
            else self.wanted,
        }


class OrderActionError(Exception):
    """An officer's or producer's action that cannot be done, with a readable message."""


class RefundFailed(OrderActionError):
    """Stripe could not make a refund. The attempt is recorded (`refund_failed` event) and the
    order still shows the amount as owed, so an officer retries it from the order."""


class CancelledRefundPending(RefundFailed):
    """The order was cancelled (stock returned) but its card refund failed and is pending."""


def can_move(order: Order, new_status: str) -> bool:
    return new_status in TRANSITIONS.get(order.status, frozenset())


# The e-mail that tells the shopper about each new status. None: another e-mail says it
# already (the payment confirmation; each parcel's "shipped" e-mail with its tracking number).
STATUS_EMAILS: dict[str, str | None] = {
    S.PAID: None,
    S.PROCESSING: "status",
    S.SHIPPED: None,
    S.DELIVERED: "status",
    S.CANCELLED: "cancelled",
    S.PARTIALLY_REFUNDED: "refunded",
    S.REFUNDED: "refunded",
}


def set_status(
    order: Order,
    new_status: str,
    *,
    user: AbstractUser | None = None,
    note: str = "",
    kind: str = "status",
    notify: bool = True,
) -> OrderEvent:
    """Move an order to `new_status` and record who did it; raise on an illegal move.

    After commit, the shopper is e-mailed about the new status (unless `notify` is False:
    the caller sends its own e-mail), and when the order has just become ready to pack (paid,
    or cash on delivery placed) each producer's editors are told about their parcel.
    """
    if not can_move(order, new_status):
        raise IllegalStatusTransition(order.status, new_status)
    old = order.status
    order.status = new_status
    order.save(update_fields=["status"])
    if notify and STATUS_EMAILS.get(new_status):
        send_order_email_later(order, STATUS_EMAILS[new_status])
    if old == S.PENDING_PAYMENT and new_status in (S.PAID, S.PROCESSING):
        send_fulfilment_notices_later(order)
    audit.record(
        order,
        "ocop.order.status",
        user=user,
        data={"old": old, "new": new_status, "note": note[:200], "kind": kind},
    )
    return OrderEvent.objects.create(
        order=order,
        kind=kind,
        from_status=old,
        to_status=new_status,
        note=note[:500],
        user=user if user is not None and user.is_authenticated else None,
    )


def lock(order: Order) -> Order:
    """Re-read an order under a row lock (inside a transaction)."""
    return Order.objects.select_for_update().get(pk=order.pk)


# --- Stock ------------------------------------------------------------------------------------


def reindex_products(product_ids: set[int]) -> None:
    """Tell the search index and the page cache that stock changed (after commit)."""
    from catalog.invalidation import stock_changed

    stock_changed(product_ids)
    try:
        from catalog.search import index_product_later
    except ImportError:
        return
    for product_id in product_ids:
        try:
            index_product_later(product_id)
        except Exception:  # the index must never break an order
            logger.exception("Could not queue re-indexing of product %s", product_id)


def release_stock(order: Order) -> None:
    """Give an order's items back to stock, once (call with the order locked)."""
    if order.stock_released:
        return
    product_ids: set[int] = set()
    for line in order.lines.all():
        if line.variant_id:
            ProductVariant.objects.filter(pk=line.variant_id).update(
                stock=F("stock") + line.quantity
            )
            if line.product_id_snapshot:
                product_ids.add(line.product_id_snapshot)
    order.stock_released = True
    order.save(update_fields=["stock_released"])
    transaction.on_commit(lambda: reindex_products(product_ids))


# --- Payment ----------------------------------------------------------------------------------


def mark_paid(order: Order, payment: Payment, *, user=None, note: str = "") -> bool:
    """Record a confirmed payment; True when the order moved to paid just now.

    A payment for an order that was already cancelled (it expired before the shopper paid)
    is kept and flagged so an officer refunds it.
    """
    if payment.status != PaymentStatus.SUCCEEDED:
        payment.status = PaymentStatus.SUCCEEDED
        payment.save(update_fields=["status", "updated_at"])
    if order.paid_at is None:
        order.paid_at = timezone.now()
        order.save(update_fields=["paid_at"])
    if order.status == S.PENDING_PAYMENT:
        set_status(order, S.PAID, user=user, note=note, kind="paid")
        send_order_email_later(order, "confirmation")
        return True
    if order.status == S.CANCELLED:
        record_event(order, "late_payment", _("Paid after cancellation: refund it."), user)
    return False


def confirm_transfer(order: Order, user: AbstractUser) -> None:
    """An officer saw the VietQR transfer arrive on the operator's account."""
    with transaction.atomic():
        order = lock(order)
        if order.payment_method != PaymentMethodCode.VIETQR:
            raise OrderActionError(_("Only bank-transfer orders are confirmed this way."))
        if order.status != S.PENDING_PAYMENT:
            raise IllegalStatusTransition(order.status, S.PAID)
        payment = order.payments.filter(method=PaymentMethodCode.VIETQR).first() or Payment(
            order=order, method=PaymentMethodCode.VIETQR, amount=order.total
        )
        payment.status = PaymentStatus.SUCCEEDED
        payment.save()
        mark_paid(order, payment, user=user, note=_("Transfer received"))


# --- Expiry -----------------------------------------------------------------------------------


def release_expired_orders(now: dt.datetime | None = None) -> int:
    """Cancel unpaid orders whose hold ran out and give their stock back. Returns a count."""
    now = now or timezone.now()
    count = 0
    candidates = Order.objects.filter(
        status=S.PENDING_PAYMENT, expires_at__lt=now, paid_at__isnull=True
    ).values_list("pk", flat=True)
    for pk in list(candidates):
        with transaction.atomic():
            order = Order.objects.select_for_update().get(pk=pk)
            if order.status != S.PENDING_PAYMENT or order.paid_at or order.expires_at >= now:
                continue
            set_status(order, S.CANCELLED, note=_("Not paid in time"), kind="expired")
            order.fulfilments.update(status=FulfilmentStatus.CANCELLED)
            release_stock(order)
            count += 1
    return count


# --- Cancelling and refunding -----------------------------------------------------------------


def cancel_order(order: Order, user: AbstractUser, reason: str = "") -> Order:
    """Cancel an order that has not shipped; refund a card payment in full through Stripe.

    Steps: (1) under lock, cancel the order and its parcels and return the stock — this is
    committed whatever Stripe does, so nothing ships; (2) refund what was paid. When Stripe
    cannot be reached the order stays "cancelled" with the amount still owed, a
    `refund_failed` event records the attempt, and `CancelledRefundPending` tells the officer
    to retry the refund from the order.
    """
    with transaction.atomic():
        order = lock(order)
        if order.fulfilments.filter(
            status__in=[FulfilmentStatus.SHIPPED, FulfilmentStatus.DELIVERED]
        ).exists():
            raise OrderActionError(_("Part of this order has shipped; refund it instead."))
        set_status(order, S.CANCELLED, user=user, note=reason, kind="cancelled", notify=False)
        order.fulfilments.update(status=FulfilmentStatus.CANCELLED)
        release_stock(order)
    if order.paid_at and order.total > order.refunded_amount:
        try:
            refund_order(order, order.total - order.refunded_amount, user, reason or _("Cancelled"))
        except RefundFailed as exc:
            send_order_email_later(order, "cancelled")
            raise CancelledRefundPending(
                _(
                    "Order %(ref)s is cancelled and its stock returned, but the card refund "
                    "could not be made (%(error)s). The refund is recorded as pending: retry it "
                    "from the order."
                )
                % {"ref": order.reference, "error": _("Stripe could not be reached")}
            ) from exc
        order.refresh_from_db()
    else:
        send_order_email_later(order, "cancelled")
    return order


def refund_due(order: Order) -> int:
    """What a cancelled, paid order still owes the shopper (0 when nothing is owed)."""
    if order.status != S.CANCELLED or not order.paid_at:
        return 0
    return max(order.total - order.refunded_amount, 0)


def pending_refunds():
    """Cancelled orders that were paid and still owe the shopper money, oldest first."""
    return Order.objects.filter(
        status=S.CANCELLED, paid_at__isnull=False, refunded_amount__lt=F("total")
    ).order_by("paid_at")


def last_refund_failure(order: Order) -> OrderEvent | None:
    """The latest failed refund attempt, unless a refund succeeded after it."""
    last = order.events.filter(kind__in=["refund_failed", "refunded"]).order_by("-pk").first()
    return last if last is not None and last.kind == "refund_failed" else None


def refund_order(order: Order, amount: int, user: AbstractUser | None, reason: str = "") -> Order:
    """Refund part or all of what was paid: through Stripe for cards, recorded for the rest.

    The Stripe call happens outside any lock; the amounts are checked again under lock.
    """
    from storefront.payments import stripe_api

    amount = int(amount)
    if not order.paid_at:
        raise OrderActionError(_("This order has not been paid."))
    refundable = order.total - order.refunded_amount
    if amount <= 0 or amount > refundable:
        raise OrderActionError(
            _("You can refund between 1 and %(max)s.") % {"max": format_vnd(refundable)}
        )
    target = S.REFUNDED if amount == refundable else S.PARTIALLY_REFUNDED
    if order.status not in REFUNDABLE or not can_move(order, target):
        raise IllegalStatusTransition(order.status, target)
    provider_ref = ""
    before = order.refunded_amount
    if order.payment_method == PaymentMethodCode.STRIPE:
        payment = (
            order.payments.filter(status=PaymentStatus.SUCCEEDED).exclude(payment_intent="").first()
        )
        if payment is None:
            raise OrderActionError(_("No card payment to refund was found."))
        try:
            provider_ref = stripe_api.create_refund(
                payment.payment_intent,
                amount,
                idempotency_key=f"refund-{order.reference}-{order.refunded_amount}-{amount}",
            )
        except (stripe_api.StripeCallFailed, stripe_api.StripeNotConfigured) as exc:
            logger.warning("Refund of order %s failed: %s", order.reference, exc)
            with transaction.atomic():
                record_event(
                    order,
                    "refund_failed",
                    _("%(amount)s not refunded: %(error)s")
                    % {"amount": format_vnd(amount), "error": str(exc)[:300]},
                    user,
                )
            raise RefundFailed(
                _(
                    "The refund of %(amount)s could not be made: Stripe could not be "
                    "reached. Nothing was refunded; the attempt is recorded. Try again later."
                )
                % {"amount": format_vnd(amount)}
            ) from exc
    with transaction.atomic():
        order = lock(order)
        # Stripe's webhook may have recorded this very refund meanwhile (it reports the
        # cumulative total): never count it twice.
        order.refunded_amount = min(order.total, max(order.refunded_amount, before + amount))
        order.save(update_fields=["refunded_amount"])
        target = S.REFUNDED if order.refunded_amount >= order.total else S.PARTIALLY_REFUNDED
        note = reason or ""
        if provider_ref:
            note = f"{note} ({provider_ref})".strip()
        if can_move(order, target):
            set_status(order, target, user=user, note=note, kind="refunded", notify=False)
        else:
            record_event(order, "refunded", note, user)
        payments = order.payments.filter(status=PaymentStatus.SUCCEEDED)
        payments.update(refunded_amount=order.refunded_amount)
        restock_if_fully_refunded(order)
    send_order_email_later(order, "refunded")
    return order


def sync_refunded_amount(order: Order, refunded_total: int, note: str = "") -> None:
    """Apply the refunded total Stripe reports (a webhook); never lowers it. Call locked."""
    refunded_total = min(int(refunded_total), order.total)
    if refunded_total <= order.refunded_amount:
        return
    order.refunded_amount = refunded_total
    order.save(update_fields=["refunded_amount"])
    target = S.REFUNDED if refunded_total >= order.total else S.PARTIALLY_REFUNDED
    if can_move(order, target):
        set_status(order, target, note=note, kind="refunded")
    else:
        record_event(order, "refunded", note)
    restock_if_fully_refunded(order)


def restock_if_fully_refunded(order: Order) -> bool:
    """Return the stock of a fully refunded order whose parcels never left, exactly once.

    Call with the order locked. `release_stock` sets `stock_released` under that lock, so an
    officer's refund, Stripe's `charge.refunded` webhook for it, and duplicated events return
    the stock once between them. A parcel that shipped or was delivered is with the shopper:
    such an order keeps its stock as sold.
    """
    if order.refunded_amount < order.total or order.stock_released:
        return False
    fulfilments = order.fulfilments.all()
    if fulfilments.filter(
        status__in=[FulfilmentStatus.SHIPPED, FulfilmentStatus.DELIVERED]
    ).exists():
        return False
    fulfilments.exclude(status=FulfilmentStatus.CANCELLED).update(status=FulfilmentStatus.CANCELLED)
    release_stock(order)
    return True


# --- Fulfilment -------------------------------------------------------------------------------


def update_fulfilment(
    fulfilment: Fulfilment,
    status: str,
    *,
    user: AbstractUser | None = None,
    carrier: str = "",
    tracking_number: str = "",
) -> Fulfilment:
    """A producer packs, ships or delivers its part; the order's status follows its parts."""
    with transaction.atomic():
        order = lock(fulfilment.order)
        fulfilment = Fulfilment.objects.select_for_update().get(pk=fulfilment.pk)
        if carrier:
            fulfilment.carrier = carrier
        if tracking_number:
            fulfilment.tracking_number = tracking_number
        changed = status != fulfilment.status
        old_status = fulfilment.status
        if changed:
            if order.status in (S.PENDING_PAYMENT, S.CANCELLED, S.REFUNDED) and not (
                order.status == S.PENDING_PAYMENT and order.payment_method == PaymentMethodCode.COD
            ):
                raise OrderActionError(_("This order is not paid or was cancelled."))
            if status not in FULFILMENT_TRANSITIONS.get(fulfilment.status, frozenset()):
                raise IllegalStatusTransition(fulfilment.status, status)
            if status == FulfilmentStatus.SHIPPED and not (
                fulfilment.carrier and fulfilment.tracking_number
            ):
                raise OrderActionError(_("Give the carrier and tracking number to ship."))
            fulfilment.status = status
            now = timezone.now()
            stamp = {"packed": "packed_at", "shipped": "shipped_at", "delivered": "delivered_at"}
            setattr(fulfilment, stamp[status], now)
            if status == FulfilmentStatus.SHIPPED and not fulfilment.packed_at:
                fulfilment.packed_at = now
        fulfilment.save()
        if changed:
            audit.record(
                fulfilment,
                "ocop.fulfilment.status",
                user=user,
                data={"old": old_status, "new": status},
            )
            record_event(
                order,
                f"fulfilment_{status}",
                f"{fulfilment.producer}: {fulfilment.carrier} {fulfilment.tracking_number}".strip(),
                user,
            )
            _roll_up(order, user)
            if status == FulfilmentStatus.SHIPPED:
                send_order_email_later(order, "shipped", fulfilment_id=fulfilment.pk)
    return fulfilment


def _roll_up(order: Order, user) -> None:
    parts = list(order.fulfilments.exclude(status=FulfilmentStatus.CANCELLED))
    statuses = {p.status for p in parts}
    if order.status in (S.PENDING_PAYMENT, S.PAID) and statuses - {FulfilmentStatus.PENDING}:
        set_status(order, S.PROCESSING, user=user)
    if order.status == S.PROCESSING and statuses <= {
        FulfilmentStatus.SHIPPED,
        FulfilmentStatus.DELIVERED,
    }:
        set_status(order, S.SHIPPED, user=user)
    if order.status == S.SHIPPED and statuses == {FulfilmentStatus.DELIVERED}:
        set_status(order, S.DELIVERED, user=user)
        if order.payment_method == PaymentMethodCode.COD and not order.paid_at:
            order.paid_at = timezone.now()
            order.save(update_fields=["paid_at"])
            order.payments.filter(method=PaymentMethodCode.COD).update(
                status=PaymentStatus.SUCCEEDED
            )
            record_event(order, "cod_collected", _("Cash collected on delivery"), user)
