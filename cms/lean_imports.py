"""Optional imports a worker does not need, left out at start-up (issue 10's memory goal).

Wagtail's admin URLs import Django REST framework (its v2 admin API), and DRF's `compat`
imports every optional package it finds installed: PyYAML and Pygments (for renderers and the
browsable API's highlighting, which Wagtail's API does not use) and, for its PostgreSQL field
mappings, `django.contrib.postgres.fields`, which imports psycopg even on SQLite: ≈ 9.5 MiB per
worker. (requests, which DRF also looks for, is loaded anyway by Wagtail's oEmbed finder.) `load_drf_lean()` imports `rest_framework.compat` first, with
those modules hidden, so DRF records them as absent (as if not installed); on PostgreSQL the
field mappings stay (psycopg is loaded there anyway). The modules are visible again right
after: code that imports them later gets them.
"""

from __future__ import annotations

import sys
from contextlib import contextmanager

_MISSING = object()


@contextmanager
def hidden(*names: str):
    """Within the block, `import name` raises ImportError for each name not yet imported."""
    added = [name for name in names if name not in sys.modules]
    for name in added:
        sys.modules[name] = None
    try:
        yield
    finally:
        for name in added:
            if sys.modules.get(name, _MISSING) is None:
                del sys.modules[name]


def load_drf_lean() -> None:
    if "rest_framework.compat" in sys.modules:
        return
    from django.conf import settings

    names = ["yaml", "pygments"]
    engines = [db.get("ENGINE", "") for db in settings.DATABASES.values()]
    if not any("postgresql" in engine or "postgis" in engine for engine in engines):
        names.append("django.contrib.postgres.fields")
    with hidden(*names):
        import rest_framework.compat  # noqa: F401
