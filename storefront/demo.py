"""Demo data of the shop: shipping rules, the operator's (fake) bank account, a few orders.

Re-runnable: zones and rules are upserted, the bank account is set, and each demo order is
recognised by its e-mail address and made only once.
"""

from __future__ import annotations

from typing import TextIO

from django.db import transaction
from wagtail.models import Locale, Site

from catalog.addresses import wards_of
from catalog.services import certified_products
from cms.models import SiteSettings
from storefront.checkout import CheckoutDetails, CheckoutError, place_order
from storefront.models import Cart, CartLine, Order, ShippingRule, ShippingZone
from storefront.permissions import setup_storefront_permissions

# Official codes of the 34 provinces since July 2025, by region.
ZONES = {
    "north": (
        "Miền Bắc",
        [1, 4, 8, 11, 12, 14, 15, 19, 20, 22, 24, 25, 31, 33, 37],
        (25_000, 35_000, 55_000),
    ),
    "central": (
        "Miền Trung – Tây Nguyên",
        [38, 40, 42, 44, 46, 48, 51, 52, 56, 66, 68],
        (30_000, 42_000, 65_000),
    ),
    "south": ("Miền Nam", [75, 79, 80, 82, 86, 91, 92, 96], (35_000, 48_000, 75_000)),
}
WEIGHT_STEPS = (1_000, 3_000, None)  # grams; None: anything heavier
FREE_ABOVE = 500_000

DEMO_BANK = {
    "bank_bin": "970436",  # the BIN Vietcombank publishes; the account below is fake
    "bank_name": "Vietcombank (demo)",
    "bank_account_number": "0071000999999",
    "bank_account_name": "CONG TY CHO OCOP DEMO",
}

DEMO_ORDERS = [
    # (e-mail, payment method, province, what happens next)
    ("demo.cod@example.vn", "cod", 1, "processing"),
    ("demo.vietqr@example.vn", "vietqr", 79, "pending"),
    ("demo.shipped@example.vn", "cod", 48, "shipped"),
    ("demo.cancelled@example.vn", "vietqr", 92, "cancelled"),
]


def _say(stdout: TextIO | None, text: str) -> None:
    if stdout is not None:
        stdout.write(text + "\n")


def load_shipping_rules() -> None:
    for code, (name, provinces, fees) in ZONES.items():
        zone, _ = ShippingZone.objects.update_or_create(
            code=code, defaults={"name": name, "province_codes": provinces}
        )
        for weight, fee in zip(WEIGHT_STEPS, fees, strict=True):
            ShippingRule.objects.update_or_create(
                zone=zone, max_weight_grams=weight, defaults={"fee": fee, "free_above": FREE_ABOVE}
            )


def load_bank_account() -> None:
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        return
    settings_obj = SiteSettings.for_site(site)
    for field, value in DEMO_BANK.items():
        setattr(settings_obj, field, value)
    settings_obj.save()


def _demo_order(email: str, method: str, province: int, variants: list) -> Order | None:
    cart = Cart.objects.create()
    for variant in variants:
        CartLine.objects.create(cart=cart, variant=variant, quantity=1)
    details = CheckoutDetails(
        name="Khách hàng mẫu",
        phone="+84912345678",
        email=email,
        province_code=province,
        ward_code=wards_of(province)[0][0],
        street_address="Số 1, đường mẫu",
        payment_method=method,
    )
    try:
        return place_order(cart, details, language="vi")
    except CheckoutError:
        return None
    finally:
        cart.delete()


def load_demo_orders(stdout: TextIO | None = None) -> None:
    from django.contrib.auth import get_user_model

    from storefront.orders import cancel_order, update_fulfilment

    locale = Locale.get_default()
    products = list(certified_products(locale).order_by("pk")[:6])
    variants = []
    for product in products:
        variant = product.source.variants.filter(stock__gt=5).first()
        if variant is not None:
            variants.append(variant)
    if len(variants) < 2:
        _say(stdout, "storefront: no certified products in stock; no demo orders")
        return
    staff = get_user_model().objects.filter(is_superuser=True).first()
    for i, (email, method, province, fate) in enumerate(DEMO_ORDERS):
        if Order.objects.filter(email=email).exists():
            continue
        picked = [variants[i % len(variants)], variants[(i + 1) % len(variants)]]
        order = _demo_order(email, method, province, picked)
        if order is None:
            continue
        if fate == "shipped":
            for part in order.fulfilments.all():
                update_fulfilment(
                    part, "shipped", carrier="Viettel Post", tracking_number=f"VTP{order.pk:08d}"
                )
        elif fate == "cancelled":
            cancel_order(order, staff, "Khách hủy (dữ liệu mẫu)")
        _say(stdout, f"storefront: demo order {order.reference} ({method}, {fate})")


@transaction.atomic
def load_demo(stdout: TextIO | None = None) -> None:
    setup_storefront_permissions()
    load_shipping_rules()
    load_bank_account()
    load_demo_orders(stdout)
    _say(stdout, "storefront: shipping rules, bank account and demo orders ready")
