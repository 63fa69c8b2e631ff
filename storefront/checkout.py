"""Turning a cart into an order: prices, stock and certificates checked under lock.

Steps (one transaction):
1. lock the variants in the cart (`select_for_update`, in primary-key order so concurrent
   checkouts never deadlock);
2. refuse anything no longer certified or live, or short of stock;
3. compute every amount from the server's own prices and shipping rules — the browser's
   figures are at most an `expected_total` that, when it differs, sends the shopper back to
   review, never a price;
4. take the stock with a guarded `UPDATE … WHERE stock >= n` (never below zero, even on a
   database without row locks), create the order, one fulfilment per producer, the lines;
5. empty the cart. Re-indexing and e-mails run after commit.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.models import ProductVariant
from storefront.cart import sellability_error
from storefront.events import record_event
from storefront.models import Cart, Fulfilment, Order, OrderLine
from storefront.orders import reindex_products
from storefront.payments.gateways import get_gateway
from storefront.shipping import NoShippingRule, shipping_fee

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractUser


class CheckoutError(Exception):
    """The order cannot be placed as asked; `messages` say why, in the shopper's language."""

    def __init__(self, *messages: str):
        self.messages = list(messages)
        super().__init__("; ".join(self.messages))


class PriceChanged(CheckoutError):
    """The total the shopper saw is not the total now: show the new one before taking it."""


@dataclass
class CheckoutDetails:
    name: str
    phone: str
    email: str
    province_code: int
    ward_code: int
    street_address: str
    payment_method: str
    note: str = ""


def place_order(
    cart: Cart,
    details: CheckoutDetails,
    *,
    user: AbstractUser | None = None,
    language: str = "vi",
    expected_total: int | None = None,
) -> Order:
    """Create an order from a cart, or raise CheckoutError and change nothing."""
    gateway = get_gateway(details.payment_method)
    if gateway is None or not gateway.is_available():
        raise CheckoutError(_("Please choose an available payment method."))

    with transaction.atomic():
        wanted = dict(cart.lines.values_list("variant_id", "quantity"))
        if not wanted:
            raise CheckoutError(_("Your cart is empty."))
        variants = list(
            ProductVariant.objects.select_for_update().filter(pk__in=wanted).order_by("pk")
        )
        by_pk = {v.pk: v for v in variants}
        problems: list[str] = []
        for pk, quantity in wanted.items():
            variant = by_pk.get(pk)
            if variant is None:
                problems.append(_("A product in your cart no longer exists."))
                continue
            problem = sellability_error(variant)
            if problem:
                problems.append(problem)
            elif variant.stock < quantity:
                problems.append(
                    _("Only %(count)d of %(product)s left in stock.")
                    % {"count": variant.stock, "product": str(variant)}
                )
        if problems:
            raise CheckoutError(*problems)

        subtotal = sum(by_pk[pk].price * q for pk, q in wanted.items())
        weight = sum(by_pk[pk].weight_grams * q for pk, q in wanted.items())
        try:
            fee = shipping_fee(details.province_code, weight, subtotal)
        except NoShippingRule:
            raise CheckoutError(_("We cannot ship to this province yet.")) from None
        total = subtotal + fee
        if expected_total is not None and expected_total != total:
            raise PriceChanged(
                _("Prices or shipping changed since you looked: please check the new total.")
            )

        for pk, quantity in wanted.items():
            taken = ProductVariant.objects.filter(pk=pk, stock__gte=quantity).update(
                stock=F("stock") - quantity
            )
            if not taken:
                raise CheckoutError(
                    _("%(product)s has just sold out.") % {"product": str(by_pk[pk])}
                )

        hold = gateway.hold_minutes
        order = Order.objects.create(
            user=user if user is not None and user.is_authenticated else None,
            language=language,
            name=details.name,
            phone=details.phone,
            email=details.email,
            province_code=details.province_code,
            ward_code=details.ward_code,
            street_address=details.street_address,
            note=details.note,
            payment_method=gateway.code,
            subtotal=subtotal,
            shipping_fee=fee,
            total=total,
            expires_at=timezone.now() + dt.timedelta(minutes=hold) if hold else None,
        )
        parts: dict[int, Fulfilment] = {}
        lines_by_producer: dict[int, list[OrderLine]] = defaultdict(list)
        for pk, quantity in wanted.items():
            variant = by_pk[pk]
            page = variant.page
            if page.producer_id not in parts:
                parts[page.producer_id] = Fulfilment.objects.create(
                    order=order, producer_id=page.producer_id
                )
            lines_by_producer[page.producer_id].append(
                OrderLine(
                    order=order,
                    fulfilment=parts[page.producer_id],
                    variant=variant,
                    product_id_snapshot=page.pk,
                    product_title=page.title,
                    variant_name=variant.name,
                    sku=variant.sku,
                    unit_price=variant.price,
                    quantity=quantity,
                    weight_grams=variant.weight_grams,
                )
            )
        OrderLine.objects.bulk_create([ln for lines in lines_by_producer.values() for ln in lines])
        record_event(order, "placed", gateway.code, user)
        gateway.on_placed(order)
        cart.lines.all().delete()
        product_ids = {v.page_id for v in variants}
        transaction.on_commit(lambda: reindex_products(product_ids))
    return order
