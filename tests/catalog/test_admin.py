"""Officers record, correct and revoke certificates and onboard producers in the admin."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from catalog.models import Certificate, CertificateEvent, Producer, ProductPage
from tests.factories import criteria_set, make_product


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


def _cert_data(product, **overrides):
    data = {
        "product": product.pk,
        "criteria_set": criteria_set("148/2023 + 1489/2025").pk,
        "score_a": "30",
        "score_b": "20",
        "score_c": "25",
        "stars": "4",
        "decision_number": "77/QĐ-UBND",
        "decision_date": (timezone.localdate() - dt.timedelta(days=3)).isoformat(),
        "issuing_body": "UBND tỉnh Bắc Ninh",
        "issuing_level": "province",
        "expires_on": "",
    }
    data.update(overrides)
    return data


def test_officer_records_a_certificate_and_the_total_is_computed(officer_client, producer):
    page = make_product(producer, title="Mơ muối", stars=None, publish=False)
    response = officer_client.post("/admin/certificate/new/", _cert_data(page))
    assert response.status_code == 302, response.content.decode()[:2000]
    cert = Certificate.objects.get(product=page)
    assert cert.total_score == 75
    assert cert.expires_on == cert.decision_date.replace(year=cert.decision_date.year + 3)
    assert CertificateEvent.objects.filter(certificate=cert, kind="recorded").exists()


def test_admin_rejects_out_of_range_score_with_field_message_and_keeps_input(
    officer_client, producer
):
    page = make_product(producer, title="Mơ muối", stars=None, publish=False)
    response = officer_client.post("/admin/certificate/new/", _cert_data(page, score_a="45"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "score_a" in response.context["form"].errors
    assert "40" in response.context["form"].errors["score_a"][0]
    assert 'value="77/QĐ-UBND"' in html
    assert not Certificate.objects.filter(product=page).exists()


def test_officer_revokes_a_certificate_and_the_product_goes_offline(officer_client, product):
    cert = product.certificates.get()
    form = officer_client.get(f"/admin/certificate/revoke/{cert.pk}/")
    assert form.status_code == 200
    officer_client.post(f"/admin/certificate/revoke/{cert.pk}/", {"reason": "Hàng giả"})
    cert.refresh_from_db()
    assert cert.revoked_at is not None and cert.revoked_reason == "Hàng giả"
    assert ProductPage.objects.get(pk=product.pk).live is False


def test_revocation_without_reason_changes_nothing(officer_client, product):
    cert = product.certificates.get()
    response = officer_client.post(f"/admin/certificate/revoke/{cert.pk}/", {"reason": ""})
    assert response.status_code == 200
    cert.refresh_from_db()
    assert cert.revoked_at is None


def test_editor_cannot_revoke(client, editor, product):
    client.force_login(editor)
    cert = product.certificates.get()
    response = client.post(f"/admin/certificate/revoke/{cert.pk}/", {"reason": "x"})
    assert response.status_code in (302, 403)
    cert.refresh_from_db()
    assert cert.revoked_at is None


def test_officer_onboards_a_producer_with_its_editor_in_one_step(officer_client, site):
    response = officer_client.post(
        "/admin/producer/new/",
        {
            "name": "Hợp tác xã Cam Cao Phong",
            "short_name": "HTX Cam Cao Phong",
            "kind": "htx",
            "tax_code": "5400123453",
            "province_code": "25",
            "ward_code": "4795",
            "editor_username": "htx.camcaophong",
            "editor_email": "cam@example.vn",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    producer = Producer.objects.get(tax_code="5400123453")
    editor = get_user_model().objects.get(username="htx.camcaophong")
    assert producer.editors_group in editor.groups.all()
    assert producer.pages.filter(live=True).exists()
