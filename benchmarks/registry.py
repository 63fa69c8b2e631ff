"""The statistics page at 10,000 certificates against the product listing's budget.

Builds the demo catalogue in a throwaway SQLite database (--reuse: migrates an existing demo
database given by DATABASE_URL, e.g. a copy of benchmarks/load.py's), adds certificates
until there are 10,000 recognitions (3★–5★, every status, decisions 2019–today) spread over the
demo products, then renders each page with Django's test client (page cache off) and prints the
median wall time of 7 renders (after 2 warm-ups) and the number of queries.

    .venv/bin/python benchmarks/registry.py [--reuse] [--certificates 10000]
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/ocop-bench-registry.sqlite3")
os.environ["PAGE_CACHE_ENABLED"] = "0"

RUNS = 7


def _arg(name: str, default: int) -> int:
    return int(sys.argv[sys.argv.index(name) + 1]) if name in sys.argv else default


def add_certificates(target: int) -> None:
    import datetime as dt
    from decimal import Decimal

    from django.utils import timezone

    from catalog.models import Certificate, CriteriaSet, ProductPage

    have = Certificate.objects.filter(stars__gte=3).count()
    criteria = CriteriaSet.objects.get(code="148/2023")
    products = list(ProductPage.objects.filter(alias_of__isnull=True).values_list("pk", flat=True))
    rng = random.Random(14)
    today = timezone.localdate()
    scores = {3: (25, 15, 20), 4: (32, 20, 28), 5: (38, 24, 31)}
    batch = []
    for i in range(target - have):
        stars = rng.choices([3, 4, 5], weights=[60, 37, 3])[0]
        a, b, c = (Decimal(x) for x in scores[stars])
        decided = today - dt.timedelta(days=rng.randint(0, 7 * 365))
        batch.append(
            Certificate(
                product_id=rng.choice(products),
                criteria_set=criteria,
                score_a=a,
                score_b=b,
                score_c=c,
                total_score=a + b + c,
                stars=stars,
                decision_number=f"{5000 + i}/QĐ-UBND",
                decision_date=decided,
                issuing_body="UBND tỉnh",
                issuing_level="central" if stars == 5 else "province",
                expires_on=decided + dt.timedelta(days=36 * 30),
                revoked_at=timezone.now() if rng.random() < 0.02 else None,
            )
        )
    Certificate.objects.bulk_create(batch, batch_size=1000)


def measure(client, url: str) -> tuple[float, int, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(2):
        client.get(url)
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        times.append(time.perf_counter() - start)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(times) * 1000, len(ctx.captured_queries), len(response.content)


def main() -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    if "--reuse" not in sys.argv:
        db = Path(settings.DATABASES["default"]["NAME"])
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
    call_command("migrate", verbosity=0)
    if "--reuse" not in sys.argv:
        with open(os.devnull, "w") as devnull:
            call_command("load_demo_data", stdout=devnull)
    add_certificates(_arg("--certificates", 10_000))

    from catalog.models import Certificate

    client = Client()
    print(f"recognitions: {Certificate.objects.filter(stars__gte=3).count()}")
    print(f"load average before: {os.getloadavg()[0]:.1f}")
    print(f"| {'page':<40} | {'median ms':>9} | {'queries':>7} | {'HTML bytes':>10} |")
    print(f"|{'-' * 42}|{'-' * 11}:|{'-' * 9}:|{'-' * 12}:|")
    for url in (
        "/vi/san-pham/",
        "/vi/thong-ke/",
        "/vi/thong-ke/?province=dak-lak",
        "/vi/ocop/",
        "/vi/ocop/?q=mat+ong&status=in-force",
        "/vi/ocop/danh-sach.csv",
        "/vi/ocop/danh-sach.xlsx",
    ):
        ms, queries, size = measure(client, url)
        print(f"| `{url}`{' ' * max(0, 38 - len(url))} | {ms:>9.0f} | {queries:>7} | {size:>10,} |")
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
