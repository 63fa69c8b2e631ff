"""Wagtail's apps without the routers they add to Wagtail's v3 API (issue 10's memory goal).

In their `ready()`, Wagtail's images, documents, snippets, locales and redirects apps add
routers and schemas to the v3 API (`wagtail.api.v3`), which imports django-ninja and pydantic:
≈ 8 MiB in every worker. This site does not serve that API (`wagtail.api.v3` is not an
installed app and none of its URLs are included), so these app configs run Wagtail's own
`ready()` unchanged while the API modules it imports are stand-ins that register nothing.
Everything else `ready()` does (permission policies, signal handlers, admin widgets, the
reference index) happens as usual; the stand-ins are removed afterwards, so code that imports
the real API later gets it. tests/traceability/test_startup_imports.py fails if ninja or
pydantic come back at start-up.
"""

from __future__ import annotations

import sys
from contextlib import contextmanager
from types import ModuleType

from wagtail.contrib.redirects.apps import WagtailRedirectsAppConfig
from wagtail.documents.apps import WagtailDocsAppConfig
from wagtail.images.apps import WagtailImagesAppConfig
from wagtail.locales.apps import WagtailLocalesAppConfig
from wagtail.snippets.apps import WagtailSnippetsAppConfig


class _UnservedAPI:
    def add_router(self, prefix, router) -> None:
        """The v3 API is not served here: nothing to add."""


def _stand_in(name: str) -> ModuleType:
    module = ModuleType(name, "Stand-in while an app starts (cms.wagtail_apps).")
    module.api = _UnservedAPI()
    module.router = None
    module.register_content_types = lambda: None
    return module


@contextmanager
def wagtail_api_v3_unserved(app_name: str):
    """While an app's ready() runs, its `api.v3` modules and Wagtail's v3 API are stand-ins."""
    names = [
        "wagtail.api.v3.api",
        f"{app_name}.api.v3",
        f"{app_name}.api.v3.registry",
        f"{app_name}.api.v3.router",
    ]
    added = [name for name in names if name not in sys.modules]
    sys.modules.update({name: _stand_in(name) for name in added})
    try:
        yield
    finally:
        for name in added:
            sys.modules.pop(name, None)


class _WithoutAPIv3:
    default = False

    def ready(self) -> None:
        with wagtail_api_v3_unserved(self.name):
            super().ready()


class ImagesConfig(_WithoutAPIv3, WagtailImagesAppConfig):
    pass


class DocumentsConfig(_WithoutAPIv3, WagtailDocsAppConfig):
    pass


class SnippetsConfig(_WithoutAPIv3, WagtailSnippetsAppConfig):
    pass


class LocalesConfig(_WithoutAPIv3, WagtailLocalesAppConfig):
    pass


class RedirectsConfig(_WithoutAPIv3, WagtailRedirectsAppConfig):
    pass
