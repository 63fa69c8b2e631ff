from __future__ import annotations

import pytest
from django.core.cache import cache

from tests.factories import make_batch, make_product, next_gtin13
from tests.storefront.conftest import shop  # noqa: F401  (the storefront fixture)


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def batch(producer):
    product = make_product(
        producer,
        title="Vải thiều Lục Ngạn",
        variants=[{"name": "Hộp 2 kg", "price": 180_000, "gtin": next_gtin13()}],
    )
    return make_batch(product, lot_code="VT2026-01")
