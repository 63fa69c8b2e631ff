from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = _("Site content")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from cms import invalidation

        # Cached pages are voided after commit by what changed (cms.pagecache).
        invalidation.connect()
