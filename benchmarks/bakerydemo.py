"""Side by side with wagtail/bakerydemo on this machine: its set-up time and its bread page.

    .venv/bin/python benchmarks/bakerydemo.py --setup [--source GITDIR] [--bakerydemo /tmp/bakerydemo]
                                              [--uv /path/to/uv]
    .venv/bin/python benchmarks/bakerydemo.py --setup --ours /tmp/ocop-newcomer   # ours first
    .venv/bin/python benchmarks/bakerydemo.py --compare [--bakerydemo /tmp/bakerydemo]
                                              [--rounds 2] [--seconds 10]

`--setup` does what its readme asks of a newcomer and times each step: clone (from a local
git directory, e.g. the one the `fetch` tool gives), `python3.12 -m venv` (bakerydemo pins
Python 3.12: Django 6.0), `pip install -r requirements/base.txt` (`--uv PATH`: its readme's
`uv venv` + `uv pip install` instead; pip writes no cache on this machine, uv does), copy `local.py` and `.env`, `migrate`, `load_initial_data`, `runserver` until `/`
answers 200. Then it installs gunicorn and whitenoise (production extras, not timed).

`--compare` starts bakerydemo under its own production settings (DEBUG off, SQLite, no page
cache, WhiteNoise) and this project under `benchmarks/load.py`'s production settings, both with
gunicorn and 2 sync workers on 127.0.0.1, and runs `wrk -t1 -c<connections> -d<seconds>s
--latency` alternately against bakerydemo's bread page and our scan, product and listing pages
(page cache off): A, B, A, B, … so the machine's load hits both alike. Each of our runs is
compared with the mean of the bread runs just before and after it. Then bakerydemo's home and a
static file, and our page-cached scan and product pages against our static file. For every run
it records the 1-minute load average and the workers' CPU time per request (user + sys from
/proc, the steadier figure on a shared machine). Every server it starts is stopped.
"""

from __future__ import annotations

import os
import secrets
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import load  # noqa: E402  (benchmarks/load.py: our production set-up)

PYTHON312 = shutil.which("python3.12") or "/root/.pyenv/versions/3.12.1/bin/python3.12"
DEFAULT_SOURCE = "/work/.mirror/wagtail+bakerydemo/repo"


def _opt(name: str, default: str) -> str:
    return sys.argv[sys.argv.index(name) + 1] if name in sys.argv else default


