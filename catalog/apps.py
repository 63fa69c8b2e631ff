from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "catalog"
    verbose_name = _("OCOP catalogue")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from catalog import invalidation

        # Cached pages are voided after commit by what changed (cms.pagecache).
        invalidation.connect()
