"""OCOP officers manage every producer's images and documents (Wagtail permits media per
collection: officers hold the permissions on the root collection, set by `setup_site`)."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from wagtail.documents.models import Document

from cms.services import OFFICER_COLLECTION_PERMISSIONS, setup_site


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/admin/images/",
        "/admin/documents/",
        "/admin/images/multiple/add/",
        "/admin/documents/multiple/add/",
    ],
)
def test_officers_open_the_media_libraries_and_may_upload(client, officer, url):
    client.force_login(officer)
    assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_officers_see_and_edit_a_producers_document(client, officer, producer):
    document = Document.objects.create(
        title="Phiếu kiểm nghiệm mật ong",
        file=ContentFile(b"%PDF-1.4 test", name="kiem-nghiem.pdf"),
        collection=producer.collection,
    )
    client.force_login(officer)
    assert "Phiếu kiểm nghiệm mật ong" in client.get("/admin/documents/").content.decode()
    assert client.get(f"/admin/documents/edit/{document.pk}/").status_code == 200


@pytest.mark.django_db
def test_setup_site_grants_them_once(site):
    from wagtail.models import GroupCollectionPermission

    setup_site()
    setup_site()
    assert GroupCollectionPermission.objects.filter(group__name="OCOP officers").count() == len(
        OFFICER_COLLECTION_PERMISSIONS
    )
