"""QR and label-sheet speed: codes per second and seconds per 1,000-label PDF.

Runs in a throwaway SQLite database (one product, one batch, N serials); prints
codes/s for the module matrix (bulk: fixed mask; single: best mask), PNG and SVG images,
then time, size and the process's memory high-water mark for serial label sheets.

    .venv/bin/python benchmarks/qr_labels.py [--labels 1000,10000]
"""

from __future__ import annotations

import io
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
os.environ["DATABASE_URL"] = "sqlite:////tmp/ocop-bench-qr.sqlite3"


def _batch():
    from django.core.management import call_command

    for suffix in ("", "-wal", "-shm"):
        Path(f"/tmp/ocop-bench-qr.sqlite3{suffix}").unlink(missing_ok=True)
    call_command("migrate", verbosity=0)
    from cms.services import setup_site
    from tests.factories import ProducerFactory, make_batch, make_product, next_gtin13

    setup_site()
    producer = ProducerFactory(name="Hợp tác xã Nông nghiệp Dịch vụ Lục Ngạn")
    product = make_product(
        producer, title="Vải thiều Lục Ngạn", variants=[{"name": "Hộp 2 kg", "gtin": next_gtin13()}]
    )
    return make_batch(product, lot_code="VT2611-A")


def _rate(label: str, n: int, fn) -> None:
    started = time.perf_counter()
    for i in range(n):
        fn(i)
    elapsed = time.perf_counter() - started
    print(f"{label:<44} {n / elapsed:>9.0f} codes/s  ({elapsed * 1000 / n:.2f} ms each)")


def main() -> None:
    import django

    django.setup()
    from traceability import qr
    from traceability.labels import write_labels

    counts = [1000, 10000]
    if "--labels" in sys.argv:
        counts = [int(x) for x in sys.argv[sys.argv.index("--labels") + 1].split(",")]
    batch = _batch()
    uri = qr.batch_uri(batch)
    serial_uri = lambda i: qr.batch_uri(batch, f"{i:012d}")  # noqa: E731
    print(f"URI of a serial: {serial_uri(0)} ({len(serial_uri(0))} chars)\n")
    _rate("matrix, bulk (fixed mask)", 2000, lambda i: qr.qr_matrix(serial_uri(i)))
    _rate("matrix, best of 8 masks", 300, lambda i: qr.qr_matrix(serial_uri(i), fast=False))
    _rate("PNG, best mask (admin download)", 200, lambda i: qr.qr_png(serial_uri(i)))
    _rate("PNG, bulk (serial zip)", 500, lambda i: qr.qr_png(serial_uri(i), fast=True))
    _rate("SVG, bulk (serial zip)", 500, lambda i: qr.qr_svg(serial_uri(i), fast=True))
    print(f"(batch code, one URI: {uri})\n")

    print(
        f"{'labels':>7} {'size':<7} {'seconds':>8} {'labels/s':>9} {'PDF KB':>8} {'max RSS MB':>10}"
    )
    for n in counts:
        for size in ("a4-40", "a4-65"):
            serials = (f"{i:012d}" for i in range(n))
            buffer = io.BytesIO()
            started = time.perf_counter()
            write_labels(batch, buffer, serials=serials, size=size)
            elapsed = time.perf_counter() - started
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # process high-water
            print(
                f"{n:>7} {size:<7} {elapsed:>8.2f} {n / elapsed:>9.0f} "
                f"{len(buffer.getvalue()) / 1024:>8.0f} {peak / 1e6:>10.0f}"
            )


if __name__ == "__main__":
    main()
