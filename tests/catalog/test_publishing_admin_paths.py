"""The 3★ rule through the admin's other publishing paths: refused with a message, never a 500.

Bulk publish, "Copy" with "Publish copies", "Create alias" (from the copy form) and the admin
API's publish / copy / create_alias actions each used to end in a 500 when the rule refused.
"""

from __future__ import annotations

import json

import pytest
from django.contrib.messages import get_messages
from django.utils import translation
from wagtail.models import Page

from catalog.models import ProducerPage, ProductPage
from catalog.services import publishability_error
from tests.factories import make_product


@pytest.fixture
def uncertified(producer):
    return make_product(producer, title="Chưa có chứng nhận", stars=None, publish=False)


@pytest.fixture
def admin_client(client, officer):
    client.force_login(officer)
    return client


def _messages(response) -> str:
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


def _bulk_publish(admin_client, *pages, include_descendants=False):
    ids = "&".join(f"id={p.pk}" for p in pages)
    url = f"/admin/bulk/wagtailcore/page/publish/?{ids}&next=/admin/pages/"
    data = {"include_descendants": "on"} if include_descendants else {}
    return admin_client.post(url, data)


def test_bulk_publish_of_an_uncertified_product_is_refused_with_the_reason(
    admin_client, uncertified, product
):
    product.unpublish()
    response = _bulk_publish(admin_client, uncertified, product)
    assert response.status_code == 302
    with translation.override("vi"):
        reason = publishability_error(uncertified)
    assert reason in _messages(response)
    assert not ProductPage.objects.get(pk=uncertified.pk).live
    assert not ProductPage.objects.get(pk=product.pk).live  # all or nothing


def test_bulk_publish_with_descendants_refuses_an_uncertified_draft_below(
    admin_client, uncertified
):
    producer_page = ProducerPage.objects.get(pk=uncertified.get_parent().pk)
    response = _bulk_publish(admin_client, producer_page, include_descendants=True)
    assert response.status_code == 302
    assert "Chưa có chứng nhận" in _messages(response)
    assert not ProductPage.objects.get(pk=uncertified.pk).live


def test_bulk_publish_of_certified_products_still_publishes(admin_client, product):
    product.unpublish()
    response = _bulk_publish(admin_client, product)
    assert response.status_code == 302
    assert ProductPage.objects.get(pk=product.pk).live


def _copy(admin_client, page, **flags):
    data = {
        "new_title": "Bản sao",
        "new_slug": "ban-sao",
        "new_parent_page": page.get_parent().pk,
        **{k: "on" for k, v in flags.items() if v},
    }
    return admin_client.post(f"/admin/pages/{page.pk}/copy/", data)


@pytest.mark.parametrize("flags", [{"publish_copies": True}, {"alias": True}])
def test_copy_that_would_put_a_live_uncertified_product_online_is_refused(
    admin_client, product, flags
):
    before = Page.objects.count()
    response = _copy(admin_client, product, **flags)
    assert response.status_code == 302
    assert response["Location"] == f"/admin/pages/{product.pk}/copy/"
    assert "“Mật ong hoa nhãn”" in _messages(response)
    assert Page.objects.count() == before


def test_copying_a_producer_with_subpages_and_publish_is_refused(admin_client, product):
    producer_page = product.get_parent()
    before = Page.objects.count()
    response = _copy(admin_client, producer_page, publish_copies=True, copy_subpages=True)
    assert response.status_code == 302
    assert "Mật ong hoa nhãn" in _messages(response)
    assert Page.objects.count() == before


@pytest.mark.parametrize("parent", ["abc", "9" * 30, "999999", ""])
def test_copy_under_a_missing_or_malformed_parent_is_a_message(admin_client, product, parent):
    before = Page.objects.count()
    data = {"new_title": "Bản sao", "new_slug": "ban-sao", "new_parent_page": parent}
    response = admin_client.post(f"/admin/pages/{product.pk}/copy/", data)
    assert response.status_code == 302
    assert _messages(response)
    assert Page.objects.count() == before


def test_copy_as_draft_is_allowed(admin_client, product):
    response = _copy(admin_client, product)
    assert response.status_code == 302
    copy = ProductPage.objects.get(slug="ban-sao")
    assert copy.live is False


def _api(admin_client, page, action, payload=None):
    return admin_client.post(
        f"/admin/api/main/pages/{page.pk}/action/{action}/",
        json.dumps(payload or {}),
        content_type="application/json",
    )


def test_admin_api_publish_of_uncertified_product_is_a_400_with_the_reason(
    admin_client, uncertified
):
    response = _api(admin_client, uncertified, "publish")
    assert response.status_code == 400
    with translation.override("vi"):
        reason = publishability_error(uncertified)
    assert reason in json.dumps(response.json(), ensure_ascii=False)
    assert not ProductPage.objects.get(pk=uncertified.pk).live


@pytest.mark.parametrize(
    ("action", "extra"),
    [("copy", {"keep_live": True}), ("create_alias", {})],
)
def test_admin_api_copy_or_alias_of_a_live_product_is_a_400(admin_client, product, action, extra):
    before = Page.objects.count()
    payload = {"destination_page_id": product.get_parent().pk, "update_slug": "ban-sao", **extra}
    response = _api(admin_client, product, action, payload)
    assert response.status_code == 400
    assert "OCOP" in json.dumps(response.json(), ensure_ascii=False)
    assert Page.objects.count() == before
