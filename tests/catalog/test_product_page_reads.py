"""What the product page reads narrowly (only the fields it shows) still shows what is true."""

from __future__ import annotations

import pytest

from cms.services import translate_tree
from tests.factories import criteria_set


@pytest.fixture(autouse=True)
def language_kept():
    """A request to /en/ leaves English active in this thread: later tests expect what was."""
    from django.utils import translation

    before = translation.get_language()
    yield
    translation.activate(before)


@pytest.fixture
def english(product, site):
    """The product's English alias, as the site shows it on /en/."""
    from wagtail.models import Locale

    translate_tree(site)
    return product.get_translation(Locale.objects.get(language_code="en"))


@pytest.mark.parametrize(("level", "shown"), [("province", "provincial"), ("central", "central")])
def test_a_certificate_from_a_council_evaluation_says_so(product, english, client, level, shown):
    from evaluation.models import OcopApplication
    from evaluation.sheets import load_sample_sheets, sheet_for

    load_sample_sheets()
    certificate = product.certificates.get()
    certificate.issuing_level = level
    certificate.save()
    OcopApplication.objects.create(
        product=product,
        group=product.group,
        criteria_set=criteria_set(),
        sheet=sheet_for(criteria_set()),
        certificate=certificate,
    )
    html = client.get(english.url).content.decode()
    assert f"Evaluated by the {shown} council" in html
    assert 'class="cert-evaluated"' in client.get(product.url).content.decode()


def test_a_certificate_without_an_evaluation_does_not_claim_one(product, english, client):
    html = client.get(english.url).content.decode()
    assert "Evaluated by" not in html
    assert product.certificates.get().decision_number in html


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_language_links_lead_to_each_live_translation(product, english, client, lang):
    page, other = (product, english) if lang == "vi" else (english, product)
    html = client.get(page.url).content.decode()
    code = other.locale.language_code
    assert f'<a href="{other.url}" hreflang="{code}" lang="{code}">{code.upper()}</a>' in html
    assert f'<link rel="alternate" hreflang="{code}" href="http://' in html
    assert f'{other.url}">' in html


def test_a_page_url_worked_out_once_per_request_follows_a_new_slug(product, rf):
    request = rf.get(product.url)
    url = product.get_url(request)
    assert product.get_url(request) == url == product.url
    product.slug = "mat-ong-hoa-nhan-moi"
    product.save()
    assert product.get_url(request).endswith("/mat-ong-hoa-nhan-moi/")
    assert product.get_full_url(rf.get("/")).endswith("/mat-ong-hoa-nhan-moi/")


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_producer_is_linked_in_the_pages_language(product, english, client, lang):
    from catalog.models import ProducerPage

    page = product if lang == "vi" else english
    producer_page = ProducerPage.objects.get(producer=product.producer, locale__language_code=lang)
    html = client.get(page.url).content.decode()
    assert f'<a href="{producer_page.url}">{producer_page.title}</a> ›' in html
    assert f'<a href="{producer_page.url}">{product.producer.name}</a>' in html
