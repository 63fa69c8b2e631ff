"""A review's every change (written, moderated, answered, deleted) voids its product's pages."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from wagtail.models import Page

from cms import pagecache


def _review_changed(sender, instance, **kwargs) -> None:
    key = Page.objects.filter(pk=instance.product_id).values_list("translation_key", flat=True)
    key = key.first()
    if key is not None:
        pagecache.invalidate(pagecache.page_tag(key))


def connect() -> None:
    from reviews.models import Review

    post_save.connect(_review_changed, sender=Review, dispatch_uid="pagecache-review")
    post_delete.connect(_review_changed, sender=Review, dispatch_uid="pagecache-d-review")
