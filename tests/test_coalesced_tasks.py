"""The factories' coalesced tasks leave Wagtail's indexes exactly as one task per save would."""

from __future__ import annotations

import pytest
from django.db.models.signals import post_save
from modelsearch.index import get_indexed_models, insert_or_update_object
from wagtail.models import Page, ReferenceIndex
from wagtail.search.models import IndexEntry

from tests.coalesced_tasks import coalesced_tasks
from tests.factories import ProducerFactory, make_batch, make_product


def _indexes() -> tuple[set, set]:
    entries = set(IndexEntry.objects.values_list("content_type_id", "object_id", "title", "body"))
    references = set(
        ReferenceIndex.objects.values_list(
            "content_type_id", "object_id", "to_content_type_id", "to_object_id", "content_path"
        )
    )
    return entries, references


@pytest.mark.django_db
def test_factories_leave_wagtails_indexes_as_per_save_tasks_would(site):
    saved = []

    def remember(sender, instance, raw=False, **kwargs):
        saved.append(instance)

    post_save.connect(remember, weak=False)
    try:
        producer = ProducerFactory()
        page = make_product(producer, title="Mật ong bạc hà Đồng Văn")
        make_batch(page, events=2)
    finally:
        post_save.disconnect(remember)
    coalesced = _indexes()
    # The page's entry holds its final title (text on SQLite, a tsvector on PostgreSQL).
    assert any(
        object_id == str(page.pk) and "bạc" in str(title).lower()
        for _ct, object_id, title, _body in coalesced[0]
    )

    # Every object saved, indexed again now by what Wagtail's save signals run: nothing changes.
    indexed = set(get_indexed_models())
    for instance in saved:
        if type(instance) in indexed:
            insert_or_update_object(instance)
        if type(instance) in ReferenceIndex.tracked_models:
            ReferenceIndex.create_or_update_for_object(instance)
    assert _indexes() == coalesced
    assert Page.objects.get(pk=page.pk).title == "Mật ong bạc hà Đồng Văn"


@pytest.mark.django_db
def test_outside_a_factory_tasks_run_at_once(site, product):
    product.title = "Mật ong rừng U Minh"
    product.save()  # no coalescing block: Wagtail's task runs before save() returns
    assert IndexEntry.objects.filter(title="Mật ong rừng U Minh").exists()


@pytest.mark.django_db
def test_a_failed_block_runs_none_of_its_tasks(site, product):
    with pytest.raises(RuntimeError), coalesced_tasks():
        product.title = "Mật ong chưa lưu"
        product.save()
        raise RuntimeError
    assert not IndexEntry.objects.filter(title="Mật ong chưa lưu").exists()
