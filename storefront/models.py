"""Cart, orders, fulfilment parts, payments and shipping rules.

Amounts are whole đồng (VND has no minor unit). Stock itself lives on
`catalog.ProductVariant.stock` of the source (Vietnamese) page; orders only copy prices and
names at the moment of purchase, so later edits of a product never rewrite history.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalog.addresses import AdministrativeAddressMixin
from cms.status_events import StatusEvent

# Unambiguous upper-case letters and digits (no 0/O, 1/I/L): the reference is read aloud on
# the phone and typed into banking apps as the transfer purpose.
REFERENCE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def new_reference() -> str:
    return "DH" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))


def new_token() -> str:
    return secrets.token_urlsafe(24)


# --- Shipping ---------------------------------------------------------------------------------


class ShippingZone(models.Model):
    """A group of provinces sharing shipping rates (north, central, south…)."""

    code = models.SlugField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=80)
    province_codes = models.JSONField(
        _("province codes"),
        default=list,
        help_text=_("Official codes of the provinces in this zone, e.g. [1, 4, 8]."),
    )

    class Meta:
        verbose_name = _("shipping zone")
        verbose_name_plural = _("shipping zones")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class ShippingRule(models.Model):
    """A fee for parcels up to a weight sent to a zone; free from an order amount upward.

    The rule with the smallest `max_weight_grams` that still holds the parcel wins; a rule
    without a maximum catches every heavier parcel.
    """

    zone = models.ForeignKey(
        ShippingZone, verbose_name=_("zone"), on_delete=models.CASCADE, related_name="rules"
    )
    max_weight_grams = models.PositiveIntegerField(
        _("up to weight (g)"), null=True, blank=True, help_text=_("Empty: any weight.")
    )
    fee = models.PositiveIntegerField(_("fee (VND)"))
    free_above = models.PositiveIntegerField(
        _("free from order amount (VND)"),
        null=True,
        blank=True,
        help_text=_("Orders of at least this amount ship free. Empty: never free."),
    )

    class Meta:
        verbose_name = _("shipping rule")
        verbose_name_plural = _("shipping rules")
        ordering = ["zone__code", models.F("max_weight_grams").asc(nulls_last=True)]

    def __str__(self) -> str:
        limit = f"≤ {self.max_weight_grams} g" if self.max_weight_grams else "*"
        return f"{self.zone} {limit}: {self.fee}"


# --- Cart -------------------------------------------------------------------------------------


class Cart(models.Model):
    """A shopper's cart, found through the session (guests) or the user (signed in)."""

    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="carts",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("cart")
        verbose_name_plural = _("carts")

    def __str__(self) -> str:
        return f"Cart {self.pk}"


class CartLine(models.Model):
    cart = models.ForeignKey(Cart, on_delete=models.CASCADE, related_name="lines")
    variant = models.ForeignKey(
        "catalog.ProductVariant", on_delete=models.CASCADE, related_name="cart_lines"
    )
    quantity = models.PositiveIntegerField(default=1)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["added_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["cart", "variant"], name="cartline_unique_variant")
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.variant_id}"


# --- Orders -----------------------------------------------------------------------------------


class OrderStatus(models.TextChoices):
    PENDING_PAYMENT = "pending_payment", _("Awaiting payment")
    PAID = "paid", _("Paid")
    PROCESSING = "processing", _("Processing")
    SHIPPED = "shipped", _("Shipped")
    DELIVERED = "delivered", _("Delivered")
    CANCELLED = "cancelled", _("Cancelled")
    PARTIALLY_REFUNDED = "partially_refunded", _("Partly refunded")
    REFUNDED = "refunded", _("Refunded")


class PaymentMethodCode(models.TextChoices):
    COD = "cod", _("Cash on delivery")
    VIETQR = "vietqr", _("Bank transfer (VietQR)")
    STRIPE = "stripe", _("Card (Stripe)")


class Order(AdministrativeAddressMixin, models.Model):
    """One checkout. Its `token` is the only key a URL may carry; `reference` is for people."""

    producer_scope_field = "fulfilments__producer"

    reference = models.CharField(
        _("reference"), max_length=12, unique=True, default=new_reference, editable=False
    )
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=OrderStatus.choices,
        default=OrderStatus.PENDING_PAYMENT,
        editable=False,
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="orders",
        editable=False,
    )
    language = models.CharField(_("language"), max_length=8, default="vi", editable=False)
    name = models.CharField(_("name"), max_length=120)
    phone = models.CharField(_("phone"), max_length=20)
    # Empty for cash on delivery bought with a phone number only: the shopper keeps the
    # order page's link (shown, and remembered by the browser in a cookie).
    email = models.EmailField(_("e-mail"), blank=True)
    province_code = models.PositiveSmallIntegerField(_("province"))
    ward_code = models.PositiveIntegerField(_("commune / ward"))
    street_address = models.CharField(_("street address"), max_length=255)
    note = models.CharField(_("note for the producers"), max_length=500, blank=True)
    payment_method = models.CharField(
        _("payment method"), max_length=10, choices=PaymentMethodCode.choices, editable=False
    )
    subtotal = models.PositiveBigIntegerField(_("subtotal (VND)"), editable=False)
    shipping_fee = models.PositiveBigIntegerField(_("shipping (VND)"), editable=False)
    total = models.PositiveBigIntegerField(_("total (VND)"), editable=False)
    refunded_amount = models.PositiveBigIntegerField(_("refunded (VND)"), default=0, editable=False)
    created_at = models.DateTimeField(_("placed at"), default=timezone.now, editable=False)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True, editable=False)
    # Unpaid orders hold their stock until then; `release_expired_orders` gives it back.
    expires_at = models.DateTimeField(null=True, blank=True, editable=False)
    stock_released = models.BooleanField(default=False, editable=False)

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "expires_at"])]

    def __str__(self) -> str:
        return self.reference

    def get_absolute_url(self) -> str:
        from django.urls import reverse
        from django.utils import translation

        with translation.override(self.language):
            return reverse("storefront:order", kwargs={"token": self.token})

    @property
    def is_paid(self) -> bool:
        return self.paid_at is not None


