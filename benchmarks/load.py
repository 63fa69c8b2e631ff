"""Throughput of the production set-up under `wrk`: pages cold (page cache off) and cached.

Builds (once, then reuses) a SQLite demo catalogue in /tmp, collects static files, starts
gunicorn with production settings and 2 sync workers on 127.0.0.1 only, and runs
`wrk -t1 -c8 -d<seconds>s --latency` against home, listing, product, search, scan and serial
pages and one static file, first with the page cache off, then on. Prints req/s, p50/p99 and the
peak RSS of each worker, as a Markdown table for docs/benchmarks.md. Every server is stopped.

    .venv/bin/python benchmarks/load.py [--seconds 10] [--connections 8] [--rebuild]
                                        [--products 10000]

`--products N` runs the same table on a bigger catalogue: a copy of the demo database (in
/tmp/ocop-bench-load-N, built once and reused) plus generated products up to N live products,
20 per generated producer, named from benchmarks/search.py's vocabulary, each with one or two
variants, a certificate in force (3★ 60 %, 4★ 37 %, 5★ 3 %) and a demo image. Producers go
through `create_producer` (build_catalogue); product pages are added with `add_child` and made
live in bulk (no revisions, no English aliases: the table's pages are Vietnamese); the
catalogue search index is rebuilt. The measured product, scan and serial pages are the demo's.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORK = Path("/tmp/ocop-bench-load")
DB = WORK / "db.sqlite3"
BIN = ROOT / ".venv" / "bin"
WRK = shutil.which("wrk") or "/usr/bin/wrk"


def _arg(name: str, default: int) -> int:
    return int(sys.argv[sys.argv.index(name) + 1]) if name in sys.argv else default


def environment(page_cache: bool) -> dict[str, str]:
    WORK.mkdir(exist_ok=True)
    (WORK / "bench_settings.py").write_text(
        "from config.settings.production import *  # noqa: F403\n"
        "RATE_LIMITS = dict.fromkeys(\n"
        "    ('report', 'checkout', 'cart', 'search', 'scan'), (10**9, 60)\n"
        ")  # wrk is one client address\n"
    )
    return {
        **os.environ,
        "PYTHONPATH": f"{WORK}:{ROOT}",
        "DJANGO_SETTINGS_MODULE": "bench_settings",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "DATABASE_URL": f"sqlite:///{DB}",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "STATIC_ROOT": str(WORK / "static"),
        "MEDIA_ROOT": str(WORK / "media"),
        "CACHE_DIR": str(WORK / "cache"),
        "PAGE_CACHE_ENABLED": "1" if page_cache else "0",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "LOG_LEVEL": "WARNING",
    }


def manage(*args: str) -> str:
    env = environment(page_cache=False)
    return subprocess.run(
        [str(BIN / "python"), str(ROOT / "manage.py"), *args],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def generate(target: int) -> None:
    """Inside Django (bench settings): add products until `target` live Vietnamese ones."""
    import datetime as dt
    import random
    from decimal import Decimal

    import django

    sys.path.insert(0, str(ROOT))  # the project's apps before benchmarks/registry.py
    django.setup()
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone
    from search import KINDS, PLACES, PRODUCTS, QUALIFIERS, SYLLABLES  # benchmarks/search.py

    from catalog.demo import SCORES_FOR_STARS, build_catalogue, catalogue_data
    from catalog.models import (
        Certificate,
        CriteriaSet,
        OcopGroup,
        ProducerPage,
        ProductImage,
        ProductPage,
        ProductVariant,
    )
    from cms.management.commands.load_demo_data import bulk_load

    rng = random.Random(10_000)
    live = ProductPage.objects.live().filter(locale__language_code="vi")
    missing = target - live.count()
    if missing <= 0:
        return
    per_producer = 20
    templates = catalogue_data()  # real provinces and wards for the generated producers
    abbreviations = {"htx": "HTX", "tht": "THT", "dn": "Công ty", "hkd": "Hộ"}
    entries = []
    for i in range(-(-missing // per_producer)):
        base = templates[i % len(templates)]
        kind, prefix = KINDS[i % len(KINDS)]
        words = f"{rng.choice(SYLLABLES)} {rng.choice(SYLLABLES)}"
        place = rng.choice(PLACES)[0]
        entries.append(
            {
                **base,
                "kind": kind,
                "name": f"{prefix} {words} {place} số {i + 1}",
                "short_name": f"{abbreviations[kind]} {words} {i + 1}",
                "products": [],
            }
        )
    groups = {g.slug: g for g in OcopGroup.objects.filter(scheme="148")}
    criteria = CriteriaSet.objects.get(code="148/2023")
    images = list(ProductImage.objects.values_list("image_id", flat=True).distinct())
    today = timezone.localdate()
    started = time.perf_counter()
    with bulk_load(), transaction.atomic():
        producers = build_catalogue(producers_data=entries)
        print(f"{len(producers)} producers in {time.perf_counter() - started:.0f} s", flush=True)
        new_ids = []
        for n in range(missing):
            producer = producers[n // per_producer]
            words, slug, price = rng.choice(PRODUCTS)
            place = rng.choice(PLACES)[0]
            page = ProductPage(
                title=f"{words} {rng.choice(QUALIFIERS)} {place}",
                group=groups[slug],
                summary=f"{words} của {producer.short_name}, sản phẩm OCOP vùng {place}.",
                live=False,
            )
            for v in range(rng.choice((1, 1, 2))):
                page.variants.add(
                    ProductVariant(
                        name=("Hộp 500 g", "Thùng 2 kg")[v],
                        price=int(price * (1 + 2.5 * v) * rng.uniform(0.6, 1.6)) // 1000 * 1000,
                        weight_grams=(600, 2300)[v],
                        stock=rng.randint(0, 90),
                        sku=f"GEN-{n:05d}-{v}",
                    )
                )
            ProducerPage.objects.get(producer=producer, alias_of__isnull=True).add_child(
                instance=page
            )
            new_ids.append(page.pk)
            if (n + 1) % 1000 == 0:
                print(f"{n + 1} products in {time.perf_counter() - started:.0f} s", flush=True)
        certificates, gallery = [], []
        for pk in new_ids:
            stars = rng.choices([3, 4, 5], weights=[60, 37, 3])[0]
            a, b, c = (Decimal(x) for x in SCORES_FOR_STARS[stars])
            decided = today - dt.timedelta(days=rng.randint(0, 700))
            certificates.append(
                Certificate(
                    product_id=pk,
                    criteria_set=criteria,
                    score_a=a,
                    score_b=b,
                    score_c=c,
                    total_score=a + b + c,
                    stars=stars,
                    decision_number=f"{20000 + pk}/QĐ-UBND",
                    decision_date=decided,
                    issuing_body="UBND tỉnh",
                    issuing_level="central" if stars == 5 else "province",
                    expires_on=decided + dt.timedelta(days=36 * 30),
                )
            )
            if images:
                gallery.append(ProductImage(page_id=pk, image_id=rng.choice(images), sort_order=0))
        Certificate.objects.bulk_create(certificates, batch_size=1000)
        ProductImage.objects.bulk_create(gallery, batch_size=1000)
        now = timezone.now()
        ProductPage.objects.filter(pk__in=new_ids).update(
            live=True, has_unpublished_changes=False, first_published_at=now, last_published_at=now
        )
    call_command("rebuild_catalog_index", "--no-progress")
    print(
        f"{live.count()} live Vietnamese products; generated in {time.perf_counter() - started:.0f} s"
    )


def build_products(target: int) -> None:
    """The demo database copied to its own folder, then products added up to `target`."""
    global WORK, DB
    build()
    base, WORK = WORK, Path(f"/tmp/ocop-bench-load-{target}")
    DB = WORK / "db.sqlite3"
    if DB.exists() and "--rebuild" not in sys.argv:
        manage("migrate", "--noinput", "-v0")
        return
    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir()
    shutil.copy(base / "db.sqlite3", DB)
    shutil.copytree(base / "media", WORK / "media")
    started = time.perf_counter()
    subprocess.run(
        [str(BIN / "python"), __file__, "--generate", str(target)],
        env=environment(page_cache=False),
        cwd=ROOT,
        check=True,
    )
    print(f"{target:,}-product catalogue built in {time.perf_counter() - started:.0f} s")


def build() -> None:
    if DB.exists() and "--rebuild" not in sys.argv:
        manage("migrate", "--noinput", "-v0")  # others' new migrations since it was built
        return
    for path in (DB, WORK / "media"):
        if path.is_file():
            path.unlink()
        elif path.exists():
            shutil.rmtree(path)
    started = time.perf_counter()
    manage("migrate", "--noinput", "-v0")
    manage("setup_site")
    manage("load_demo_data")
    print(f"demo catalogue built in {time.perf_counter() - started:.0f} s")


def urls() -> dict[str, str]:
    script = (
        "from catalog.models import ProductPage\n"
        "from traceability.models import Batch, Serial\n"
        "from django.contrib.staticfiles.storage import staticfiles_storage\n"
        "p = ProductPage.objects.live().filter(locale__language_code='vi').order_by('pk').first()\n"
        "s = Serial.objects.select_related('batch').order_by('pk').first()\n"
        "b = s.batch if s else Batch.objects.order_by('pk').first()\n"
        "print('URL', p.url, b.short_code, staticfiles_storage.url('css/site.css'),"
        " s.serial if s else '')\n"
    )
    line = next(x for x in manage("shell", "-c", script).splitlines() if x.startswith("URL "))
    product, code, css, serial = ([*line.split()[1:], ""])[:4]
    found = {
        "home `/vi/`": "/vi/",
        "listing `/vi/san-pham/`": "/vi/san-pham/",
        "product": product,
        "search `?q=mat ong`": "/vi/tim-kiem/?q=mat+ong",
        "scan": f"/vi/truy-xuat/{code}/",
    }
    if serial:
        found["serial (never cached)"] = f"/vi/truy-xuat/{code}/s/{serial}/"
    found["static CSS (ceiling)"] = css
    return found


def commit() -> str:
    """HEAD, and whether the work tree held uncommitted changes to tracked files (others' work
    in progress runs too: the servers start from the work tree)."""

    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True).stdout

    head = git("rev-parse", "--short", "HEAD").strip()
    dirty = git("status", "--porcelain", "--untracked-files=no").strip()
    return f"{head} + uncommitted changes" if dirty else head


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_200(url: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if urllib.request.urlopen(url, timeout=30).status == 200:
                return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"{url} did not answer 200")


def start_gunicorn(
    gunicorn: Path, wsgi: str, *, cwd: Path, env: dict[str, str], ready: str, timeout: float = 120
) -> tuple[subprocess.Popen, int]:
    """gunicorn with 2 sync workers on a free loopback port, once `ready` answers 200."""
    port = free_port()
    server = subprocess.Popen(
        [
            str(gunicorn),
            wsgi,
            "--workers",
            "2",
            "--worker-class",
            "sync",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=cwd,
        start_new_session=True,
    )
    try:
        wait_200(f"http://127.0.0.1:{port}{ready}", timeout)
    except SystemExit:
        stop(server)
        raise
    return server, port


def start(page_cache: bool) -> tuple[subprocess.Popen, int]:
    return start_gunicorn(
        BIN / "gunicorn", "config.wsgi", cwd=ROOT, env=environment(page_cache), ready="/vi/"
    )


def workers(server: subprocess.Popen) -> list[int]:
    out = subprocess.run(
        ["ps", "-o", "pid=", "--ppid", str(server.pid)], capture_output=True, text=True
    ).stdout
    return [int(pid) for pid in out.split()]


def peak_rss_mib(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1)) / 1024


def stop(server: subprocess.Popen) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=10)


def cpu_seconds(server: subprocess.Popen) -> float:
    """User + system CPU of the server's workers so far (steadier than req/s when shared)."""
    total = 0
    for pid in workers(server):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime in clock ticks
    return total / os.sysconf("SC_CLK_TCK")


