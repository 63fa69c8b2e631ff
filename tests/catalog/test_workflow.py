"""Producers submit; an OCOP officer approves and publishes."""

from django.urls import reverse
from wagtail.models import TaskState

from catalog.models import ProductPage
from tests.factories import certify, edit_form_data, make_product


def _submit(client, page, **changes):
    data = edit_form_data(page, **changes)
    data["action-submit"] = "submit"
    return client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)


def _approve(client, page):
    task_state = TaskState.objects.get(
        workflow_state__base_content_type__isnull=False,
        workflow_state__object_id=str(page.pk),
        status="in_progress",
    )
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk])
    return client.post(url, {"comment": ""})


def test_editor_submits_and_officer_approval_publishes(client, editor, officer, product):
    client.force_login(editor)
    _submit(client, product, title="Mật ong hoa nhãn vụ xuân")
    product.refresh_from_db()
    assert product.title == "Mật ong hoa nhãn"
    assert product.workflow_in_progress

    client.force_login(officer)
    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Mật ong hoa nhãn vụ xuân" in dashboard
    _approve(client, product)
    product.refresh_from_db()
    assert product.title == "Mật ong hoa nhãn vụ xuân"
    assert product.live


def test_editor_cannot_approve_own_submission(client, editor, product):
    client.force_login(editor)
    _submit(client, product, title="Tự duyệt")
    response = _approve(client, product)
    assert response.status_code in (302, 403)
    product.refresh_from_db()
    assert product.title == "Mật ong hoa nhãn"


def test_officer_cannot_approve_uncertified_product(client, editor, officer, producer):
    page = make_product(producer, title="Mứt chưa chứng nhận", stars=None, publish=False)
    client.force_login(editor)
    _submit(client, page)
    client.force_login(officer)
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode()
    assert "workflow-action-name" not in edit or 'value="approve"' not in edit
    response = _approve(client, page)
    assert response.status_code in (302, 403)
    assert "approve" not in response.get("Location", "")
    assert ProductPage.objects.get(pk=page.pk).live is False


def test_approval_after_certification_publishes(client, editor, officer, producer):
    page = make_product(producer, title="Mứt gừng", stars=None, publish=False)
    client.force_login(editor)
    _submit(client, page)
    certify(page, stars=3)
    client.force_login(officer)
    _approve(client, page)
    assert ProductPage.objects.get(pk=page.pk).live is True


def test_new_product_from_editor_appears_in_both_languages_after_approval(
    client, editor, officer, producer
):
    from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

    from tests.factories import leaf_group

    parent = producer.onboarded.page
    client.force_login(editor)
    data = nested_form_data(
        {
            "title": "Mật ong hoa cà phê",
            "slug": "mat-ong-hoa-ca-phe",
            "group": leaf_group().pk,
            "summary": "Mật ong mùa hoa cà phê.",
            "story": streamfield([]),
            "story_en": streamfield([]),
            "gallery": inline_formset([]),
            "comments": inline_formset([]),
            "variants": inline_formset(
                [
                    {
                        "name": "Chai 500 ml",
                        "sku": "",
                        "price": 180000,
                        "weight_grams": 700,
                        "gtin": "",
                    }
                ],
                min=1,
            ),
            "ingredients": "",
            "storage": "",
            "shelf_life": "",
        }
    )
    data["action-submit"] = "submit"
    url = reverse("wagtailadmin_pages:add", args=["catalog", "productpage", parent.pk])
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    page = ProductPage.objects.get(slug="mat-ong-hoa-ca-phe", locale__language_code="vi")
    alias = ProductPage.objects.get(
        translation_key=page.translation_key, locale__language_code="en"
    )
    assert not page.live and not alias.live

    certify(page, stars=4)
    client.force_login(officer)
    _approve(client, page)
    page.refresh_from_db()
    alias.refresh_from_db()
    assert page.live and alias.live
    assert client.get(alias.url).status_code == 200


def test_removing_a_variant_with_batches_is_refused_with_a_message(client, officer, product):
    from tests.factories import make_batch

    make_batch(product, events=1)
    variant = product.variants.get()
    data = edit_form_data(product)
    data["variants-0-DELETE"] = "1"
    data["action-publish"] = "publish"
    client.force_login(officer)
    response = client.post(reverse("wagtailadmin_pages:edit", args=[product.pk]), data)
    assert response.status_code == 200
    assert variant.name in response.content.decode()
    assert product.variants.filter(pk=variant.pk).exists()
