"""The 3★ rule: no path publishes a product without a valid certificate of 3★ or more."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone, translation

from catalog.models import ProductPage
from catalog.services import ProductNotPublishable, publishability_error, revoke_certificate
from tests.factories import certify, edit_form_data, make_product


@pytest.fixture
def uncertified(producer):
    return make_product(producer, title="Chưa có chứng nhận", stars=None, publish=False)


def test_certified_product_publishes(product):
    assert product.live is True


@pytest.mark.parametrize("stars", [None, 1, 2])
def test_code_cannot_publish_without_3_stars(producer, stars):
    page = make_product(producer, title="Sản phẩm thử", stars=stars, publish=False)
    with pytest.raises(ProductNotPublishable):
        page.get_latest_revision().publish()
    assert ProductPage.objects.get(pk=page.pk).live is False


def test_code_cannot_publish_with_expired_certificate(producer):
    page = make_product(
        producer,
        stars=4,
        publish=False,
        certificate_kwargs={"decision_date": timezone.localdate() - dt.timedelta(days=40 * 31)},
    )
    with translation.override("en"), pytest.raises(ProductNotPublishable, match="expired"):
        page.get_latest_revision().publish()


def test_code_cannot_publish_with_revoked_certificate(product):
    revoke_certificate(product.certificates.get(), reason="test")
    with translation.override("en"), pytest.raises(ProductNotPublishable, match="revoked"):
        product.get_latest_revision().publish()


def test_saving_a_page_as_live_is_refused(uncertified):
    uncertified.live = True
    with pytest.raises(ProductNotPublishable):
        uncertified.save()
    assert ProductPage.objects.get(pk=uncertified.pk).live is False


def test_editor_publish_button_shows_error_and_keeps_input(client, officer, uncertified):
    client.force_login(officer)
    url = f"/admin/pages/{uncertified.pk}/edit/"
    data = edit_form_data(uncertified, title="Tên đã sửa")
    data["action-publish"] = "publish"
    response = client.post(url, data)
    assert response.status_code == 200
    with translation.override("vi"):
        expected = publishability_error(uncertified)
    assert expected in response.content.decode()
    assert "Tên đã sửa" in response.content.decode()
    assert ProductPage.objects.get(pk=uncertified.pk).live is False


def test_editor_publish_button_publishes_certified_product(client, officer, uncertified):
    certify(uncertified, stars=3)
    client.force_login(officer)
    url = f"/admin/pages/{uncertified.pk}/edit/"
    data = edit_form_data(uncertified)
    data["action-publish"] = "publish"
    response = client.post(url, data)
    assert response.status_code == 302
    assert ProductPage.objects.get(pk=uncertified.pk).live is True


def test_scheduled_publishing_skips_uncertified_and_publishes_certified(producer, uncertified):
    good = make_product(producer, title="Đã chứng nhận", stars=3, publish=False)
    past = timezone.now() - dt.timedelta(minutes=5)
    for page in (uncertified, good):
        revision = page.get_latest_revision()
        revision.approved_go_live_at = past
        revision.save()
    call_command("publish_scheduled")
    assert ProductPage.objects.get(pk=good.pk).live is True
    assert ProductPage.objects.get(pk=uncertified.pk).live is False
    revision = uncertified.get_latest_revision()
    revision.refresh_from_db()
    assert revision.approved_go_live_at is None


def test_english_alias_follows_the_rule(product, site):
    from wagtail.models import Locale

    from cms.services import translate_tree

    translate_tree(site)
    alias = ProductPage.objects.get(
        translation_key=product.translation_key, locale=Locale.objects.get(language_code="en")
    )
    assert alias.live is True
    revoke_certificate(product.certificates.get(), reason="test")
    alias.refresh_from_db()
    assert alias.live is False
