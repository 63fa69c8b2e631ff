"""Bulk loads (load_demo_data): per-save side effects are batched, and nothing is lost."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file

from catalog.search import tasks as search_tasks
from cms import pagecache
from cms.renditions import SIZES, make_renditions_later, renditions_deferred


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE_ENABLED = True
    cache.clear()
    yield
    cache.clear()


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


def test_demo_editors_throwaway_hash_is_standard_and_upgraded_on_sign_in(settings):
    from django.contrib.auth.hashers import check_password, get_hasher, make_password

    from catalog.demo import _throwaway_passwords

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    with _throwaway_passwords():
        encoded = make_password("s3cret-demo")
    assert encoded.startswith("pbkdf2_sha256$1000$")
    upgraded = []
    assert check_password("s3cret-demo", encoded, setter=upgraded.append)
    assert upgraded == ["s3cret-demo"]  # Django re-hashes it at full strength
    assert get_hasher().must_update(encoded)


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
