"""The static files storage of production (WhiteNoise's compressed manifest storage), with each
file's URL worked out once per process.

Django works `{% static %}` out again on every use (the manifest look-up, URL joining and
quoting: ~40 µs); a page shows half a dozen. The manifest is read once when the storage is
made and never changes while the process runs, so neither does a name's URL. Names the
manifest lacks still raise every time (nothing is kept for them). A leaf module.
"""

from __future__ import annotations

from django.conf import settings
from whitenoise.storage import CompressedManifestStaticFilesStorage

URLS_MAX = 4096  # names come from templates; emptied if ever full


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._urls: dict[tuple[str, bool], str] = {}

    def url(self, name, force=False):
        if force:
            return super().url(name, force)
        key = (name, settings.DEBUG)
        found = self._urls.get(key)
        if found is None:
            found = super().url(name)
            if len(self._urls) >= URLS_MAX:
                self._urls.clear()
            self._urls[key] = found
        return found
