from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlacesConfig(AppConfig):
    name = "places"
    verbose_name = _("Sales points")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from places import invalidation

        # Cached pages are voided after commit by what changed (cms.pagecache).
        invalidation.connect()
