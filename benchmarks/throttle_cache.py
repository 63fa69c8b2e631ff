"""Rate-limit counters on the embedded caches: cost per hit and counts lost across processes.

    .venv/bin/python benchmarks/throttle_cache.py

Two processes (like two gunicorn workers) each count HITS hits on one key through
security.throttle.hit(), on Django's FileBasedCache and on its DatabaseCache (SQLite, WAL).
Prints µs per hit and how many of the 2 × HITS hits the counter holds at the end.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
HITS = 400


def configure(backend: str, location: str, db: str) -> None:
    import django
    from django.conf import settings

    settings.configure(
        SECRET_KEY="benchmark-only-" + "x" * 40,
        INSTALLED_APPS=[],
        DATABASES={
            "default": {
                "ENGINE": "django.db.backends.sqlite3",
                "NAME": db,
                "OPTIONS": {"init_command": "PRAGMA journal_mode=WAL;", "timeout": 30},
            }
        },
        CACHES={"default": {"BACKEND": backend, "LOCATION": location}},
        RATE_LIMITS={"search": (10**9, 600)},
    )
    django.setup()


def worker(backend: str, location: str, db: str, barrier, out) -> None:
    configure(backend, location, db)
    from security.throttle import hit

    barrier.wait()
    started = time.perf_counter()
    for _ in range(HITS):
        hit("search", "198.51.100.1")
    out.put((time.perf_counter() - started) / HITS * 1e6)


def run(name: str, backend: str, location: str, db: str) -> None:
    barrier = multiprocessing.Barrier(2)
    out = multiprocessing.Queue()
    procs = [
        multiprocessing.Process(target=worker, args=(backend, location, db, barrier, out))
        for _ in range(2)
    ]
    for p in procs:
        p.start()
    for p in procs:
        p.join()
    per_hit = sum(out.get() for _ in procs) / 2
    checker = multiprocessing.Process(target=report, args=(name, backend, location, db, per_hit))
    checker.start()
    checker.join()


def report(name: str, backend: str, location: str, db: str, per_hit: float) -> None:
    configure(backend, location, db)
    from django.core.cache import cache

    from security.throttle import _key

    counted = cache.get(_key("search", "198.51.100.1"))
    print(f"{name:16} {per_hit:8.0f} µs/hit   counted {counted} of {2 * HITS}")


def create_table(db: str, location: str) -> None:
    configure("django.core.cache.backends.db.DatabaseCache", location, db)
    from django.core.management import call_command

    call_command("createcachetable", verbosity=0)


if __name__ == "__main__":
    multiprocessing.set_start_method("spawn")
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "cache.sqlite3")
        p = multiprocessing.Process(target=create_table, args=(db, "cache_table"))
        p.start()
        p.join()
        run(
            "FileBasedCache",
            "django.core.cache.backends.filebased.FileBasedCache",
            os.path.join(tmp, "files"),
            db,
        )
        run("DatabaseCache", "django.core.cache.backends.db.DatabaseCache", "cache_table", db)
