from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogSearchConfig(AppConfig):
    name = "catalog.search"
    label = "catalog_search"
    verbose_name = _("Catalogue search")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from catalog.search import handlers

        handlers.connect()
