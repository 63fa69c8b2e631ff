"""Which cached pages each change voids, for pages in general and site-wide settings.

Entry points are Wagtail's page signals and Django's model signals, so every path (admin, a
service, a command, the demo loader) is covered; the voiding itself runs after commit
(`pagecache.invalidate`). The catalogue and traceability apps add their own rules.
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from wagtail.models import Locale, Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from cms import pagecache


def _page_changed(sender, instance, **kwargs) -> None:
    pagecache.invalidate(pagecache.page_tag(instance.translation_key))


def _page_deleted(sender, instance, **kwargs) -> None:
    if isinstance(instance, Page):
        pagecache.invalidate(pagecache.page_tag(instance.translation_key), pagecache.LISTING)


def _everything(sender, **kwargs) -> None:
    """Rare changes that alter many URLs or every page: a slug, a move, a site, a setting, a
    locale (each worker's copy of the home pages holds theirs: cms.sitememo)."""
    pagecache.invalidate_all()


def connect() -> None:
    from cms.models import SiteSettings

    page_published.connect(_page_changed, dispatch_uid="pagecache-published")
    page_unpublished.connect(_page_changed, dispatch_uid="pagecache-unpublished")
    post_delete.connect(_page_deleted, dispatch_uid="pagecache-page-deleted")
    page_slug_changed.connect(_everything, dispatch_uid="pagecache-slug")
    post_page_move.connect(_everything, dispatch_uid="pagecache-move")
    for model in (SiteSettings, Site, PageViewRestriction, Locale):
        post_save.connect(_everything, sender=model, dispatch_uid=f"pagecache-{model.__name__}")
        post_delete.connect(_everything, sender=model, dispatch_uid=f"pagecache-d-{model.__name__}")