def _run(cmd: list[str], cwd: Path, env: dict | None = None) -> float:
    started = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def setup(target: Path, source: str) -> None:
    if target.exists():
        shutil.rmtree(target)
    load_start = os.getloadavg()[0]
    steps: list[tuple[str, float]] = []
    started = time.perf_counter()
    steps.append(("git clone", _run(["git", "clone", "-q", source, str(target)], Path("/tmp"))))
    pip = str(target / ".venv/bin/pip")
    py = str(target / ".venv/bin/python")
    uv = _opt("--uv", "")  # its readme's other way: `uv venv`, `uv pip install`
    if uv:
        venv = [uv, "venv", "-q", "--python", PYTHON312, ".venv"]
        install = [uv, "pip", "install", "-q", "--python", py]
    else:
        venv = [PYTHON312, "-m", "venv", ".venv"]
        install = [pip, "install", "-q"]
    steps.append(("uv venv" if uv else "venv", _run(venv, target)))
    steps.append(
        (
            f"{'uv ' if uv else ''}pip install -r requirements/base.txt",
            _run([*install, "-r", "requirements/base.txt"], target),
        )
    )
    shutil.copy(
        target / "bakerydemo/settings/local.py.example", target / "bakerydemo/settings/local.py"
    )
    shutil.copy(target / ".env.example", target / ".env")
    steps.append(("migrate", _run([py, "manage.py", "migrate", "--noinput"], target)))
    steps.append(("load_initial_data", _run([py, "manage.py", "load_initial_data"], target)))
    port = load.free_port()
    begun = time.perf_counter()
    server = subprocess.Popen(
        [py, "manage.py", "runserver", f"127.0.0.1:{port}"],
        cwd=target,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        load.wait_200(f"http://127.0.0.1:{port}/")
        steps.append(("runserver → first page 200", time.perf_counter() - begun))
    finally:
        load.stop(server)
    total = time.perf_counter() - started
    print(f"\nbakerydemo newcomer set-up, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
    print(
        f"commit {subprocess.run(['git', 'rev-parse', '--short', 'HEAD'], cwd=target, capture_output=True, text=True).stdout.strip()}"
    )
    print("| step | seconds |\n|---|---:|")
    for name, seconds in steps:
        print(f"| {name} | {seconds:.1f} |")
    print(f"| **clone → first page** | **{total:.1f}** |")
    print(f"load average {load_start:.2f} at start, {os.getloadavg()[0]:.2f} at end")
    _run([*install, "gunicorn", "whitenoise>=6.11,<7"], target)


def setup_ours(target: Path) -> None:
    """The same newcomer's path for this project, from a clone of our HEAD: `make setup`
    (venv + uv, its cache warm), `make demo-data`, then the server `make demo` starts until `/vi/`
    answers 200. For the same session as bakerydemo's set-up (`--setup --ours`)."""
    if target.exists():
        shutil.rmtree(target)
    load_start = os.getloadavg()[0]
    steps: list[tuple[str, float]] = []
    started = time.perf_counter()
    steps.append(
        ("git clone", _run(["git", "clone", "-q", str(load.ROOT), str(target)], Path("/tmp")))
    )
    make = ["make", "PYTHON=python3.11"]
    steps.append(("make setup (venv + packages)", _run([*make, "setup"], target)))
    port = load.free_port()
    url = f"http://127.0.0.1:{port}"
    steps.append(("make demo-data", _run([*make, f"PORT={port}", "demo-data"], target)))
    begun = time.perf_counter()
    server = subprocess.Popen(
        [
            ".venv/bin/python",
            "manage.py",
            "runserver",
            "--noreload",
            "--skip-checks",
            f"127.0.0.1:{port}",
        ],
        cwd=target,
        env={**os.environ, "SITE_URL": url},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        load.wait_200(f"{url}/vi/", timeout=300)
        steps.append(("server → first page 200", time.perf_counter() - begun))
    finally:
        load.stop(server)
    head = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=target, capture_output=True, text=True
    )
    print(
        f"\nOCOP newcomer set-up (make demo), {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}"
    )
    print(f"commit {head.stdout.strip()}\n| step | seconds |\n|---|---:|")
    for name, seconds in steps:
        print(f"| {name} | {seconds:.1f} |")
    print(f"| **clone → first page** | **{time.perf_counter() - started:.1f}** |")
    print(f"load average {load_start:.2f} at start, {os.getloadavg()[0]:.2f} at end", flush=True)


# --- production servers -------------------------------------------------------------------


def bakery_env(target: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bakerydemo.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_HSTS_SECONDS": "0",
        "DJANGO_LOG_LEVEL": "WARNING",
    }


def bakery_urls(target: Path) -> dict[str, str]:
    env = bakery_env(target)
    py = str(target / ".venv/bin/python")
    subprocess.run(
        [py, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=target, env=env, check=True
    )
    script = (
        "from bakerydemo.breads.models import BreadPage\n"
        "from django.contrib.staticfiles.storage import staticfiles_storage as s\n"
        "b = BreadPage.objects.live().order_by('pk').first()\n"
        "print('URL', b.url, s.url('css/main.css'))\n"
    )
    out = subprocess.run(
        [py, "manage.py", "shell", "-c", script],
        cwd=target,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    bread, css = next(x for x in out.splitlines() if x.startswith("URL ")).split()[1:]
    return {"bread": bread, "home": "/", "static": css}


def start_bakery(target: Path) -> tuple[subprocess.Popen, int]:
    return load.start_gunicorn(
        target / ".venv/bin/gunicorn",
        "bakerydemo.wsgi",
        cwd=target,
        env=bakery_env(target),
        ready="/",
        timeout=60,
    )


def compare(target: Path, rounds: int, seconds: int, connections: int) -> None:
    commit = load.commit()
    load.build()
    load.manage("collectstatic", "--noinput", "-v0")
    ours = load.urls()
    ours_pages = {
        "scan": ours["scan"],
        "product": ours["product"],
        "listing": ours["listing `/vi/san-pham/`"],
    }
    theirs = bakery_urls(target)
    print(f"bakerydemo: {theirs}\nours ({commit}): {ours_pages}", flush=True)
    runs: list[tuple[str, str, dict]] = []  # (site, page, result)

    def record(site, page, result):
        runs.append((site, page, result))
        print(
            f"{site:10} {page:16} {result['rps']:>8} req/s p50 {result['p50']:>8} p99 {result['p99']:>8}"
            f" cpu {result['cpu_ms']:6.1f} ms/req  load {result['load']:.2f}"
            + (f"  non-2xx {result['errors']}" if result["errors"] != "0" else "")
            + (f"  timeouts {result['timeouts']}" if result["timeouts"] != "0" else ""),
            flush=True,
        )

    bakery, bport = start_bakery(target)
    try:
        cold, cport = load.start(page_cache=False)
        try:
            for _ in range(rounds):
                for name, path in ours_pages.items():
                    record(
                        "bakerydemo",
                        "bread",
                        load.measure(bakery, bport, theirs["bread"], seconds, connections),
                    )
                    record("ours", name, load.measure(cold, cport, path, seconds, connections))
                record(
                    "bakerydemo",
                    "bread",
                    load.measure(bakery, bport, theirs["bread"], seconds, connections),
                )
            record(
                "bakerydemo",
                "home",
                load.measure(bakery, bport, theirs["home"], seconds, connections),
            )
            record(
                "bakerydemo",
                "static",
                load.measure(bakery, bport, theirs["static"], seconds, connections),
            )
            cold_rss = [load.peak_rss_mib(pid) for pid in load.workers(cold)]
        finally:
            load.stop(cold)
        bakery_rss = [load.peak_rss_mib(pid) for pid in load.workers(bakery)]
    finally:
        load.stop(bakery)
    shutil.rmtree(load.WORK / "cache", ignore_errors=True)
    cached, kport = load.start(page_cache=True)
    static = ours["static CSS (ceiling)"]
    try:
        for _ in range(rounds):  # static, cached page, static, …: the same alternation
            for name in ("scan", "product"):
                record("ours", "static", load.measure(cached, kport, static, seconds, connections))
                page = ours_pages[name]
                record(
                    "ours",
                    f"{name} (cached)",
                    load.measure(cached, kport, page, seconds, connections),
                )
            record("ours", "static", load.measure(cached, kport, static, seconds, connections))
    finally:
        load.stop(cached)
    report(runs, commit, seconds, connections, cold_rss, bakery_rss)


def report(runs, commit, seconds, connections, cold_rss, bakery_rss) -> None:
    print(
        f"\n{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {os.cpu_count()} cores, "
        f"our commit {commit}, wrk -t1 -c{connections} -d{seconds}s, "
        "gunicorn 2 sync workers each, SQLite, DEBUG off\n"
    )
    print("| run | site | page | req/s | p50 | p99 | CPU ms/req | load avg |")
    print("|---:|---|---|---:|---:|---:|---:|---:|")
    for i, (site, page, r) in enumerate(runs, 1):
        print(
            f"| {i} | {site} | {page} | {r['rps']} | {r['p50']} | {r['p99']} "
            f"| {r['cpu_ms']:.1f} | {r['load']:.2f} |"
        )
    print("\n| our page | against | req/s ratios (each run ÷ mean of its two neighbours) ", end="")
    print("| CPU ms ratios (neighbours ÷ ours) | goal |\n|---|---|---:|---:|---:|")
    for page, against, goal in (
        ("scan", "bread", 3.0),
        ("product", "bread", 1.5),
        ("listing", "bread", 1.5),
        ("scan (cached)", "static", 0.5),
        ("product (cached)", "static", 0.5),
    ):
        rate_ratios, cpu_ratios = [], []
        for i, (site, name, r) in enumerate(runs):
            if site == "ours" and name == page:
                before, after = runs[i - 1], runs[i + 1]
                assert before[1] == after[1] == against, (before[1], after[1], against)
                rps = (float(before[2]["rps"]) + float(after[2]["rps"])) / 2
                cpu = (before[2]["cpu_ms"] + after[2]["cpu_ms"]) / 2
                rate_ratios.append(float(r["rps"]) / rps)
                cpu_ratios.append(cpu / r["cpu_ms"])
        print(
            f"| {page} | {against} | {' / '.join(f'{x:.2f}×' for x in rate_ratios)} | "
            f"{' / '.join(f'{x:.2f}×' for x in cpu_ratios)} | ≥ {goal}× |"
        )
    bread = [float(r["rps"]) for _s, p, r in runs if p == "bread"]
    print(f"bread page: {min(bread):.1f}–{max(bread):.1f} req/s, mean {statistics.mean(bread):.1f}")
    print(
        "peak RSS per worker: ours "
        + ", ".join(f"{v:.0f}" for v in cold_rss)
        + " MiB; bakerydemo "
        + ", ".join(f"{v:.0f}" for v in bakery_rss)
        + " MiB"
    )


def main() -> None:
    target = Path(_opt("--bakerydemo", "/tmp/bakerydemo"))
    if "--setup" in sys.argv and "--ours" in sys.argv:
        setup_ours(Path(_opt("--ours", "/tmp/ocop-newcomer")))
    if "--setup" in sys.argv:
        setup(target, _opt("--source", DEFAULT_SOURCE))
    if "--compare" in sys.argv:
        compare(
            target,
            int(_opt("--rounds", "2")),
            int(_opt("--seconds", "10")),
            int(_opt("--connections", "8")),
        )


if __name__ == "__main__":
    main()
