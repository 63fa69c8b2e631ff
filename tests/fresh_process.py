"""Run Python in a fresh interpreter from the project folder, as a new worker would start."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

from django.conf import settings


def run_python(code: str, *args: str, env: dict[str, str], timeout: int = 300) -> Any:
    """Run `code` (with `args` in sys.argv) in a new interpreter whose environment is this
    one's plus `env`; it must succeed, and its last line of output is read as JSON."""
    result = subprocess.run(
        [sys.executable, "-c", code, *args],
        env={**os.environ, **env},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])
