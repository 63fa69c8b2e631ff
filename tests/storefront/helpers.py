"""Small steps a shopper takes, over HTTP through Django's test client."""

from __future__ import annotations

from typing import Any

from catalog.addresses import wards_of
from storefront.models import Order

HANOI = 1
HANOI_WARD = wards_of(HANOI)[0][0]


def variant_of(product, index: int = 0):
    return list(product.source.variants.all())[index]


def add_to_cart(client, variant, quantity: int = 1, lang: str = "vi"):
    return client.post(f"/{lang}/gio-hang/them/", {"variant": variant.pk, "quantity": quantity})


def checkout_data(method: str = "cod", **overrides: Any) -> dict[str, Any]:
    data = {
        "name": "Nguyễn Thị Lan",
        "phone": "0912 345 678",
        "email": "lan@example.vn",
        "province": HANOI,
        "ward": HANOI_WARD,
        "street_address": "12 Phố Huế",
        "note": "",
        "payment_method": method,
        "step": "place",
    }
    data.update(overrides)
    return data


def checkout(client, method: str = "cod", lang: str = "vi", follow: bool = False, **overrides: Any):
    return client.post(f"/{lang}/thanh-toan/", checkout_data(method, **overrides), follow=follow)


def last_order() -> Order:
    return Order.objects.order_by("-pk").first()
