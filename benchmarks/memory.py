"""Memory of one production worker: RSS after start-up and after the public pages.

Starts a fresh interpreter with production settings (the environment and demo database of
`benchmarks/load.py`), runs `django.setup()`, loads the WSGI application and the URLconf,
optionally serves the public pages (home, listing, product, scan, serial, search) through the
test client, and prints VmRSS / VmHWM from /proc/self/status at each step, then the
third-party packages whose first import raised RSS the most. A package's "own" cost leaves out
the packages it imported in turn (shapely's leaves out numpy), so the column adds up.

    .venv/bin/python benchmarks/memory.py [--pages] [--top 15] [--rebuild]

Figures are per process and include the interpreter (~10 MiB); a gunicorn worker adds gunicorn
itself (~3 MiB). Reading RSS around each import is coarse (pages of memory, allocator arenas
kept by earlier imports), so small packages read 0 and the big ones are what to look at.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HEAVY = (
    "biip",
    "shapely",
    "numpy",
    "reportlab",
    "stripe",
    "openpyxl",
    "ninja",
    "pydantic",
    "icu",
    "pillow_heif",
    "rest_framework",
    "psycopg",
)


def _load_benchmark():
    spec = importlib.util.spec_from_file_location("load_benchmark", ROOT / "benchmarks/load.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --- the child: runs inside the production environment ------------------------------------


def _status() -> tuple[float, float]:
    fields = dict(line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines())
    return tuple(int(fields[k].split()[0]) / 1024 for k in ("VmRSS", "VmHWM"))


class ImportCost:
    """Adds up, per top-level package, the RSS its modules add when first imported."""

    def __init__(self) -> None:
        self.own: dict[str, float] = {}
        self.stack: list[list[float]] = []  # [rss before, rss taken by nested imports]

    def measure(self, name: str, load):
        if name in sys.modules:
            return load()
        self.stack.append([_status()[0], 0.0])
        try:
            return load()
        finally:
            before, nested = self.stack.pop()
            total = max(_status()[0] - before, 0.0)
            top = name.partition(".")[0]
            self.own[top] = self.own.get(top, 0.0) + max(total - nested, 0.0)
            if self.stack:
                self.stack[-1][1] += total

    def install(self) -> None:
        import builtins
        import importlib

        original_import = builtins.__import__
        original_import_module = importlib.import_module

        def traced_import(name, globals=None, locals=None, fromlist=(), level=0):
            if level or not name:
                return original_import(name, globals, locals, fromlist, level)
            return self.measure(
                name,
                lambda: original_import(name, globals, locals, fromlist, level),
            )

        def traced_import_module(name, package=None):
            if name.startswith("."):
                return original_import_module(name, package)
            return self.measure(name, lambda: original_import_module(name, package))

        builtins.__import__ = traced_import
        importlib.import_module = traced_import_module


def child(pages: list[tuple[str, str]], top: int) -> None:
    costs = ImportCost()
    costs.install()
    steps = [("interpreter", *_status())]

    import django

    django.setup()
    steps.append(("django.setup()", *_status()))
    from django.core.wsgi import get_wsgi_application
    from django.urls import get_resolver

    get_wsgi_application()
    get_resolver().url_patterns  # noqa: B018 - loads every urls module, as the first request does
    steps.append(("WSGI app + URLconf", *_status()))

    if pages:
        from django.test import Client

        client = Client(HTTP_HOST="127.0.0.1", raise_request_exception=False)
        for name, path in pages:
            status = client.get(path).status_code
            steps.append((f"GET {name} ({status})", *_status()))

    print("| step | VmRSS MiB | VmHWM MiB |\n|---|---:|---:|")
    for name, rss, hwm in steps:
        print(f"| {name} | {rss:.1f} | {hwm:.1f} |")
    loaded = [f"{name} ({costs.own.get(name, 0):.1f})" for name in HEAVY if name in sys.modules]
    print("\nheavy packages loaded (own MiB):", ", ".join(loaded) or "none")
    print("\n| package (first import) | own RSS MiB |\n|---|---:|")
    for name, mib in sorted(costs.own.items(), key=lambda item: -item[1])[:top]:
        print(f"| {name} | {mib:.1f} |")


# --- the parent: prepares the database, starts the child -----------------------------------


def main() -> None:
    top = int(sys.argv[sys.argv.index("--top") + 1]) if "--top" in sys.argv else 15
    if "--child" in sys.argv:
        sys.path.remove(str(Path(__file__).resolve().parent))  # benchmarks/registry.py ≠ registry
        pages = [tuple(p.split("=", 1)) for p in os.environ.get("MEMORY_PAGES", "").split("\n")]
        child([p for p in pages if len(p) == 2], top)
        return
    load = _load_benchmark()
    env = load.environment(page_cache=False)
    pages = ""
    if "--pages" in sys.argv:
        load.build()
        load.manage("migrate", "--noinput", "-v0")
        load.manage("collectstatic", "--noinput", "-v0")
        targets = {k: v for k, v in load.urls().items() if not k.startswith("static")}
        pages = "\n".join(f"{name.split()[0]}={path}" for name, path in targets.items())
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    subprocess.run(
        [sys.executable, __file__, "--child", "--top", str(top)],
        env={**env, "MEMORY_PAGES": pages},
        cwd=ROOT,
        check=True,
    )
    load1, load5, load15 = os.getloadavg()
    print(
        f"\n{started}, {os.cpu_count()} cores, load average {load1:.2f} {load5:.2f} {load15:.2f}, "
        f"Python {sys.version.split()[0]}"
    )


if __name__ == "__main__":
    main()
