"""CPU time per uncached request of the public pages, in one process (no server, no network).

Production settings with the page cache off, on a copy of the demo catalogue that
`benchmarks/load.py` builds (/tmp/ocop-bench-load/db.sqlite3; copied to /tmp/ocop-render-cpu so
nothing writes the original). Each page is requested through Django's WSGI handler (every
middleware runs) N times after a warm-up; prints CPU ms per request (`time.process_time`, which
stays steadier than wall time when other processes load the machine; the quietest of five
rounds), wall ms, queries and Python function calls per request (cProfile's count: exact under any load).

    .venv/bin/python benchmarks/render_cpu.py [--requests 200] [--profile scan] [--html DIR]

`--profile NAME` prints cProfile's top functions for that page; `--html DIR` writes each page's
HTML (CSRF tokens and CSP nonces blanked) to compare before/after a change.
"""

from __future__ import annotations

import cProfile
import io
import os
import pstats
import re
import secrets
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE = Path(os.environ.get("RENDER_CPU_SOURCE", "/tmp/ocop-bench-load"))  # or -10000
WORK = Path(os.environ.get("RENDER_CPU_WORK", "/tmp/ocop-render-cpu"))  # one per concurrent run


def _arg(name: str, default: str) -> str:
    return sys.argv[sys.argv.index(name) + 1] if name in sys.argv else default


def prepare() -> None:
    if not (SOURCE / "db.sqlite3").exists():
        raise SystemExit("run benchmarks/load.py once first (it builds the demo catalogue)")
    WORK.mkdir(exist_ok=True)
    shutil.copyfile(SOURCE / "db.sqlite3", WORK / "db.sqlite3")
    if not (WORK / "media").exists():
        shutil.copytree(SOURCE / "media", WORK / "media")
    (WORK / "render_settings.py").write_text(
        "from config.settings.production import *  # noqa: F403\n"
        "RATE_LIMITS = dict.fromkeys(\n"
        "    ('report', 'checkout', 'cart', 'search', 'scan'), (10**9, 60)\n"
        ")\n"
    )
    sys.path[:0] = [str(WORK), str(ROOT)]
    os.environ.update(
        DJANGO_SETTINGS_MODULE="render_settings",
        SECRET_KEY=secrets.token_urlsafe(60),
        DATABASE_URL=f"sqlite:///{WORK / 'db.sqlite3'}",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="0",
        MEDIA_ROOT=str(WORK / "media"),
        STATIC_ROOT=str(SOURCE / "static"),  # collected by load.py (the manifest is read)
        CACHE_DIR=str(WORK / "cache"),
        PAGE_CACHE_ENABLED="0",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        LOG_LEVEL="WARNING",
    )


def targets() -> dict[str, str]:
    from catalog.models import ProductPage
    from traceability.models import Batch, Serial

    product = ProductPage.objects.live().filter(locale__language_code="vi").order_by("pk").first()
    serial = Serial.objects.select_related("batch").order_by("pk").first()
    batch = serial.batch if serial else Batch.objects.order_by("pk").first()  # as load.py
    return {
        "home": "/vi/",
        "listing": "/vi/san-pham/",
        "product": product.url,
        "scan": f"/vi/truy-xuat/{batch.short_code}/",
    }


def wsgi_environ(path: str, encoding: str = "gzip", agent: str = "render_cpu") -> dict:
    """A plain anonymous GET of `path`, as load.py's wrk sends it (no cookie)."""
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "HTTP_HOST": "127.0.0.1:8000",
        "HTTP_ACCEPT_ENCODING": encoding,  # as load.py's wrk
        "HTTP_ACCEPT": "text/html",
        "HTTP_USER_AGENT": agent,
        "REMOTE_ADDR": "127.0.0.1",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.version": (1, 0),
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }


def call(app, path: str, encoding: str = "gzip") -> tuple[int, bytes]:
    status: list[str] = []
    body = b"".join(app(wsgi_environ(path, encoding), lambda s, h, exc_info=None: status.append(s)))
    return int(status[0].split()[0]), body


def _sql_width() -> int:
    return int(_arg("--sql-width", "300"))


def blank(html: str) -> str:
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', 'name="csrfmiddlewaretoken"', html)
    return re.sub(r'nonce="[^"]+"', 'nonce=""', html)


def main() -> None:
    prepare()
    import django

    django.setup()
    from django.core.wsgi import get_wsgi_application
    from django.db import connection, reset_queries

    app = get_wsgi_application()
    requests = int(_arg("--requests", "200"))
    profile = _arg("--profile", "")
    html_dir = _arg("--html", "")
    pages = targets()
    only = _arg("--only", "")
    if only:
        pages = {k: v for k, v in pages.items() if k in only.split(",")}
    print(f"{'page':<10} {'CPU ms':>7} {'wall ms':>8} {'queries':>8} {'calls':>7}  path")
    for name, path in pages.items():
        for _ in range(5):
            status, body = call(app, path)
        assert status == 200, (path, status)
        if html_dir:
            Path(html_dir).mkdir(parents=True, exist_ok=True)
            _status, plain = call(app, path, "identity")
            (Path(html_dir) / f"{name}.html").write_text(blank(plain.decode()))
        connection.force_debug_cursor = True
        reset_queries()
        call(app, path)
        queries = len(connection.queries)
        if _arg("--sql", "") == name:
            for query in connection.queries:
                print(f"  {query['time']} {query['sql'][: _sql_width()]}")
        connection.force_debug_cursor = False
        counter = cProfile.Profile()  # Python calls per request: exact, whatever the load
        counter.runcall(call, app, path)
        calls = pstats.Stats(counter).total_calls
        if profile == name:
            profiler = cProfile.Profile()
            profiler.enable()
        rounds = []  # the quietest of 5 rounds: other processes only ever add time
        for _ in range(5):
            cpu, wall = time.process_time(), time.perf_counter()
            for _ in range(requests // 5):
                call(app, path)
            rounds.append((time.process_time() - cpu, time.perf_counter() - wall))
        cpu, wall = min(r[0] for r in rounds), min(r[1] for r in rounds)
        requests_per_round = requests // 5
        if profile == name:
            profiler.disable()
            out = io.StringIO()
            stats = pstats.Stats(profiler, stream=out).sort_stats(_arg("--sort", "cumulative"))
            stats.print_stats(int(_arg("--top", "70")))
            if "--callers" in sys.argv:
                stats.print_callers(_arg("--callers", ""))
            print(out.getvalue())
        print(
            f"{name:<10} {cpu / requests_per_round * 1000:>7.2f} "
            f"{wall / requests_per_round * 1000:>8.2f} "
            f"{queries:>8} {calls:>7}  {path}"
        )
    load = os.getloadavg()
    print(f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}, {requests} requests each")


if __name__ == "__main__":
    main()