class FulfilmentStatus(models.TextChoices):
    PENDING = "pending", _("To prepare")
    PACKED = "packed", _("Packed")
    SHIPPED = "shipped", _("Shipped")
    DELIVERED = "delivered", _("Delivered")
    CANCELLED = "cancelled", _("Cancelled")


class Fulfilment(models.Model):
    """The part of an order one producer packs and ships."""

    producer_scope_field = "producer"

    order = models.ForeignKey(
        Order, verbose_name=_("order"), on_delete=models.CASCADE, related_name="fulfilments"
    )
    producer = models.ForeignKey(
        "catalog.Producer",
        verbose_name=_("producer"),
        on_delete=models.PROTECT,
        related_name="fulfilments",
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=FulfilmentStatus.choices,
        default=FulfilmentStatus.PENDING,
    )
    carrier = models.CharField(_("carrier"), max_length=80, blank=True)
    tracking_number = models.CharField(_("tracking number"), max_length=80, blank=True)
    packed_at = models.DateTimeField(_("packed at"), null=True, blank=True, editable=False)
    shipped_at = models.DateTimeField(_("shipped at"), null=True, blank=True, editable=False)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("fulfilment")
        verbose_name_plural = _("fulfilments")
        ordering = ["-order__created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["order", "producer"], name="fulfilment_one_per_producer"
            )
        ]

    def __str__(self) -> str:
        return f"{self.order.reference} – {self.producer}"

    @property
    def subtotal(self) -> int:
        return sum(line.line_total for line in self.lines.all())


class OrderLine(models.Model):
    """A variant bought, with its price and names frozen at checkout."""

    producer_scope_field = "fulfilment__producer"

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    fulfilment = models.ForeignKey(Fulfilment, on_delete=models.CASCADE, related_name="lines")
    variant = models.ForeignKey(
        "catalog.ProductVariant",
        null=True,
        on_delete=models.SET_NULL,
        related_name="order_lines",
    )
    product_id_snapshot = models.PositiveIntegerField(null=True)
    product_title = models.CharField(_("product"), max_length=255)
    variant_name = models.CharField(_("variant"), max_length=120)
    sku = models.CharField(_("SKU"), max_length=40, blank=True)
    unit_price = models.PositiveIntegerField(_("unit price (VND)"))
    quantity = models.PositiveIntegerField(_("quantity"))
    weight_grams = models.PositiveIntegerField(_("weight (g)"), default=0)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.product_title} – {self.variant_name}"

    @property
    def line_total(self) -> int:
        return self.unit_price * self.quantity


class OrderEvent(StatusEvent):
    """Append-only history of an order: status moves, payments, notes, e-mails."""

    producer_scope_field = "order__fulfilments__producer"

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="events")

    @property
    def label(self) -> str:
        """What happened, for people: the new status, or the kind of event."""
        if self.to_status and self.to_status != self.from_status:
            return str(OrderStatus(self.to_status).label)
        return str(EVENT_LABELS.get(self.kind, self.kind))


EVENT_LABELS = {
    "placed": _("Order placed"),
    "late_payment": _("Payment received after cancellation"),
    "payment_mismatch": _("Payment amount did not match"),
    "fulfilment_packed": _("A parcel was packed"),
    "fulfilment_shipped": _("A parcel was shipped"),
    "fulfilment_delivered": _("A parcel was delivered"),
    "cod_collected": _("Cash collected on delivery"),
    "refunded": _("Refund"),
    "refund_failed": _("Refund failed"),
}


class PaymentStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")
    EXPIRED = "expired", _("Expired")


class Payment(models.Model):
    """One attempt to pay an order (a Checkout Session, a bank transfer, cash)."""

    producer_scope_field = "order__fulfilments__producer"

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="payments")
    method = models.CharField(max_length=10, choices=PaymentMethodCode.choices)
    amount = models.PositiveBigIntegerField()
    status = models.CharField(
        max_length=10, choices=PaymentStatus.choices, default=PaymentStatus.PENDING
    )
    provider_reference = models.CharField(max_length=255, blank=True, db_index=True)
    payment_intent = models.CharField(max_length=255, blank=True, db_index=True)
    checkout_url = models.URLField(max_length=2000, blank=True)
    refunded_amount = models.PositiveBigIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.method} {self.amount} {self.status}"


class ProcessedWebhookEvent(models.Model):
    """Every Stripe event received once: a replay or a duplicate finds its id here."""

    event_id = models.CharField(max_length=255, unique=True)
    type = models.CharField(max_length=100)
    payload = models.JSONField()
    received_at = models.DateTimeField(default=timezone.now)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["received_at"]

    def __str__(self) -> str:
        return f"{self.event_id} {self.type}"
