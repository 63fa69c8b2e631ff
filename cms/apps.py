from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = _("Site content")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from cms import admin_forms, audit, invalidation, renditions, slugs

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
