"""Order e-mails are rendered in the shopper's language and carry the reference and total."""

from __future__ import annotations

import pytest
from django.core import mail
from django.utils import translation

from storefront.emails import render_order_email
from tests.storefront.helpers import add_to_cart, checkout, last_order, variant_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def order_in(client, shop, product, django_capture_on_commit_callbacks):
    def _order(lang: str):
        add_to_cart(client, variant_of(product), 2, lang=lang)
        with django_capture_on_commit_callbacks(execute=True):
            checkout(client, "cod", lang=lang)
        return last_order()

    return _order


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_confirmation_email_carries_reference_total_and_private_link(order_in, lang):
    order = order_in(lang)
    [message] = [m for m in mail.outbox if m.to == [order.email]]  # producers get theirs
    assert order.language == lang
    assert order.reference in message.subject
    total = "325.000 ₫" if lang == "vi" else "₫325,000"  # 2 × 150,000 + 25,000 in its language
    assert total in message.body
    assert f"/{lang}/don-hang/{order.token}/" in message.body
    assert message.to == ["lan@example.vn"]


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_email_is_rendered_under_the_orders_language(order_in, lang, monkeypatch):
    order = order_in(lang)
    seen = []
    real = translation.override

    class Spy(real):
        def __enter__(self):
            seen.append(self.language)
            return super().__enter__()

    monkeypatch.setattr("storefront.emails.translation.override", Spy)
    render_order_email(order, "confirmation")
    assert seen and set(seen) == {lang}


def test_english_email_is_in_english(order_in):
    order = order_in("en")
    subject, body = render_order_email(order, "confirmation")
    assert subject == f"Order {order.reference} confirmed"
    assert "Pay in cash when the parcels arrive" in body


def test_vietnamese_email_differs_from_english(order_in):
    """Each language renders its own e-mail: a Vietnamese translation exists and is used."""
    order = order_in("vi")
    with translation.override("vi"):
        translated = translation.gettext("Order %(ref)s confirmed") != "Order %(ref)s confirmed"
    subject_vi, body_vi = render_order_email(order, "confirmation")
    order.language = "en"
    subject_en, body_en = render_order_email(order, "confirmation")
    assert translated
    assert subject_vi != subject_en and body_vi != body_en
    assert order.reference in subject_vi