def wrk(port: int, path: str, seconds: int, connections: int) -> dict:
    out = subprocess.run(
        [
            WRK,
            "-t1",
            f"-c{connections}",
            f"-d{seconds}s",
            "--timeout",
            "30s",  # wrk's 2 s default drops the slowest answers from the latencies
            "--latency",
            "-H",
            "Accept-Encoding: gzip",
            f"http://127.0.0.1:{port}{path}",
        ],
        capture_output=True,
        text=True,
        timeout=seconds + 60,
    ).stdout
    rate = re.search(r"Requests/sec:\s+([\d.]+)", out)
    p50 = re.search(r"50%\s+([\d.]+\w+)", out)
    p99 = re.search(r"99%\s+([\d.]+\w+)", out)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    timeouts = re.search(r"timeout (\d+)", out)
    count = re.search(r"(\d+) requests in", out)
    return {
        "requests": int(count.group(1)) if count else 0,
        "rps": rate.group(1) if rate else "?",
        "p50": p50.group(1) if p50 else "?",
        "p99": p99.group(1) if p99 else "?",
        "errors": errors.group(1) if errors else "0",
        "timeouts": timeouts.group(1) if timeouts else "0",
    }


def measure(server: subprocess.Popen, port: int, path: str, seconds: int, connections: int):
    """Two warm-up requests (renditions made, page cache filled), then wrk; with the 1-minute
    load average before the run and the workers' CPU milliseconds per answered request."""
    try:
        for _ in range(2):
            urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=60).read()
    except OSError as error:  # e.g. someone's half-saved template: report it, go on
        nan = float("nan")
        return {"requests": 0, "rps": f"failed: {error}", "p50": "", "p99": "", "errors": "0",
                "timeouts": "0", "load": os.getloadavg()[0], "cpu_ms": nan}  # fmt: skip
    load_avg = os.getloadavg()[0]
    cpu = cpu_seconds(server)
    result = wrk(port, path, seconds, connections)
    cpu = cpu_seconds(server) - cpu
    result["load"] = load_avg
    result["cpu_ms"] = 1000 * cpu / result["requests"] if result["requests"] else float("nan")
    return result


