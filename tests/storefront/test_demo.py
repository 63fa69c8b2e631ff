from __future__ import annotations

import pytest
from wagtail.models import Site

from cms.models import SiteSettings
from storefront.demo import load_demo
from storefront.models import Order, OrderStatus, ShippingRule
from storefront.shipping import shipping_fee
from tests.factories import make_product

pytestmark = pytest.mark.django_db


def test_demo_loader_builds_rules_bank_account_and_orders_once(site, producer, other_producer):
    make_product(producer)
    make_product(other_producer, title="Cà phê Robusta")

    load_demo()
    first = set(Order.objects.values_list("reference", flat=True))
    load_demo()

    assert set(Order.objects.values_list("reference", flat=True)) == first
    assert len(first) == 4
    statuses = set(Order.objects.values_list("status", flat=True))
    assert {
        OrderStatus.PROCESSING,
        OrderStatus.PENDING_PAYMENT,
        OrderStatus.SHIPPED,
        OrderStatus.CANCELLED,
    } <= statuses
    assert ShippingRule.objects.count() == 9
    assert shipping_fee(79, 500, 100_000) == 35_000
    assert shipping_fee(1, 5_000, 600_000) == 0  # free above 500.000 ₫
    bank = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    assert bank.bank_bin == "970436" and bank.bank_account_number
