"""The scan page and the product page never state what is false about the OCOP certificate.

One case per certificate state, on both pages, asserting the visible text. The product stays
published as it would between a certificate change and the daily `check_certificates` run.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from wagtail.models import Page

from catalog.models import Certificate
from tests.factories import make_batch

pytestmark = pytest.mark.django_db

EXPIRED_TEXT = "expired on"
REVOKED_TEXT = "has been revoked"
NONE_TEXT = "holds no valid OCOP certificate"
BELOW_TEXT = "Below 3★ it is not sold as an OCOP product"


def visible_text(html: str) -> str:
    """The certificate section's text, as a reader sees it."""
    start = html.index('id="cert')
    section = html[start : html.index("</section>", start)]
    return " ".join(re.sub(r"<[^>]+>", " ", section).split())


def set_state(product, state: str) -> Certificate | None:
    certificates = Certificate.objects.filter(product=product.source)
    today = timezone.localdate()
    if state == "in_force_3plus":
        pass
    elif state == "in_force_below_3":
        certificates.update(stars=2)
    elif state == "expired":
        certificates.update(expires_on=today - dt.timedelta(days=10))
    elif state == "revoked":
        certificates.update(revoked_at=timezone.now(), revoked_reason="Vi phạm")
    elif state == "none":
        certificates.delete()
    return Certificate.objects.filter(product=product.source).first()


def english_url(product) -> str:
    page = Page.objects.get(
        translation_key=product.translation_key, locale__language_code="en"
    ).specific
    return page.url


@pytest.fixture
def pages(site, product):
    from cms.services import translate_tree

    translate_tree(site)
    batch = make_batch(product, events=1)
    return {
        "scan": f"/en/truy-xuat/{batch.short_code}/",
        "product": english_url(product),
    }


@pytest.mark.parametrize("page", ["scan", "product"])
@pytest.mark.parametrize(
    "state", ["in_force_3plus", "in_force_below_3", "expired", "revoked", "none"]
)
def test_certificate_section_states_only_the_truth(client, pages, product, page, state):
    certificate = set_state(product, state)

    response = client.get(pages[page])

    assert response.status_code == 200
    text = visible_text(response.content.decode())
    date = certificate.expires_on.strftime("%d/%m/%Y") if certificate else None
    claims = {
        "expired": EXPIRED_TEXT in text,
        "revoked": REVOKED_TEXT in text,
        "none": NONE_TEXT in text,
        "below": BELOW_TEXT in text,
        "rated": "Rating" in text,
    }
    expected = {
        "in_force_3plus": "rated",
        "in_force_below_3": "below",
        "expired": "expired",
        "revoked": "revoked",
        "none": "none",
    }[state]
    assert [claim for claim, shown in claims.items() if shown] == [expected]
    if state == "in_force_3plus":
        assert "4★" in text and date in text
    elif state == "in_force_below_3":
        assert "2★" in text and date in text and certificate.decision_number in text
    elif state == "expired":
        assert f"expired on {date}" in text