def main() -> None:
    seconds = _arg("--seconds", 10)
    connections = _arg("--connections", 8)
    products = _arg("--products", 0)
    if products:
        build_products(products)
    else:
        build()
    manage("collectstatic", "--noinput", "-v0")
    targets = urls()
    results: dict[str, dict[str, dict]] = {}
    rss: dict[str, list[float]] = {}
    for label, page_cache in (("cold", False), ("cached", True)):
        if page_cache:
            shutil.rmtree(WORK / "cache", ignore_errors=True)
        server, port = start(page_cache)
        try:
            for name, path in targets.items():
                results.setdefault(name, {})[label] = measure(
                    server, port, path, seconds, connections
                )
            rss[label] = [peak_rss_mib(pid) for pid in workers(server)]
        finally:
            stop(server)
    loads = [r["load"] for by_mode in results.values() for r in by_mode.values()]
    print(
        f"\n{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {os.cpu_count()} cores, "
        f"commit {commit()}, {f'{products:,}' if products else 'demo'} products, "
        f"1-minute load average {min(loads):.2f}–{max(loads):.2f} over the runs, "
        f"wrk -t1 -c{connections} -d{seconds}s --timeout 30s, gunicorn 2 sync workers, SQLite\n"
    )
    print("| page | cold req/s | p50 | p99 | CPU ms/req | cached req/s | p50 | p99 | CPU ms/req |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, by_mode in results.items():
        row = [name]
        for label in ("cold", "cached"):
            r = by_mode[label]
            rps = r["rps"] + (f" ({r['errors']} non-2xx)" if r["errors"] != "0" else "")
            rps += f" ({r['timeouts']} timeouts)" if r["timeouts"] != "0" else ""
            row += [rps, r["p50"], r["p99"], f"{r['cpu_ms']:.1f}"]
        print("| " + " | ".join(row) + " |")
    for label, values in rss.items():
        print(
            f"\npeak RSS per worker after the {label} run: "
            + ", ".join(f"{v:.0f} MiB" for v in values)
        )


if __name__ == "__main__":
    if "--generate" in sys.argv:
        generate(_arg("--generate", 10_000))
    else:
        main()
