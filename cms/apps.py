from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from cms.heif import defer_heif_plugin
from cms.lean_imports import load_drf_lean

# Done on import: this app is the first installed, and Wagtail's apps import Willow and DRF
# while Django loads them. pillow_heif (HEIC photos) loads with the first HEIC file, DRF
# without the optional packages it would never use here (cms/lean_imports.py).
defer_heif_plugin()
load_drf_lean()


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = _("Site content")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from cms import admin_forms, admin_rich_text, audit, invalidation, renditions, slugs

        # Price and stock changes of variants go to the audit log (cms.audit).
        audit.connect()

        # Cached pages are voided after commit by what changed (cms.pagecache).
        invalidation.connect()

        # Image sizes are made in WebP after an upload, before the first visitor asks.
        renditions.connect()

        # Page slugs fold đ to d like every other Vietnamese letter (cms.slugs).
        slugs.install()

        # A forged admin post without a StreamField's block data is refused, not a 500.
        admin_forms.install()
        admin_rich_text.install()  # and rich text that is not Draftail JSON
