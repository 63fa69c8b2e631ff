from __future__ import annotations

import pytest

from tests.factories import make_batch, make_product, next_gtin13


@pytest.fixture
def trace_perms(site):
    from traceability.permissions import setup_traceability_permissions

    setup_traceability_permissions()


@pytest.fixture
def gtin_product(producer):
    return make_product(
        producer,
        title="Vải thiều Lục Ngạn",
        variants=[{"name": "Hộp 2 kg", "price": 180_000, "gtin": next_gtin13()}],
    )


@pytest.fixture
def batch(gtin_product):
    return make_batch(gtin_product, lot_code="VT2026-01")


@pytest.fixture
def plain_batch(product):
    """A batch of a product without GTIN (short code only)."""
    return make_batch(product, lot_code="MO-2026-07")
