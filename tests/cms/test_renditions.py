"""Images: WebP renditions with srcset, made when the image is saved, before any visitor."""

from __future__ import annotations

import pytest
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file

from catalog.models import ProductImage
from cms.renditions import SIZES


@pytest.fixture
def photo(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        image = get_image_model().objects.create(
            title="Vải thiều", file=get_test_image_file(size=(1200, 900))
        )
    return image


def test_every_size_is_made_in_webp_when_an_image_is_uploaded(photo):
    made = {r.filter_spec: r.file.name for r in photo.renditions.all()}
    assert set(made) == set(SIZES)
    assert all(name.endswith(".webp") for name in made.values())


def test_product_page_offers_webp_srcset_without_making_renditions(
    product, photo, client, django_assert_max_num_queries
):
    ProductImage.objects.create(page=product, image=photo, caption="Vải thiều")
    before = photo.renditions.count()
    html = client.get(product.url).content.decode()
    assert photo.renditions.count() == before  # nothing resized while the visitor waited
    assert 'srcset="' in html
    assert ".webp 400w" in html and ".webp 800w" in html


def test_prefetched_rendition_is_read_without_a_cache_write(photo, monkeypatch):
    from wagtail.images.models import Rendition

    from cms.renditions import rendition

    writes = []
    backend = Rendition.cache_backend
    monkeypatch.setattr(backend, "set", lambda *a, **k: writes.append(a))
    monkeypatch.setattr(backend, "set_many", lambda *a, **k: writes.append(a))
    image = get_image_model().objects.prefetch_related("renditions").get(pk=photo.pk)

    shown = rendition(image, "fill-800x600")

    assert shown == photo.renditions.get(filter_spec="fill-800x600")
    assert writes == []  # Wagtail's get_rendition() writes the cache on every call
    assert image.get_rendition("fill-800x600") == shown and writes
