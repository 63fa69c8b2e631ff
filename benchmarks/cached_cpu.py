"""Worker CPU per cached hit (page cache on), in one process: no server, no network.

Same set-up as `benchmarks/render_cpu.py` (production settings on a copy of load.py's demo
catalogue, every middleware through Django's WSGI handler), with the page cache on and an
empty cache of its own. Each page is requested once to store it, then N times as anonymous
visitors without cookies (as `wrk` does); prints CPU ms per hit (`time.process_time`, the
quietest of five rounds), the bytes sent and the headers that matter to a CDN.

    .venv/bin/python benchmarks/cached_cpu.py [--requests 500] [--encoding "gzip, br"]

For a before/after comparison run it in two checkouts, interleaved (A B A B), and record the
load average it prints.
"""

from __future__ import annotations

import os
import tempfile
import time

import render_cpu


def main() -> None:
    render_cpu.prepare()
    os.environ.update(PAGE_CACHE_ENABLED="1", CACHE_DIR=tempfile.mkdtemp(prefix="ocop-cached-"))
    import django

    django.setup()
    from django.core.wsgi import get_wsgi_application

    app = get_wsgi_application()
    requests = int(render_cpu._arg("--requests", "500"))
    encoding = render_cpu._arg("--encoding", "gzip")
    headers: dict[str, str] = {}

    def start_response(status, response_headers, exc_info=None):
        headers.clear()
        headers.update((k.lower(), v) for k, v in response_headers)

    print(f"{'page':<8} {'CPU ms/hit':>10} {'bytes':>6}  encoding  cache-control  set-cookie")
    for name, path in render_cpu.targets().items():
        if name not in ("product", "scan"):
            continue
        for _ in range(3):
            body = _get(app, path, encoding, start_response)
        assert headers.get("x-page-cache") == "hit", (path, headers)
        rounds = []
        for _ in range(5):
            cpu = time.process_time()
            for _ in range(requests // 5):
                _get(app, path, encoding, start_response)
            rounds.append(time.process_time() - cpu)
        per_hit = min(rounds) / (requests // 5) * 1000
        print(
            f"{name:<8} {per_hit:>10.3f} {len(body):>6}  {headers.get('content-encoding', '-'):<8}"
            f"  {headers.get('cache-control', '-')}  {'yes' if 'set-cookie' in headers else 'no'}"
        )
    load = os.getloadavg()
    print(f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}, {requests} hits each")


def _get(app, path: str, encoding: str, start_response) -> bytes:
    return b"".join(app(render_cpu.wsgi_environ(path, encoding, "cached_cpu"), start_response))


if __name__ == "__main__":
    main()
