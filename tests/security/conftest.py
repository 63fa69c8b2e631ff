from __future__ import annotations

import pytest

from tests.factories import make_batch, make_product, next_gtin13
from tests.storefront.conftest import shop  # noqa: F401  (the storefront fixture)


@pytest.fixture
def batch(producer):
    product = make_product(
        producer,
        title="Vải thiều Lục Ngạn",
        variants=[{"name": "Hộp 2 kg", "price": 180_000, "gtin": next_gtin13()}],
    )
    return make_batch(product, lot_code="VT2026-01")
