"""Bulk loads (load_demo_data): per-save side effects are batched, and nothing is lost."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file

from catalog.search import tasks as search_tasks
from cms import pagecache
from cms.renditions import SIZES, make_renditions_later, renditions_deferred

pytestmark = pytest.mark.usefixtures("page_cache_on")


def stamp(tag):
    return cache.get(pagecache.TAG_PREFIX + tag)


def test_batched_invalidations_are_written_once_at_the_end(
    db, monkeypatch, django_capture_on_commit_callbacks
):
    writes = []
    real = pagecache._touch
    monkeypatch.setattr(pagecache, "_touch", lambda tags: (writes.append(tags), real(tags)))
    with django_capture_on_commit_callbacks(execute=True), pagecache.invalidation_batched():
        with django_capture_on_commit_callbacks(execute=True):
            pagecache.invalidate("producer:1", pagecache.LISTING)
            pagecache.invalidate("producer:2")
        assert writes == [] and stamp("producer:1") is None
    assert writes == [[pagecache.SITE]]  # every stored page depends on SITE: all are void
    assert stamp(pagecache.SITE)


def test_a_batch_without_invalidations_writes_nothing(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pagecache.invalidation_batched():
        pass
    assert stamp(pagecache.SITE) is None


def test_outside_a_batch_each_invalidation_is_written(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        pagecache.invalidate("producer:3")
    assert stamp("producer:3")


def test_indexing_is_queued_again_once_the_suspension_ends(db, monkeypatch):
    queued = []
    monkeypatch.setattr(search_tasks.transaction, "on_commit", lambda f: queued.append(f))
    with search_tasks.indexing_suspended():
        search_tasks.index_products_later([1, 2])
    assert queued == []
    search_tasks.index_products_later([3])
    assert len(queued) == 1


def test_deferred_images_get_no_renditions_until_a_view_asks(
    db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), renditions_deferred() as saved:
        image = get_image_model().objects.create(title="Chè", file=get_test_image_file())
    assert saved == [image.pk]
    assert image.renditions.count() == 0
    assert image.get_rendition(SIZES[0]).url.endswith(".webp")  # made on demand, same spec
    with django_capture_on_commit_callbacks(execute=True):
        make_renditions_later(image.pk)  # outside the block: made ahead again
    assert set(image.renditions.values_list("filter_spec", flat=True)) == set(SIZES)


def test_an_editor_nobody_is_told_a_password_cannot_sign_in_until_given_one(site, client):
    """The demo's unprinted producer editors: no usable password (nothing to guess, no hash
    to pay for); giving one later (`reset_accounts`, a set-password link) works as usual."""
    from catalog.addresses import wards_of
    from catalog.models import ProducerType
    from catalog.services import create_producer
    from tests.factories import next_tax_code

    onboarded = create_producer(
        editor_username="editor-khong-mat-khau",
        editor_can_sign_in=False,
        name="Hợp tác xã Không Mật Khẩu",
        short_name="HTX Không Mật Khẩu",
        kind=ProducerType.COOPERATIVE,
        tax_code=next_tax_code(),
        province_code=24,
        ward_code=wards_of(24)[0][0],
        street_address="Thôn Đông",
        phone="0912345678",
    )
    editor = onboarded.editor
    assert onboarded.password == "" and not editor.has_usable_password()
    assert not client.login(username=editor.username, password="")
    editor.set_password("given-later-123")
    editor.save()
    assert client.login(username=editor.username, password="given-later-123")


def test_wagtail_search_indexes_nothing_during_the_load_and_again_after(db, monkeypatch):
    from types import SimpleNamespace

    import modelsearch.signal_handlers

    from cms.management.commands.load_demo_data import wagtail_search_paused

    queued = []
    fake = SimpleNamespace(enqueue=lambda *args: queued.append(args))
    monkeypatch.setattr(modelsearch.signal_handlers, "insert_or_update_object_task", fake)
    with wagtail_search_paused():
        get_image_model().objects.create(title="Quế", file=get_test_image_file())
    assert queued == []
    image = get_image_model().objects.create(title="Hồi", file=get_test_image_file())
    assert ("wagtailimages", "image", str(image.pk)) in queued
