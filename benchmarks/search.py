"""Catalogue search benchmark: index build time and query latency (p50/p95) per engine.

Builds N synthetic but realistic Vietnamese OCOP products as search documents, inserted in
bulk (no Wagtail pages), in a throw-away test database, then times typical shopper queries
with facets through the same engine interface the views use.

    .venv/bin/python benchmarks/search.py                      # SQLite, 10k and 100k
    DATABASE_URL=postgres://ocop:ocop@127.0.0.1:5432/ocop_search .venv/bin/python benchmarks/search.py
    ELASTICSEARCH_URL=http://127.0.0.1:9200 .venv/bin/python benchmarks/search.py   # + ES
    make search-node && OPENSEARCH_URL=http://127.0.0.1:9200 .venv/bin/python benchmarks/search.py
    .venv/bin/python benchmarks/search.py --sizes 10000 --repeat 10

Foreign keys to product pages are switched off for the session: the documents point at
pages that do not exist. Results: docs/benchmarks-search.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

# (product words, group slug, typical price in đồng)
PRODUCTS = [
    ("Mật ong", "mat-ong-nong-san-so-che", 180_000),
    ("Nước mắm", "nuoc-mam", 95_000),
    ("Mắm tôm", "tuong-nuoc-cham", 60_000),
    ("Cà phê", "ca-phe-ca-cao", 250_000),
    ("Ca cao", "ca-phe-ca-cao", 220_000),
    ("Vải thiều", "rau-cu-qua-hat-tuoi", 120_000),
    ("Bưởi", "rau-cu-qua-hat-tuoi", 90_000),
    ("Nhãn lồng", "rau-cu-qua-hat-tuoi", 70_000),
    ("Chè", "che", 300_000),
    ("Trà", "che", 260_000),
    ("Gạo", "gao-ngu-coc", 45_000),
    ("Miến dong", "thuc-pham-che-bien", 80_000),
    ("Bánh đa", "thuc-pham-che-bien", 40_000),
    ("Kẹo dừa", "thuc-pham-che-bien", 55_000),
    ("Hạt điều", "rau-cu-qua-hat-tuoi", 280_000),
    ("Rượu", "ruou-trang", 150_000),
    ("Tinh dầu", "tinh-dau", 190_000),
    ("Nón lá", "do-gia-dung-trang-tri", 120_000),
    ("Mâm gỗ", "do-gia-dung-trang-tri", 550_000),
    ("Khăn lụa", "vai-may-mac", 350_000),
    ("Lan", "hoa", 400_000),
    ("Chả cá", "thuc-pham-che-bien", 160_000),
]
QUALIFIERS = [
    "hoa nhãn",
    "rừng",
    "nguyên chất",
    "sấy dẻo",
    "rang mộc",
    "40 độ đạm",
    "hữu cơ",
    "đặc biệt",
    "truyền thống",
    "thượng hạng",
    "cổ thụ",
    "tươi",
    "loại 1",
    "đóng hộp",
    "thủ công",
    "lên men tự nhiên",
    "ST25",
    "Shan tuyết",
    "Robusta",
    "Arabica",
    "cao cấp",
]
# (place, province code)
PLACES = [
    ("Lục Ngạn", 24),
    ("Phan Thiết", 68),
    ("Buôn Ma Thuột", 66),
    ("Đắk Lắk", 66),
    ("Mộc Châu", 14),
    ("Hà Giang", 8),
    ("Phú Quốc", 91),
    ("Bến Tre", 86),
    ("Cái Bè", 82),
    ("Hưng Yên", 33),
    ("Thái Nguyên", 19),
    ("Sa Pa", 15),
    ("Bảo Lộc", 68),
    ("Sóc Trăng", 92),
    ("Hội An", 48),
    ("Huế", 46),
    ("Cao Bằng", 4),
    ("Nghệ An", 40),
    ("Cà Mau", 96),
    ("Vạn Phúc", 1),
    ("Bát Tràng", 1),
    ("Tây Ninh", 80),
    ("Đồng Tháp", 82),
    ("Lạng Sơn", 20),
]
KINDS = [
    ("htx", "Hợp tác xã"),
    ("tht", "Tổ hợp tác"),
    ("dn", "Công ty TNHH"),
    ("hkd", "Hộ kinh doanh"),
]
SYLLABLES = [
    "An",
    "Bình",
    "Phúc",
    "Thịnh",
    "Hưng",
    "Thành",
    "Phát",
    "Tâm",
    "Đức",
    "Minh",
    "Hòa",
    "Lộc",
    "Tài",
    "Xuân",
    "Hồng",
    "Ngọc",
]

QUERIES = [
    ("vai thieu luc ngan", {}),
    ("mat ong", {"stars": [4, 5]}),
    ("nuoc mam phan thiet", {}),
    ("ca phe", {"provinces": [66], "sort": "price_asc"}),
    ("Đắk Lắk", {}),
    ("mật ong rừng", {"price_min": 100_000, "price_max": 499_999}),
    ("che shan tuyeet", {}),  # typo
    ("", {"groups": "food"}),
    ("", {"provinces": [24, 68], "stars": [3], "sort": "newest"}),
    ("", {"kinds": ["htx"], "sort": "price_desc", "page": 3}),
    ("banh", {"groups": "food", "stars": [4]}),
    ("", {}),
    # Forgiving (issue 11): typos in short syllables, Telex, VNI, run-together, loan spelling,
    # and queries the strict reading cannot answer (relaxed fallback, then nothing at all).
    ("nuoc mam", {}),  # the strict twins of the forgiving queries below, for comparison
    ("ca phe", {}),
    ("vai thieu", {}),
    ("vai theu luc ngan", {}),
    ("vair thieeuf luc ngan", {}),
    ("va3i thie6u2", {}),
    ("nuoc mamm", {}),
    ("caphe", {}),
    ("ca fe dak lak", {}),
    ("matong rung", {}),
    ("mat ong phan thiet", {}),
    ("mam tom qqqqqq", {}),
    ("xyzzyq", {}),
]


def make_documents(n: int, seed: int = 20261122):
    from catalog.models import OcopGroup
    from catalog.search.models import SearchDocument
    from catalog.search.text import exact_text, folded_text

    rng = random.Random(seed)
    groups = {g.slug: g for g in OcopGroup.objects.filter(scheme="148")}
    tops = {slug: g.top.pk for slug, g in groups.items()}
    now = timezone.now()
    today = timezone.localdate()
    docs = []
    for i in range(n):
        words, slug, price = rng.choice(PRODUCTS)
        place, province = rng.choice(PLACES)
        qualifier = rng.choice(QUALIFIERS)
        kind, prefix = rng.choice(KINDS)
        title = f"{words} {qualifier} {place}"
        producer = f"{prefix} {rng.choice(SYLLABLES)} {rng.choice(SYLLABLES)} {place}"
        summary = f"{words} {qualifier} của {producer}, sản phẩm OCOP vùng {place}."
        group = groups[slug]
        body = f"{producer} {group.name} {group.name_en} Loại {rng.randint(1, 3)}"
        stars = rng.choices([3, 4, 5], weights=[60, 37, 3])[0]
        docs.append(
            SearchDocument(
                product_id=i + 1,
                translation_key=f"{i + 1:032x}",
                title=title,
                summary=summary,
                producer_name=producer,
                body=body,
                title_folded=folded_text(title),
                body_folded=folded_text(summary, body),
                exact_text=exact_text(title, summary, body),
                group_id=group.pk,
                group_top_id=tops[slug],
                province_code=province,
                stars=stars,
                producer_kind=kind,
                min_price=int(price * rng.uniform(0.5, 2.0)) // 1000 * 1000,
                in_stock=rng.random() > 0.1,
                variant_count=rng.randint(1, 4),
                certified_until=today + dt.timedelta(days=rng.randint(-60, 1000)),
                published_at=now - dt.timedelta(minutes=rng.randint(0, 3 * 365 * 24 * 60)),
                image_id=None,
            )
        )
    return docs


def percentile(values: list[float], pct: float) -> float:
    values = sorted(values)
    k = (len(values) - 1) * pct / 100
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def queries_for():
    from catalog.models import OcopGroup
    from catalog.search.query import SearchQuery

    food = OcopGroup.objects.get(scheme="148", slug="thuc-pham").pk
    out = []
    for text, params in QUERIES:
        params = dict(params)
        if params.get("groups") == "food":
            params["groups"] = [food]
        out.append((text, params, SearchQuery(text=text, **params)))
    return out


def load_database(docs) -> float:
    from catalog.search.database import DatabaseEngine
    from catalog.search.models import SearchDocument, SearchTerm

    engine = DatabaseEngine()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA foreign_keys = OFF")
        else:
            cursor.execute("SET session_replication_role = replica")
    SearchDocument.objects.all().delete()
    SearchTerm.objects.all().delete()
    start = time.perf_counter()
    for i in range(0, len(docs), 5000):
        engine.store(docs[i : i + 5000], batch_size=5000)
    engine.optimize()
    return time.perf_counter() - start


def load_elasticsearch(engine, docs) -> float:
    from catalog.search.elasticsearch import new_index_name

    start = time.perf_counter()
    name = new_index_name()
    engine.create_index(name)
    for i in range(0, len(docs), 5000):
        engine.bulk_index(docs[i : i + 5000], index=name)
    engine.client.indices.refresh(index=name)
    engine.swap_alias(name)
    return time.perf_counter() - start


def time_queries(engine, repeat: int) -> tuple[list[float], dict[str, list[float]], list[float]]:
    from catalog.search.query import SearchQuery

    queries = queries_for()
    for _text, _params, query in queries:  # warm up caches
        engine.search(query)
    all_ms, per_query = [], {}
    for _ in range(repeat):
        for text, params, query in queries:
            query = SearchQuery(**{**query.__dict__})
            start = time.perf_counter()
            engine.search(query)
            ms = (time.perf_counter() - start) * 1000
            all_ms.append(ms)
            label = (text or "(no words)") + (f" + {sorted(params)}" if params else "")
            per_query.setdefault(label, []).append(ms)
    suggest_ms = []
    for _ in range(repeat):
        for prefix in ("mat o", "nuoc m", "ca p", "vai th"):
            start = time.perf_counter()
            engine.suggest(prefix)
            suggest_ms.append((time.perf_counter() - start) * 1000)
    return all_ms, per_query, suggest_ms


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]

    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        # One file per run: engineers sharing a machine may benchmark at the same time.
        db.setdefault("TEST", {})["NAME"] = str(
            Path("/tmp") / f"ocop-bench-search-{os.getpid()}.sqlite3"
        )
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    engines = [("database-" + connection.vendor, None)]
    if os.environ.get("ELASTICSEARCH_URL"):
        engines.append(("elasticsearch", os.environ["ELASTICSEARCH_URL"]))
    elif os.environ.get("OPENSEARCH_URL"):
        engines.append(("opensearch", os.environ["OPENSEARCH_URL"]))
    print(
        f"# Search benchmark, {dt.date.today()}, {os.cpu_count()} cores, Python "
        f"{sys.version.split()[0]}, {connection.vendor} {connection.Database.__name__}, "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    try:
        for n in sizes:
            start = time.perf_counter()
            docs = make_documents(n)
            print(
                f"\n## {n:,} products (documents generated in {time.perf_counter() - start:.1f} s)"
            )
            for name, url in engines:
                if url:
                    settings.ELASTICSEARCH_INDEX_PREFIX = "ocop-bench"
                    from catalog.search.elasticsearch import ElasticsearchEngine

                    engine = ElasticsearchEngine()
                    build = load_elasticsearch(engine, docs)
                else:
                    from catalog.search.database import DatabaseEngine

                    engine = DatabaseEngine()
                    build = load_database(docs)
                # The 100,000 documents still held here would make every garbage collection
                # walk them, doubling each search's time; a server process holds none.
                gc.freeze()
                all_ms, per_query, suggest_ms = time_queries(engine, args.repeat)
                gc.unfreeze()
                print(
                    f"\n### {name} (load average {os.getloadavg()[0]:.1f}): "
                    f"index build {build:.1f} s; "
                    f"search p50 {percentile(all_ms, 50):.1f} ms, "
                    f"p95 {percentile(all_ms, 95):.1f} ms ({len(all_ms)} searches); "
                    f"suggest p50 {percentile(suggest_ms, 50):.1f} ms, "
                    f"p95 {percentile(suggest_ms, 95):.1f} ms"
                )
                print("\n| query | p50 ms | p95 ms |\n|---|---:|---:|")
                for label, values in per_query.items():
                    print(
                        f"| {label} | {percentile(values, 50):.1f} | {percentile(values, 95):.1f} |"
                    )
                if url:
                    engine.drop_indices()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
