"""django-ninja's `export_openapi_schema`, kept now that `ninja` is not an installed app
(config/settings/base.py): `manage.py export_openapi_schema --api opendata.api.api`."""

from ninja.management.commands.export_openapi_schema import Command

__all__ = ["Command"]
