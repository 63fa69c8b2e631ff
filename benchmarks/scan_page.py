"""Scan page weight and throughput.

Builds a throwaway SQLite database with one batch of 20 trace events (each with a photo),
prints the page's HTML and CSS bytes and its queries, then starts gunicorn on 127.0.0.1 only
and sends a bounded number of requests (default 2,000, 4 client threads, 60 s at most),
printing requests/s and latency percentiles. The server is stopped at the end.

    .venv/bin/python benchmarks/scan_page.py [--requests 2000] [--workers 2]
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DB = "/tmp/ocop-bench-scan.sqlite3"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
os.environ["DATABASE_URL"] = f"sqlite:///{DB}"
MAX_SECONDS = 60


def _arg(name: str, default: int) -> int:
    return int(sys.argv[sys.argv.index(name) + 1]) if name in sys.argv else default


def build() -> str:
    import django

    django.setup()
    from django.core.management import call_command

    for suffix in ("", "-wal", "-shm"):
        Path(f"{DB}{suffix}").unlink(missing_ok=True)
    call_command("migrate", verbosity=0)
    from wagtail.images.models import Image
    from wagtail.images.tests.utils import get_test_image_file

    from catalog.models import ProductImage
    from cms.services import setup_site
    from tests.factories import ProducerFactory, make_batch, make_product, next_gtin13
    from traceability.models import TraceEventAttachment

    setup_site()
    producer = ProducerFactory(name="Hợp tác xã Nông nghiệp Dịch vụ Lục Ngạn")
    product = make_product(
        producer, title="Vải thiều Lục Ngạn", variants=[{"name": "Hộp 2 kg", "gtin": next_gtin13()}]
    )
    ProductImage.objects.create(
        page=product,
        image=Image.objects.create(title="Vải", file=get_test_image_file(size=(1200, 900))),
    )
    batch = make_batch(product, lot_code="VT2611-A", events=20)
    photo = Image.objects.create(title="Thu hái", file=get_test_image_file(size=(1200, 900)))
    for event in batch.events.all():
        TraceEventAttachment.objects.create(event=event, image=photo, caption="Ảnh")
    return f"/vi/truy-xuat/{batch.short_code}/"


def weigh(url: str) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    html = response.content
    css = 0
    for href in re.findall(rb'<link rel="stylesheet" href="([^"]+)"', html):
        css += (ROOT / "static" / href.decode().removeprefix("/static/")).stat().st_size
    images = len(re.findall(rb"<img ", html))
    print(f"scan page {url} (20 events, 21 photos)")
    print(f"  HTML {len(html):,} B + CSS {css:,} B = {len(html) + css:,} B (budget 60,000)")
    print(
        f"  queries {len(ctx.captured_queries)}, images {images}, scripts "
        f"{len(re.findall(rb'<script src', html))}"
    )
    print(f"  Cache-Control: {response['Cache-Control']}")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def load(url: str, requests: int, workers: int, threads: int = 4) -> None:
    port = _free_port()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "config.wsgi",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            str(workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + url, timeout=2).read()
                break
            except OSError:
                time.sleep(0.2)
        latencies: list[float] = []
        lock = threading.Lock()
        deadline = time.monotonic() + MAX_SECONDS
        per_thread = requests // threads

        def run() -> None:
            for _ in range(per_thread):
                if time.monotonic() > deadline:
                    return
                started = time.perf_counter()
                urllib.request.urlopen(base + url, timeout=10).read()
                with lock:
                    latencies.append(time.perf_counter() - started)

        started = time.perf_counter()
        pool = [threading.Thread(target=run) for _ in range(threads)]
        for t in pool:
            t.start()
        for t in pool:
            t.join()
        elapsed = time.perf_counter() - started
        latencies.sort()
        pct = lambda p: latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000  # noqa: E731
        print(
            f"load: {len(latencies)} requests, {threads} client threads, gunicorn -w {workers}, "
            f"SQLite, no CDN"
        )
        print(
            f"  {len(latencies) / elapsed:.0f} req/s; p50 {pct(0.5):.1f} ms, p95 {pct(0.95):.1f} ms, "
            f"max {latencies[-1] * 1000:.1f} ms"
        )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=10)


def main() -> None:
    url = build()
    weigh(url)
    load(url, _arg("--requests", 2000), _arg("--workers", 2))


if __name__ == "__main__":
    main()
