"""Bytes, database queries and sub-requests of the public catalogue pages.

Builds the demo catalogue in a throwaway SQLite database (unless --reuse), then fetches each
page with Django's test client and prints: HTML bytes, CSS bytes, queries, sub-requests
(stylesheets, scripts and images the page asks for), for Vietnamese and English.

    .venv/bin/python benchmarks/pages.py [--reuse]
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/ocop-bench-pages.sqlite3")


def main() -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    if "--reuse" not in sys.argv:
        db = Path(settings.DATABASES["default"]["NAME"])
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        call_command("migrate", verbosity=0)
        with open(os.devnull, "w") as devnull:
            call_command("load_demo_data", stdout=devnull)

    from catalog.models import ProducerPage, ProductPage

    product = ProductPage.objects.live().filter(locale__language_code="vi").order_by("pk").first()
    producer = ProducerPage.objects.live().filter(locale__language_code="vi").order_by("pk").first()
    urls = [
        "/vi/",
        "/vi/san-pham/",
        "/vi/san-pham/nhom/thuc-pham/",
        "/vi/san-pham/tinh/dak-lak/",
        producer.url,
        product.url,
        "/en/",
        product.get_translation(product.locale.__class__.objects.get(language_code="en")).url,
    ]
    client = Client()
    css_cache: dict[str, int] = {}
    print(f"{'page':<60} {'HTML B':>8} {'CSS B':>7} {'queries':>8} {'subreq':>7}")
    for url in urls:
        client.get(url)  # warm renditions
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        html = response.content.decode()
        css_urls = re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)
        css = 0
        for css_url in css_urls:
            if css_url not in css_cache:
                static = ROOT / "static" / css_url.removeprefix(settings.STATIC_URL)
                css_cache[css_url] = static.stat().st_size if static.exists() else 0
            css += css_cache[css_url]
        subrequests = len(css_urls) + len(re.findall(r"<img |<script src=", html))
        print(
            f"{url[:60]:<60} {len(response.content):>8} {css:>7} {len(ctx.captured_queries):>8} {subrequests:>7}"
        )


if __name__ == "__main__":
    main()
