"""Concurrent checkouts of the last items: exactly as many orders as items, never below zero.

Runs real concurrent transactions (threads, each with its own connection) against
PostgreSQL, where `select_for_update` takes row locks. SQLite serialises writers and has no
row locks, so the test is skipped there; CI runs the suite on PostgreSQL too.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from catalog.models import ProductVariant
from storefront.checkout import CheckoutDetails, CheckoutError, place_order
from storefront.models import Cart, CartLine, Order
from tests.factories import make_product
from tests.storefront.helpers import HANOI, HANOI_WARD

WORKERS = 8
STOCK = 3

requires_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL row locks (DATABASE_URL)"
)


@pytest.mark.postgres
@requires_postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_checkouts_of_the_last_items_sell_exactly_the_stock(shop, producer):
    product = make_product(
        producer, variants=[{"name": "Hũ cuối", "price": 90_000, "stock": STOCK}]
    )
    variant = product.variants.get()
    carts = []
    for _ in range(WORKERS):
        cart = Cart.objects.create()
        CartLine.objects.create(cart=cart, variant=variant, quantity=1)
        carts.append(cart)
    details = CheckoutDetails(
        name="Khách",
        phone="+84912345678",
        email="k@example.vn",
        province_code=HANOI,
        ward_code=HANOI_WARD,
        street_address="1 Phố Huế",
        payment_method="cod",
    )
    barrier = threading.Barrier(WORKERS)
    outcomes: list[str] = []
    lock = threading.Lock()

    def buy(cart: Cart) -> None:
        try:
            barrier.wait(timeout=30)
            place_order(cart, details)
            result = "ok"
        except CheckoutError:
            result = "sold out"
        except Exception as exc:  # a deadlock or a lost update would show here
            result = f"error: {exc!r}"
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=buy, args=(cart,)) for cart in carts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(outcomes) == ["ok"] * STOCK + ["sold out"] * (WORKERS - STOCK)
    assert Order.objects.count() == STOCK
    assert ProductVariant.objects.get(pk=variant.pk).stock == 0
