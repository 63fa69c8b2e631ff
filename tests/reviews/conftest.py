from __future__ import annotations

import pytest
from django.core.cache import cache

from storefront.models import Fulfilment, Order, OrderLine, OrderStatus


def make_order(product, *, status: str = OrderStatus.DELIVERED, user=None, name="Nguyễn Thị Lan"):
    """An order of one line of `product`'s first variant, already in `status`."""
    variant = product.source.variants.first()
    order = Order.objects.create(
        name=name,
        phone="0912345678",
        email="lan@example.vn",
        province_code=product.producer.province_code,
        ward_code=product.producer.ward_code,
        street_address="12 Phố Huế",
        payment_method="cod",
        subtotal=variant.price,
        shipping_fee=0,
        total=variant.price,
        status=status,
        user=user,
    )
    fulfilment = Fulfilment.objects.create(order=order, producer=product.producer)
    OrderLine.objects.create(
        order=order,
        fulfilment=fulfilment,
        variant=variant,
        product_id_snapshot=product.pk,
        product_title=product.title,
        variant_name=variant.name,
        unit_price=variant.price,
        quantity=1,
    )
    return order


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def delivered(product):
    return make_order(product)
