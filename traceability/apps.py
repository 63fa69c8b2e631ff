from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TraceabilityConfig(AppConfig):
    name = "traceability"
    verbose_name = _("Traceability")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from traceability import invalidation

        # Cached pages are voided after commit by what changed (cms.pagecache).
        invalidation.connect()
