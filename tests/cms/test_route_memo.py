"""Each worker remembers which page answers a path (HomePage.route): the page served is still
the one at that path now, whatever changed since it was remembered."""

from __future__ import annotations

from cms.models import ContentPage
from tests.factories import make_product


def test_a_new_slug_moves_the_page_at_once(product, client):
    old = product.url
    assert client.get(old).status_code == 200  # remembered
    product.slug = "mat-ong-hoa-nhan-moi"
    product.save()
    moved = client.get(old)  # not served there any more (Wagtail may redirect to the new URL)
    assert moved.status_code in (301, 404)
    assert moved.status_code == 404 or moved["Location"] == product.url
    assert client.get(product.url).status_code == 200


def test_an_unpublished_page_is_gone_at_once(product, client):
    assert client.get(product.url).status_code == 200
    product.unpublish()
    assert client.get(product.url).status_code == 404


def test_another_page_made_at_a_deleted_pages_path_is_the_one_served(producer, client):
    first = make_product(producer, title="Mật ong hoa nhãn", summary="Vụ mùa đầu tiên.")
    url = first.url
    assert "Vụ mùa đầu tiên." in client.get(url).content.decode()
    first.delete()
    make_product(producer, title="Mật ong hoa nhãn", summary="Vụ mùa thứ hai.")
    html = client.get(url).content.decode()
    assert "Vụ mùa thứ hai." in html and "Vụ mùa đầu tiên." not in html


def test_a_remembered_entry_that_no_longer_fits_is_looked_up_afresh(product, site, client):
    """Whatever the memo says (here: the right id under a wrong type), the page served is the
    one at the path, as its own type."""
    from django.contrib.contenttypes.models import ContentType

    from cms import models as cms_models

    assert client.get(product.url).status_code == 200
    key = next(k for k in cms_models._PAGES_AT if k[1] == product.url_path)
    cms_models._PAGES_AT[key] = (product.pk, ContentType.objects.get_for_model(ContentPage).pk)
    html = client.get(product.url).content.decode()
    assert product.title in html and 'class="variant"' in html
    assert cms_models._PAGES_AT[key][1] == product.content_type_id
