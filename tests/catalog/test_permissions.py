"""A cooperative editor reaches only its own producer's pages and data, on every admin URL."""

import pytest
from django.urls import reverse

from catalog.models import Certificate, ProducerPage, ProductPage
from tests.factories import edit_form_data, make_product


@pytest.fixture
def theirs(other_producer):
    return make_product(other_producer, title="Cà phê của người khác", stars=4)


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def _not_found(client, url, method="get", data=None) -> bool:
    """A plain 404 on the admin URL itself, not a redirect to /vi/… (config.middleware)."""
    return getattr(client, method)(url, data or {}).status_code == 404


def _denied(response) -> bool:
    """Wagtail answers a permission failure with 403/404, or a redirect to the dashboard."""
    if response.status_code in (403, 404):
        return True
    return (
        response.status_code == 302
        and "/login/" not in response["Location"]
        and (response["Location"].rstrip("/").endswith("/admin"))
    )


@pytest.mark.parametrize(
    "url_name",
    [
        "wagtailadmin_pages:edit",
        "wagtailadmin_pages:delete",
        "wagtailadmin_pages:unpublish",
        "wagtailadmin_pages:move",
        "wagtailadmin_pages:copy",
        "wagtailadmin_pages:history",
        "wagtailadmin_pages:lock",
        "wagtailadmin_pages:workflow_history",
    ],
)
def test_editor_cannot_open_another_producers_product_admin_urls(editor_client, theirs, url_name):
    url = reverse(url_name, args=[theirs.pk])
    response = editor_client.get(url)
    assert response.status_code == 405 or _denied(response), url
    assert _denied(editor_client.post(url, {})), url
    theirs.refresh_from_db()
    assert theirs.live is True
    assert ProductPage.objects.filter(pk=theirs.pk).exists()


def test_editor_cannot_post_changes_to_another_producers_product(editor_client, theirs):
    url = reverse("wagtailadmin_pages:edit", args=[theirs.pk])
    response = editor_client.post(url, edit_form_data(theirs, title="Bị sửa trộm"))
    assert _denied(response)
    assert (
        ProductPage.objects.get(pk=theirs.pk).get_latest_revision_as_object().title != "Bị sửa trộm"
    )


def test_editor_cannot_add_products_under_another_producer(editor_client, other_producer):
    parent = ProducerPage.objects.get(producer=other_producer, alias_of__isnull=True)
    url = reverse("wagtailadmin_pages:add", args=["catalog", "productpage", parent.pk])
    assert _denied(editor_client.get(url))


def test_editor_can_edit_own_product_but_not_publish_it(editor_client, product):
    url = reverse("wagtailadmin_pages:edit", args=[product.pk])
    assert editor_client.get(url).status_code == 200
    data = edit_form_data(product, title="Mật ong hoa nhãn (mới)")
    data["action-publish"] = "publish"
    editor_client.post(url, data)
    product.refresh_from_db()
    assert product.title == "Mật ong hoa nhãn"  # the live page is unchanged
    assert product.get_latest_revision_as_object().title == "Mật ong hoa nhãn (mới)"


def test_editor_sees_only_own_certificates(editor_client, product, theirs):
    own = product.certificates.get()
    other = theirs.certificates.get()
    listing = editor_client.get("/admin/certificate/")
    assert listing.status_code == 200
    body = listing.content.decode()
    assert own.decision_number in body
    assert other.decision_number not in body
    assert _not_found(editor_client, f"/admin/certificate/inspect/{other.pk}/")
    assert _denied(editor_client.get(f"/admin/certificate/edit/{other.pk}/"))


def test_editor_cannot_change_certificates(editor_client, product):
    cert = product.certificates.get()
    response = editor_client.post(f"/admin/certificate/edit/{cert.pk}/", {"stars": 5})
    assert _denied(response)
    assert Certificate.objects.get(pk=cert.pk).stars == 4


def test_editor_sees_only_own_producer(editor_client, producer, other_producer):
    assert editor_client.get(f"/admin/producer/edit/{producer.pk}/").status_code == 200
    assert _not_found(editor_client, f"/admin/producer/edit/{other_producer.pk}/")
    assert _not_found(
        editor_client, f"/admin/producer/edit/{other_producer.pk}/", "post", {"name": "Bị đổi tên"}
    )
    other_producer.refresh_from_db()
    assert other_producer.name != "Bị đổi tên"
    listing = editor_client.get("/admin/producer/").content.decode()
    assert producer.name in listing and other_producer.name not in listing


def test_editor_cannot_see_another_producers_images(editor_client, theirs, other_producer):
    from catalog.demo import add_gallery

    add_gallery(theirs, other_producer, count=1)
    image = theirs.gallery.first().image
    assert _denied(editor_client.get(reverse("wagtailimages:edit", args=[image.pk])))
    assert image.title not in editor_client.get(reverse("wagtailimages:index")).content.decode()


def test_officer_sees_every_producer(client, officer, producer, other_producer, theirs):
    client.force_login(officer)
    assert client.get(f"/admin/producer/edit/{other_producer.pk}/").status_code == 200
    assert client.get(reverse("wagtailadmin_pages:edit", args=[theirs.pk])).status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "explore-theirs",
        "/admin/pages/search/?q=ph%C3%AA",
        "/admin/pages/usage/catalog/productpage/",
        "/admin/reports/site-history/",
        "preview-theirs",
        "draft-theirs",
    ],
)
def test_admin_listings_and_previews_do_not_leak_other_producers_pages(
    editor_client, theirs, other_producer, url
):
    parent = ProducerPage.objects.get(producer=other_producer, alias_of__isnull=True)
    url = {
        "explore-theirs": reverse("wagtailadmin_explore", args=[parent.pk]),
        "preview-theirs": reverse("wagtailadmin_pages:preview_on_edit", args=[theirs.pk]),
        "draft-theirs": reverse("wagtailadmin_pages:view_draft", args=[theirs.pk]),
    }.get(url, url)
    response = editor_client.get(url, follow=True)
    assert "Cà phê của người khác" not in response.content.decode()
